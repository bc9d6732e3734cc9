/**
 * Serving dynamics of one replica as vLLM's V1 scheduler runs it: continuous batching with chunked
 * prefill (decodes first, then prompt chunks up to max_num_batched_tokens per step), at most
 * max_num_seqs running and as many as the KV pool holds; the rest wait.
 *
 * Steady state of a closed loop with B running requests (flow balance, all closed-form):
 *   a request's cycle = TTFT + (osl − 1) steps;  λ = B / cycle  (requests/s);
 *   decodes per step d = λ·(osl − 1)·τ;  prompt tokens per step p = λ·isl·τ;  d + p ≤ budget;
 *   τ = step(d, p)  (the mean step: prefill chunks share steps with decodes, so the mean ITL
 *   includes them).  Solved to a relative tolerance in one variable (steadyState below).
 * A finite 'max' run (every request at t = 0) adds queueing: request i gets its first token at
 *   max((i + 1)·isl / prefill rate, (i − B + 1)/λ + TTFT), averaged in closed form.
 */
import type { StepContext, StepTime } from './step';
import { newStepTime, pipelineStepTime, ppShare, stepTime } from './step';
import type { StepBatch } from './stepBatch';
import { decodeContextTokens } from './flops';
import type { SpeculativeModel, SpeculativeStepScratch } from './speculative';
import { newSpeculativeStepScratch, speculativeStepTime, verifyTokensPerDecode } from './speculative';
import { suffixPrefillContextTokens } from './prefixCache';
import { burstWave, lockstepWavesItlMs } from './burstWave';

/** Prompt tokens a request's prefill computes: the prompt less its prefix-cache hit (prefixCache.ts). */
const computedPromptTokens = (w: ReplicaLimits): number => Math.max(0, w.inputTokens - (w.cachedPrefixTokens ?? 0));

/** One replica's fixed terms: the step model, this workload's mean lengths and the scheduler's limits. */
export interface ReplicaLimits {
  ctx: StepContext;
  inputTokens: number;
  outputTokens: number;
  /**
   * Prompt tokens per request found in the prefix cache (prefixCache.ts): the prefill computes only
   * the other inputTokens − cachedPrefixTokens. Absent = 0.
   */
  cachedPrefixTokens?: number;
  /**
   * Per window of ctx.windowsTokens: a decoding request's mean clipped context, min(isl + osl/2, w)
   * (halfway through its answer). APPROXIMATION: the mean of the clipped context is taken as the
   * clipped mean context, exact for full attention and for windows shorter than isl.
   */
  meanDecodeContextTokens: Float64Array;
  /**
   * Per window: a computed prompt token's mean causal context, Σ_{c=h+1..isl} min(c, w) / (isl − h)
   * with h = cachedPrefixTokens (flops.ts; prefixCache.ts suffixPrefillContextTokens).
   */
  meanPrefillContextTokens: Float64Array;
  /** Running requests allowed: min(max_num_seqs, what the KV pool holds at isl + osl). */
  maxRunning: number;
  maxNumBatchedTokens: number;
  /** True when the KV pool (not max_num_seqs) sets maxRunning. */
  kvLimited: boolean;
  /** Client/server time per request outside the engine steps (HTTP, tokenization, detokenization), ms. */
  requestOverheadMs: number;
  /**
   * Speculative decoding (speculative.ts); absent = one token per decode step. With it a decode
   * step is a verify step (k + 1 query tokens per decode) plus k draft steps and emits E tokens per
   * request; the simulator prices its steps the same way (sim/stepModel.ts) and draws each verify's tokens.
   */
  spec?: SpeculativeModel;
  /**
   * False: a step that admits prompts runs only prompts and the decodes wait (SGLang's scheduler;
   * sim/policy.ts prefillWithDecodes, the simulator's rule). Absent = true (vLLM V1, TensorRT-LLM).
   * Read by the burst's mean ITL (burstWave.ts lockstepWavesItlMs).
   */
  prefillWithDecodes?: boolean;
}

