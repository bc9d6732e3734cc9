/**
 * The perf calibration fit, shared by perfFit.ts (fit on every row, print the values for
 * calibration.ts) and perfCv.ts (fit on some rows, check on the others): coordinate descent in log
 * space on a robust loss (mean of min(|ln(predicted / measured)|, 1) over the rows), over one GPU
 * generation's kernel efficiencies and step overhead, each engine's multipliers and request
 * overhead, and the GEMM half-efficiency rows. It writes the calibration objects in place (the
 * engine reads them at every estimate).
 */
import { ENGINE_EFFICIENCY, GEMM_EFFICIENCY, GENERATION_EFFICIENCY } from '../../src/engine/calibration';
import type { GpuGeneration, ServingEngine } from '../../src/engine/types';
import type { PreparedCase } from './perf';
import { evaluatePerfCases } from './perf';

export interface Param {
  name: string;
  get: () => number;
  set: (v: number) => void;
  min: number;
  max: number;
  /** Where a fit from scratch starts (perfCv.ts): mid-range, not the shipped value. */
  neutral: number;
}

/** Every fitted parameter, with its physical bounds. */
export function calibrationParams(gens: readonly GpuGeneration[]): Param[] {
  const params: Param[] = [
    {
      name: 'GEMM_EFFICIENCY.halfEfficiencyTokens',
      get: () => GEMM_EFFICIENCY.halfEfficiencyTokens,
      set: (v) => (GEMM_EFFICIENCY.halfEfficiencyTokens = v),
      min: 4,
      max: 4096,
      neutral: 128,
    },
  ];
  for (const g of gens) {
    const e = GENERATION_EFFICIENCY[g];
    params.push({ name: `${g}.computeFraction`, get: () => e.computeFraction, set: (v) => (e.computeFraction = v), min: 0.1, max: 0.8, neutral: 0.5 });
    params.push({ name: `${g}.attentionFraction`, get: () => e.attentionFraction, set: (v) => (e.attentionFraction = v), min: 0.15, max: 0.75, neutral: 0.4 });
    params.push({ name: `${g}.bandwidthFraction`, get: () => e.bandwidthFraction, set: (v) => (e.bandwidthFraction = v), min: 0.45, max: 0.92, neutral: 0.7 });
    params.push({ name: `${g}.stepOverheadMs`, get: () => e.stepOverheadMs, set: (v) => (e.stepOverheadMs = v), min: 0.3, max: 15, neutral: 1 });
  }
  for (const eng of ['sglang', 'trtllm'] as ServingEngine[]) {
    const e = ENGINE_EFFICIENCY[eng];
    params.push({ name: `${eng}.kernelMultiplier`, get: () => e.kernelMultiplier, set: (v) => (e.kernelMultiplier = v), min: 0.8, max: 1.5, neutral: 1 });
    params.push({ name: `${eng}.stepOverheadMultiplier`, get: () => e.stepOverheadMultiplier, set: (v) => (e.stepOverheadMultiplier = v), min: 0.3, max: 3, neutral: 1 });
  }
  for (const eng of ['vllm', 'sglang', 'trtllm'] as ServingEngine[]) {
    const e = ENGINE_EFFICIENCY[eng];
    params.push({ name: `${eng}.requestOverheadMs`, get: () => e.requestOverheadMs, set: (v) => (e.requestOverheadMs = v), min: 1, max: 200, neutral: 20 });
  }
  return params;
}

export function robustLoss(cases: readonly PreparedCase[]): number {
  const rows = evaluatePerfCases(cases, []);
  let total = 0;
  for (const r of rows) total += Math.min(Math.abs(Math.log(Math.max(r.predicted, 1e-9) / r.measured)), 1);
  return rows.length > 0 ? total / rows.length : 0;
}

/** Coordinate descent from the parameters' current values; returns the final loss. */
export function fitCalibration(
  cases: readonly PreparedCase[],
  params: readonly Param[],
  opts: { sweeps?: number; log?: (line: string) => void } = {},
): number {
  let best = robustLoss(cases);
  opts.log?.(`start loss ${best.toFixed(4)}`);
  let step = 0.3;
  for (let sweep = 0; sweep < (opts.sweeps ?? 12) && step > 0.01; sweep += 1) {
    let improved = false;
    for (const p of params) {
      for (const dir of [1, -1]) {
        const old = p.get();
        const next = Math.min(p.max, Math.max(p.min, old * Math.exp(dir * step)));
        if (next === old) continue;
        p.set(next);
        const l = robustLoss(cases);
        if (l < best - 1e-6) {
          best = l;
          improved = true;
          break;
        }
        p.set(old);
      }
    }
    opts.log?.(`sweep ${sweep} step ${step.toFixed(3)} loss ${best.toFixed(4)}`);
    if (!improved) step /= 2;
  }
  return best;
}
