/**
 * The CLI shows an engine error as an error (issue 9 part 6): `estimate` prints it and exits 1,
 * `recommend --json` carries perfError per candidate. The broken estimate is planted by serving it
 * on a GPU with 0 bandwidth (estimatePerf and estimatePerfWithCost wrapped for this file only), so the real engine path runs.
 */
import { describe, expect, it, vi } from 'vitest';
import { runCli } from './runCli';
import { captureIo } from './testIo';

vi.mock('../engine/perf/estimatePerf', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../engine/perf/estimatePerf')>();
  return {
    ...actual,
    estimatePerf: (input: Parameters<typeof actual.estimatePerf>[0]) => actual.estimatePerf({ ...input, gpu: { ...input.gpu, memBandwidthBytesPerS: 0 } }),
    // The CLI estimates through the engine session, which calls this one.
    estimatePerfWithCost: (input: Parameters<typeof actual.estimatePerfWithCost>[0], cost: Parameters<typeof actual.estimatePerfWithCost>[1]) =>
      actual.estimatePerfWithCost({ ...input, gpu: { ...input.gpu, memBandwidthBytesPerS: 0 } }, cost),
  };
});

const LLAMA_8B = 'fixtures/hf/meta-llama__Llama-3.1-8B/config.json';


describe('CLI engine errors', () => {
  it('estimate prints the engine error on one line and exits 1, never a $0 estimate', async () => {
    const c = captureIo();
    const code = await runCli(['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '1024', '--osl', '512', '--concurrency', '8', '--json'], c.io);
    expect(code).toBe(1);
    expect(c.stdoutWrites).toEqual([]);
    expect(c.stderrWrites).toHaveLength(1);
    expect(c.stderrWrites[0]).toMatch(/^error: engine error: ttftMs is not-a-number/);
  });

  it('recommend --json carries perfError on every candidate (null when sound)', async () => {
    const c = captureIo();
    const code = await runCli(['recommend', '--config', LLAMA_8B, '--isl', '1024', '--osl', '512', '--gpus', 'H100', '--json'], c.io);
    expect(code).toBe(0);
    const json: unknown = JSON.parse(c.out());
    const candidates = (json as { candidates?: { perfError?: unknown }[] }).candidates ?? [];
    expect(candidates.length).toBeGreaterThan(0);
    for (const candidate of candidates) expect(candidate).toHaveProperty('perfError', null);
  });
});
