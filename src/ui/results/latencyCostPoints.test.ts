import { describe, expect, it } from 'vitest';
import { selectLatencyCostPoints, selectMeasuredLatencyCostPoints, selectParetoLine } from './latencyCostPoints';
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

  it('uses E2E when asked', () => {
    const { meetsSlo } = selectLatencyCostPoints(allRows, 'e2e');
    expect(meetsSlo[0]?.latencyMs).toBe(20580);
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
