/**
 * Price per million tokens from a price per hour and a throughput: the one place this conversion is
 * written, so the engine's estimate (Candidate.perf.usdPerMillionOutputTokens) and the UI's measured
 * points (ui/results/latencyCostPoints.ts, priced from a published tok/s) cannot drift apart.
 */

/** Unit conversion: 3600 s in an hour ($/hour ÷ tokens/s needs tokens per hour). */
const S_PER_HOUR = 3600;
/** Unit conversion: the "M" of $/M tokens. */
const TOKENS_PER_MILLION = 1e6;

/**
 * $/M tokens = ($/hour) / (tokens/s × 3600 s/h) × 10^6; null when nothing is produced
 * (tokensPerS ≤ 0 or not finite), where a price per token has no meaning. The operation order is
 * the engine's (estimatePerf.ts), so switching it to this helper moves no figure by a bit.
 */
export function usdPerMillionTokens(costUsdPerHour: number, tokensPerS: number): number | null {
  if (!(tokensPerS > 0) || !Number.isFinite(tokensPerS)) return null;
  return (costUsdPerHour / (tokensPerS * S_PER_HOUR)) * TOKENS_PER_MILLION;
}
