import { describe, expect, it } from 'vitest';
import { GPU_CATALOG } from './catalog/gpus';
import { DEFAULT_SERVING_SETTINGS } from './defaults';
import { applyFix } from './fixes';
import { createEngineSession } from './session';
import { TIE_BAND_PCT, verdictOf } from './verdict';
import type { RecommendRequest } from './types';
import { fixtureArch as fixture } from './fixtureArch.testing';


const LLAMA_8B = fixture('meta-llama__Llama-3.1-8B-Instruct');
const LLAMA_70B = fixture('meta-llama__Llama-3.1-70B-Instruct');

const request = (over: Partial<RecommendRequest> = {}): RecommendRequest => ({
  inputTokens: 1000,
  outputTokens: 200,
  concurrency: 'sweep',
  serving: DEFAULT_SERVING_SETTINGS,
  slo: { maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: ['H100', 'A100-80GB', 'L40S', 'GH200'],
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
  ...over,
});

describe('verdictOf', () => {
  const session = createEngineSession(LLAMA_8B);

  it('picks a row meeting the SLO within the tie band of the cheapest, and no tied row is simpler', () => {
    const req = request();
    const result = session.recommendWithAdvice(req);
    const v = result.verdict;
    expect(v?.kind).toBe('pick');
    if (v?.kind !== 'pick') return;
    const pick = result.candidates[v.pick.index];
    expect(pick?.meetsSlo).toBe(true);
    const meeting = result.candidates.filter((c) => c.meetsSlo && c.perf !== null);
    const cheapest = Math.min(...meeting.map((c) => c.perf?.usdPerMillionOutputTokens ?? Infinity));
    expect(v.pick.usdPerMillionOutputTokens).toBeLessThanOrEqual(cheapest * (1 + TIE_BAND_PCT / 100) + 1e-12);
    const tied = meeting.filter((c) => (c.perf?.usdPerMillionOutputTokens ?? Infinity) <= cheapest * (1 + TIE_BAND_PCT / 100));
    for (const c of tied) expect(c.gpuCount).toBeGreaterThanOrEqual(v.pick.gpuCount);
    // An 8B model at 1k/200 under ITL 50 ms: one GPU, no pipeline parallelism.
    expect(v.pick.gpuCount).toBe(1);
    expect(v.pick.layout.pp).toBe(1);
    expect(v.pick.concurrency).toBeGreaterThan(0);
    // The competitor is an alternative, never more replicas of the pick's own layout.
    const c = v.competitor?.row;
    if (c !== undefined) expect(c.gpuId === v.pick.gpuId && c.layout.tp === v.pick.layout.tp && c.layout.pp === v.pick.layout.pp).toBe(false);
  });

  it('with no tie band, the pick is the cheapest meeting the SLO (the ranking\'s first)', () => {
    const req = request();
    const result = session.recommend(req);
    const v = verdictOf(result, req, { gpus: GPU_CATALOG, tieBandPct: 0 });
    expect(v.kind).toBe('pick');
    if (v.kind !== 'pick') return;
    expect(v.pick.index).toBe(result.best.cheapestMeetingSlo);
    expect(v.reason).toBe('cheapest-meeting-slo');
  });

  it('a wide tie band hands the win to the simplest deployment and names the cheaper row as the tied competitor', () => {
    const req = request({ gpuIds: ['H100'] });
    const result = session.recommend(req);
    const v = verdictOf(result, req, { gpus: GPU_CATALOG, tieBandPct: 10_000 });
    expect(v.kind).toBe('pick');
    if (v.kind !== 'pick') return;
    expect(v.pick.gpuCount).toBe(1);
    if (v.reason === 'simpler-in-tie') {
      expect(v.competitor?.loss.kind).toBe('tie');
      expect(v.competitor?.costDiffPct).toBeLessThan(0);
    }
  });

  it('names a cheaper row that misses the limit as the competitor, with the limit it misses', () => {
    // A tight ITL: slower, cheaper GPUs miss it.
    const req = request({ slo: { maxTtftMs: null, maxItlMs: 12, maxE2eMs: null } });
    const result = session.recommendWithAdvice(req);
    const v = result.verdict;
    if (v?.kind !== 'pick' || v.competitor === null) throw new Error(`expected a pick with a competitor, got ${JSON.stringify(v?.kind)}`);
    if (v.competitor.loss.kind === 'misses-slo') {
      expect(v.competitor.costDiffPct).toBeLessThan(0);
      expect(v.competitor.loss.missed.map((m) => m.limit)).toContain('itl');
    } else {
      expect(v.competitor.costDiffPct).toBeGreaterThanOrEqual(0);
    }
  });

  it('when nothing meets the limits, names the closest row and a fix that makes it pass', () => {
    const req = request({ gpuIds: ['L40S'], slo: { maxTtftMs: null, maxItlMs: 2, maxE2eMs: null } });
    const result = session.recommendWithAdvice(req);
    const v = result.verdict;
    expect(v?.kind).toBe('none-meets-slo');
    if (v?.kind !== 'none-meets-slo') return;
    expect(v.missed.map((m) => m.limit)).toEqual(['itl']);
    expect(v.fix).not.toBeNull();
    if (v.fix === null) return;
    const after = session.recommend(applyFix(req, v.fix));
    expect(after.best.cheapestMeetingSlo).not.toBeNull();
  });

  it('when nothing fits, names the nearest fix, and applying it makes a row fit', () => {
    const big = createEngineSession(LLAMA_70B);
    const req = request({ gpuIds: ['L40S'], maxGpus: 1 });
    const result = big.recommendWithAdvice(req);
    const v = result.verdict;
    expect(v?.kind).toBe('none-fits');
    if (v?.kind !== 'none-fits') return;
    expect(v.gpuId).toBe('L40S');
    expect(v.needsGpus).toBeGreaterThanOrEqual(2);
    expect(v.fix).not.toBeNull();
    if (v.fix === null) return;
    const after = big.recommend(applyFix(req, v.fix));
    expect(after.candidates.some((c) => c.perf !== null)).toBe(true);
  });

  it('without any limit the reason says so and saturation load is reported as such', () => {
    const req = request({ concurrency: 'max', slo: { maxTtftMs: null, maxItlMs: null, maxE2eMs: null } });
    const v = session.recommendWithAdvice(req).verdict;
    expect(v?.kind).toBe('pick');
    if (v?.kind !== 'pick') return;
    expect(v.reason === 'cheapest-no-slo' || v.reason === 'simpler-in-tie').toBe(true);
    expect(v.load).toBe('saturation');
  });
});
