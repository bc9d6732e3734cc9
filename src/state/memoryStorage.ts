/**
 * Test-only: an in-memory KeyValueStorage (sessionStorage / localStorage stand-in) whose contents
 * a test can read and seed through `data`. Nothing in the app imports this file.
 */
import type { KeyValueStorage } from './tokenStorage';

export function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data: Record<string, string> = { ...initial };
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v;
    },
    removeItem: (k) => {
      delete data[k];
    },
  };
}
