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
  /** Requests still decoding when the prefill phase ends (n_d), the decode phase's batch. */
  decodingRequests: number;
  /** f: the share of a request's decode steps that are prefill-phase steps (ITL = f·τ_p + (1 − f)·τ_d). */
  prefillShare: number;
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
  return { itlMs: f * prefillStepMs + (1 - f) * decodeStepMs, prefillSteps, prefillStepMs, decodeStepMs, decodingRequests: decoding, prefillShare: f };
}

/**
 * A finite all-at-once run on an engine whose prompt steps run without the decodes (SGLang: python/
 * sglang/srt/managers/scheduler.py get_next_batch_to_run runs a new prefill batch on its own whenever
 * one can be formed, else the decode batch; --enable-mixed-chunk is off by default; sim/policy.ts
 * prefillWithDecodes false). With fixed lengths the run goes in lockstep waves of B = the running
 * limit (the last one N − B·⌊N/B⌋): a wave's prompts are prefilled first, in steps of
 * c = min(budget, n_w·isl) prompt tokens only, then the wave decodes together and finishes together,
 * freeing its slots for the next wave's prompts. A request's first token ends its own prefill; its
 * second waits for the prompts after it in its wave, (n_w − 1) ÷ 2 of them on average, each
 * τ_p·isl ÷ c with τ_p = step(0, c); its other gaps are pure decode steps τ_d = step(n_w, 0). Mean ITL
 * (bench's: every gap of every request) = Σ_w n_w·(τ_d + ((n_w − 1) ÷ 2)·τ_p·isl ÷ c ÷ m) ÷ N.
 * APPROXIMATION: no retraction (SGLang's retract_decode when the pool runs out); equal lengths.
 * Null when nothing decodes after the first token (m ≤ 0) or there is no prompt.
 */
export function lockstepWavesItlMs(stepMs: MeanStepMs, maxNumBatchedTokens: number, running: number, n: number, isl: number, decodeSteps: number): number | null {
  const m = decodeSteps;
  if (isl <= 0 || m <= 0 || n <= 0) return null;
  const b = Math.max(1, Math.min(n, Math.floor(running)));
  const fullWaves = Math.floor(n / b);
  const rest = n - fullWaves * b;
  const waveItlMs = (nw: number): number => {
    const chunk = Math.max(1, Math.min(maxNumBatchedTokens, nw * isl));
    const perPromptMs = (stepMs(0, chunk) * isl) / chunk;
    return stepMs(nw, 0) + ((nw - 1) / 2) * (perPromptMs / m);
  };
  let total = fullWaves * b * waveItlMs(b);
  if (rest > 0) total += rest * waveItlMs(rest);
  return total / n;
}
