import { describe, expect, it } from 'vitest';
import { bandAround, selectConcurrencySeries, selectConcurrencyTicks } from './concurrencySeries';
import { makeMeasurements, makeRequest, makeResult, TEST_MODEL_ID } from './testData';

const options = { modelId: TEST_MODEL_ID, request: makeRequest() };

describe('selectConcurrencySeries', () => {
  it('gives one series per ticked configuration in tick order, skipping ones without a sweep', () => {
    const series = selectConcurrencySeries(makeResult(), [2, 7, 0], options);
    expect(series.map((s) => [s.index, s.label])).toEqual([
      [2, '2× h100 TP2'],
      [0, '1× h100 TP1'],
    ]);
    expect(series[1]?.points.map((p) => [p.concurrency, p.outputTokensPerS, p.itlMs])).toEqual([
      [1, 120, 8],
      [8, 780, 10],
      [32, 1500, 20],
    ]);
    expect(series[1]?.points[0]?.itlBand).toBeNull();
  });

  it('adds ± bands from the validation error and the comparable measurements', () => {
    const [series] = selectConcurrencySeries(makeResult(), [0], {
      ...options,
      measurements: makeMeasurements(),
      errorBand: { ttftPct: 30, itlPct: 10, throughputPct: 20 },
    });
    // 780 tok/s ± 20 % = 624 … 936; 10 ms ± 10 % = 9 … 11.
    expect(series?.points[1]?.throughputBand?.[0]).toBeCloseTo(624);
    expect(series?.points[1]?.throughputBand?.[1]).toBeCloseTo(936);
    expect(series?.points[1]?.itlBand?.[0]).toBeCloseTo(9);
    expect(series?.points[1]?.itlBand?.[1]).toBeCloseTo(11);
    expect(series?.measured.throughput).toHaveLength(1);
  });
});

describe('bandAround', () => {
  it('never goes below zero', () => {
    expect(bandAround(10, 150)).toEqual([0, 25]);
  });
});

describe('selectConcurrencyTicks', () => {
  it('collects every plotted concurrency once, ascending', () => {
    const series = selectConcurrencySeries(makeResult(), [0, 2], { ...options, measurements: makeMeasurements() });
    expect(selectConcurrencyTicks(series)).toEqual([1, 8, 32]);
  });
});
