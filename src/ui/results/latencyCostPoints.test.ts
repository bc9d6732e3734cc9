import { describe, expect, it } from 'vitest';
import type { Candidate, RecommendResult } from '../../engine/types';
import {
  placeLatencyCostChart,
  selectPickMarks,
  selectLatencyCostPoint,
  selectLatencyCostPoints,
  selectMeasuredLatencyCostPoints,
  selectParetoLine,
  selectPlotPriority,
} from './latencyCostPoints';
import { selectVisibleRows } from './tableRows';
import { makeMeasurements, makeRequest, makeResult, TEST_MODEL_ID } from './testData';

const result = makeResult();
const allRows = selectVisibleRows(result, { fitsOnly: false, meetsSloOnly: false }, { column: 'costPerMTokens', descending: false });

describe('selectLatencyCostPoints', () => {
  it('plots every configuration with an estimate, split by SLO, and skips the one that does not fit', () => {
    const { meetsSlo, missesSlo } = selectLatencyCostPoints(allRows, 'itl');
    // 3 (8 × TP1 replicas) and 6 (4 × TP2) sit exactly on 0 and 2: DP copies are drawn once.
    expect(meetsSlo.map((p) => p.index).sort()).toEqual([0, 1, 2, 5]);
    expect(missesSlo).toHaveLength(1);
    // The tooltip's figures travel with the point: GPU, layout, operating point, TTFT, ITL, $/h.
    expect(missesSlo[0]).toEqual({
      index: 4,
      label: '8× h100 TP8',
      usdPerMillionOutputTokens: 1.11,
      latencyMs: 5,
      meetsSlo: false,
      gpuId: 'h100',
      gpuCount: 8,
      layout: 'TP8',
      concurrency: 32,
      ttftMs: 2500,
      itlMs: 5,
      costUsdPerHour: 24,
    });
  });

  it('draws every distinct spot when under the cap', () => {
    expect(selectLatencyCostPoints(allRows, 'itl').omitted).toBe(0);
  });

  it('caps the points: priority rows always, then the best-ranked others', () => {
    // Cap of 2 with priority {4, 2}: both drawn, then nothing else; 0, 1 and 5 are left out.
    const { meetsSlo, missesSlo, omitted } = selectLatencyCostPoints(allRows, 'itl', { priority: new Set([4, 2]), maxPoints: 2 });
    expect([...meetsSlo, ...missesSlo].map((p) => p.index).sort()).toEqual([2, 4]);
    expect(omitted).toBe(3);
    // Cap of 3 without priority: the three best-ranked distinct spots (0, 1, 2).
    const ranked = selectLatencyCostPoints(allRows, 'itl', { maxPoints: 3 });
    expect([...ranked.meetsSlo, ...ranked.missesSlo].map((p) => p.index).sort()).toEqual([0, 1, 2]);
    expect(ranked.omitted).toBe(2);
  });

  it('keeps a 540-row result under MAX_PLOTTED_POINTS', () => {
    // The bug this guards: every one of Qwen3-8B's 540 configurations was drawn, blocking the main thread > 1 s.
    const template = result.candidates[0] as Candidate;
    const many: RecommendResult = {
      ...result,
      candidates: Array.from({ length: 540 }, (_, i) => ({
        ...template,
        gpuCount: 1 + (i % 8),
        perf: template.perf === null ? null : { ...template.perf, itlMs: 5 + i, usdPerMillionOutputTokens: 0.5 + i / 100 },
      })),
      pareto: [0, 1, 2],
      best: { cheapestMeetingSlo: 0, lowestLatency: 0, highestThroughput: 539 },
    };
    const rows = many.candidates.map((candidate, index) => ({ index, candidate }));
    const points = selectLatencyCostPoints(rows, 'itl', { priority: selectPlotPriority(many, rows) });
    const drawn = [...points.meetsSlo, ...points.missesSlo].map((p) => p.index);
    expect(drawn).toHaveLength(150);
    expect(drawn).toContain(539);
    expect(points.omitted).toBe(390);
  });

  it('uses E2E when asked', () => {
    const { meetsSlo } = selectLatencyCostPoints(allRows, 'e2e');
    expect(meetsSlo[0]?.latencyMs).toBe(20580);
  });
});

