import { describe, expect, it } from 'vitest';
import { drawRequests, fillSendTimes } from './load';

const base = {
  count: 4000,
  meanInputTokens: 1000,
  meanOutputTokens: 200,
  inputLengths: { kind: 'fixed' },
  outputLengths: { kind: 'fixed' },
  maxRequestTokens: Infinity,
  load: { kind: 'burst' },
  seed: 1,
} as const;

const meanOf = (xs: ArrayLike<number>): number => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;

describe('drawRequests', () => {
  it('fixed lengths are the workload lengths exactly (--random-range-ratio 0)', () => {
    const r = drawRequests(base);
    expect(new Set(r.inputTokens)).toEqual(new Set([1000]));
    expect(new Set(r.outputTokens)).toEqual(new Set([200]));
  });

  it('uniform lengths span [⌊m(1 − r)⌋, ⌈m(1 + r)⌉] as RandomDataset.sample draws them, mean m', () => {
    const r = drawRequests({ ...base, inputLengths: { kind: 'uniform', rangeRatio: 0.5 }, outputLengths: { kind: 'uniform', rangeRatio: 0.5 } });
    expect(Math.min(...r.inputTokens)).toBe(500);
    expect(Math.max(...r.inputTokens)).toBe(1500);
    expect(Math.min(...r.outputTokens)).toBe(100);
    expect(Math.max(...r.outputTokens)).toBe(300);
    expect(Math.abs(meanOf(r.inputTokens) - 1000) / 1000).toBeLessThan(0.02);
  });

  it('chat lengths are long-tailed with the workload mean: p99 several times the median', () => {
    const r = drawRequests({ ...base, count: 20000, inputLengths: { kind: 'chat' } });
    const sorted = Array.from(r.inputTokens).sort((a, b) => a - b);
    expect(Math.abs(meanOf(r.inputTokens) - 1000) / 1000).toBeLessThan(0.05);
    const median = sorted[10000] ?? 0;
    const p99 = sorted[19800] ?? 0;
    // Log-normal, cv 1: median = mean / √2 ≈ 707, p99 / median = e^(2.326σ) ≈ 6.9.
    expect(median).toBeGreaterThan(650);
    expect(median).toBeLessThan(760);
    expect(p99 / median).toBeGreaterThan(5.5);
  });

  it('clips prompt + output to max_model_len', () => {
    const r = drawRequests({ ...base, inputLengths: { kind: 'chat' }, maxRequestTokens: 1500 });
    for (let i = 0; i < r.count; i += 1) expect((r.inputTokens[i] ?? 0) + (r.outputTokens[i] ?? 0)).toBeLessThanOrEqual(1500);
  });

  it('the same seed draws the same lengths whatever the load, another seed other lengths', () => {
    const chat = { ...base, inputLengths: { kind: 'chat' } } as const;
    const a = drawRequests(chat);
    const b = drawRequests({ ...chat, load: { kind: 'open-loop', ratePerS: 7, burstiness: 1 } });
    const c = drawRequests({ ...chat, seed: 2 });
    expect(b.inputTokens).toEqual(a.inputTokens);
    expect(c.inputTokens).not.toEqual(a.inputTokens);
  });
});

describe('fillSendTimes', () => {
  it('sends at the rate on average, Poisson at burstiness 1 (gaps with cv 1), steadier above 1', () => {
    const cv = (burstiness: number): { meanGapMs: number; cv: number } => {
      const t = new Float64Array(20001);
      fillSendTimes(t, 10, burstiness, 3);
      const gaps = Array.from(t.subarray(1), (x, i) => x - (t[i] ?? 0));
      const m = meanOf(gaps);
      const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - m) ** 2, 0) / gaps.length);
      return { meanGapMs: m, cv: sd / m };
    };
    const poisson = cv(1);
    expect(poisson.meanGapMs).toBeGreaterThan(97);
    expect(poisson.meanGapMs).toBeLessThan(103);
    expect(poisson.cv).toBeGreaterThan(0.95);
    expect(poisson.cv).toBeLessThan(1.05);
    // Gamma(k) gaps: cv = 1/√k.
    expect(cv(4).cv).toBeCloseTo(0.5, 1);
    expect(cv(0.25).cv).toBeCloseTo(2, 0);
  });

  it('one seed gives proportional schedules at every rate (common random numbers for the rate search)', () => {
    const a = new Float64Array(50);
    const b = new Float64Array(50);
    fillSendTimes(a, 2, 1, 9);
    fillSendTimes(b, 8, 1, 9);
    for (let i = 0; i < 50; i += 1) expect(b[i]).toBeCloseTo((a[i] ?? 0) / 4, 9);
  });
});
