/**
 * The perf calibration fit, shared by perfFit.ts (fit on every row, print the values for
 * calibration.ts) and perfCv.ts (fit on some rows, check on the others): a pattern search in log
 * space (patternSearch: per-parameter compass steps halved until under a tolerance, 0.1 %, with a line
 * search along each sweep's net move) on a robust loss (mean of min(|ln(predicted / measured)|, 1)
 * over the rows) plus a tiny ridge toward each parameter's neutral value (FIT_RIDGE · Σ ln(v /
 * neutral)², 1e-5: it decides only what the rows leave flat, e.g. a kernel family whose rows are all
 * clamped), over one GPU generation's kernel efficiencies and step overhead, each engine's
 * multipliers and request overhead and host cost per sampled token, the in-node collective latency,
 * and the GEMMs' exposed share of their weight stream. It writes the calibration objects in place
 * (the engine reads them at every estimate).
 *
 * The loss is rugged (its clamp, the roofline's max, integer batch and wave counts), with many local
 * minima: one search from one start ends in whichever it reaches first (the previous fixed 12-sweep
 * coordinate descent ended 0.176–0.198 from four starts on every row, and moved cv by up to 4 points
 * for a ±5 % nudge of its start). So fitCalibration searches from several fixed starts — the given
 * values, the neutral ones and FIT_EXTRA_STARTS fixed perturbations of them — each to a coarse
 * tolerance, keeps the lowest and polishes it to the fine one. Deterministic: no random numbers.
 *
 * A parameter that only some rows depend on (a GPU generation's efficiencies, an engine's factors)
 * says so (`affects`), and a trial value of it re-estimates only those rows: the loss is the same
 * sum over every row in the same order (the other rows' terms kept from the last accepted values),
 * so the fit takes the same steps as re-estimating every row, about 3.5× faster (perfCv.ts runs
 * 23 fits; a test checks the steps are the same).
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

/**
 * A loss over n coordinates for patternSearch: `evaluate(y, changed)` is the loss at `y`, where only
 * the coordinates in `changed` differ from the last accepted point (so an implementation may
 * re-evaluate only what they touch); `accept()` makes that trial the accepted point.
 */
export interface Objective {
  evaluate(y: readonly number[], changed: readonly number[]): { loss: number; accept: () => void };
  /**
   * A coordinate the loss does not depend on: never searched; it goes to the ridge's centre (the
   * objective's minimum along it; with no ridge it keeps its start). In a cv fold, a GPU generation
   * only the held-out rows run on: neutral, whatever the start.
   */
  inert?: (i: number) => boolean;
}

export interface PatternSearchOptions {
  /** Bounds per coordinate. */
  lo: readonly number[];
  hi: readonly number[];
  /** The ridge's centre per coordinate (the search minimizes loss + ridge · Σ (y − centre)²). */
  centre: readonly number[];
  ridge: number;
  /** First step per coordinate (default 0.3), and the step under which a coordinate is converged (default 1e-3). */
  initialStep?: number;
  tolerance?: number;
  /** The steps a restart begins with after convergence (default 16× the tolerance). */
  restartStep?: number;
  /** Safety cap on sweeps (default 200); the search normally stops on the tolerance long before. */
  maxSweeps?: number;
  log?: (line: string) => void;
}

export interface PatternSearchResult {
  y: number[];
  /** loss + ridge term at y (never above its value at the start). */
  objective: number;
  loss: number;
  sweeps: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Compass search with pattern moves (Hooke–Jeeves), deterministic. Each coordinate has its own step:
 * a sweep tries y_i ± step_i (clamped to the bounds) and takes the better of the two when it lowers
 * the objective, else halves step_i; after each sweep, a line search along the sweep's net move (the
 * pattern move, which follows a valley that runs across the coordinates). It
 * stops when every step is under the tolerance; then it restarts the steps at 16× the tolerance from
 * the point reached (a kink in the robust loss can stop a coordinate move while a larger one still
 * helps), and ends when a restart finds nothing. Only improvements are accepted, so the objective
 * never rises.
 */
