/**
 * The ONE binding of the simulator to the engine's step model: a StepTimeFn over the replica the
 * closed form solves (perf/estimatePerf.ts replicaModel), calling the same stepTime(ctx, batch) the
 * closed form's meanStepTime calls (perf/serving.ts), so both solvers price a step with one physics
 * (issue 10: "one physics, two solvers"). The simulator fills the batch from the requests it
 * scheduled (per-window context sums in ctx.windowsTokens' order); the closed form from its means.
 *
 * Pipeline parallelism as meanStepTime: one stage's step on a 1/pp micro-batch (ppShare: never
 * less than one request; the micro-batch's context sums and finishing prompts scale with its share),
 * then pipelineStepTime (pp stage steps plus the hand-offs).
 *
 * Speculative decoding (model.spec): a stage's step is speculative.ts speculativeStepTime — the verify
 * over k + 1 query rows per decode plus the k draft steps — exactly as the closed form's
 * stageStepTime prices it, and the pipeline carries decodes · (k + 1) + prompt tokens (meanStepTime).
 */
import type { StepBatch } from '../perf/stepBatch';
import type { StepTime } from '../perf/step';
import type { ReplicaModel } from '../perf/estimatePerf';
import { newStepTime, pipelineStepTime, ppShare, stepTime } from '../perf/step';
import { newSpeculativeStepScratch, speculativeStepTime, verifyTokensPerDecode } from '../perf/speculative';
import type { StepTimeFn } from './replica';

export interface SimStepModel {
  stepTimeMs: StepTimeFn;
  /** The windows the simulator fills StepBatch's per-window sums at (the step context's). */
  windowsTokens: readonly number[];
}

export function simStepModel(model: ReplicaModel): SimStepModel {
  const ctx = model.ctx;
  const pp = Math.max(1, ctx.cost.pp);
  const out = newStepTime();
  const spec = model.spec;
  const n = ctx.windowsTokens.length;
  const specScratch = spec === undefined ? null : newSpeculativeStepScratch(n);
  const stageTime = (b: StepBatch, into: StepTime): StepTime =>
    spec === undefined || specScratch === null ? stepTime(ctx, b, into) : speculativeStepTime(ctx, spec, b, into, specScratch);
  const queryRowsPerDecode = spec === undefined ? 1 : verifyTokensPerDecode(spec);
  if (pp <= 1) return { stepTimeMs: (b: StepBatch): number => stageTime(b, out).totalMs, windowsTokens: ctx.windowsTokens };
  const stageOut = newStepTime();
  // Non-integer initial counts: the fields hold fractional numbers (V8 keeps them as doubles).
  const stage: StepBatch = { decodeRequests: 0.5, decodeContextTokens: new Float64Array(n), prefillTokens: 0.5, prefillContextTokens: new Float64Array(n), finishingPrefills: 0.5 };
  return {
    windowsTokens: ctx.windowsTokens,
    stepTimeMs: (b: StepBatch): number => {
      const d = b.decodeRequests;
      const p = b.prefillTokens;
      const dShare = d > 0 ? ppShare(d, pp) / d : 0;
      const pShare = p > 0 ? ppShare(p, pp) / p : 0;
      stage.decodeRequests = d * dShare;
      stage.prefillTokens = p * pShare;
      stage.finishingPrefills = b.finishingPrefills * pShare;
      for (let i = 0; i < n; i += 1) {
        stage.decodeContextTokens[i] = (b.decodeContextTokens[i] ?? 0) * dShare;
        stage.prefillContextTokens[i] = (b.prefillContextTokens[i] ?? 0) * pShare;
      }
      return pipelineStepTime(ctx, stageTime(stage, stageOut), d * queryRowsPerDecode + p, out).totalMs;
    },
  };
}
