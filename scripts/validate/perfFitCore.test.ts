import { afterEach, describe, expect, it } from 'vitest';
import { evaluatePerfCases, preparePerfCases } from './perf';
import type { Objective } from './perfFitCore';
import { calibrationParams, fitCalibration, fitStartValues, patternSearch, robustLoss } from './perfFitCore';

// A spread of the calibration rows (every GPU generation and engine appears), small enough to fit in seconds.
const all = preparePerfCases().cases;
const cases = all.filter((_, i) => i % 25 === 0);
const params = calibrationParams([...new Set(all.map((c) => c.base.gpu.generation))]);
const shipped = params.map((p) => p.get());

/** A synthetic loss over y as an Objective that re-evaluates everything (no `affects` trick). */
function objectiveOf(f: (y: readonly number[]) => number): Objective & { calls: number } {
  const o = {
    calls: 0,
    evaluate(y: readonly number[]) {
      o.calls += 1;
      return { loss: f(y), accept: () => undefined };
    },
  };
  return o;
}

const box = (n: number, lo = -5, hi = 5) => ({ lo: Array<number>(n).fill(lo), hi: Array<number>(n).fill(hi), centre: Array<number>(n).fill(0), ridge: 0 });

// Non-smooth, with a valley across the coordinates: the robust loss's kinks (|·|) and two parameters
// that trade against each other. (A kink across the coordinates much steeper than along them, weight
// ≥ 3 here, stalls a coordinate search: the fit is as good as its pattern moves there.)
const kinkedValley = (y: readonly number[]): number => {
  const [a = 0, b = 0, c = 0] = y;
  return Math.abs(a - 1) + Math.abs(b + 0.5) + 2 * Math.abs(a + b - 0.5) + 0.3 * (c - 2) ** 2;
};
// A smooth, badly conditioned valley along a + b = 1 (minimum at a = 0.7, b = 0.3).
const narrowValley = (y: readonly number[]): number => {
  const [a = 0, b = 0] = y;
  return 200 * (a + b - 1) ** 2 + (a - b - 0.4) ** 2;
};

