/**
 * `gpu-fit --help` must start fast (< 150 ms, issue 9 part 7): help and usage errors are answered
 * without loading execute.ts (the engine's planner, perf model and the Hub client). The bug this
 * guards: a static import of execute.ts (or of the engine's heavy modules) from runCli.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { ok } from '../engine/result';
import type { CliIo } from './io';
import { runCli } from './runCli';

const loaded = vi.hoisted(() => ({ execute: false }));
vi.mock('./execute', async (importOriginal) => {
  loaded.execute = true;
  return importOriginal();
});

function quietIo(): CliIo {
  return { stdout: () => {}, stderr: () => {}, readTextFile: async () => ok(''), env: {} };
}

describe('runCli loads the commands lazily', () => {
  it('answers --help, <command> --help and usage errors without loading execute.ts, and loads it to run a command', async () => {
    expect(await runCli(['--help'], quietIo())).toBe(0);
    expect(await runCli(['plan', '--help'], quietIo())).toBe(0);
    expect(await runCli(['plan', '--bogus'], quietIo())).toBe(2);
    expect(await runCli(['frobnicate'], quietIo())).toBe(2);
    expect(loaded.execute).toBe(false);
    expect(await runCli(['gpus', '--json'], quietIo())).toBe(0);
    expect(loaded.execute).toBe(true);
  });
});
