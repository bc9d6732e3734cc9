/**
 * A finite all-at-once run whose requests all fit at once (N ≤ the running limit: one wave): the
 * scheduler admits every prompt in the first steps, so the run is a prefill phase followed by a
 * pure decode phase, not the closed loop's steady state in which prompts keep joining every step.
 *
 *   prefill phase: K = N·isl ÷ (budget − d_p) steps of τ_p = step(d_p decodes, budget − d_p prompt
 *                  tokens), d_p = the decodes running alongside (half the wave, or fewer when answers
 *                  finish within the phase: (osl − 1) × prompts admitted per step);
 *   decode phase:  τ_d = step(n_d decodes, 0), n_d = N·min(1, (osl − 1) ÷ K) requests still decoding;
 *   request i is admitted at step k_i (uniform over the phase) and decodes its next osl − 1 steps,
 *   of which min(osl − 1, K − k_i) are prefill-phase steps: with m = osl − 1 and u = K − k_i uniform
 *   in [0, K], E[min(m, u)] ÷ m = f = K ≤ m ? K ÷ 2m : 1 − m ÷ 2K, and
 *   ITL = f·τ_p + (1 − f)·τ_d (the mean over requests of (e2e − TTFT) ÷ (osl − 1), vLLM bench's mean
 *   TPOT; with equal answers also its token-weighted mean ITL).
 *
 * vLLM V1's scheduler (vllm/v1/core/sched/scheduler.py schedule: running requests first, then
 * waiting ones while the token budget lasts) and TensorRT-LLM's in-flight batching (max_num_tokens)
 * both run a burst this way. The defect this fixes (issue 11): the closed loop's steady state charged
 * every decode step ~2 admissions' prompts, so a 500-request burst of Llama-3.1-70B on 4 × H100 came
 * out at 127 ms ITL where TensorRT-LLM 0.14 measures 85 (and 8B 36 vs 21 ms).
 * APPROXIMATION: admissions uniform over the prefill phase; the decode phase at one mean batch.
 */

/** The replica's mean step, ms, at `decodes` decoding requests and `promptTokens` prompt tokens (serving.ts meanStepTime). */
export type MeanStepMs = (decodes: number, promptTokens: number) => number;

export interface BurstWave {
  /** Mean ITL over the wave's requests, ms. */
  itlMs: number;
  /** Prefill-phase steps (K) and their mean time. */
  prefillSteps: number;
  prefillStepMs: number;
  /** A pure decode step of the decode phase. */
  decodeStepMs: number;
}

/**
 * The one-wave burst of `n` requests, or null when the token budget cannot hold the wave's decodes
 * (n > max_num_batched_tokens) or a prompt token beside them (then the closed loop's steady state stands). `isl` = computed prompt tokens,
 * `decodeSteps` = osl − 1 (÷ E with speculative decoding, whose steps meanStepTime prices).
 */
export function burstWave(stepMs: MeanStepMs, maxNumBatchedTokens: number, n: number, isl: number, decodeSteps: number): BurstWave | null {
  const budget = Math.max(1, maxNumBatchedTokens);
  const m = decodeSteps;
  // A wave wider than the token budget cannot decode in one step (decodes count against it too).
  if (isl <= 0 || m <= 0 || n > budget) return null;
  // Decodes alongside the prompts: half the wave on average, or the answers still running when each
  // finishes m steps after its admission (admissions ≈ budget ÷ isl per step).
  const decodesInPrefill = Math.min(n / 2, (m * budget) / (isl + m));
  const promptPerStep = budget - decodesInPrefill;
  if (promptPerStep < 1) return null;
  const prefillSteps = (n * isl) / promptPerStep;
  const prefillStepMs = stepMs(decodesInPrefill, Math.min(promptPerStep, n * isl));
  const decoding = n * Math.min(1, m / Math.max(prefillSteps, 1e-9));
  const decodeStepMs = stepMs(decoding, 0);
  const f = prefillSteps <= m ? prefillSteps / (2 * m) : 1 - m / (2 * prefillSteps);
  return { itlMs: f * prefillStepMs + (1 - f) * decodeStepMs, prefillSteps, prefillStepMs, decodeStepMs };
}

