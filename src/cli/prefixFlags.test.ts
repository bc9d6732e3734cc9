/**
 * Issue 12 item 2 on the command line: `--prefix-tokens N` and `--prefix-hit-rate 0..1` on estimate and
 * recommend (engine/perf/prefixCache.ts); the JSON reports the cached tokens per request used.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli';
import { captureIo } from './testIo';

const LLAMA_8B = 'fixtures/hf/meta-llama__Llama-3.1-8B/config.json';

async function runJson(argv: string[]) {
  const c = captureIo();
  const code = await runCli(argv, c.io);
  const parsed: unknown = code === 0 ? JSON.parse(c.out()) : null;
  return { code, json: parsed as Record<string, unknown> | null, stderr: c.errText() };
}

const estimate = (...flags: string[]) =>
  runJson(['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '4096', '--osl', '128', '--concurrency', '8', '--num-requests', '40', '--json', ...flags]);
const recommend = (...flags: string[]) =>
  runJson(['recommend', '--config', LLAMA_8B, '--gpus', 'H100', '--max-gpus', '1', '--isl', '4096', '--osl', '128', '--concurrency', '8', '--json', ...flags]);

describe('--prefix-tokens / --prefix-hit-rate', () => {
  it('estimate: no flag leaves the JSON as before; hit rate 0 gives the same figures and reports 0 cached tokens', async () => {
    const plain = await estimate();
    const zero = await estimate('--prefix-hit-rate', '0');
    expect(plain.code).toBe(0);
    expect(plain.json).not.toHaveProperty('prefixCache');
    expect(plain.json).not.toHaveProperty('prefixCacheNote');
    expect(zero.json?.prefixCache).toEqual({ sharedPrefixTokens: 0, hitRate: 0, cachedTokensPerRequest: 0, sharedPoolTokens: 0 });
    for (const f of ['ttftMs', 'itlMs', 'outputTokensPerS', 'prefillMs']) expect(zero.json?.[f], f).toBe(plain.json?.[f]);
  });

  it('estimate: a 60 % hit rate caches whole 16-token blocks (2448 of 4096) and cuts TTFT and prefill', async () => {
    const plain = await estimate();
    const hit = await estimate('--prefix-hit-rate', '0.6');
    expect(hit.code).toBe(0);
    // ⌊0.6 × 4096⌋ = 2457 → 153 blocks of 16 = 2448.
    expect(hit.json?.prefixCache).toMatchObject({ hitRate: 0.6, cachedTokensPerRequest: 2448, sharedPoolTokens: 0 });
    // The simulated percentiles beside the closed form model the hit too (engine/sim/prefix.ts).
    expect(hit.json?.ttftP50Ms as number).toBeLessThan(plain.json?.ttftP50Ms as number);
    expect(hit.json?.ttftMs as number).toBeLessThan(plain.json?.ttftMs as number);
    expect(hit.json?.prefillMs as number).toBeLessThan(plain.json?.prefillMs as number);
  });

  it('estimate --engine sglang: the radix cache is token-granular (all but the last token)', async () => {
    const hit = await estimate('--engine', 'sglang', '--prefix-hit-rate', '1');
    expect(hit.code).toBe(0);
    expect(hit.json?.prefixCache).toMatchObject({ cachedTokensPerRequest: 4095 });
  });

  it('recommend: every candidate reports the cached tokens it used', async () => {
    const r = await recommend('--prefix-tokens', '1000');
    expect(r.code).toBe(0);
    const candidates = r.json?.candidates as Record<string, unknown>[];
    expect(candidates.length).toBeGreaterThan(0);
    // 1000 shared tokens → 62 full blocks of 16 = 992, held once in the pool.
    for (const c of candidates) expect(c.prefixCache).toEqual({ sharedPrefixTokens: 1000, hitRate: 0, cachedTokensPerRequest: 992, sharedPoolTokens: 992 });
  });

  it('with --rate the simulator models the hit: estimate reports it and its p99 TTFT falls; recommend --rate plans with it', async () => {
    const rate = ['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '4096', '--osl', '128', '--rate', '4', '--num-requests', '200', '--max-ttft-p99-ms', '2000', '--json'];
    const plain = await runJson(rate);
    const hit = await runJson([...rate, '--prefix-hit-rate', '0.75']);
    expect(plain.code).toBe(0);
    expect(hit.code).toBe(0);
    expect(hit.json?.prefixCache).toMatchObject({ hitRate: 0.75, cachedTokensPerRequest: 3072 });
    expect(hit.json?.ttftP99Ms as number).toBeLessThan(plain.json?.ttftP99Ms as number);
    expect(hit.json?.maxRateMeetingSloRequestsPerS as number).toBeGreaterThan(plain.json?.maxRateMeetingSloRequestsPerS as number);
    const r = await runJson(['recommend', '--config', LLAMA_8B, '--gpus', 'H100', '--max-gpus', '1', '--isl', '4096', '--osl', '128', '--rate', '2', '--num-requests', '150', '--prefix-tokens', '1000', '--json']);
    expect(r.code).toBe(0);
    const candidates = r.json?.candidates as Record<string, unknown>[];
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates[0]?.prefixCache).toMatchObject({ cachedTokensPerRequest: 992, sharedPoolTokens: 992 });
    expect(candidates[0]?.replicasNeeded).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [['--prefix-tokens', '5000'], /--prefix-tokens must be a whole number from 0 to the prompt length \(4096 tokens\), got "5000"/],
    [['--prefix-tokens', '-1'], /--prefix-tokens/],
    [['--prefix-tokens', '1.5'], /--prefix-tokens must be a whole number/],
    [['--prefix-hit-rate', '1.2'], /--prefix-hit-rate must be a fraction from 0 to 1/],
    [['--prefix-hit-rate', 'lots'], /--prefix-hit-rate/],
  ])('bad input %j is a usage error (exit 2) with a clear message', async (flags, message) => {
    for (const run of [estimate, recommend]) {
      const r = await run(...flags);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
