import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../engine/types';
import { comparableMeasurements, measurementsFor } from './measuredPoints';
import { makeMeasurements, makeRequest, makeResult, TEST_MODEL_ID } from './testData';

function candidateAt(index: number): Candidate {
  const candidate = makeResult().candidates[index];
  if (candidate === undefined) throw new Error(`no candidate ${index}`);
  return candidate;
}

describe('measurementsFor', () => {
  it('matches model and GPU case-insensitively, whatever the workload', () => {
    expect(measurementsFor(makeMeasurements(), TEST_MODEL_ID.toUpperCase(), 'H100')).toHaveLength(4);
    expect(measurementsFor(makeMeasurements(), TEST_MODEL_ID, 'h200')).toHaveLength(0);
  });
});

describe('comparableMeasurements', () => {
  it('keeps the same TP and workload, splitting throughput, ITL and offline throughput', () => {
    const out = comparableMeasurements(makeMeasurements(), TEST_MODEL_ID, candidateAt(0), makeRequest());
    expect(out.throughput).toEqual([expect.objectContaining({ concurrency: 8, value: 800, source: 'Test source, table 1' })]);
    expect(out.itl).toEqual([expect.objectContaining({ concurrency: 8, value: 9.5 })]);
    expect(out.offlineThroughput).toEqual([expect.objectContaining({ value: 14000 })]);
    expect(out.ttft).toEqual([]);
  });

  it('plots nothing for replicated layouts or another TP', () => {
    const none = { throughput: [], itl: [], ttft: [], offlineThroughput: [] };
    expect(comparableMeasurements(makeMeasurements(), TEST_MODEL_ID, candidateAt(3), makeRequest())).toEqual(none); // 8 × TP1
    expect(comparableMeasurements(makeMeasurements(), TEST_MODEL_ID, candidateAt(2), makeRequest())).toEqual(none); // TP2
  });
});
