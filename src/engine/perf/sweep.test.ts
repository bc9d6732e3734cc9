import { describe, expect, it } from 'vitest';
import { concurrencyPoints, considerPoint, meetsSlo, newPickState, pickedPoint } from './sweep';
import type { SweepPoint } from './sweep';
import type { SloLimits } from '../types';
import { paretoFrontier } from './pareto';

const point = (concurrency: number, e2eMs: number, itlMs: number, outputTokensPerS: number): SweepPoint => ({
  concurrency,
  effectiveConcurrency: concurrency,
  ttftMs: 50,
  itlMs,
  e2eMs,
  outputTokensPerS,
  totalTokensPerS: outputTokensPerS,
  requestsPerS: 1,
  outputTokensPerSPerGpu: outputTokensPerS,
  bottleneck: 'memory',
  decodeStep: { computeMs: 1, memoryMs: 1, communicationMs: 0, overheadMs: 0 },
  prefillMs: 1,
  queueMs: 0,
  costUsdPerHour: 3,
  usdPerMillionOutputTokens: 1,
  joulesPerOutputToken: 1,
  perfError: null,
});

describe('concurrencyPoints', () => {
  it('spans 1 … limit geometrically in 12 ascending integers', () => {
    const pts = concurrencyPoints(1024);
    expect(pts).toHaveLength(12);
    expect(pts[0]).toBe(1);
    expect(pts[11]).toBe(1024);
    for (let i = 1; i < pts.length; i += 1) expect(pts[i] ?? 0).toBeGreaterThan(pts[i - 1] ?? 0);
  });
  it('drops repeats for small limits', () => {
    expect(concurrencyPoints(3)).toEqual([1, 2, 3]);
    expect(concurrencyPoints(1)).toEqual([1]);
  });
});

/** A finished sweep fed through the pick rule, point by point as the recommender does. */
function pickOperatingPoint(sweep: readonly SweepPoint[], slo: SloLimits): { index: number; meetsSlo: boolean } | null {
  const state = newPickState();
  sweep.forEach((p, i) => considerPoint(state, i, meetsSlo(p, slo), p.outputTokensPerS, p.e2eMs));
  return pickedPoint(state);
}

describe('considerPoint / pickedPoint', () => {
  const sweep = [point(1, 1000, 10, 100), point(8, 1200, 12, 700), point(64, 3000, 30, 2000)];
  it('takes the highest-throughput point meeting the SLO', () => {
    expect(pickOperatingPoint(sweep, { maxTtftMs: null, maxItlMs: 20, maxE2eMs: null })).toEqual({ index: 1, meetsSlo: true });
  });
  it('falls back to the lowest-latency point when none meets it', () => {
    expect(pickOperatingPoint(sweep, { maxTtftMs: 10, maxItlMs: null, maxE2eMs: null })).toEqual({ index: 0, meetsSlo: false });
  });
  it('meetsSlo ignores unset limits', () => {
    expect(meetsSlo(point(1, 1e9, 1e9, 1), { maxTtftMs: null, maxItlMs: null, maxE2eMs: null })).toBe(true);
  });
});

describe('paretoFrontier', () => {
  it('keeps configurations no other beats on both cost and latency, by ascending cost', () => {
    const items = [
      { usdPerMillionOutputTokens: 1, latencyMs: 100 },
      { usdPerMillionOutputTokens: 2, latencyMs: 120 }, // dominated by #0
      { usdPerMillionOutputTokens: 3, latencyMs: 50 },
      { usdPerMillionOutputTokens: 0.5, latencyMs: 400 },
    ];
    expect(paretoFrontier(items)).toEqual([3, 0, 2]);
  });
});