/**
 * A finite all-at-once run larger than the running limit (N > B: several waves), priced from the
 * closed loop's steady state at B running (serving.ts steadyState: s admissions per step, d = s·m
 * decodes per step, m = osl − 1 decode steps per request) with two rules the steady state's mean
 * step τ = step(d, s·isl) leaves out, each what vLLM V1 does and the simulator (src/engine/sim) does
 * request by request:
 *
 * 1. Prompts enter in chunks, not spread. The waiting queue of a burst is never empty, so whenever
 *    slots free the scheduler fills the step's token budget with prompts (vllm/v1/core/sched/
 *    scheduler.py schedule: running requests first, then waiting ones while the budget lasts): a
 *    fraction g = s·isl ÷ c of the steps carries a chunk c = min(budget − d, B·isl) beside the decodes,
 *    the rest are pure decode steps. The mean step τ_c = g·step(d, c) + (1 − g)·step(d, 0) exceeds
 *    step(d, s·isl) wherever the step grows faster than linearly in its tokens (a memory-bound
 *    decode step turning compute-bound).
 * 2. The burst runs out of prompts. Request i (send order; the waiting queue is FCFS) shares its
 *    decode steps only with the prompts sent after it, min(A, N − 1 − i) of them with A = s·m the
 *    prompts one decode window holds; the last ~A requests decode beside fewer and fewer prompts, and
 *    `vllm bench serve`'s mean ITL (every inter-token gap of every request, vllm/benchmarks/serve.py
 *    calculate_metrics) averages them in:
 *      φ = (1/N)·Σ_i min(A, N − 1 − i) ÷ A ≈ 1 − A ÷ 2N (A ≤ N),  N ÷ 2A (A > N)   (burstPromptShare).
 * Mean ITL = τ_d + φ·(τ_c − τ_d), τ_d = step(d, 0).
 * Issue 11 (GPUStack `--request-rate inf` rows): deepseek-r1 on 8 × H200 (vLLM 0.11), 2000/100,
 * N = 500, B = 298: steady state 310 ms, this 240, simulator 236, measured 235.
 * APPROXIMATION: A and d from the steady state (the first wave's prompts arrive at the budget's rate;
 * each first-wave request still sees ~B − 1 later prompts); the decode batch's own drain at the very
 * end (fewer decodes per step) is not priced; SGLang's separate prefill batches are priced as vLLM's
 * mixed ones.
 */
export interface ManyWaves {
  itlMs: number;
  /** The steady state's pure decode step (τ_d) and its step with a prompt chunk (step(d, c)). */
  decodeStepMs: number;
  chunkStepMs: number;
  /** φ: the share of the chunked steps' prompt work a decode step carries on average. */
  promptShare: number;
}

/**
 * `admittedPerStep` = s, `decodeSteps` = m (osl − 1, ÷ E with speculative decoding), `isl` = computed
 * prompt tokens, `running` = B, `decodeBudgetTokens` = budget tokens one decode takes (k + 1 with
 * speculative decoding, else 1).
 */
export function burstManyWaves(
  stepMs: MeanStepMs,
  maxNumBatchedTokens: number,
  running: number,
  n: number,
  isl: number,
  decodeSteps: number,
  admittedPerStep: number,
  decodeBudgetTokens = 1,
): ManyWaves {
  const decodes = admittedPerStep * decodeSteps;
  const decodeStepMs = stepMs(decodes, 0);
  const promptPerStep = admittedPerStep * isl;
  const chunk = Math.max(1, Math.min(maxNumBatchedTokens - decodes * decodeBudgetTokens, running * isl));
  const chunkStepMs = promptPerStep > 0 ? stepMs(decodes, Math.max(chunk, promptPerStep)) : decodeStepMs;
  // g ≤ 1: when the prompts already fill every step (s·isl ≥ c), every step is a chunked one.
  const g = promptPerStep > 0 ? Math.min(1, promptPerStep / chunk) : 0;
  const chunkedMeanMs = g * chunkStepMs + (1 - g) * decodeStepMs;
  const promptShare = burstPromptShare(decodes, n);
  return { itlMs: decodeStepMs + promptShare * Math.max(0, chunkedMeanMs - decodeStepMs), decodeStepMs, chunkStepMs, promptShare };
}

/**
 * φ above: the mean over a burst's N requests of the share min(A, N − 1 − i) ÷ A of a full decode
 * window's prompts that request i still finds (continuous form of the sum); 1 when A ≤ 0.
 */
export function burstPromptShare(promptsPerDecodeWindow: number, n: number): number {
  const a = promptsPerDecodeWindow;
  if (!(a > 0) || !(n > 0)) return 1;
  return a <= n ? 1 - a / (2 * n) : n / (2 * a);
}
