/**
 * The Hugging Face token lives in sessionStorage only (issue 5): never localStorage, the URL, logs
 * or exports. It is gone when the tab closes. Storage access can throw (privacy modes, sandboxed
 * frames): then the token is simply not remembered.
 */

/** What the page needs of Web Storage; `window.sessionStorage` satisfies it, tests pass a fake. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const TOKEN_STORAGE_KEY = 'gpu-fit.hf-token';

export function readToken(storage: KeyValueStorage | null): string {
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function writeToken(storage: KeyValueStorage | null, token: string): void {
  try {
    if (token === '') storage?.removeItem(TOKEN_STORAGE_KEY);
    else storage?.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Not remembered; the in-memory copy still works for this page.
  }
}

/** window.sessionStorage when it can be reached (reading the property itself may throw). */
export function browserSessionStorage(): KeyValueStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null;
  }
}