/** Decode steps per output token: 1 / E with speculative decoding, else 1. */
const decodeStepsPerToken = (w: ReplicaLimits): number => (w.spec === undefined ? 1 : 1 / Math.max(1, w.spec.expectedTokensPerStep));
/** Query tokens a decoding request puts in a step: k + 1 with speculative decoding (the verify; a tree's num_draft_tokens), else 1. */
const queryTokensPerDecode = (w: ReplicaLimits): number => (w.spec === undefined ? 1 : verifyTokensPerDecode(w.spec));

/** ReplicaLimits' per-window mean contexts for prompts of `inputTokens` and answers of `outputTokens`. */
export function meanContextTokens(
  ctx: StepContext,
  inputTokens: number,
  outputTokens: number,
  cachedPrefixTokens = 0,
): Pick<ReplicaLimits, 'meanDecodeContextTokens' | 'meanPrefillContextTokens'> {
  const n = ctx.windowsTokens.length;
  const decode = new Float64Array(n);
  const prefill = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const w = ctx.windowsTokens[i] ?? Infinity;
    decode[i] = decodeContextTokens(inputTokens + outputTokens / 2, w);
    prefill[i] = suffixPrefillContextTokens(inputTokens, cachedPrefixTokens, w);
  }
  return { meanDecodeContextTokens: decode, meanPrefillContextTokens: prefill };
}

/** How the client loads the replica: requests kept in flight, or a finite all-at-once run. */
export type ReplicaLoadKind = 'closed-loop' | 'burst';

export interface ReplicaPerf {
  runningRequests: number;
  ttftMs: number;
  itlMs: number;
  e2eMs: number;
  requestsPerS: number;
  prefillMs: number;
  queueMs: number;
  decodeStep: StepTime;
  /** Running requests were capped by the KV pool below what the client offered. */
  kvBound: boolean;
  /** Requests admitted per step in the steady state (λτ): a sweep's next point starts its solve from it. */
  admittedPerStep: number;
}

/**
 * The batches meanStepBatch fills, one per window count: allocating two Float64Arrays per step
 * tripled a recommendation's time (~40,000 steps; measured with npm run bench), and stepTime reads
 * its batch and keeps nothing, so one batch per window count is reused.
 */
const scratchBatches: StepBatch[] = [];

function scratchBatch(windows: number): StepBatch {
  let b = scratchBatches[windows];
  if (b === undefined) {
    // Non-integer initial counts: the fields hold fractional numbers (V8 keeps them as doubles).
    b = { decodeRequests: 0.5, decodeContextTokens: new Float64Array(windows), prefillTokens: 0.5, prefillContextTokens: new Float64Array(windows), finishingPrefills: 0.5 };
    scratchBatches[windows] = b;
  }
  return b;
}

/**
 * The closed form's mean step as a StepBatch: `decodes` requests at the mean decode context and
 * `prefillTokens` prompt tokens at the mean prompt context, of which prefillTokens / isl prompts
 * finish (sample their first token) per step on average. Counts may be fractional. The batch is
 * a reused scratch object, valid until the next call: read it (stepTime) before building another.
 */
export function meanStepBatch(w: ReplicaLimits, decodes: number, prefillTokens: number): StepBatch {
  const n = w.ctx.windowsTokens.length;
  const b = scratchBatch(n);
  for (let i = 0; i < n; i += 1) {
    b.decodeContextTokens[i] = decodes * (w.meanDecodeContextTokens[i] ?? 0);
    b.prefillContextTokens[i] = prefillTokens * (w.meanPrefillContextTokens[i] ?? 0);
  }
  const isl = computedPromptTokens(w);
  b.decodeRequests = decodes;
  b.prefillTokens = prefillTokens;
  b.finishingPrefills = isl > 0 ? prefillTokens / isl : 0;
  return b;
}

const scratchStage: StepTime = newStepTime();
/** speculativeStepTime's batches, one per window count (as scratchBatches). */
const scratchSpec: SpeculativeStepScratch[] = [];

/**
 * One stage's mean step. With speculative decoding: the verify step plus k draft steps, priced by
 * speculative.ts speculativeStepTime (the simulator prices its steps with it too).
 */
