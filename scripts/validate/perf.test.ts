import { describe, expect, it } from 'vitest';
import { VALIDATION_ERROR_PCT } from '../../src/engine/calibration';
import { runPerfValidation } from './perf';

describe('perf validation', () => {
  it('prints the accuracy the UI quotes (VALIDATION_ERROR_PCT, to 0.1 %)', () => {
    const { summary } = runPerfValidation({ quiet: true });
    const pct = (group: string): number => summary.find((s) => s.group === group)?.medianAbsErrorPct ?? Number.NaN;
    expect(pct('throughput')).toBeCloseTo(VALIDATION_ERROR_PCT.throughputPct, 1);
    expect(pct('itl')).toBeCloseTo(VALIDATION_ERROR_PCT.itlPct, 1);
    expect(pct('ttft')).toBeCloseTo(VALIDATION_ERROR_PCT.ttftPct, 1);
    // Issue 3's aims: ITL and throughput within 15 %, TTFT within 25 % (median). ITL rose to 16.6 %
    // when tile + weight-stream physics replaced the fitted M / (M + 173) GEMM floor (issue 11) and
    // came back under 15 % with the per-kernel GEMM efficiencies (calibration.ts GEMM_KERNEL_EFFICIENCY).
    expect(pct('throughput')).toBeLessThan(15);
    expect(pct('itl')).toBeLessThan(15);
    expect(pct('ttft')).toBeLessThan(25);
  });
});