export function patternSearch(objective: Objective, y0: readonly number[], opts: PatternSearchOptions): PatternSearchResult {
  const n = y0.length;
  const tol = opts.tolerance ?? 1e-3;
  const clampAt = (i: number, v: number): number => Math.min(opts.hi[i] ?? v, Math.max(opts.lo[i] ?? v, v));
  const ridgeOf = (y: readonly number[]): number => {
    let r = 0;
    for (let i = 0; i < n; i += 1) r += ((y[i] ?? 0) - (opts.centre[i] ?? 0)) ** 2;
    return opts.ridge * r;
  };
  const isInert = (i: number): boolean => objective.inert?.(i) ?? false;
  const y = y0.map((v, i) => clampAt(i, isInert(i) && opts.ridge > 0 ? (opts.centre[i] ?? v) : v));
  const all = y.map((_, i) => i);
  const first = objective.evaluate(y, all);
  first.accept();
  let loss = first.loss;
  let value = loss + ridgeOf(y);
  let evaluations = 1;
  // An improvement must beat rounding: the same sum in the same order is exact, so a tiny margin.
  const better = (v: number): boolean => v < value - 1e-12 * Math.max(1, Math.abs(value));
  const movable = all.filter((i) => !isInert(i));
  const steps = y.map(() => opts.initialStep ?? 0.3);
  let sweeps = 0;
  let restarted = false;
  let improvedSinceRestart = false;
  const maxSweeps = opts.maxSweeps ?? 200;
  for (; sweeps < maxSweeps; sweeps += 1) {
    if (movable.every((i) => (steps[i] ?? 0) < tol)) {
      // Converged at this resolution: restart the steps from here; a convergence with no
      // improvement since the last restart ends the search.
      if (restarted && !improvedSinceRestart) break;
      for (const i of movable) steps[i] = opts.restartStep ?? 16 * tol;
      restarted = true;
      improvedSinceRestart = false;
    }
    const atSweepStart = [...y];
    const valueAtSweepStart = value;
    for (const i of movable) {
      const s = steps[i] ?? 0;
      if (s < tol) continue;
      const old = y[i] ?? 0;
      let bestTrial: { loss: number; accept: () => void; v: number; value: number } | null = null;
      for (const dir of [1, -1]) {
        const v = clampAt(i, old + dir * s);
        if (v === old) continue;
        y[i] = v;
        const t = objective.evaluate(y, [i]);
        evaluations += 1;
        const tv = t.loss + ridgeOf(y);
        if (bestTrial === null || tv < bestTrial.value) bestTrial = { ...t, v, value: tv };
      }
      if (bestTrial !== null && better(bestTrial.value)) {
        y[i] = bestTrial.v;
        bestTrial.accept();
        loss = bestTrial.loss;
        value = bestTrial.value;
      } else {
        y[i] = old;
        steps[i] = s / 2;
      }
    }
    // The pattern move: a line search along this sweep's net move d from the point it reached
    // (y + d, y + 2d, y + 4d, … while the objective falls), which follows a valley that runs across
    // the coordinates (two parameters that trade against each other) instead of crawling along it.
    const changed = movable.filter((i) => y[i] !== atSweepStart[i]);
    if (changed.length > 1) {
      let best: { loss: number; accept: () => void; y: number[]; value: number } | null = null;
      for (let m = 1; m <= 64; m *= 2) {
        const trialY = y.map((v, i) => clampAt(i, v + m * (v - (atSweepStart[i] ?? v))));
        const moved = changed.filter((i) => trialY[i] !== y[i]);
        if (moved.length === 0) break;
        const t = objective.evaluate(trialY, moved);
        evaluations += 1;
        const tv = t.loss + ridgeOf(trialY);
        if (!(tv < (best?.value ?? value) - 1e-12 * Math.max(1, Math.abs(value)))) break;
        best = { ...t, y: trialY, value: tv };
      }
      if (best !== null) {
        best.accept();
        for (let i = 0; i < n; i += 1) y[i] = best.y[i] ?? 0;
        loss = best.loss;
        value = best.value;
      }
    }
    if (restarted && value < valueAtSweepStart) improvedSinceRestart = true;
    opts.log?.(`sweep ${sweeps} loss ${loss.toFixed(5)} objective ${value.toFixed(6)} largest step ${Math.max(0, ...movable.map((i) => steps[i] ?? 0)).toFixed(4)}`);
  }
  const converged = movable.every((i) => (steps[i] ?? 0) < tol);
  return { y, objective: value, loss, sweeps, evaluations, converged };
}

/** The ridge toward each parameter's neutral value, per (ln(value / neutral))², added to the robust loss. */
export const FIT_RIDGE = 1e-5;
/** Fixed perturbed starts tried besides the given and the neutral values (fitStartValues 'perturbed', seeds 1…). */
export const FIT_EXTRA_STARTS = 2;
/** How far (ln) those starts lie from neutral, and the tolerance each start's search stops at before the best is polished. */
const START_SPREAD = 0.3;
const COARSE_TOLERANCE = 0.02;

export interface FitResult {
  /** The robust loss at the fitted values. */
  loss: number;
  /** What the fit minimized: the robust loss plus FIT_RIDGE · Σ ln(value / neutral)². */
  objective: number;
  sweeps: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Fits `params` to `cases` from the parameters' current values (patternSearch in log space on the
 * robust loss plus a small ridge toward the neutral values) and leaves them at the fit.
 */