function stageStepTime(w: ReplicaLimits, decodes: number, prefillTokens: number, out: StepTime): StepTime {
  const spec = w.spec;
  if (spec === undefined || decodes <= 0 || spec.tokens <= 0) return stepTime(w.ctx, meanStepBatch(w, decodes, prefillTokens), out);
  const n = w.ctx.windowsTokens.length;
  const scratch = (scratchSpec[n] ??= newSpeculativeStepScratch(n));
  return speculativeStepTime(w.ctx, spec, meanStepBatch(w, decodes, prefillTokens), out, scratch);
}

/**
 * Time for one token to cross all pipeline stages at the mean batch: a stage's step on a 1/pp
 * micro-batch (step.ts pipelineStepTime). Written into `out` when given (see stepTime).
 */
export function meanStepTime(w: ReplicaLimits, decodes: number, prefillTokens: number, out: StepTime = newStepTime()): StepTime {
  const pp = w.ctx.cost.pp;
  if (pp <= 1) return stageStepTime(w, decodes, prefillTokens, out);
  const stage = stageStepTime(w, ppShare(decodes, pp), ppShare(prefillTokens, pp), scratchStage);
  return pipelineStepTime(w.ctx, stage, decodes * queryTokensPerDecode(w) + prefillTokens, out);
}

/**
 * Convergence of the steady-state solve: stop when one more fixed-point pass would move the
 * admissions per step by less than this fraction. 1e-7 is far below what the model resolves (±15 %)
 * and keeps latencies monotone in concurrency to ~1e-7 (the invariant tests allow 1e-6); 1e-9 cost
 * 14 % more passes for nothing a user can see.
 */
export const STEADY_STATE_REL_TOLERANCE = 1e-7;
/** Evaluations after which the solve stops whatever its residual (the bracket is then < 2^-40 wide). */
const STEADY_STATE_MAX_EVALS = 60;
/** Floor of the mean step, ms: keeps λ = B / cycle finite for an empty model (1 ns, far below any real step). */
const MIN_STEP_MS = 1e-6;

/** One pass of the flow balance at a given number of admissions per step. */
interface FlowPoint {
  lambdaPerMs: number;
  /** Requests admitted (starting their prefill) per step: λτ, the solved variable. */
  admittedPerStep: number;
  /** Engine-side time from admission to first token (no client overhead). */
  ttftMs: number;
  /** A lone prompt's own prefill (its chunks' steps). */
  prefillMs: number;
  /** The mean step at this point. */
  meanStep: StepTime;
  /** The admissions per step this pass allows, F(s) = λτ: the solve's next estimate. */
  nextAdmittedPerStep: number;
}

/** A FlowPoint to fill (double-valued fields from the start, see newStepTime). */
const newFlowPoint = (): FlowPoint => ({
  lambdaPerMs: 0.5,
  admittedPerStep: 0.5,
  ttftMs: 0.5,
  prefillMs: 0.5,
  meanStep: newStepTime(),
  nextAdmittedPerStep: 0.5,
});

/** The solve's passes and its chunk step, reused (the solve runs ~20,000 passes per recommendation; see stepTime on GC). */
const scratchPoint: FlowPoint = newFlowPoint();
const scratchChunk: StepTime = newStepTime();

/**
 * One pass of the flow balance at `s` requests admitted per step: the step time and prefill it
 * implies, and the admissions per step they allow (nextAdmittedPerStep = λτ). Written into `out`.
 */
