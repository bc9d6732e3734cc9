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
import type { StepContext, StepTime, StepVector } from './step';
import { STEP_COMMUNICATION, STEP_COMPUTE, STEP_MEMORY, STEP_OVERHEAD, STEP_TOTAL, newStepVector, stepInto } from './step';
import { sendMs } from './comm';

/** One replica's fixed terms: the step model at this workload's lengths and the scheduler's limits. */
export interface ReplicaLimits {
  ctx: StepContext;
  inputTokens: number;
  outputTokens: number;
  /** Running requests allowed: min(max_num_seqs, what the KV pool holds at isl + osl). */
  maxRunning: number;
  maxNumBatchedTokens: number;
  /** True when the KV pool (not max_num_seqs) sets maxRunning. */
  kvLimited: boolean;
  /** Client/server time per request outside the engine steps (HTTP, tokenization, detokenization), ms. */
  requestOverheadMs: number;
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

/** A StepTime to be filled in. */
const newStep = (): StepTime => ({ computeMs: 0, memoryMs: 0, communicationMs: 0, overheadMs: 0, totalMs: 0 });

const scratchStage: StepVector = newStepVector();

/** One micro-batch's share of a step's tokens over pp stages: never less than one request (the pipeline bubble). */
function ppShare(tokens: number, pp: number): number {
  return tokens <= 0 ? 0 : Math.max(Math.min(tokens, 1), tokens / pp);
}

/**
 * Time for one token to cross all pipeline stages (pp stage steps of a 1/pp micro-batch + hand-offs),
 * written into `out` (read out[STEP_TOTAL]: no number is returned, see stepInto).
 */
function tokenStepInto(ctx: StepContext, decodeTokens: number, prefillTokens: number, promptTokens: number, out: StepVector): void {
  const pp = ctx.cost.pp;
  if (pp <= 1) {
    stepInto(ctx, decodeTokens, prefillTokens, promptTokens, out);
    return;
  }
  // vLLM keeps pp micro-batches in flight (one per virtual engine); with fewer requests than
  // stages some stages idle (the pipeline bubble).
  const stage = scratchStage;
  stepInto(ctx, ppShare(decodeTokens, pp), ppShare(prefillTokens, pp), promptTokens, stage);
  const hopMs = sendMs(((decodeTokens + prefillTokens) / pp) * ctx.cost.hiddenSize * ctx.cost.activationBytes, ctx.rates.tpLink);
  out[STEP_COMPUTE] = (stage[STEP_COMPUTE] ?? 0) * pp;
  out[STEP_MEMORY] = (stage[STEP_MEMORY] ?? 0) * pp;
  out[STEP_COMMUNICATION] = (stage[STEP_COMMUNICATION] ?? 0) * pp + hopMs * (pp - 1);
  out[STEP_OVERHEAD] = (stage[STEP_OVERHEAD] ?? 0) * pp;
  out[STEP_TOTAL] = (stage[STEP_TOTAL] ?? 0) * pp + hopMs * (pp - 1);
}

const scratchChunk: StepVector = newStepVector();

/**
 * Convergence of the steady-state solve: stop when one more fixed-point pass would move the
 * admissions per step by less than this fraction. 1e-7 is far below what the model resolves (±15 %)
 * and keeps latencies monotone in concurrency to ~1e-7 (the invariant tests allow 1e-6); 1e-9 cost
 * 14 % more passes for nothing a user can see.
 */
export const STEADY_STATE_REL_TOLERANCE = 1e-7;
/** Evaluations after which the solve stops whatever its residual (the bracket is then < 2^-40 wide). */
const STEADY_STATE_MAX_EVALS = 60;

/**
 * The solve's working state, in a typed array: the solve writes it ~20,000 times per
 * recommendation, and stores of fractional numbers into a plain object's fields allocated a boxed
 * number each (~1.7 MB of garbage per recommendation, measured with the sampling heap profiler).
 * replicaPerfInto copies what it keeps.
 */
const S_LAMBDA_PER_MS = 0;
/** Requests admitted (starting their prefill) per step: λτ, the solved variable. */
const S_ADMITTED_PER_STEP = 1;
/** Engine-side time from admission to first token (no client overhead). */
const S_TTFT_MS = 2;
/** A lone prompt's own prefill (its chunks' steps). */
const S_PREFILL_MS = 3;
const scratchState = new Float64Array(4);
/** The mean step at the solved point. */
const scratchStateStep: StepVector = newStepVector();

/**
 * One pass of the flow balance at `s` requests admitted per step: the step time and prefill it
 * implies, and the admissions per step they allow (written into `out`; returns the new s).
 */
function flowPass(ctx: StepContext, w: ReplicaLimits, running: number, s: number, out: Float64Array): number {
  const isl = Math.max(0, w.inputTokens);
  const osl = Math.max(1, w.outputTokens);
  const budget = Math.max(1, w.maxNumBatchedTokens);
  const d = s * (osl - 1);
  const p = s * isl;
  tokenStepInto(ctx, d, p, isl, scratchStateStep);
  const tau = Math.max(scratchStateStep[STEP_TOTAL] ?? 0, 1e-6);
  // Own prefill: chunks of what the budget leaves after the decodes, each a step that also runs them.
  const chunk = Math.max(1, budget - d);
  const chunks = isl > 0 ? Math.ceil(isl / chunk) : 1;
  tokenStepInto(ctx, d, Math.min(isl, chunk), isl, scratchChunk);
  const prefillMs = chunks * (scratchChunk[STEP_TOTAL] ?? 0);
  // Joining: on average half a step passes before the next schedule.
  const ownTtft = 0.5 * tau + prefillMs;
  let lambda = running / (ownTtft + (osl - 1) * tau);
  // Budget: decodes + prompt tokens per step cannot exceed max_num_batched_tokens; beyond it the
  // prompts queue for budget and λ is set by the prefill rate.
  const tokensPerRequest = isl + (osl - 1);
  if (lambda * tau * tokensPerRequest > budget) lambda = budget / (tau * tokensPerRequest);
  out[S_LAMBDA_PER_MS] = lambda;
  out[S_ADMITTED_PER_STEP] = s;
  out[S_PREFILL_MS] = prefillMs;
  out[S_TTFT_MS] = Math.max(ownTtft, running / lambda - (osl - 1) * tau);
  return lambda * tau;
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
 * request of the previous sweep point) starts it closer.
 */
function steadyState(w: ReplicaLimits, running: number, guessPerRunning?: number): Float64Array {
  const ctx = w.ctx;
  const isl = Math.max(0, w.inputTokens);
  const osl = Math.max(1, w.outputTokens);
  const budget = Math.max(1, w.maxNumBatchedTokens);
  const sMax = Math.min(running / (osl - 0.5), budget / Math.max(1, isl + osl - 1));
  // One scratch state for every solve (the sweep's hot path allocates only the results it keeps).
  const out = scratchState;
  let lo = 0;
  let hi = sMax;
  // Start: the previous sweep point's admissions per request, else every running request decoding.
  let x = guessPerRunning !== undefined && guessPerRunning > 0 ? Math.min(sMax, guessPerRunning * running) : sMax;
  let hx = flowPass(ctx, w, running, x, out) - x;
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
    hx = flowPass(ctx, w, running, x, out) - x;
  }
  return out;
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
export function replicaPerf(w: ReplicaLimits, kind: ReplicaLoadKind, offeredRequests: number, guessPerRunning?: number): ReplicaPerf {
  return replicaPerfInto(w, kind, offeredRequests, guessPerRunning, newReplicaPerf());
}

/** An empty ReplicaPerf for replicaPerfInto to fill. */
export function newReplicaPerf(): ReplicaPerf {
  // Non-integer initial values: double-valued fields (see newStep).
  return {
    runningRequests: Number.NaN,
    ttftMs: Number.NaN,
    itlMs: Number.NaN,
    e2eMs: Number.NaN,
    requestsPerS: Number.NaN,
    prefillMs: Number.NaN,
    queueMs: Number.NaN,
    decodeStep: newStep(),
    kvBound: false,
    admittedPerStep: Number.NaN,
  };
}

/** replicaPerf writing into `out` (a sweep that keeps only a summary reuses one object). */
export function replicaPerfInto(
  w: ReplicaLimits,
  kind: ReplicaLoadKind,
  offeredRequests: number,
  guessPerRunning: number | undefined,
  out: ReplicaPerf,
): ReplicaPerf {
  const ctx = w.ctx;
  const osl = Math.max(1, w.outputTokens);
  const isl = Math.max(0, w.inputTokens);
  const offered = Math.max(1, offeredRequests);
  const maxRunning = Math.max(1, w.maxRunning);
  const running = Math.min(offered, maxRunning);
  const ss = steadyState(w, running, guessPerRunning);
  const lambda = Math.max(ss[S_LAMBDA_PER_MS] ?? 0, 1e-12);
  const ssTtftMs = ss[S_TTFT_MS] ?? 0;
  const s = scratchStateStep;
  const itlMs = s[STEP_TOTAL] ?? 0;
  const step = out.decodeStep;
  step.computeMs = s[STEP_COMPUTE] ?? 0;
  step.memoryMs = s[STEP_MEMORY] ?? 0;
  step.communicationMs = s[STEP_COMMUNICATION] ?? 0;
  step.overheadMs = s[STEP_OVERHEAD] ?? 0;
  step.totalMs = itlMs;
  out.runningRequests = running;
  out.itlMs = itlMs;
  out.prefillMs = ss[S_PREFILL_MS] ?? 0;
  out.kvBound = w.kvLimited && offered > maxRunning;
  out.admittedPerStep = ss[S_ADMITTED_PER_STEP] ?? 0;

  if (kind === 'closed-loop') {
    // Requests beyond the running limit wait for a slot: Little's law on the waiting line.
    const queueMs = (offered - running) / lambda;
    const ttftMs = w.requestOverheadMs + queueMs + ssTtftMs;
    out.ttftMs = ttftMs;
    out.e2eMs = ttftMs + (osl - 1) * itlMs;
    out.requestsPerS = lambda * 1000;
    out.queueMs = queueMs;
    return out;
  }

  // Finite burst of N requests at t = 0: first tokens follow the faster of the pure-prefill rate
  // (the first wave streams through the token budget) and the slot rate λ (later requests wait for
  // a finishing one). The run ends when the last request has decoded.
  const n = offered;
  const budget = Math.max(1, w.maxNumBatchedTokens);
  tokenStepInto(ctx, 0, Math.min(budget, Math.max(1, isl) * n), isl, scratchChunk);
  const prefillOnlyMs = scratchChunk[STEP_TOTAL] ?? 0;
  const perRequestPrefillMs = isl > 0 ? (prefillOnlyMs * isl) / Math.min(budget, isl * n) : prefillOnlyMs;
  const meanFirst = meanFirstTokenMs(n, running, perRequestPrefillMs, 1 / lambda, ssTtftMs);
  const lastFirst = Math.max(perRequestPrefillMs * n, (n - running) / lambda + ssTtftMs);
  const runMs = lastFirst + (osl - 1) * itlMs;
  const ttftMs = w.requestOverheadMs + meanFirst;
  out.ttftMs = ttftMs;
  out.e2eMs = ttftMs + (osl - 1) * itlMs;
  out.requestsPerS = (n / runMs) * 1000;
  out.queueMs = Math.max(0, meanFirst - ssTtftMs);
  return out;
}