export function fitCalibration(
  cases: readonly PreparedCase[],
  params: readonly Param[],
  opts: { ridge?: number; tolerance?: number; maxSweeps?: number; extraStarts?: number; log?: (line: string) => void; objective?: 'affected' | 'every-row' } = {},
): FitResult {
  const affected = params.map((p) => cases.flatMap((c, i) => (p.affects === undefined || p.affects(c) ? [i] : [])));
  // Each row's term at the accepted point (a search's first evaluation fills every one).
  const terms: (number | null)[] = cases.map(() => null);
  const setAll = (y: readonly number[]): void => params.forEach((p, i) => p.set(Math.exp(y[i] ?? 0)));
  const everyRow = opts.objective === 'every-row';
  const mark = new Uint8Array(cases.length);
  const objective: Objective = {
    inert: (i) => (affected[i] ?? []).length === 0,
    evaluate(y, changed) {
      setAll(y);
      // The rows any changed parameter affects, in case order (every row: the same sum, re-estimated).
      mark.fill(0);
      for (const pi of changed) for (const ci of affected[pi] ?? []) mark[ci] = 1;
      const trial = [...terms];
      const idx: number[] = [];
      for (let ci = 0; ci < cases.length; ci += 1) {
        if (!everyRow && mark[ci] === 0) continue;
        const c = cases[ci];
        trial[ci] = c === undefined ? null : caseLoss(c);
        idx.push(ci);
      }
      return { loss: meanLoss(trial), accept: () => idx.forEach((ci) => (terms[ci] = trial[ci] ?? null)) };
    },
  };
  const space = {
    lo: params.map((p) => Math.log(p.min)),
    hi: params.map((p) => Math.log(p.max)),
    centre: params.map((p) => Math.log(p.neutral)),
    ridge: opts.ridge ?? FIT_RIDGE,
  };
  const given = params.map((p) => Math.log(p.get()));
  // The given start, the neutral values and FIT_EXTRA_STARTS fixed perturbations of them.
  const extra = opts.extraStarts ?? FIT_EXTRA_STARTS;
  const startPoints: number[][] = [given];
  const neutralY = params.map((p) => Math.log(p.neutral));
  if (extra > 0 && neutralY.some((v, i) => v !== given[i])) startPoints.push(neutralY);
  for (let k = 1; k <= extra; k += 1) startPoints.push(fitStartValues(params, 'perturbed', [], START_SPREAD, k).map((v) => Math.log(v)));
  const coarse = COARSE_TOLERANCE;
  let best: PatternSearchResult | null = null;
  let sweeps = 0;
  let evaluations = 0;
  for (const y0 of startPoints) {
    const r = patternSearch(objective, y0, { ...space, tolerance: startPoints.length > 1 ? coarse : (opts.tolerance ?? 1e-3), maxSweeps: opts.maxSweeps, log: opts.log });
    sweeps += r.sweeps;
    evaluations += r.evaluations;
    opts.log?.(`start ${startPoints.indexOf(y0)}: objective ${r.objective.toFixed(5)}`);
    if (best === null || r.objective < best.objective) best = r;
  }
  let r = best as PatternSearchResult;
  if (startPoints.length > 1) {
    const polished = patternSearch(objective, r.y, { ...space, tolerance: opts.tolerance, initialStep: 4 * coarse, maxSweeps: opts.maxSweeps, log: opts.log });
    sweeps += polished.sweeps;
    evaluations += polished.evaluations;
    r = polished;
  }
  r = { ...r, sweeps, evaluations };
  setAll(r.y);
  return { loss: r.loss, objective: r.objective, sweeps: r.sweeps, evaluations: r.evaluations, converged: r.converged };
}

/** Where a fit starts: each parameter's neutral value, the shipped (calibration.ts) value, or the neutral values perturbed. */
export type FitStart = 'neutral' | 'shipped' | 'perturbed';

/**
 * The start values of `kind`. 'perturbed' moves each neutral value by a fixed ±`amount` in log space
 * (the sign and size from the parameter's index, so the same every run), clamped to its bounds: a start
 * the fit must forget to be trusted.
 */
export function fitStartValues(params: readonly Param[], kind: FitStart, shipped: readonly number[], amount = 0.2, seed = 11): number[] {
  return params.map((p, i) => {
    if (kind === 'shipped') return shipped[i] ?? p.neutral;
    if (kind === 'neutral') return p.neutral;
    // A fixed pseudo-random factor in [-1, 1] per index (an integer hash; no Math.random).
    const h = (Math.imul(i + 1, 2654435761) ^ Math.imul(seed, 40503)) >>> 0;
    const u = ((h % 2001) - 1000) / 1000;
    return Math.min(p.max, Math.max(p.min, p.neutral * Math.exp(amount * (u >= 0 ? 0.5 + u / 2 : -0.5 + u / 2))));
  });
}