function flowPass(w: ReplicaLimits, running: number, s: number, out: FlowPoint): FlowPoint {
  const isl = computedPromptTokens(w);
  const osl = Math.max(1, w.outputTokens);
  const budget = Math.max(1, w.maxNumBatchedTokens);
  // Decode steps a request needs after its first token: osl − 1, or (osl − 1) / E with speculation.
  const decodeSteps = (osl - 1) * decodeStepsPerToken(w);
  const d = s * decodeSteps;
  const p = s * isl;
  const tau = Math.max(meanStepTime(w, d, p, out.meanStep).totalMs, MIN_STEP_MS);
  // Own prefill: chunks of what the budget leaves after the decodes, each a step that also runs them.
  const chunk = Math.max(1, budget - d * queryTokensPerDecode(w));
  const chunks = isl > 0 ? Math.ceil(isl / chunk) : 1;
  const prefillMs = chunks * meanStepTime(w, d, Math.min(isl, chunk), scratchChunk).totalMs;
  // Joining: on average half a step passes before the next schedule.
  const ownTtft = 0.5 * tau + prefillMs;
  let lambda = running / (ownTtft + decodeSteps * tau);
  // Budget: decodes + prompt tokens per step cannot exceed max_num_batched_tokens; beyond it the
  // prompts queue for budget and λ is set by the prefill rate.
  const tokensPerRequest = isl + decodeSteps * queryTokensPerDecode(w);
  if (lambda * tau * tokensPerRequest > budget) lambda = budget / (tau * tokensPerRequest);
  out.lambdaPerMs = lambda;
  out.admittedPerStep = s;
  out.ttftMs = Math.max(ownTtft, running / lambda - decodeSteps * tau);
  out.prefillMs = prefillMs;
  out.nextAdmittedPerStep = lambda * tau;
  return out;
}

/**
 * Closed loop with `running` requests admitted (≤ maxRunning): the fixed point s = F(s) of the
 * flow balance above, in s = λτ (requests admitted per step; decodes per step = s(osl − 1), prompt
 * tokens per step = s·isl).
 *
 * F(0) ≥ 0 and F(s) ≤ sMax = min(running / (osl − ½), budget / (isl + osl − 1)) for every s, so
 * a root of F(s) − s lies in [0, sMax]. Solved by secant steps kept inside that bracket (bisection
 * when a step leaves it), to STEADY_STATE_REL_TOLERANCE; F is nearly flat when outputs are long,
 * so the first pass usually lands within a fraction of a percent. `guess` (admissions per running
 * request of the previous sweep point) starts it closer. Returns the last pass (a reused object:
 * read it before the next solve).
 */
function steadyState(w: ReplicaLimits, running: number, guessPerRunning?: number): FlowPoint {
  const isl = computedPromptTokens(w);
  const osl = Math.max(1, w.outputTokens);
  const budget = Math.max(1, w.maxNumBatchedTokens);
  const decodeSteps = (osl - 1) * decodeStepsPerToken(w);
  const sMax = Math.min(running / (decodeSteps + 0.5), budget / Math.max(1, isl + decodeSteps * queryTokensPerDecode(w)));
  let lo = 0;
  let hi = sMax;
  // Start: the previous sweep point's admissions per request, else every running request decoding.
  let x = guessPerRunning !== undefined && guessPerRunning > 0 ? Math.min(sMax, guessPerRunning * running) : sMax;
  let pass = flowPass(w, running, x, scratchPoint);
  let hx = pass.nextAdmittedPerStep - x;
  let xPrev = Number.NaN;
  let hPrev = Number.NaN;
  for (let evals = 1; evals < STEADY_STATE_MAX_EVALS; evals += 1) {
    if (Math.abs(hx) <= STEADY_STATE_REL_TOLERANCE * x || hi - lo <= STEADY_STATE_REL_TOLERANCE * hi) break;
    if (hx > 0) lo = x;
    else hi = x;
    // Secant through the last two passes; the first step is a plain fixed-point pass (x + h = F(x)).
    let next = Number.isNaN(hPrev) || hx === hPrev ? x + hx : x - (hx * (x - xPrev)) / (hx - hPrev);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    xPrev = x;
    hPrev = hx;
    x = next;
    pass = flowPass(w, running, x, scratchPoint);
    hx = pass.nextAdmittedPerStep - x;
  }
  return pass;
}

/** Σ_{i=from}^{to−1} (slope·i + offset). */
function sumLine(slope: number, offset: number, from: number, to: number): number {
  if (to <= from) return 0;
  const n = to - from;
  return slope * ((from + to - 1) * n) / 2 + offset * n;
}

