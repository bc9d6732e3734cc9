import { describe, expect, it } from 'vitest';
import type { Candidate, RecommendResult } from '../../engine/types';
import {
  selectLatencyCostPoint,
  selectLatencyCostPoints,
  selectMeasuredLatencyCostPoints,
  selectParetoLine,
  selectPlotPriority,
} from './latencyCostPoints';
import { selectVisibleRows } from './tableRows';
import { makeMeasurements, makeRequest, makeResult, TEST_MODEL_ID } from './testData';

const result = makeResult();
const allRows = selectVisibleRows(result, { fitsOnly: false, meetsSloOnly: false, gpuIds: [] }, { column: 'costPerMTokens', descending: false });

describe('selectLatencyCostPoints', () => {
  it('plots every configuration with an estimate, split by SLO, and skips the one that does not fit', () => {
    const { meetsSlo, missesSlo } = selectLatencyCostPoints(allRows, 'itl');
    // 3 (8 × TP1 replicas) and 6 (4 × TP2) sit exactly on 0 and 2: DP copies are drawn once.
    expect(meetsSlo.map((p) => p.index).sort()).toEqual([0, 1, 2, 5]);
    expect(missesSlo).toEqual([{ index: 4, label: '8× h100 TP8', usdPerMillionOutputTokens: 1.11, latencyMs: 5, meetsSlo: false }]);
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
