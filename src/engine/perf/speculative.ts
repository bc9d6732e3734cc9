/**
 * Speculative decoding (issue 12 item 3): a draft model, EAGLE / EAGLE-3 heads or the MTP layers a
 * config declares propose k tokens; the target verifies them in one step over k + 1 query tokens per
 * request and keeps the accepted prefix plus one token of its own.
 *
 *   expected tokens per verify step  E = (1 − α^(k+1)) / (1 − α)     (Leviathan et al. 2023, eq. 1;
 *                                                                    α = per-token acceptance, i.i.d.)
 *   ITL = (verify step over k + 1 tokens per decode + k draft steps) / E
 *
 * The verify step is priced by the same step model (step.ts stepTime) as every other step: each
 * decode reads its KV once and adds k extra query rows (GEMM rows, attention over its context, LM
 * head rows), so at a large batch, where the GEMMs are compute-bound, the k extra rows cost about
 * as much as they save and speculation stops paying (shown, not hidden). The serving hook is
 * serving.ts meanStepTime / flowPass; the request-level simulator prices its steps with the same
 * speculativeStepTime (sim/stepModel.ts) and draws each verify's accepted tokens from
 * acceptedDraftTokens, whose mean is E.
 *
 * APPROXIMATIONS: i.i.d. acceptance (real acceptance decays with draft position); a chain of k
 * drafts (no trees); a draft step costs the target's decode step at the same batch times the
 * draft's share of the target (layers for EAGLE / MTP, parameters for a draft model).
 */
import type { MemoryPlan, ModelArch, SpecMethod, SpeculativeModel } from '../types';
import type { StepContext, StepTime } from './step';
import { newStepTime, stepTime } from './step';
import type { StepBatch } from './stepBatch';

export { SPEC_METHODS } from '../types';
export type { SpecMethod, SpeculativeModel } from '../types';

/**
 * Default per-token acceptance α per method (a published figure each; workloads vary ±0.1). Re-checked
 * on 2026-12-07 against what the sources say (scripts/validate/shapes.ts scores them on published runs):
 * - draft: 0.75 — Leviathan et al. 2023 (arXiv 2211.17192) Table 3, T5-small drafting for T5-XXL (En→De,
 *   argmax sampling). NOT re-verified: the table's text was not reachable this session.
 * - eagle: 0.75 — EAGLE (Li et al. 2024, arXiv 2401.15077, ICML 2024): the draft's accuracy is ≈ 0.8
 *   with the target's features (against ≈ 0.6 for Medusa / Lookahead, as summaries of the paper quote it);
 *   later drafts of a chain read predicted features and accept less, so 0.75 is taken. The per-position
 *   table ("n-α") was not reachable this session: 0.75 stays a judgement on the ≈ 0.8. Measured in
 *   vLLM V1 (a chain; vllm-project/vllm issue #20780, Llama-3.1-8B at batch 1, accepted lengths 2.10–2.47
 *   at K = 2–7) it is lower: i.i.d.-equivalent α 0.66 → 0.60.
 * - eagle3: 0.80 — EAGLE-3 (Li et al. 2025, arXiv 2503.01840) reports average acceptance lengths τ ≈ 6
 *   (6.0+ against EAGLE-2's 4.0 with 8× training data, as summaries quote it) for DYNAMIC TREES at temperature 0 in its own framework. Read as a
 *   chain this is OPTIMISTIC, not conservative as stated before: a chain at α = 0.8 gives 4.2 at k = 7,
 *   while chains measured in serving engines accept less (validate shapes: SGLang's Llama-3.1-8B EAGLE-3
 *   speedup, docs.sglang.io "Performance Highlights", 2.36× where α = 0.8 at k = 5 gives 2.81×; vLLM V1's
 *   chain, vllm-project/vllm issue #20780: accepted lengths 2.36–3.54 at K = 2–7, i.i.d.-equivalent α
 *   0.77 → 0.74).
 * - mtp: 0.85 — DeepSeek-V3 technical report (arXiv 2412.19437) §5.4.3, verbatim: "the acceptance rate of
 *   the second token prediction ranges between 85% and 90% across various generation topics". That is the
 *   FIRST draft's acceptance; engines reuse the one MTP module for later drafts, which accept less: TensorRT-LLM
 *   measures accepted lengths 1.92 / 2.58 / 2.82 at k = 1 / 2 / 3 on DeepSeek-R1 (docs/source/blogs/tech_blog/
 *   blog1_…_B200_GPUs.md, "Autoregressive MTP Layers" table), i.e. 0.92 for the first draft but an i.i.d.
 *   α of 0.77 at k = 3, where 0.85 gives 3.19. The value is kept as the cited figure (these runs are the
 *   held-out check and are not fitted to); for k ≥ 2 it overstates the accepted length.
 */