/**
 * Mean over i = 0..N−1 of max(a·(i + 1), b·(i − B + 1) + c): the first-token times of an
 * all-at-once run (prefill-rate bound vs slot bound). Both are lines in i, so the max switches
 * once; each side is an arithmetic series.
 */
export function meanFirstTokenMs(n: number, running: number, aMs: number, bMs: number, cMs: number): number {
  if (n <= 0) return 0;
  // f(i) = a·i + a; g(i) = b·i + (c − b(B − 1)).
  const fOff = aMs;
  const gOff = cMs - bMs * (running - 1);
  const slopeDiff = bMs - aMs;
  let total: number;
  if (Math.abs(slopeDiff) < 1e-12) {
    total = fOff >= gOff ? sumLine(aMs, fOff, 0, n) : sumLine(bMs, gOff, 0, n);
  } else {
    // g ≥ f when slopeDiff·i ≥ fOff − gOff.
    const cross = (fOff - gOff) / slopeDiff;
    const k = Math.min(n, Math.max(0, Math.ceil(cross)));
    total = slopeDiff > 0 ? sumLine(aMs, fOff, 0, k) + sumLine(bMs, gOff, k, n) : sumLine(bMs, gOff, 0, k) + sumLine(aMs, fOff, k, n);
  }
  return total / n;
}

/**
 * One replica under a load: `offered` requests kept in flight ('closed-loop'), or a finite run of
 * `offered` requests all sent at t = 0 ('burst'). `guessPerRunning` (admissions per step per running
 * request of a nearby load) only sets where the steady-state solve starts.
 */
export function replicaPerf(w: ReplicaLimits, kind: ReplicaLoadKind, offeredRequests: number, guessPerRunning?: number, out?: ReplicaPerf): ReplicaPerf {
  const osl = Math.max(1, w.outputTokens);
  const isl = computedPromptTokens(w);
  const offered = Math.max(1, offeredRequests);
  const maxRunning = Math.max(1, w.maxRunning);
  const running = Math.min(offered, maxRunning);
  const ss = steadyState(w, running, guessPerRunning);
  // λ floor: 1e-12 requests/ms keeps the queue terms finite when nothing completes (an empty model).
  const lambda = Math.max(ss.lambdaPerMs, 1e-12);
  // With speculative decoding a step emits E tokens per request: ITL = step / E.
  const itlMs = ss.meanStep.totalMs * decodeStepsPerToken(w);
  // The solve's point is reused by the next solve: the result keeps a copy of its step (filledPerf).
  const decodeStep = ss.meanStep;
  const kvBound = w.kvLimited && offered > maxRunning;

  if (kind === 'closed-loop') {
    // Requests beyond the running limit wait for a slot: Little's law on the waiting line.
    const queueMs = (offered - running) / lambda;
    const ttftMs = w.requestOverheadMs + queueMs + ss.ttftMs;
    return filledPerf(out, running, ttftMs, itlMs, ttftMs + (osl - 1) * itlMs, lambda * 1000, ss.prefillMs, queueMs, decodeStep, kvBound, ss.admittedPerStep);
  }

  // Finite burst of N requests at t = 0: first tokens follow the faster of the pure-prefill rate
  // (the first wave streams through the token budget) and the slot rate λ (later requests wait for
  // a finishing one). The run ends when the last request has decoded.
  const n = offered;
  const budget = Math.max(1, w.maxNumBatchedTokens);
  const prefillOnlyMs = meanStepTime(w, 0, Math.min(budget, Math.max(1, isl) * n), scratchChunk).totalMs;
  const perRequestPrefillMs = isl > 0 ? (prefillOnlyMs * isl) / Math.min(budget, isl * n) : prefillOnlyMs;
  const meanFirst = meanFirstTokenMs(n, running, perRequestPrefillMs, 1 / lambda, ss.ttftMs);
  const lastFirst = Math.max(perRequestPrefillMs * n, (n - running) / lambda + ss.ttftMs);
  // Every request fits at once: a prefill phase, then pure decode steps (burstWave.ts), not the
  // closed loop's steady state with prompts joining every step.
  const waveStepMs = (decodes: number, promptTokens: number): number => meanStepTime(w, decodes, promptTokens, scratchChunk).totalMs;
  const wave = n <= maxRunning ? burstWave(waveStepMs, budget, n, isl, (osl - 1) * decodeStepsPerToken(w)) : null;
  // Prompt steps without decodes (SGLang): lockstep waves, each request stalled by the prompts after
  // it in its own wave (burstWave.ts lockstepWavesItlMs).
  const lockstepMs = w.prefillWithDecodes === false ? lockstepWavesItlMs(waveStepMs, budget, running, n, isl, (osl - 1) * decodeStepsPerToken(w)) : null;
  const burstItlMs = lockstepMs !== null ? lockstepMs * decodeStepsPerToken(w) : wave === null ? itlMs : wave.itlMs * decodeStepsPerToken(w);
  const lastDecodeMs = wave === null ? itlMs : wave.decodeStepMs * decodeStepsPerToken(w);
  const runMs = lastFirst + (osl - 1) * lastDecodeMs;
  const ttftMs = w.requestOverheadMs + meanFirst;
  return filledPerf(
    out,
    running,
    ttftMs,
    burstItlMs,
    ttftMs + (osl - 1) * burstItlMs,
    (n / runMs) * 1000,
    ss.prefillMs,
    Math.max(0, meanFirst - ss.ttftMs),
    decodeStep,
    kvBound,
    ss.admittedPerStep,
  );
}

