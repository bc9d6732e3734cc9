/**
 * The decode phase of a one-wave burst (burstWave.ts) whose answers vary in length: every request
 * decodes together at first, then the batch thins as answers end, and the run ends with its longest
 * answer. With equal answers the phase is m steps at the whole wave; with a long-tailed spread
 * (ShareGPT-style chat lengths) most requests finish early and the last few decode alone for
 * hundreds of steps, each step costing nearly a whole step's fixed part (weights, overhead):
 *
 *   requests sorted by length, L_k = Q((k − ½) ÷ n) (the k-th order statistic at its mid-rank
 *   quantile, Q = the length distribution's quantile function, clipped to [1, maxDecodeSteps]);
 *   k − 1 answers have ended during (L_{k−1}, L_k], so n − k + 1 decode in each of those steps:
 *   phase = Σ_k (L_k − L_{k−1}) × step(n − k + 1),   tokens = Σ_k (L_k − L_{k−1}) × (n − k + 1) = Σ_k L_k,
 *   token-weighted step (vllm bench's mean ITL over every gap) = Σ_k (L_k − L_{k−1})(n − k + 1) step(n − k + 1) ÷ tokens.
 *
 * For a step affine in the batch (a + c·b) the phase is a × L_n + c × Σ L_k: the fixed part is paid
 * up to the longest answer, the per-request part per token. Evaluated over at most
 * TAIL_RANK_GROUPS groups of adjacent ranks, each group's steps at their token-weighted running count
 * (exact for an affine step; the step is smooth in the batch and nearly flat at the tail's small batches).
 * The defect this fixes (issue 11): GPUStack's gpt-oss-120b ShareGPT bursts (1,000 requests, all
 * admitted at once on TP2 / TP4 / PP2 H100) came out 35–80 % too fast priced at equal answers, while
 * the TP1 run of the same page (KV-limited to ~150 running, a steady state) fit within 15 %.
 * APPROXIMATION: the wave starts decoding together after the prefill phase (the early admissions'
 * head start is ignored, as burstWave's equal-length phase does); the same spread for every request.
 */
import type { LengthDistribution } from '../sim/load';
import { CHAT_LENGTH_CV } from '../sim/load';

/** Groups of adjacent length ranks the phase is evaluated over (the step is evaluated once per group). */
export const TAIL_RANK_GROUPS = 32;

/** Φ⁻¹(p): the standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return -Infinity;
  if (!(p < 1)) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: readonly number[], x: number): number => k.reduce((acc, v) => acc * x + v, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/**
 * The length at quantile u of a request's decode steps with mean `meanSteps` under `dist`, as
 * sim/load.ts draws them: fixed = the mean; uniform on mean·(1 ± r); chat = log-normal with
 * coefficient of variation CHAT_LENGTH_CV (μ = ln m − σ²/2). Not clipped.
 */
export function lengthQuantile(dist: LengthDistribution, meanSteps: number, u: number): number {
  const m = Math.max(0, meanSteps);
  switch (dist.kind) {
    case 'fixed':
      return m;
    case 'uniform': {
      const r = Math.min(Math.max(dist.rangeRatio, 0), 0.999);
      return m * (1 - r + 2 * r * Math.min(1, Math.max(0, u)));
    }
    case 'chat': {
      if (m <= 0) return 0;
      const sigma = Math.sqrt(Math.log(1 + CHAT_LENGTH_CV * CHAT_LENGTH_CV));
      return Math.exp(Math.log(m) - (sigma * sigma) / 2 + sigma * normalQuantile(u));
    }
    default: {
      const _: never = dist;
      return _;
    }
  }
}

export interface SpreadDecodePhase {
  /** Time from the wave's first decode step to its longest answer's last, ms. */
  phaseMs: number;
  /** Decode steps of the longest answer (the phase's length in steps). */
  longestSteps: number;
  /** Decode tokens of the phase (Σ L_k). */
  tokens: number;
  /** The phase's step, weighted by the tokens each step emits (mean ITL over every gap), ms. */
  tokenWeightedStepMs: number;
  /**
   * Mean over requests of each one's time per output token (vllm bench's mean TPOT: every request
   * counts once), ms: request k is done T_k = Σ_{j ≤ k} (L_j − L_{j−1}) × step(n − j + 1) after the
   * phase starts, so TPOT_k = T_k ÷ L_k. Above tokenWeightedStepMs with a spread: the short answers,
   * each a full vote, decode only at the whole wave's slow steps; the long ones' fast tail steps
   * weigh in by their tokens only in the ITL. Equal to it with equal answers.
   */
  requestMeanTpotMs: number;
}

/**
 * The decode phase of `n` requests decoding together, each for a number of steps drawn from `dist`
 * around `meanSteps` (clipped to [1, maxDecodeSteps]), `decodeStepMs(b)` the step at b decodes.
 */
export function spreadDecodePhase(
  decodeStepMs: (decodes: number) => number,
  n: number,
  meanSteps: number,
  dist: LengthDistribution,
  maxDecodeSteps: number = Infinity,
): SpreadDecodePhase {
  const count = Math.max(1, Math.round(n));
  const cap = Math.max(1, maxDecodeSteps);
  const lengthAtRank = (k: number): number => (k <= 0 ? 0 : Math.min(cap, Math.max(1, lengthQuantile(dist, meanSteps, (k - 0.5) / count))));
  const groups = Math.min(count, TAIL_RANK_GROUPS);
  let phaseMs = 0;
  let tokens = 0;
  let weighted = 0;
  let prevLength = 0;
  let groupSteps = 0;
  let groupTokens = 0;
  let groupEnd = 1;
  let groupStart = 1;
  let groupBaseLength = 0;
  let tpotSum = 0;
  // Each rank's length, kept for the TPOT pass over its group (a quantile costs an exp and Φ⁻¹).
  const lengths = new Float64Array(count + 1);
  for (let k = 1; k <= count; k += 1) {
    // n − k + 1 requests decode during (L_{k−1}, L_k].
    const length = lengthAtRank(k);
    lengths[k] = length;
    groupSteps += length - prevLength;
    groupTokens += (length - prevLength) * (count - k + 1);
    prevLength = length;
    if (k < Math.round((groupEnd * count) / groups)) continue;
    groupEnd += 1;
    // The group's steps at their token-weighted running count (exact for a step affine in the batch).
    const stepMs = groupSteps > 0 ? decodeStepMs(groupTokens / groupSteps) : 0;
    // Each rank of the group ends L_j − (the group's first length) steps into it: TPOT_j = T_j ÷ L_j.
    for (let j = groupStart; j <= k; j += 1) {
      const lengthJ = lengths[j] ?? 1;
      tpotSum += (phaseMs + (lengthJ - groupBaseLength) * stepMs) / lengthJ;
    }
    phaseMs += groupSteps * stepMs;
    tokens += groupTokens;
    weighted += groupTokens * stepMs;
    groupStart = k + 1;
    groupBaseLength = length;
    groupSteps = 0;
    groupTokens = 0;
  }
  const tokenWeightedStepMs = tokens > 0 ? weighted / tokens : decodeStepMs(count);
  return { phaseMs, longestSteps: lengthAtRank(count), tokens, tokenWeightedStepMs, requestMeanTpotMs: tpotSum > 0 ? tpotSum / count : tokenWeightedStepMs };
}