export const DEFAULT_SPEC_ACCEPTANCE: Readonly<Record<SpecMethod, number>> = { draft: 0.75, eagle: 0.75, eagle3: 0.8, mtp: 0.85 };

/** Where each default acceptance comes from, in a few words for the page (the full reasons above). */
export const DEFAULT_SPEC_ACCEPTANCE_SOURCES: Readonly<Record<SpecMethod, string>> = {
  draft: 'Leviathan et al. 2023, Table 3',
  eagle: 'EAGLE, Li et al. 2024 (draft accuracy ≈ 0.8, MT-bench)',
  eagle3: 'EAGLE-3, Li et al. 2025 (tree τ ≈ 6 read as a chain: optimistic)',
  mtp: 'DeepSeek-V3 report §5.4.3 (85–90 % for the first draft)',
};

/** Default k when only a method is given: vLLM's EAGLE / MTP examples use 3 (examples/offline_inference/spec_decode.py). */
export const DEFAULT_SPEC_TOKENS = 3;

/** Most speculative tokens accepted: vLLM's EAGLE / MTP examples use 1–7; beyond 16 the i.i.d. model is meaningless. */
export const MAX_SPEC_TOKENS = 16;

/** What the user asks for. `acceptance` null = the method's published default. */
export interface SpeculativeSettings {
  method: SpecMethod;
  tokens: number;
  acceptance: number | null;
  /** The draft model's parsed config (method 'draft' only). */
  draftArch?: ModelArch;
}

/** E = (1 − α^(k+1)) / (1 − α): Leviathan et al. 2023 eq. 1; k + 1 when α = 1. */
export function expectedTokensPerStep(acceptance: number, tokens: number): number {
  const a = Math.min(1, Math.max(0, acceptance));
  const k = Math.max(0, tokens);
  if (a >= 1) return k + 1;
  return (1 - a ** (k + 1)) / (1 - a);
}

/**
 * Drafts one verify accepts, from a uniform draw u on (0, 1]: under i.i.d. acceptance the first
 * rejection comes after j accepted drafts with P(A ≥ j) = α^j, so A = ⌊ln u / ln α⌋ (inversion),
 * capped at k. The verify emits A + 1 tokens (the accepted drafts and the target's own next token):
 * E[A + 1] = Σ_{j=0..k} α^j = expectedTokensPerStep (Leviathan et al. 2023 eq. 1).
 */
export function acceptedDraftTokens(uniform01: number, acceptance: number, tokens: number): number {
  const k = Math.max(0, Math.floor(tokens));
  if (k === 0 || !(acceptance > 0)) return 0;
  if (acceptance >= 1) return k;
  const u = Math.min(1, Math.max(Number.MIN_VALUE, uniform01));
  return Math.min(k, Math.floor(Math.log(u) / Math.log(acceptance)));
}

/** The batches speculativeStepTime fills (reused per window count: the step runs ~100,000 times a run). */
export interface SpeculativeStepScratch {
  verify: StepBatch;
  draft: StepBatch;
  draftTime: StepTime;
}

