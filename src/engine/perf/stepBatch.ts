/**
 * What one scheduler step of one replica runs, in the terms the step model needs: counts and sums
 * over the step's requests, never the requests themselves. Both solvers fill it — the closed form
 * (perf/serving.ts) from its mean lengths, the request-level simulator (engine/sim) from the
 * requests it actually scheduled — and both hand it to the same step-time function, so the two
 * share one physics (issue 10: "one physics, two solvers").
 *
 * Sliding windows make attention and KV reads depend on each request's context clipped to the
 * layer's window, which no single sum carries; so context sums are kept per attention window:
 * entry i is the sum clipped to `windowsTokens[i]` of the step context (Infinity for full
 * attention). A model without sliding windows has one entry (Infinity).
 */
export interface StepBatch {
  /** Requests decoding one token this step. */
  decodeRequests: number;
  /**
   * Σ over decoding requests of min(context, window) — the KV tokens each decode attends to and
   * reads — one entry per window of `StepWindows.windowsTokens`.
   */
  decodeContextTokens: Float64Array;
  /** Prompt tokens computed this step (a chunked prefill counts its chunk). */
  prefillTokens: number;
  /**
   * Σ over this step's prompt tokens of min(position in the prompt + 1, window) — the tokens each
   * prompt token attends to (causal) — one entry per window.
   */
  prefillContextTokens: Float64Array;
  /** Prompts whose last chunk runs this step: each samples its first token (LM head rows). May be fractional in the closed form's mean step. */
  finishingPrefills: number;
}

/** The distinct attention windows of a model, in the order StepBatch's per-window sums use. */
export interface StepWindows {
  /** Ascending; Infinity for full attention (always present when any layer attends fully). */
  windowsTokens: readonly number[];
}
