/**
 * The perf calibration fit, shared by perfFit.ts (fit on every row, print the values for
 * calibration.ts) and perfCv.ts (fit on some rows, check on the others): coordinate descent in log
 * space on a robust loss (mean of min(|ln(predicted / measured)|, 1) over the rows), over one GPU
 * generation's kernel efficiencies and step overhead, each engine's multipliers and request
 * overhead and host cost per sampled token, the in-node collective latency, and the GEMMs' exposed
 * share of their weight stream. It writes the calibration objects in place (the
 * engine reads them at every estimate).
 *
 * A parameter that only some rows depend on (a GPU generation's efficiencies, an engine's factors)
 * says so (`affects`), and a trial value of it re-estimates only those rows: the loss is the same
 * sum over every row in the same order (the other rows' terms kept from the last accepted values),
 * so the fit takes the same steps as re-estimating every row, about 3.5× faster (perfCv.ts runs
 * 17 fits).
 */
import {
  ENGINE_EFFICIENCY,
  GEMM_EFFICIENCY,
  GEMM_KERNEL_EFFICIENCY,
  GENERATION_EFFICIENCY,
  GROUPED_GEMM,
  INTRA_NODE_COLLECTIVE,
  TRITON_FRONTEND,
} from '../../src/engine/calibration';
import { customAllReduceRuns } from '../../src/engine/perf/comm';
import { gemmKernelOf } from '../../src/engine/perf/gemmKernel';
import { GEMM_KERNELS } from '../../src/engine/types';
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
  /** The cases whose estimate the parameter can change; absent = every case. */
  affects?: (c: PreparedCase) => boolean;
}

/** Every fitted parameter, with its physical bounds. */
export function calibrationParams(gens: readonly GpuGeneration[]): Param[] {
  const params: Param[] = [
    {
      name: 'GEMM_EFFICIENCY.weightStreamExposedFraction',
      get: () => GEMM_EFFICIENCY.weightStreamExposedFraction,
      set: (v) => (GEMM_EFFICIENCY.weightStreamExposedFraction = v),
      min: 0.02,
      max: 0.95,
      neutral: 0.5,
    },
  ];
  for (const g of gens) {
    const e = GENERATION_EFFICIENCY[g];
    const affects = (c: PreparedCase): boolean => c.base.gpu.generation === g;
    params.push({ name: `${g}.computeFraction`, get: () => e.computeFraction, set: (v) => (e.computeFraction = v), min: 0.1, max: 0.8, neutral: 0.5, affects });
    params.push({ name: `${g}.attentionFraction`, get: () => e.attentionFraction, set: (v) => (e.attentionFraction = v), min: 0.15, max: 0.75, neutral: 0.4, affects });
    params.push({ name: `${g}.bandwidthFraction`, get: () => e.bandwidthFraction, set: (v) => (e.bandwidthFraction = v), min: 0.45, max: 0.92, neutral: 0.7, affects });
    // A CUDA-graph decode step's fixed host cost: ≤ 4 ms (GPUStack Qwen3-8B H100 batch-1 ITL 7.3 ms
    // for a 4.9 ms weight read). Up to 15 ms the fit used it for batch-proportional host work (Ampere
    // 13.9 ms, issue 11); that is EngineEfficiency.hostMsPerSampledToken now.
    params.push({ name: `${g}.stepOverheadMs`, get: () => e.stepOverheadMs, set: (v) => (e.stepOverheadMs = v), min: 0.3, max: 4, neutral: 1, affects });
  }
  for (const eng of ['sglang', 'trtllm'] as ServingEngine[]) {
    const e = ENGINE_EFFICIENCY[eng];
    const affects = (c: PreparedCase): boolean => c.base.engine === eng;
    params.push({ name: `${eng}.kernelMultiplier`, get: () => e.kernelMultiplier, set: (v) => (e.kernelMultiplier = v), min: 0.8, max: 1.5, neutral: 1, affects });
    // ≤ 1.5: neither engine's step loop is much slower than vLLM's (calibration.ts ENGINE_EFFICIENCY).
    params.push({ name: `${eng}.stepOverheadMultiplier`, get: () => e.stepOverheadMultiplier, set: (v) => (e.stepOverheadMultiplier = v), min: 0.3, max: 1.5, neutral: 1, affects });
  }
  // Host time per sampled token per step, per engine (calibration.ts EngineEfficiency.hostMsPerSampledToken).
  for (const eng of ['vllm', 'sglang', 'trtllm'] as ServingEngine[]) {
    const e = ENGINE_EFFICIENCY[eng];
    const affects = (c: PreparedCase): boolean => c.base.engine === eng;
    params.push({ name: `${eng}.hostMsPerSampledToken`, get: () => e.hostMsPerSampledToken, set: (v) => (e.hostMsPerSampledToken = v), min: 0.0005, max: 0.03, neutral: 0.005, affects });
  }
  for (const eng of ['vllm', 'sglang', 'trtllm'] as ServingEngine[]) {
    const e = ENGINE_EFFICIENCY[eng];
    const affects = (c: PreparedCase): boolean => c.base.engine === eng && c.base.frontend === 'openai';
    params.push({ name: `${eng}.requestOverheadMs`, get: () => e.requestOverheadMs, set: (v) => (e.requestOverheadMs = v), min: 1, max: 200, neutral: 20, affects });
  }
  // Each quantized GEMM kernel family's efficiency relative to bf16 (rows whose quantized layers run it).
  for (const k of GEMM_KERNELS) {
    const affects = (c: PreparedCase): boolean =>
      c.cost.hasQuantizedGemms && gemmKernelOf(c.cost.quantizedComputeDtype, c.cost.quantizedScaleGroupElements, c.base.gpu) === k;
    params.push({ name: `GEMM_KERNEL_EFFICIENCY.${k}`, get: () => GEMM_KERNEL_EFFICIENCY[k], set: (v) => (GEMM_KERNEL_EFFICIENCY[k] = v), min: 0.4, max: 1, neutral: 0.7, affects });
  }
  // In-node collective latency (calibration.ts INTRA_NODE_COLLECTIVE): rows with collectives.
  params.push({
    name: 'INTRA_NODE_COLLECTIVE.baseLatencyMs',
    get: () => INTRA_NODE_COLLECTIVE.baseLatencyMs,
    set: (v) => (INTRA_NODE_COLLECTIVE.baseLatencyMs = v),
    min: 0.005,
    max: 0.05,
    neutral: 0.015,
    affects: (c) => c.cost.allReducesPerStep > 0 || c.cost.allToAllsPerStep > 0 || c.cost.pp > 1,
  });
  // The custom all-reduce kernels' barrier (calibration.ts INTRA_NODE_COLLECTIVE.customStageLatencyMs):
  // rows whose TP group runs them (perf/comm.ts customAllReduceRuns).
  params.push({
    name: 'INTRA_NODE_COLLECTIVE.customStageLatencyMs',
    get: () => INTRA_NODE_COLLECTIVE.customStageLatencyMs,
    set: (v) => (INTRA_NODE_COLLECTIVE.customStageLatencyMs = v),
    min: 0.003,
    max: 0.03,
    neutral: 0.01,
    affects: (c) => c.cost.allReducesPerStep > 0 && customAllReduceRuns(c.base.gpu, c.cost.tp, { disableCustomAllReduce: c.base.serving.disableCustomAllReduce }),
  });
  // The routed experts' grouped GEMM relative to dense GEMMs (calibration.ts GROUPED_GEMM): MoE rows.
  params.push({
    name: 'GROUPED_GEMM.efficiency',
    get: () => GROUPED_GEMM.efficiency,
    set: (v) => (GROUPED_GEMM.efficiency = v),
    min: 0.3,
    max: 1,
    neutral: 0.7,
    affects: (c) => c.cost.moe.length > 0,
  });
  // Triton's C++ front end (calibration.ts TRITON_FRONTEND): neutral at the middle of its bounds.
  params.push({
    name: 'TRITON_FRONTEND.requestOverheadMs',
    get: () => TRITON_FRONTEND.requestOverheadMs,
    set: (v) => (TRITON_FRONTEND.requestOverheadMs = v),
    min: 0.5,
    max: 10,
    neutral: 3,
    affects: (c) => c.base.frontend === 'triton',
  });
  return params;
}