export function newSpeculativeStepScratch(windows: number): SpeculativeStepScratch {
  // Non-integer initial counts: the fields hold fractional numbers (V8 keeps them as doubles).
  const batch = (): StepBatch => ({ decodeRequests: 0.5, decodeContextTokens: new Float64Array(windows), prefillTokens: 0.5, prefillContextTokens: new Float64Array(windows), finishingPrefills: 0.5 });
  return { verify: batch(), draft: batch(), draftTime: newStepTime() };
}

/**
 * One stage's step with speculative decoding, from the step's plain batch (each decode one query
 * row) — the ONE pricing of the closed form (serving.ts stageStepTime, at its mean batch) and the
 * simulator (sim/stepModel.ts, at the batch it scheduled). The verify step: each decode reads its
 * KV once and adds k query rows that attend to its context (GEMM rows, attention and LM-head rows,
 * priced as extra rows of the same step). Plus k draft steps, each the plain decode step at the same
 * batch scaled by the draft's share of the target (draftStepFraction; APPROXIMATION), its fixed step
 * overhead charged in full (each is a forward of its own: vLLM's proposer runs k of them).
 * `batch` is read, not changed; written into `out`.
 */
export function speculativeStepTime(ctx: StepContext, spec: SpeculativeModel, batch: StepBatch, out: StepTime, scratch: SpeculativeStepScratch): StepTime {
  const decodes = batch.decodeRequests;
  if (decodes <= 0 || spec.tokens <= 0) return stepTime(ctx, batch, out);
  const n = batch.decodeContextTokens.length;
  const d = scratch.draft;
  const b = scratch.verify;
  d.decodeRequests = decodes;
  d.prefillTokens = 0;
  d.finishingPrefills = 0;
  const extraRows = decodes * spec.tokens;
  for (let i = 0; i < n; i += 1) {
    const ctxTokens = batch.decodeContextTokens[i] ?? 0;
    d.decodeContextTokens[i] = ctxTokens;
    d.prefillContextTokens[i] = 0;
    b.decodeContextTokens[i] = ctxTokens;
    b.prefillContextTokens[i] = (batch.prefillContextTokens[i] ?? 0) + spec.tokens * ctxTokens;
  }
  b.decodeRequests = decodes;
  b.prefillTokens = batch.prefillTokens + extraRows;
  b.finishingPrefills = batch.finishingPrefills + extraRows;
  const draft = stepTime(ctx, d, scratch.draftTime);
  const draftScale = spec.tokens * spec.draftStepFraction;
  const v = stepTime(ctx, b, out);
  v.computeMs += draftScale * draft.computeMs;
  v.memoryMs += draftScale * draft.memoryMs;
  v.communicationMs += draftScale * draft.communicationMs;
  const draftOverheadMs = spec.tokens * draft.overheadMs * (1 - spec.draftStepFraction);
  v.overheadMs += draftScale * draft.overheadMs + draftOverheadMs;
  v.totalMs += draftScale * draft.totalMs + draftOverheadMs;
  return v;
}

/** Non-embedding parameters of one decoder layer of `arch` (its mean layer). */
function meanLayerParams(arch: ModelArch): number {
  const p = arch.params;
  const layered = p.mixer + p.denseFfn + p.routedExperts + p.sharedExperts + p.router + p.norms;
  return layered / Math.max(1, arch.numLayers);
}

/**
 * The speculative model of `settings` on target `arch`, or a sentence saying why not (MTP on a config
 * without MTP layers, a draft method without a draft config).
 */
