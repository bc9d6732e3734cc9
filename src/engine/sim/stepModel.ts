/**
 * The ONE binding of the simulator to the engine's step model: a StepTimeFn from the replica the
 * closed form solves (perf/estimatePerf.ts replicaModel), so that both solvers price a step with the
 * same physics (issue 10: "one physics, two solvers").
 *
 * INTERIM, until perf/step.ts takes a StepBatch (stepTime(ctx, batch)): today's step model is built
 * per workload length (stepContext(cost, rates, kvGroups, promptTokens, decodeContext, eager)), so
 * each step rebuilds it at the batch's own lengths — the mean decode context of its decodes and the
 * prompt length whose mean causal context equals its prompt tokens' — and asks stepInto for the
 * time; finishing prefills set the sampled rows. Slower than the coming stepTime and blind to
 * per-request window clipping (the mean context is clipped, not each request's), same formulas
 * otherwise. Pipeline parallelism as the closed form's tokenStepInto (perf/serving.ts): pp stage
 * steps of a 1/pp micro-batch (at least one request) plus the hand-offs.
 */
import type { KvGroupPlan } from '../types';
import type { StepBatch } from '../perf/stepBatch';
import type { ReplicaModel } from '../perf/estimatePerf';
import type { StepContext } from '../perf/step';
import { STEP_TOTAL, newStepVector, stepContext, stepInto } from '../perf/step';
import { sendMs } from '../perf/comm';
import type { StepTimeFn } from './replica';

/** The windows the simulator fills StepBatch at: interim, full attention only (one entry). */
export const INTERIM_WINDOWS_TOKENS: readonly number[] = [Infinity];

/** One micro-batch's share of a step's tokens over pp stages: never less than one request (serving.ts ppShare). */
function ppShare(tokens: number, pp: number): number {
  return tokens <= 0 ? 0 : Math.max(Math.min(tokens, 1), tokens / pp);
}

export function stepTimeFnFor(model: ReplicaModel, kvGroups: readonly KvGroupPlan[]): StepTimeFn {
  const { cost, rates, k } = model.ctx;
  const eagerOverheadMs = k.overheadMs - rates.stepOverheadMs;
  const pp = Math.max(1, cost.pp);
  const v = newStepVector();
  const contextAt = linearContext(model, kvGroups, eagerOverheadMs);
  return (b: StepBatch): number => {
    const d = b.decodeRequests;
    const p = b.prefillTokens;
    if (d + p <= 0) return 0;
    const last = b.decodeContextTokens.length - 1;
    const decodeContext = d > 0 ? (b.decodeContextTokens[last] ?? 0) / d : 0;
    // Full attention: a prompt of L tokens has mean causal context (L + 1) / 2.
    const meanPrefillContext = p > 0 ? (b.prefillContextTokens[last] ?? 0) / p : 0;
    const promptTokens = p > 0 ? Math.max(1, 2 * meanPrefillContext - 1) : 0;
    const ctx = contextAt(promptTokens, decodeContext);
    // stepInto samples p / promptTokens rows for prompts: pass the length that gives the finishing ones.
    const samplingPromptTokens = b.finishingPrefills > 0 ? p / b.finishingPrefills : Infinity;
    if (pp <= 1) {
      stepInto(ctx, d, p, samplingPromptTokens, v);
      return v[STEP_TOTAL] ?? 0;
    }
    stepInto(ctx, ppShare(d, pp), ppShare(p, pp), samplingPromptTokens, v);
    const hopMs = sendMs(((d + p) / pp) * cost.hiddenSize * cost.activationBytes, rates.tpLink);
    return (v[STEP_TOTAL] ?? 0) * pp + hopMs * (pp - 1);
  };
}

/**
 * stepContext at (promptTokens, decodeContext). Without sliding windows, the three terms that
 * depend on them are affine in them (attention FLOPs per decode ∝ context, per prompt token ∝
 * (L + 1)/2, KV read per decode = state + bytes/token × context; perf/flops.ts, perf/bytes.ts), so
 * two stepContext calls fix them and each step only rescales one reused context: the same numbers
 * as a fresh stepContext, without its allocations. With windows every step builds a fresh one.
 */
function linearContext(
  model: ReplicaModel,
  kvGroups: readonly KvGroupPlan[],
  eagerOverheadMs: number,
): (promptTokens: number, decodeContext: number) => StepContext {
  const { cost, rates } = model.ctx;
  const windowed = cost.attention.some((a) => a.windowTokens !== null) || kvGroups.some((g) => g.slidingWindowTokens !== null);
  if (windowed) return (promptTokens, decodeContext) => stepContext(cost, rates, kvGroups, promptTokens, decodeContext, eagerOverheadMs);
  // At (L = 1, D = 0) and (L = 3, D = 1): mean prefill context 1 and 2, decode context 0 and 1.
  const a = stepContext(cost, rates, kvGroups, 1, 0, eagerOverheadMs).k;
  const b = stepContext(cost, rates, kvGroups, 3, 1, eagerOverheadMs).k;
  const prefillPerContext = b.prefillAttentionMsPerToken - a.prefillAttentionMsPerToken;
  const prefillBase = a.prefillAttentionMsPerToken - prefillPerContext;
  const decodePerContext = b.decodeAttentionMsPerToken - a.decodeAttentionMsPerToken;
  const kvPerContext = b.kvReadMsPerDecode - a.kvReadMsPerDecode;
  const ctx: StepContext = { cost, rates, k: { ...a } };
  const k = ctx.k;
  return (promptTokens, decodeContext) => {
    k.prefillAttentionMsPerToken = promptTokens > 0 ? prefillBase + prefillPerContext * ((promptTokens + 1) / 2) : 0;
    k.decodeAttentionMsPerToken = a.decodeAttentionMsPerToken + decodePerContext * decodeContext;
    k.kvReadMsPerDecode = a.kvReadMsPerDecode + kvPerContext * decodeContext;
    return ctx;
  };
}