/** One row's term of the robust loss; null when the case yields no row (metric not modelled). */
function caseLoss(c: PreparedCase): number | null {
  const r = evaluatePerfCases([c], [])[0];
  return r === undefined ? null : Math.min(Math.abs(Math.log(Math.max(r.predicted, 1e-9) / r.measured)), 1);
}

/** Mean of the terms, summed in case order (as robustLoss sums them). */
function meanLoss(terms: readonly (number | null)[]): number {
  let total = 0;
  let n = 0;
  for (const t of terms) {
    if (t === null) continue;
    total += t;
    n += 1;
  }
  return n > 0 ? total / n : 0;
}

export function robustLoss(cases: readonly PreparedCase[]): number {
  return meanLoss(cases.map(caseLoss));
}

/** Coordinate descent from the parameters' current values; returns the final loss. */
export function fitCalibration(
  cases: readonly PreparedCase[],
  params: readonly Param[],
  opts: { sweeps?: number; log?: (line: string) => void } = {},
): number {
  const terms = cases.map(caseLoss);
  const affected = params.map((p) => cases.flatMap((c, i) => (p.affects === undefined || p.affects(c) ? [i] : [])));
  let best = meanLoss(terms);
  opts.log?.(`start loss ${best.toFixed(4)}`);
  let step = 0.3;
  for (let sweep = 0; sweep < (opts.sweeps ?? 12) && step > 0.01; sweep += 1) {
    let improved = false;
    params.forEach((p, pi) => {
      // A parameter no case depends on cannot lower the loss (a GPU generation held out).
      const idx = affected[pi] ?? [];
      if (idx.length === 0) return;
      for (const dir of [1, -1]) {
        const old = p.get();
        const next = Math.min(p.max, Math.max(p.min, old * Math.exp(dir * step)));
        if (next === old) continue;
        p.set(next);
        const trial = [...terms];
        for (const i of idx) {
          const c = cases[i];
          trial[i] = c === undefined ? null : caseLoss(c);
        }
        const l = meanLoss(trial);
        if (l < best - 1e-6) {
          best = l;
          for (const i of idx) terms[i] = trial[i] ?? null;
          improved = true;
          break;
        }
        p.set(old);
      }
    });
    opts.log?.(`sweep ${sweep} step ${step.toFixed(3)} loss ${best.toFixed(4)}`);
    if (!improved) step /= 2;
  }
  return best;
}
