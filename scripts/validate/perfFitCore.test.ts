import { afterEach, describe, expect, it } from 'vitest';
import type { PreparedCase } from './perf';
import { evaluatePerfCases, preparePerfCases } from './perf';
import type { Param } from './perfFitCore';
import { calibrationParams, fitCalibration, robustLoss } from './perfFitCore';

// A spread of the calibration rows (every GPU generation and engine appears), small enough to fit in seconds.
const all = preparePerfCases().cases;
const cases = all.filter((_, i) => i % 25 === 0);
const params = calibrationParams([...new Set(all.map((c) => c.base.gpu.generation))]);
const shipped = params.map((p) => p.get());

/** The fit before `affects`: every trial value re-estimates every case. */
function referenceFit(cs: readonly PreparedCase[], ps: readonly Param[], sweeps: number): number {
  let best = robustLoss(cs);
  let step = 0.3;
  for (let sweep = 0; sweep < sweeps && step > 0.01; sweep += 1) {
    let improved = false;
    for (const p of ps) {
      for (const dir of [1, -1]) {
        const old = p.get();
        const next = Math.min(p.max, Math.max(p.min, old * Math.exp(dir * step)));
        if (next === old) continue;
        p.set(next);
        const l = robustLoss(cs);
        if (l < best - 1e-6) {
          best = l;
          improved = true;
          break;
        }
        p.set(old);
      }
    }
    if (!improved) step /= 2;
  }
  return best;
}

describe('fitCalibration', () => {
  afterEach(() => params.forEach((p, i) => p.set(shipped[i] ?? p.get())));

  it("changes no estimate outside a parameter's `affects` (the premise of re-estimating only those rows)", () => {
    const before = evaluatePerfCases(cases, []).map((r) => r.predicted);
    for (const p of params) {
      if (p.affects === undefined) continue;
      const old = p.get();
      p.set(old * 1.3 <= p.max ? old * 1.3 : old / 1.3);
      const after = evaluatePerfCases(cases, []);
      p.set(old);
      after.forEach((r, i) => {
        const c = cases.find((x) => x.line === r.line);
        if (c !== undefined && !(p.affects?.(c) ?? true)) expect(r.predicted, `${p.name} moved line ${r.line}`).toBe(before[i]);
      });
    }
  });

  it('takes the same steps as re-estimating every row for every trial (same parameters, same loss)', () => {
    for (const p of params) p.set(p.neutral);
    const reference = referenceFit(cases, params, 2);
    const referenceValues = params.map((p) => p.get());
    for (const p of params) p.set(p.neutral);
    const loss = fitCalibration(cases, params, { sweeps: 2 });
    expect(loss).toBe(reference);
    expect(params.map((p) => p.get())).toEqual(referenceValues);
    // The fit moved something: the comparison is not between two untouched starts.
    expect(referenceValues).not.toEqual(params.map((p) => p.neutral));
  });
});