describe('patternSearch', () => {
  const starts = [
    [0, 0, 0],
    [-4, 4, -3],
    [3.5, -2, 4.9],
    [1, -0.5, 2],
  ];

  it('converges to a known minimum from several starts, within the tolerance', () => {
    for (const y0 of starts) {
      const r = patternSearch(objectiveOf(kinkedValley), y0, { ...box(3), tolerance: 1e-4 });
      expect(r.converged).toBe(true);
      expect(r.y[0]).toBeCloseTo(1, 3);
      expect(r.y[1]).toBeCloseTo(-0.5, 3);
      expect(r.y[2]).toBeCloseTo(2, 2);
      const s = patternSearch(objectiveOf(narrowValley), y0.slice(0, 2), { ...box(2), tolerance: 1e-4 });
      expect(s.y[0]).toBeCloseTo(0.7, 2);
      expect(s.y[1]).toBeCloseTo(0.3, 2);
    }
  });

  it('stops at a bound when the minimum lies outside; an inert coordinate goes to the ridge centre (keeps its start with no ridge)', () => {
    const o = { ...objectiveOf((y) => ((y[0] ?? 0) - 9) ** 2), inert: (i: number) => i === 1 };
    expect(patternSearch(o, [0, 1.25], { ...box(2), tolerance: 1e-4 }).y).toEqual([5, 1.25]);
    expect(patternSearch(o, [0, 1.25], { ...box(2), centre: [0, -0.7], ridge: 1e-5, tolerance: 1e-4 }).y).toEqual([5, -0.7]);
  });

  it('takes a coordinate the loss does not see to the ridge centre', () => {
    const r = patternSearch(objectiveOf((y) => ((y[0] ?? 0) - 1) ** 2), [0, 2.3], { ...box(2), centre: [0, -0.4], ridge: 1e-4, tolerance: 1e-4 });
    expect(r.y[1]).toBeCloseTo(-0.4, 3);
    expect(r.y[0]).toBeCloseTo(1, 3);
  });

  it('never returns an objective above its start (a start at the minimum stays there)', () => {
    for (const y0 of [...starts, [1, -0.5, 2]]) {
      const r = patternSearch(objectiveOf(kinkedValley), y0, { ...box(3), tolerance: 1e-3 });
      expect(r.objective).toBeLessThanOrEqual(kinkedValley(y0));
    }
    expect(patternSearch(objectiveOf(kinkedValley), [1, -0.5, 2], box(3)).y).toEqual([1, -0.5, 2]);
  });

  it('is deterministic', () => {
    const a = patternSearch(objectiveOf(kinkedValley), [-4, 4, -3], box(3));
    const b = patternSearch(objectiveOf(kinkedValley), [-4, 4, -3], box(3));
    expect(b).toEqual(a);
  });
});

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

  it('takes the same steps as re-estimating every row for every trial (same parameters, same loss), and never rises', () => {
    const opts = { tolerance: 0.02, maxSweeps: 6, extraStarts: 1 };
    for (const p of params) p.set(p.neutral);
    const startLoss = robustLoss(cases);
    const reference = fitCalibration(cases, params, { ...opts, objective: 'every-row' });
    const referenceValues = params.map((p) => p.get());
    for (const p of params) p.set(p.neutral);
    const fit = fitCalibration(cases, params, opts);
    expect(fit).toEqual(reference);
    expect(params.map((p) => p.get())).toEqual(referenceValues);
    // The fit moved something and lowered the loss; the reported loss is the loss at the values it left.
    expect(referenceValues).not.toEqual(params.map((p) => p.neutral));
    expect(fit.objective).toBeLessThan(startLoss);
    expect(robustLoss(cases)).toBe(fit.loss);
  });

  it("sets a GPU generation no training row runs on to its neutral values, whatever the start (a cv fold must not keep shipped values)", () => {
    // The generation with the fewest of these rows, held out.
    const counts = new Map<string, number>();
    for (const c of cases) counts.set(c.base.gpu.generation, (counts.get(c.base.gpu.generation) ?? 0) + 1);
    const gen = [...counts].sort((a, b) => a[1] - b[1])[0]?.[0] ?? '';
    const train = cases.filter((c) => c.base.gpu.generation !== gen);
    expect(train.length).toBeLessThan(cases.length);
    fitCalibration(train, params, { tolerance: 0.05, maxSweeps: 2, extraStarts: 0 });
    const unseen = params.filter((p) => p.name.startsWith(`${gen}.`));
    expect(unseen.length).toBe(4);
    for (const p of unseen) expect(p.get()).toBeCloseTo(p.neutral, 12);
  });

  it('starts where it is told: neutral, shipped, or a fixed perturbation inside the bounds', () => {
    expect(fitStartValues(params, 'neutral', shipped)).toEqual(params.map((p) => p.neutral));
    expect(fitStartValues(params, 'shipped', shipped)).toEqual(shipped);
    const p1 = fitStartValues(params, 'perturbed', shipped, 0.2, 1);
    expect(fitStartValues(params, 'perturbed', shipped, 0.2, 1)).toEqual(p1);
    expect(fitStartValues(params, 'perturbed', shipped, 0.2, 2)).not.toEqual(p1);
    p1.forEach((v, i) => {
      const p = params[i];
      if (p === undefined) return;
      expect(v).toBeGreaterThanOrEqual(p.min);
      expect(v).toBeLessThanOrEqual(p.max);
      expect(Math.abs(Math.log(v / p.neutral))).toBeLessThanOrEqual(0.2 + 1e-12);
    });
    expect(p1.filter((v, i) => v !== params[i]?.neutral).length).toBeGreaterThan(params.length / 2);
  });
});