/**
 * A replica result: written into `out` (its decodeStep too) when given — a sweep that only ranks
 * its points reuses one object for all of them (recommend.ts groupPick: allocating every point's
 * result was ~3 MB of garbage per Qwen3-30B-A3B recommendation) — else a new object with a copy of
 * `step` (the solve's step is a reused scratch object).
 */
function filledPerf(
  out: ReplicaPerf | undefined,
  runningRequests: number,
  ttftMs: number,
  itlMs: number,
  e2eMs: number,
  requestsPerS: number,
  prefillMs: number,
  queueMs: number,
  step: StepTime,
  kvBound: boolean,
  admittedPerStep: number,
): ReplicaPerf {
  if (out === undefined) {
    const decodeStep: StepTime = { computeMs: step.computeMs, memoryMs: step.memoryMs, communicationMs: step.communicationMs, overheadMs: step.overheadMs, totalMs: step.totalMs };
    return { runningRequests, ttftMs, itlMs, e2eMs, requestsPerS, prefillMs, queueMs, decodeStep, kvBound, admittedPerStep };
  }
  const d = out.decodeStep;
  d.computeMs = step.computeMs;
  d.memoryMs = step.memoryMs;
  d.communicationMs = step.communicationMs;
  d.overheadMs = step.overheadMs;
  d.totalMs = step.totalMs;
  out.runningRequests = runningRequests;
  out.ttftMs = ttftMs;
  out.itlMs = itlMs;
  out.e2eMs = e2eMs;
  out.requestsPerS = requestsPerS;
  out.prefillMs = prefillMs;
  out.queueMs = queueMs;
  out.kvBound = kvBound;
  out.admittedPerStep = admittedPerStep;
  return out;
}

/**
 * A ReplicaPerf to fill (filledPerf's `out`; double-valued fields from the start, see newStepTime).
 * Its fields are in another order than filledPerf's new results, so V8 gives it a hidden class of
 * its own: sharing one made every result hold its whole numbers as doubles, which the worker's
 * structured clone then posts as 8-byte doubles instead of small integers (+0.8 % bytes per result).
 */
export const newReplicaPerf = (): ReplicaPerf => ({
  decodeStep: newStepTime(),
  kvBound: false,
  runningRequests: 0.5,
  ttftMs: 0.5,
  itlMs: 0.5,
  e2eMs: 0.5,
  requestsPerS: 0.5,
  prefillMs: 0.5,
  queueMs: 0.5,
  admittedPerStep: 0.5,
});