describe('selectPlotPriority', () => {
  it('holds the frontier, the best picks and the best-ranked row of each GPU type', () => {
    expect([...selectPlotPriority(result, allRows)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('selectLatencyCostPoint', () => {
  it('places the selected row, or null without an estimate', () => {
    expect(selectLatencyCostPoint(result, 2, 'itl')).toMatchObject({ index: 2, latencyMs: 11, usdPerMillionOutputTokens: 0.64 });
    expect(selectLatencyCostPoint(result, 7, 'itl')).toBeNull();
    expect(selectLatencyCostPoint(result, null, 'itl')).toBeNull();
  });
});

describe('selectParetoLine', () => {
  it('follows result.pareto in order', () => {
    expect(selectParetoLine(result, 'itl').map((p) => [p.index, p.usdPerMillionOutputTokens, p.latencyMs])).toEqual([
      [0, 0.56, 20],
      [2, 0.64, 11],
      [5, 0.83, 8],
      [4, 1.11, 5],
    ]);
  });
});

describe('selectMeasuredLatencyCostPoints', () => {
  it('pairs measured ITL with measured throughput at the same concurrency and prices it at the row price', () => {
    const points = selectMeasuredLatencyCostPoints(makeMeasurements(), TEST_MODEL_ID, allRows, makeRequest());
    expect(points).toHaveLength(1);
    // h100 ×1 at $3/h, 800 tok/s measured: 3 / (800 × 3600) × 1e6 = $1.0417 per M tokens.
    expect(points[0]?.usdPerMillionOutputTokens).toBeCloseTo(1.0417, 4);
    expect(points[0]).toMatchObject({ index: 0, concurrency: 8, latencyMs: 9.5, source: 'Test source, table 1' });
  });
});

describe('placeLatencyCostChart', () => {
  const template = result.candidates[0] as Candidate;
  // Twelve configurations between $0.50 and $0.80 per M tokens, and one at $40 (a far outlier).
  const costs = [0.5, 0.52, 0.55, 0.57, 0.6, 0.62, 0.65, 0.68, 0.7, 0.73, 0.76, 0.8, 40];
  const spread: RecommendResult = {
    ...result,
    candidates: costs.map((usd, i) => ({
      ...template,
      gpuCount: 1 + i,
      meetsSlo: i % 2 === 0,
      perf: template.perf === null ? null : { ...template.perf, itlMs: 10 + i, usdPerMillionOutputTokens: usd },
    })),
    pareto: [0, 12],
    best: { cheapestMeetingSlo: 0, lowestLatency: 0, highestThroughput: 12 },
  };
  const rows = spread.candidates.map((candidate, index) => ({ index, candidate }));
  const points = selectLatencyCostPoints(rows, 'itl');
  const pareto = selectParetoLine(spread, 'itl');

  it('clips the far outlier to the axis end and lists it as off scale, keeping its real cost', () => {
    const placed = placeLatencyCostChart(points, pareto, [], true);
    expect(placed.axis.clipAboveValue).not.toBeNull();
    expect(placed.axis.domain[1]).toBeLessThan(40);
    expect(placed.offScale.map((p) => p.index)).toEqual([12]);
    expect(placed.offScale[0]?.x).toBe(placed.axis.domain[1]);
    expect(placed.offScale[0]?.usdPerMillionOutputTokens).toBe(40);
    // Off-scale points leave their SLO series (drawn once, as triangles); the frontier keeps them at the edge.
    expect([...placed.meetsSlo, ...placed.missesSlo].map((p) => p.index)).not.toContain(12);
    expect(placed.pareto.find((p) => p.index === 12)?.x).toBe(placed.axis.domain[1]);
    expect(placed.meetsSlo.every((p) => p.x === p.usdPerMillionOutputTokens && !p.offScale)).toBe(true);
    // The bug this guards: a linear axis to $40 piled the twelve others into the first 2 % of the width.
    const [lo, hi] = placed.axis.domain;
    expect(Math.log10(0.8 / lo) / Math.log10(hi / lo)).toBeGreaterThan(0.5);
  });

  it('"Show all" draws every point in place', () => {
    const placed = placeLatencyCostChart(points, pareto, [], false);
    expect(placed.offScale).toEqual([]);
    expect(placed.axis.domain[1]).toBeGreaterThanOrEqual(40);
    expect([...placed.meetsSlo, ...placed.missesSlo].map((p) => p.index).sort((a, b) => a - b)).toEqual(costs.map((_, i) => i));
  });
});

describe('selectPickMarks', () => {
  it('labels each best pick once, joining the names of a row holding several', () => {
    const marks = selectPickMarks(result, 'itl');
    expect(marks.map((m) => [m.index, m.label])).toEqual([
      [0, 'Cheapest in SLO'],
      [4, 'Lowest latency'],
      [3, 'Most tok/s'],
    ]);
  });

  it('puts the verdict\'s pick first', () => {
    const pick = { index: 0, gpuId: 'h100', gpuCount: 1, layout: { tp: 1, pp: 1, dp: 1, ep: false }, concurrency: 32, ttftMs: 120, itlMs: 20, e2eMs: 20580, usdPerMillionOutputTokens: 0.56, outputTokensPerS: 1500, costUsdPerHour: 3 };
    const withVerdict: RecommendResult = { ...result, verdict: { kind: 'pick', pick, reason: 'cheapest-meeting-slo', load: 'sweep', tieBandPct: 10, competitor: null } };
    expect(selectPickMarks(withVerdict, 'itl')[0]).toMatchObject({ index: 0, label: 'Recommended · Cheapest in SLO' });
  });
});
