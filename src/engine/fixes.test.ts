import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_SERVING_SETTINGS } from './defaults';
import { applyFix, missedLimits, roundUpLimitMs } from './fixes';
import { createEngineSession } from './session';
import type { Candidate, Layout, RecommendRequest } from './types';
import { fixtureArch as fixture } from './fixtureArch.testing';


const LLAMA_8B = fixture('meta-llama__Llama-3.1-8B-Instruct');
const LLAMA_70B = fixture('meta-llama__Llama-3.1-70B-Instruct');

const request = (over: Partial<RecommendRequest> = {}): RecommendRequest => ({
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_SERVING_SETTINGS,
  slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: ['H100', 'L4'],
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
  ...over,
});

const sameLayout = (a: Layout, b: Layout): boolean => a.tp === b.tp && a.pp === b.pp && a.dp === b.dp && a.ep === b.ep;
const find = (cs: readonly Candidate[], gpuId: string, layout: Layout): Candidate | undefined => cs.find((c) => c.gpuId === gpuId && sameLayout(c.layout, layout));

describe('row advice and fixes', () => {
  it('a 70B row that does not fit on 1 × H100 gets a fix that makes that GPU fit, and a needs-GPUs badge', () => {
    const session = createEngineSession(LLAMA_70B);
    const req = request({ gpuIds: ['H100'], maxGpus: 1 });
    const result = session.recommendWithAdvice(req);
    const i = result.candidates.findIndex((c) => c.perf === null);
    const advice = result.advice?.[i];
    expect(advice?.needsGpus).toBeGreaterThanOrEqual(2);
    const fix = advice?.fix;
    expect(fix).toBeDefined();
    if (fix === null || fix === undefined) return;
    // BF16 70B weights (~131 GiB) exceed one GPU: a shorter context or FP8 KV cannot help; more GPUs or a quantized checkpoint can.
    expect(['layout', 'weight-precision']).toContain(fix.kind);
    const after = session.recommend(applyFix(req, fix));
    const target = fix.kind === 'layout' ? find(after.candidates, 'H100', fix.layout) : find(after.candidates, 'H100', { tp: 1, pp: 1, dp: 1, ep: false });
    expect(target?.perf).not.toBeNull();
    expect(target?.meetsSlo).toBe(true);
  });

  it('no fix asks for more GPUs than the largest budget the caller can set (the page stops at 64)', () => {
    const session = createEngineSession(LLAMA_70B);
    const uncapped = session.recommendWithAdvice(request({ gpuIds: ['H100'], maxGpus: 1 }));
    const i = uncapped.candidates.findIndex((c) => c.perf === null);
    const open = uncapped.advice?.[i]?.fix;
    // Without a cap the smallest fix is more GPUs (BF16 70B on 2 × H100).
    expect(open?.kind).toBe('layout');
    const capped = session.recommendWithAdvice(request({ gpuIds: ['H100'], maxGpus: 1, maxBudgetGpus: 1 }));
    const fix = capped.advice?.[capped.candidates.findIndex((c) => c.perf === null)]?.fix;
    expect(fix?.kind).not.toBe('layout');
    if (fix !== null && fix !== undefined) expect(session.recommend(applyFix(request({ gpuIds: ['H100'], maxGpus: 1 }), fix)).candidates[0]?.perf).not.toBeNull();
  });

  it('a row whose KV pool cannot hold max_model_len is fixed by a shorter max_model_len that still holds the request', () => {
    const session = createEngineSession(LLAMA_8B);
    const req = request({ gpuIds: ['L4'], maxGpus: 1, serving: { ...DEFAULT_SERVING_SETTINGS, maxModelLenTokens: 131072 } });
    const result = session.recommendWithAdvice(req);
    expect(result.candidates[0]?.perf).toBeNull();
    const fix = result.advice?.[0]?.fix;
    expect(fix?.kind).toBe('max-model-len');
    if (fix?.kind !== 'max-model-len') return;
    expect(fix.maxModelLenTokens).toBeGreaterThanOrEqual(req.inputTokens + req.outputTokens);
    expect(fix.maxModelLenTokens).toBeLessThan(131072);
    expect(session.recommend(applyFix(req, fix)).candidates[0]?.perf).not.toBeNull();
  });

  it('a row missing the ITL limit at a fixed load is fixed by a lower load, and the lower load meets the limit', () => {
    const session = createEngineSession(LLAMA_8B);
    const probe = session.recommend(request({ gpuIds: ['H100'], maxGpus: 1, concurrency: 1 }));
    const itl1 = probe.candidates[0]?.perf?.itlMs ?? 0;
    // A limit 20 % above the single-request ITL: met at light load, missed at 256 concurrent.
    const req = request({ gpuIds: ['H100'], maxGpus: 1, concurrency: 256, slo: { maxTtftMs: null, maxItlMs: itl1 * 1.2, maxE2eMs: null } });
    const result = session.recommendWithAdvice(req);
    expect(result.candidates[0]?.meetsSlo).toBe(false);
    expect(result.advice?.[0]?.missed.map((m) => m.limit)).toEqual(['itl']);
    const fix = result.advice?.[0]?.fix;
    expect(fix?.kind).toBe('concurrency');
    if (fix === null || fix === undefined) return;
    expect(session.recommend(applyFix(req, fix)).candidates[0]?.meetsSlo).toBe(true);
  });

  it('a limit no load or layout can meet is fixed by loosening it to the achieved figure, which then passes', () => {
    const session = createEngineSession(LLAMA_8B);
    const req = request({ gpuIds: ['L4'], maxGpus: 1, slo: { maxTtftMs: null, maxItlMs: 1, maxE2eMs: null } });
    const result = session.recommendWithAdvice(req);
    const fix = result.advice?.[0]?.fix;
    expect(fix?.kind).toBe('slo');
    if (fix === null || fix === undefined) return;
    expect(session.recommend(applyFix(req, fix)).candidates[0]?.meetsSlo).toBe(true);
  });

  it('every fix the engine offers makes its row (or, for a layout fix, the layout it names) pass at the request\'s own load', () => {
    for (const concurrency of [64, 'sweep'] as const) {
      const session = createEngineSession(LLAMA_8B);
      const req = request({ gpuIds: ['L40S', 'A100-80GB', 'L4'], concurrency, inputTokens: 1024, outputTokens: 1024, slo: { maxTtftMs: 450, maxItlMs: 30, maxE2eMs: null } });
      const result = session.recommendWithAdvice(req);
      let checked = 0;
      result.candidates.forEach((c, i) => {
        const fix = result.advice?.[i]?.fix;
        if (fix === null || fix === undefined) return;
        const after = session.recommend(applyFix(req, fix));
        const target = fix.kind === 'layout' ? find(after.candidates, fix.gpuId, fix.layout) : find(after.candidates, c.gpuId, c.layout);
        expect(target?.meetsSlo, `${c.gpuId} ${JSON.stringify(c.layout)} ${JSON.stringify(fix)}`).toBe(true);
        checked += 1;
      });
      expect(checked).toBeGreaterThan(2);
    }
  });

  it('passing rows carry no fix and distance 0; failing rows sort after them by distance', () => {
    const session = createEngineSession(LLAMA_8B);
    const result = session.recommendWithAdvice(request({ slo: { maxTtftMs: null, maxItlMs: 20, maxE2eMs: null } }));
    result.candidates.forEach((c, i) => {
      const a = result.advice?.[i];
      if (c.meetsSlo) expect(a).toMatchObject({ fix: null, passDistance: 0 });
      else if (c.perf !== null) expect(a?.passDistance).toBeGreaterThan(1);
      else expect(a?.passDistance).toBeGreaterThanOrEqual(2);
    });
  });
});

describe('missedLimits and roundUpLimitMs', () => {
  it('names each limit exceeded, none when met', () => {
    expect(missedLimits({ ttftMs: 500, itlMs: 30, e2eMs: 9000 }, { maxTtftMs: 400, maxItlMs: 50, maxE2eMs: 8000 }).map((m) => m.limit)).toEqual(['ttft', 'e2e']);
    expect(missedLimits({ ttftMs: 1, itlMs: 1, e2eMs: 1 }, { maxTtftMs: null, maxItlMs: null, maxE2eMs: null })).toEqual([]);
  });
  it('rounds up to two significant digits, never below the figure', () => {
    expect(roundUpLimitMs(12.3)).toBe(13);
    expect(roundUpLimitMs(457.1)).toBe(460);
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e7, noNaN: true }), (ms) => {
        const r = roundUpLimitMs(ms);
        return r >= ms - 1e-9 && r <= ms * 1.1 + 1;
      }),
    );
  });
});