export function resolveSpeculative(arch: ModelArch, settings: SpeculativeSettings): { ok: true; value: SpeculativeModel } | { ok: false; error: string } {
  const k = settings.tokens;
  const acceptance = settings.acceptance ?? DEFAULT_SPEC_ACCEPTANCE[settings.method];
  const layers = Math.max(1, arch.numLayers);
  let draftLayers: number;
  let draftParams: number;
  let draftStepFraction: number;
  let draftKvShare: number;
  switch (settings.method) {
    case 'mtp': {
      if (arch.mtpLayers <= 0) return { ok: false, error: `${arch.modelId} declares no MTP layers (num_nextn_predict_layers); choose draft, eagle or eagle3.` };
      draftLayers = arch.mtpLayers;
      // The MTP module's own weights as the config parser counted them (parseConfig.ts mtpLayerParams).
      draftParams = arch.params.mtp ?? arch.mtpLayers * meanLayerParams(arch);
      // vLLM runs the MTP layers once per proposed token (deepseek_mtp.py); each like a target layer.
      draftStepFraction = draftLayers / layers;
      draftKvShare = draftLayers / layers;
      break;
    }
    case 'eagle':
    case 'eagle3': {
      // An EAGLE head is one decoder layer of the target's shape (vLLM llama_eagle.py / llama_eagle3.py) and an LM head.
      draftLayers = 1;
      draftParams = meanLayerParams(arch) + arch.hiddenSize * arch.vocabSize;
      draftStepFraction = draftLayers / layers;
      draftKvShare = draftLayers / layers;
      break;
    }
    case 'draft': {
      const d = settings.draftArch;
      if (d === undefined) return { ok: false, error: 'Speculative method "draft" needs the draft model\'s config (--draft-config path).' };
      draftParams = d.params.total;
      // A small dense draft reads all its weights per step like the target does: its share of the target's step ≈ its share of the bytes.
      draftStepFraction = Math.min(1, d.params.total / Math.max(1, arch.params.total));
      // APPROXIMATION: KV per token scales with layers × hidden size (same GQA ratio and KV dtype as the target).
      draftKvShare = (d.numLayers * d.hiddenSize) / (layers * Math.max(1, arch.hiddenSize));
      break;
    }
  }
  return {
    ok: true,
    value: { method: settings.method, tokens: k, acceptance, expectedTokensPerStep: expectedTokensPerStep(acceptance, k), draftStepFraction, draftParams, draftKvShare },
  };
}

/**
 * The memory plan with the draft / heads loaded (a separate pass after the target's plan, kept out of
 * planMemory.ts): their weights come out of the KV pool (same precision and sharding as the target's
 * weights — APPROXIMATION), and the rest is shared with the draft layers' KV in proportion to bytes
 * per token (vLLM sizes one pool for target and draft layers, vllm/v1/spec_decode + kv_cache_utils).
 */
export function speculativeMemoryPlan(plan: MemoryPlan, arch: ModelArch, spec: SpeculativeModel): MemoryPlan {
  const targetParams = Math.max(1, arch.params.total);
  const draftWeightsBytes = plan.weightsBytesPerGpu * (spec.draftParams / targetParams);
  const afterWeights = Math.max(0, plan.kvCacheBytesPerGpu - draftWeightsBytes);
  const kvCacheBytesPerGpu = afterWeights / (1 + spec.draftKvShare);
  const scale = plan.kvCacheBytesPerGpu > 0 ? kvCacheBytesPerGpu / plan.kvCacheBytesPerGpu : 0;
  const fits = plan.fits && kvCacheBytesPerGpu > 0;
  return {
    ...plan,
    fits,
    reason: fits ? plan.reason : (plan.reason ?? 'no-kv-memory'),
    message: fits ? plan.message : (plan.message ?? `The ${spec.method} draft weights (${(draftWeightsBytes / 2 ** 30).toFixed(2)} GiB per GPU) leave no memory for the KV cache.`),
    weightsBytesPerGpu: plan.weightsBytesPerGpu + draftWeightsBytes,
    kvCacheBytesPerGpu,
    numGpuBlocks: Math.floor(plan.numGpuBlocks * scale),
    kvCacheTokens: Math.floor(plan.kvCacheTokens * scale),
    maxConcurrency: plan.maxConcurrency * scale,
  };
}
