/**
 * Speculative decoding (issue 12 item 3): a draft model, EAGLE / EAGLE-3 heads or the MTP layers a
 * config declares propose k tokens; the target verifies them in one step over k + 1 query tokens per
 * request and keeps the accepted prefix plus one token of its own.
 *
 *   expected tokens per verify step  E = (1 − α^(k+1)) / (1 − α)     (Leviathan et al. 2023, eq. 1;
 *                                                                    α = per-token acceptance, i.i.d.)
 *   ITL = (verify step over k + 1 tokens per decode + k draft steps) / E
 *
 * Token trees (SGLang --speculative-eagle-topk > 1, EAGLE-2's dynamic tree): the verify runs
 * num_draft_tokens rows per request, drafts after the first run topk rows per request, and the
 * expected accepted length is the sum of the kept nodes' path probabilities (treeAcceptedSurvival).
 *
 * The verify step is priced by the same step model (step.ts stepTime) as every other step: each
 * decode reads its KV once and adds k extra query rows (GEMM rows, attention over its context, LM
 * head rows), so at a large batch, where the GEMMs are compute-bound, the k extra rows cost about
 * as much as they save and speculation stops paying (shown, not hidden). The serving hook is
 * serving.ts meanStepTime / flowPass; the request-level simulator prices its steps with the same
 * speculativeStepTime (sim/stepModel.ts) and draws each verify's accepted tokens from
 * acceptedDraftTokens, whose mean is E.
 *
 * APPROXIMATIONS: i.i.d. acceptance (real acceptance decays with draft position); in a tree, the
 * target's token is the draft's i-th candidate with probability α(1 − α)^(i−1) (rankAcceptance); a draft forward costs the draft's share of the target's decode step at
 * the same batch (layers for EAGLE / MTP, parameters for a draft model) plus its LM head, and the
 * engine's own host launches (speculativeStepTime, draftHostForwards); the first draft forward runs
 * over one row per request like the others (vLLM's runs over the verified tokens).
 */
import type { MemoryPlan, ModelArch, ServingEngine, SpecMethod, SpeculativeModel } from '../types';
import type { StepContext, StepTime } from './step';
import { hideHostPart, newStepTime, stepTime } from './step';
import { tiledRows } from './flops';
import { GEMM_TOKEN_TILE_ROWS } from '../calibration';
import { MS_PER_S } from '../units';
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

/**
 * A published accepted length and the tree it was measured on, for a default whose source measured
 * a token TREE. The per-node α of a tree default is SOLVED from it under this file's tree rule
 * (expectedTreeTokensPerStep: rank i accepted with α(1 − α)^(i−1)), so a tree at the source's shape
 * reproduces the source's accepted length; reading the same figure as a chain's and then applying the
 * tree rule on top would count the tree's gain twice. Nothing is fitted to the calibration rows.
 * - eagle3: EAGLE-3 (Li et al. 2025, arXiv 2503.01840), average acceptance length τ ≈ 6 (the figure
 *   DEFAULT_SPEC_ACCEPTANCE.eagle3 is read from, above) at temperature 0, measured on EAGLE-2's dynamic
 *   draft tree with the authors' evaluation defaults (SafeAILab/EAGLE eagle/evaluation/
 *   gen_ea_answer_llama3chat.py: --total-token 60 "drafted tokens in the tree + 1", --depth 5 "the
 *   maximum draft length − 1", --top-k 10): a tree of 6 draft steps, top-10 per depth, 60 tokens verified.
 *   ASSUMED: the paper's own tree settings were not reachable this session; the script's defaults are
 *   taken as the paper's. Solved: α = 0.774 (0.8 as a chain); a deeper tree for the same τ would give less.
 * The other defaults are per-token figures (EAGLE's draft accuracy, Leviathan's and DeepSeek-V3's
 * chains: the rank-1 acceptance the tree rule starts from) and hold for trees as they are.
 */
export const TREE_DEFAULT_SOURCES: Readonly<Partial<Record<SpecMethod, { acceptedLength: number; tokens: number; topk: number; draftTokens: number }>>> = {
  eagle3: { acceptedLength: 6, tokens: 6, topk: 10, draftTokens: 60 },
};

/** Where each default acceptance comes from, in a few words for the page (the full reasons above). */
export const DEFAULT_SPEC_ACCEPTANCE_SOURCES: Readonly<Record<SpecMethod, string>> = {
  draft: 'Leviathan et al. 2023, Table 3',
  eagle: 'EAGLE, Li et al. 2024 (draft accuracy ≈ 0.8, MT-bench)',
  eagle3: 'EAGLE-3, Li et al. 2025 (tree τ ≈ 6 read as a chain: optimistic; a tree solves α from τ at the paper\'s tree)',
  mtp: 'DeepSeek-V3 report §5.4.3 (85–90 % for the first draft)',
};

/**
 * EAGLE-3 heads' draft vocabulary: the released heads (yuhuili/EAGLE3-LLaMA3.1-Instruct-8B and the
 * speculators format, vllm-project/speculators Eagle3SpeculatorConfig: "vocabulary mapping between draft
 * (32K) and target (128K) vocabularies") predict over the 32,000 most frequent tokens, mapped to the
 * target's ids (vLLM llama_eagle3.py draft_id_to_target_id). A head trained with another size is
 * priced as if it had 32K (APPROXIMATION: the head's config is not read).
 */
export const EAGLE3_DRAFT_VOCAB = 32000;

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
  /** [tree] Candidates per depth (SGLang --speculative-eagle-topk); absent = 1, a chain of `tokens`. */
  topk?: number;
  /** [tree] Tokens verified per request, the root included (SGLang --speculative-num-draft-tokens); absent = tokens + 1. */
  draftTokens?: number;
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

/** Verified tokens of a tree when only its top-k is chosen: SGLang's EAGLE-2 example for Llama (docs advanced_features/speculative_decoding.md: --speculative-num-steps 5 --speculative-eagle-topk 4 --speculative-num-draft-tokens 8). */
export const DEFAULT_SPEC_DRAFT_TOKENS = 8;

/** Most candidates per tree depth: SGLang's examples use topk 1–8 (docs advanced_features/speculative_decoding.md); 16 bounds the candidate sort (depth × topk² nodes). */
export const MAX_SPEC_TOPK = 16;

/** Most tokens a tree verifies per request: SGLang's largest published run verifies 64 (PR #4716, topk 8, 8 steps); 256 bounds the verify's extra rows. */
export const MAX_SPEC_DRAFT_TOKENS = 256;

/** Candidates per depth of `spec` (1 = a chain). */
export const specTopk = (spec: Pick<SpeculativeModel, 'topk'>): number => Math.max(1, Math.floor(spec.topk ?? 1));

/**
 * Nodes a tree of `depth` draft steps at `topk` can offer the verify, the root included: SGLang's
 * eagle_worker.py draft_forward keeps topk candidates at the first depth and topk × topk at each later
 * one (select_top_k_tokens expands the topk best nodes of the previous depth by topk children each),
 * and organize_draft_results picks num_draft_tokens − 1 of them.
 */
export function maxTreeDraftTokens(depth: number, topk: number): number {
  const k = Math.max(0, Math.floor(depth));
  const t = Math.max(1, Math.floor(topk));
  return k === 0 ? 1 : 1 + t + (k - 1) * t * t;
}

/**
 * Query rows one verify runs per decoding request, the request's own last token included: k + 1 for
 * a chain (vLLM num_speculative_tokens + 1; SGLang forces num_draft_tokens = num_steps + 1 at topk 1),
 * SGLang's --speculative-num-draft-tokens for a tree (capped at the nodes the tree offers).
 */
export function verifyTokensPerDecode(spec: Pick<SpeculativeModel, 'tokens' | 'topk' | 'draftTokens'>): number {
  const k = Math.max(0, spec.tokens);
  const t = specTopk(spec);
  if (t <= 1 || spec.draftTokens === undefined) return k + 1;
  return Math.min(maxTreeDraftTokens(k, t), Math.max(2, Math.floor(spec.draftTokens)));
}

/**
 * Why a tree shape cannot run, or null: trees are SGLang's (--speculative-eagle-topk; vLLM V1 and
 * TensorRT-LLM are modelled as chains here); at topk 1 SGLang sets num_draft_tokens = num_steps + 1
 * (server_args.py), so another value is refused rather than silently changed; a tree verifies at most
 * the nodes it drafts (maxTreeDraftTokens).
 */
export function treeShapeError(engine: ServingEngine, tokens: number, topk: number | undefined, draftTokens: number | undefined): string | null {
  const t = topk ?? 1;
  if (t <= 1) {
    if (draftTokens !== undefined && draftTokens !== tokens + 1) return `with top-k 1 (a chain) the verified tokens are the speculative tokens + 1 = ${tokens + 1}, got ${draftTokens}`;
    return null;
  }
  if (engine !== 'sglang') return `token trees (top-k ${t}) are modelled for SGLang only (--speculative-eagle-topk); ${engine} verifies a chain here: use top-k 1`;
  const most = maxTreeDraftTokens(tokens, t);
  if (draftTokens !== undefined && draftTokens > most) return `a tree of ${tokens} steps at top-k ${t} drafts ${most - 1} nodes, so it verifies at most ${most} tokens, got ${draftTokens}`;
  return null;
}

/**
 * P(the target's next token is the draft's i-th ranked candidate), i ≥ 1, under greedy verification:
 * α(1 − α)^(i−1). APPROXIMATION (no published per-rank table was reachable): each further candidate
 * catches a share α of what the earlier ones missed, so the top-1 is accepted with α exactly (the
 * chain's per-token acceptance) and the top-j hold 1 − (1 − α)^j. Real drafts' top-j coverage grows
 * more slowly than this (their candidates are not independent tries), so trees are read as an upper end.
 */
export function rankAcceptance(acceptance: number, rank: number): number {
  const a = Math.min(1, Math.max(0, acceptance));
  const i = Math.max(1, Math.floor(rank));
  return a * (1 - a) ** (i - 1);
}

/**
 * S[d − 1] = P(a verify accepts at least d drafts), d = 1..depth, for a tree of `depth` draft steps
 * with `topk` candidates per depth, `draftTokens` nodes verified (the root included):
 *
 *   tree      EAGLE-2's dynamic tree as SGLang builds it (eagle_worker.py draft_forward /
 *             select_top_k_tokens, eagle_utils organize_draft_results): depth 1 holds the root's topk
 *             candidates; each later depth the topk × topk children of the previous depth's topk
 *             best nodes; a node's score is the product of its path's candidate probabilities; the
 *             draftTokens − 1 best-scored nodes of all depths are verified. EAGLE-2 (Li et al. 2024,
 *             arXiv 2406.16858) ranks by the draft's confidence because it approximates acceptance;
 *             here the score IS the modelled acceptance: rankAcceptance of each node's rank.
 *   accepted  Sequoia (Chen et al. 2024, arXiv 2402.12374) §3.1, positional acceptance: a node is
 *             accepted with the product f(v) of its path's per-rank acceptances, and at most one node
 *             per depth is accepted (greedy verification follows one path, SpecInfer / Medusa tree
 *             verification), so P(A ≥ d) = Σ f(v) over the verified nodes at depth d and
 *             E[accepted drafts] = Σ_v f(v).
 *
 * At topk 1 the tree is the chain: S[d − 1] = α^d and 1 + Σ S = expectedTokensPerStep. The verified
 * set is ancestor-closed (a child's score never exceeds its parent's; ties go to the shallower node).
 */
export function treeAcceptedSurvival(acceptance: number, depth: number, topk: number, draftTokens: number): Float64Array {
  const k = Math.max(0, Math.floor(depth));
  const t = Math.max(1, Math.floor(topk));
  const survival = new Float64Array(k);
  if (k === 0) return survival;
  const ranks = Array.from({ length: t }, (_, i) => rankAcceptance(acceptance, i + 1));
  const scores: number[] = [];
  const depths: number[] = [];
  let frontier = [1];
  for (let d = 1; d <= k; d += 1) {
    const level: number[] = [];
    for (const parent of frontier) for (const p of ranks) level.push(parent * p);
    for (const s of level) {
      scores.push(s);
      depths.push(d);
    }
    frontier = [...level].sort((x, y) => y - x).slice(0, t);
  }
  const order = scores.map((_, i) => i).sort((i, j) => (scores[j] ?? 0) - (scores[i] ?? 0) || (depths[i] ?? 0) - (depths[j] ?? 0));
  const verified = Math.min(order.length, Math.max(0, Math.floor(draftTokens) - 1));
  for (let n = 0; n < verified; n += 1) {
    const i = order[n] ?? 0;
    const d = depths[i] ?? 1;
    survival[d - 1] = (survival[d - 1] ?? 0) + (scores[i] ?? 0);
  }
  // Σ over one depth's nodes ≤ its parents' sum (ranks sum to 1 − (1 − α)^topk ≤ 1): clamp rounding.
  for (let d = 1; d < k; d += 1) survival[d] = Math.min(survival[d] ?? 0, survival[d - 1] ?? 0);
  return survival;
}

/** E for a tree: 1 + Σ_d P(A ≥ d) (the target's own token plus the expected accepted drafts). */
export function expectedTreeTokensPerStep(acceptance: number, depth: number, topk: number, draftTokens: number): number {
  let e = 1;
  for (const s of treeAcceptedSurvival(acceptance, depth, topk, draftTokens)) e += s;
  return e;
}

/**
 * E of `spec`'s shape: the chain's closed form (expectedTokensPerStep) at topk 1, the tree's
 * (expectedTreeTokensPerStep) above.
 */
export function expectedTokensOf(acceptance: number, spec: Pick<SpeculativeModel, 'tokens' | 'topk' | 'draftTokens'>): number {
  const t = specTopk(spec);
  if (t <= 1) return expectedTokensPerStep(acceptance, spec.tokens);
  return expectedTreeTokensPerStep(acceptance, spec.tokens, t, verifyTokensPerDecode(spec));
}

/**
 * The per-token acceptance α whose expected tokens per verify step (expectedTokensOf: the chain's
 * closed form, or the tree's for `topk` > 1) equals an accepted length a source reports, by bisection
 * (E rises monotonically in α): 0 at or below 1 token, 1 at or above the shape's most.
 */
export function acceptanceForAcceptedLength(acceptedLength: number, tokens: number, tree: { topk?: number; draftTokens?: number } = {}): number {
  const k = Math.max(0, Math.floor(tokens));
  if (k === 0 || acceptedLength <= 1) return 0;
  const shape = { tokens: k, ...tree };
  if (acceptedLength >= expectedTokensOf(1, shape)) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (expectedTokensOf(mid, shape) < acceptedLength) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

let treeDefaults: Readonly<Record<SpecMethod, number>> | null = null;

/**
 * Default per-node α for a token tree (topk > 1): solved from TREE_DEFAULT_SOURCES where the default's
 * source measured a tree, else DEFAULT_SPEC_ACCEPTANCE (a per-token figure). Three decimals (the
 * sources state τ to two digits).
 */
export function treeDefaultSpecAcceptance(): Readonly<Record<SpecMethod, number>> {
  if (treeDefaults !== null) return treeDefaults;
  const out: Record<SpecMethod, number> = { ...DEFAULT_SPEC_ACCEPTANCE };
  for (const method of Object.keys(TREE_DEFAULT_SOURCES) as SpecMethod[]) {
    const src = TREE_DEFAULT_SOURCES[method];
    if (src === undefined) continue;
    out[method] = Math.round(acceptanceForAcceptedLength(src.acceptedLength, src.tokens, { topk: src.topk, draftTokens: src.draftTokens }) * 1000) / 1000;
  }
  treeDefaults = out;
  return out;
}

/** The published default α for `method` on a shape: a chain's (DEFAULT_SPEC_ACCEPTANCE) at topk ≤ 1, a tree's (treeDefaultSpecAcceptance) above. */
export function defaultSpecAcceptance(method: SpecMethod, topk: number | undefined): number {
  return Math.max(1, Math.floor(topk ?? 1)) > 1 ? treeDefaultSpecAcceptance()[method] : DEFAULT_SPEC_ACCEPTANCE[method];
}

/**
 * Drafts a tree's verify accepts, from a uniform draw u on (0, 1] and the tree's survival
 * (treeAcceptedSurvival): the largest d with u ≤ P(A ≥ d) (inversion; mean Σ P(A ≥ d)). At topk 1
 * this is acceptedDraftTokens' law (u ≤ α^d ⟺ d ≤ ln u ÷ ln α).
 */
export function acceptedTreeDraftTokens(uniform01: number, survival: ArrayLike<number>): number {
  const u = Math.min(1, Math.max(Number.MIN_VALUE, uniform01));
  let d = 0;
  while (d < survival.length && u <= (survival[d] ?? 0)) d += 1;
  return d;
}

/** The batches speculativeStepTime fills (reused per window count: the step runs ~100,000 times a run). */
export interface SpeculativeStepScratch {
  verify: StepBatch;
  draft: StepBatch;
  draftTime: StepTime;
  /** [tree] A draft forward over topk rows per request, and its parts. */
  draftWide?: StepBatch;
  draftWideTime?: StepTime;
  firstDraft?: DraftForward;
  wideDraft?: DraftForward;
}

/** One draft forward's price, from the plain step at the draft's rows (speculativeStepTime). */
interface DraftForward {
  computeMs: number;
  memoryMs: number;
  communicationMs: number;
  overheadMs: number;
  totalMs: number;
  /** The fixed step overhead (less the per-sampled-row host work) the forward is measured against. */
  fixedOverheadMs: number;
}

const newDraftForward = (): DraftForward => ({ computeMs: 0.5, memoryMs: 0.5, communicationMs: 0.5, overheadMs: 0.5, totalMs: 0.5, fixedOverheadMs: 0.5 });

export function newSpeculativeStepScratch(windows: number): SpeculativeStepScratch {
  // Non-integer initial counts: the fields hold fractional numbers (V8 keeps them as doubles).
  const batch = (): StepBatch => ({ decodeRequests: 0.5, decodeContextTokens: new Float64Array(windows), prefillTokens: 0.5, prefillContextTokens: new Float64Array(windows), finishingPrefills: 0.5 });
  return { verify: batch(), draft: batch(), draftTime: newStepTime(), draftWide: batch(), draftWideTime: newStepTime(), firstDraft: newDraftForward(), wideDraft: newDraftForward() };
}

/**
 * A draft forward from the plain step over its rows (`plain`, `sampledRows` LM-head rows), as the
 * comment of speculativeStepTime writes it; into `out`.
 */
function draftForward(ctx: StepContext, spec: SpeculativeModel, plain: StepTime, sampledRows: number, out: DraftForward): DraftForward {
  const f = spec.draftStepFraction;
  const s = spec.draftLmHeadShare ?? 0;
  const fLayers = spec.draftLayerShare ?? f;
  const c = ctx.coefficients;
  // The plain step's LM head terms: its GEMM over its sampled rows and its weights read once.
  const lmHeadComputeMs = Math.min(plain.computeMs, c.lmHeadMsPerSample * tiledRows(sampledRows, GEMM_TOKEN_TILE_ROWS));
  const lmHeadBytes = ctx.cost.lmHeadWeightBytes ?? (ctx.cost.lmHeadFlopsPerSampledToken / 2) * ctx.cost.activationBytes;
  const bandwidth = ctx.rates.bandwidthBytesPerS;
  const lmHeadWeightsMs = Math.min(plain.memoryMs, bandwidth > 0 ? (lmHeadBytes / bandwidth) * MS_PER_S : 0);
  const exposedMs = Math.max(0, plain.totalMs - Math.max(plain.computeMs, plain.memoryMs) - plain.communicationMs - plain.overheadMs);
  out.computeMs = f * (plain.computeMs - lmHeadComputeMs) + s * lmHeadComputeMs;
  out.memoryMs = f * (plain.memoryMs - lmHeadWeightsMs) + s * lmHeadWeightsMs;
  out.communicationMs = f * plain.communicationMs;
  out.fixedOverheadMs = Math.max(0, plain.overheadMs - c.hostMsPerSample * sampledRows);
  out.overheadMs = fLayers * out.fixedOverheadMs;
  out.totalMs = Math.max(out.computeMs, out.memoryMs) + f * exposedMs + out.communicationMs + out.overheadMs;
  return out;
}

/** The host cost of `rows` sampled rows (step.ts StepCoefficients.hostMsPerSample). */
const sampledHostMs = (ctx: StepContext, rows: number): number => ctx.coefficients.hostMsPerSample * rows;
/** Its share the engine loop runs under the GPU with async scheduling (StepCoefficients.sampledHostOverlapFraction; 0 without). */
const overlappedSampledHostMs = (ctx: StepContext, rows: number): number => (ctx.coefficients.sampledHostOverlapFraction ?? 0) * sampledHostMs(ctx, rows);

/**
 * One stage's step with speculative decoding, from the step's plain batch (each decode one query
 * row) — the ONE pricing of the closed form (serving.ts stageStepTime, at its mean batch) and the
 * simulator (sim/stepModel.ts, at the batch it scheduled). `batch` is read, not changed; written into `out`.
 *
 *   step = verify (the plain step + k query rows per decode) + k × draft forward
 *
 * The verify: each decode reads its KV once and adds k query rows that attend to its context (GEMM
 * rows, attention and LM-head rows, priced as extra rows of the same step), with the step's fixed
 * overhead (scheduler, input prep, sampling) once.
 *
 * A draft forward runs INSIDE the same engine step, so it does not pay the per-step host overhead
 * again: vLLM V1 runs the proposer from the model runner's execute_model, after the target's
 * forward and before the step returns (vllm/v1/spec_decode/eagle.py EagleProposer.propose: one
 * draft forward over the verified tokens, then a loop of k − 1 forwards replaying the drafter's
 * CUDA graph at the padded batch, each followed by compute_logits and a GPU argmax — no scheduler
 * or sampler pass between drafts); SGLang captures the draft steps in one CUDA graph
 * (python/sglang/srt/speculative/eagle_worker.py, draft CUDA-graph runner: draft-extend, then
 * speculative_num_steps − 1 draft decodes, then one target-verify); TensorRT-LLM captures the
 * verify and the MTP drafts in one graph (docs/source/blogs/tech_blog, DeepSeek-R1 MTP blog: "both
 * the verification and draft stages can be captured in one graph"). Its GPU time is the draft's
 * own step at its size, at the same batch (one row per decode):
 *
 *   draft compute = f · (plain compute − LM head GEMM) + s · LM head GEMM
 *   draft memory  = f · (plain memory − LM head weights) + s · LM head weights
 *   draft comm    = f · plain collectives;  exposed = f · plain exposed
 *   draft overhead = fₗ · (plain overhead − host per sampled token × decodes)
 *
 * f = draftStepFraction (layers for EAGLE / MTP, parameters for a draft model), s = draftLmHeadShare
 * (EAGLE and MTP run the target's full-vocab head each draft: for Llama-3.1-8B that head is 1.05 GB,
 * more than the draft layer's 0.44 GB — why SGLang offers FR-Spec "for lower lm_head overhead";
 * EAGLE-3 has its own draft-vocab head), fₗ = draftLayerShare: the draft layers' share of the fitted
 * step overhead, read as per-layer kernel floors (APPROXIMATION: the fitted overhead does not split
 * host time from GPU kernel floors; the host part is paid once). The drafts' argmax runs on the GPU
 * (no host work per request per draft).
 */
export function speculativeStepTime(overlapped: StepContext, spec: SpeculativeModel, batch: StepBatch, out: StepTime, scratch: SpeculativeStepScratch): StepTime {
  const decodes = batch.decodeRequests;
  if (decodes <= 0 || spec.tokens <= 0) return stepTime(overlapped, batch, out);
  // With async scheduling the parts are priced serially and the step's host work is hidden once,
  // under the whole step (verify + drafts): the scheduler runs one engine step ahead, not one forward
  // ahead, and the draft loop's host launches run ahead of the GPU too (no host sync in the padded
  // drafter batch: perf/asyncScheduling.ts; step.ts hideHostPart's overlappedHostMs).
  const ctx = overlapped.serial ?? overlapped;
  const n = batch.decodeContextTokens.length;
  const d = scratch.draft;
  const b = scratch.verify;
  d.decodeRequests = decodes;
  d.prefillTokens = 0;
  d.finishingPrefills = 0;
  // The verify's extra query rows per decode: k for a chain, num_draft_tokens − 1 for a tree.
  const verifyExtra = verifyTokensPerDecode(spec) - 1;
  const extraRows = decodes * verifyExtra;
  for (let i = 0; i < n; i += 1) {
    const ctxTokens = batch.decodeContextTokens[i] ?? 0;
    d.decodeContextTokens[i] = ctxTokens;
    d.prefillContextTokens[i] = 0;
    b.decodeContextTokens[i] = ctxTokens;
    b.prefillContextTokens[i] = (batch.prefillContextTokens[i] ?? 0) + verifyExtra * ctxTokens;
  }
  b.decodeRequests = decodes;
  b.prefillTokens = batch.prefillTokens + extraRows;
  b.finishingPrefills = batch.finishingPrefills + extraRows;
  const first = draftForward(ctx, spec, stepTime(ctx, d, scratch.draftTime), decodes, (scratch.firstDraft ??= newDraftForward()));
  const k = spec.tokens;
  const fLayers = spec.draftLayerShare ?? spec.draftStepFraction;
  // A forward the host launches on its own takes at least the host part of the fixed overhead (the
  // rest, fLayers of it, is in the forward's overheadMs): the host prepares the next draft while the GPU runs
  // this one (no synchronisation inside the draft loop: the argmax stays on the GPU), so per such
  // forward max(host, GPU), i.e. the host time the GPU time does not hide is added.
  const hostLaunchMs = (1 - Math.min(1, fLayers)) * first.fixedOverheadMs;
  const hostForwards = Math.min(k, Math.max(0, spec.draftHostForwards ?? k));
  const topk = specTopk(spec);
  const v = stepTime(ctx, b, out);
  if (topk <= 1) {
    const hostMs = hostForwards * Math.max(0, hostLaunchMs - first.totalMs);
    v.computeMs += k * first.computeMs;
    v.memoryMs += k * first.memoryMs;
    v.communicationMs += k * first.communicationMs;
    v.overheadMs += k * first.overheadMs + hostMs;
    v.totalMs += k * first.totalMs + hostMs;
    return hideHostPart(overlapped, v, sampledHostMs(overlapped, decodes + batch.finishingPrefills + extraRows) + hostMs, overlappedSampledHostMs(overlapped, decodes + batch.finishingPrefills + extraRows) + hostMs);
  }
  // A tree: the first draft forward (SGLang's draft extend) runs one row per request; each of the
  // k − 1 later ones runs the topk candidates of every request (eagle_worker.py draft_forward:
  // input_ids of batch × topk, each attending to its request's context and its own path: priced
  // as topk − 1 extra rows at the decode context, LM-head rows included, like the verify's rows).
  const w = (scratch.draftWide ??= newSpeculativeStepScratch(n).draft);
  const wideRows = decodes * (topk - 1);
  w.decodeRequests = decodes;
  w.prefillTokens = wideRows;
  w.finishingPrefills = wideRows;
  for (let i = 0; i < n; i += 1) {
    const ctxTokens = batch.decodeContextTokens[i] ?? 0;
    w.decodeContextTokens[i] = ctxTokens;
    w.prefillContextTokens[i] = (topk - 1) * ctxTokens;
  }
  const wide = draftForward(ctx, spec, stepTime(ctx, w, (scratch.draftWideTime ??= newStepTime())), decodes * topk, (scratch.wideDraft ??= newDraftForward()));
  const later = k - 1;
  const hostMs = (hostForwards >= 1 ? Math.max(0, hostLaunchMs - first.totalMs) : 0) + Math.max(0, hostForwards - 1) * Math.max(0, hostLaunchMs - wide.totalMs);
  v.computeMs += first.computeMs + later * wide.computeMs;
  v.memoryMs += first.memoryMs + later * wide.memoryMs;
  v.communicationMs += first.communicationMs + later * wide.communicationMs;
  v.overheadMs += first.overheadMs + later * wide.overheadMs + hostMs;
  v.totalMs += first.totalMs + later * wide.totalMs + hostMs;
  return hideHostPart(overlapped, v, sampledHostMs(overlapped, decodes + batch.finishingPrefills + extraRows) + hostMs, overlappedSampledHostMs(overlapped, decodes + batch.finishingPrefills + extraRows) + hostMs);
}

/**
 * Draft forwards per step that an engine launches from the host, each paying the host part of the
 * step's fixed overhead (input and attention-metadata preparation, graph launch):
 * - vllm: k — vllm/v1/spec_decode/eagle.py EagleProposer.propose runs the first draft forward, then
 *   `for _ in range(self.num_speculative_tokens - 1)` a Python loop that updates positions, sequence
 *   lengths and slot mappings and launches one drafter forward (a CUDA-graph replay at the padded
 *   batch) plus compute_logits and argmax per draft. APPROXIMATION: each pays the whole fitted host
 *   overhead of a step (it has no scheduler pass, which the fit does not split out).
 * - sglang: 1 — python/sglang/srt/speculative/eagle_worker.py: the draft-extend forward after the
 *   verify has its own launch (eagle_draft_extend_cuda_graph_runner.py); the speculative_num_steps
 *   draft decodes replay ONE CUDA graph (eagle_draft_cuda_graph_runner.py EAGLEDraftCudaGraphRunner
 *   captures the whole multi-step draft per batch size).
 * - trtllm: 0 — TensorRT-LLM captures the verify and the MTP / EAGLE-3 one-model drafts in one CUDA
 *   graph (docs/source/blogs/tech_blog, the DeepSeek-R1 MTP blog: "both the verification and draft
 *   stages can be captured in one graph").
 */
export function draftHostForwards(engine: ServingEngine, tokens: number): number {
  const k = Math.max(0, Math.floor(tokens));
  switch (engine) {
    case 'vllm':
      return k;
    case 'sglang':
      return Math.min(1, k);
    case 'trtllm':
      return 0;
  }
}

/** `spec` as `engine` runs it (draftHostForwards), unless the object already says. */
export function speculativeForEngine(spec: SpeculativeModel, engine: ServingEngine): SpeculativeModel {
  if (spec.draftHostForwards !== undefined) return spec;
  return { ...spec, draftHostForwards: draftHostForwards(engine, spec.tokens) };
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
  // A tree's default is the per-node α its source's tree reproduces (TREE_DEFAULT_SOURCES), a chain's the per-token figure.
  const acceptance = settings.acceptance ?? defaultSpecAcceptance(settings.method, settings.topk);
  const layers = Math.max(1, arch.numLayers);
  let draftLayers: number;
  let draftParams: number;
  let draftStepFraction: number;
  let draftKvShare: number;
  let draftLmHeadShare: number;
  let draftLayerShare: number | undefined;
  switch (settings.method) {
    case 'mtp': {
      if (arch.mtpLayers <= 0) return { ok: false, error: `${arch.modelId} declares no MTP layers (num_nextn_predict_layers); choose draft, eagle or eagle3.` };
      draftLayers = arch.mtpLayers;
      // The MTP module's own weights as the config parser counted them (parseConfig.ts mtpLayerParams).
      draftParams = arch.params.mtp ?? arch.mtpLayers * meanLayerParams(arch);
      // vLLM runs the MTP layers once per proposed token (deepseek_mtp.py); each like a target layer.
      draftStepFraction = draftLayers / layers;
      draftKvShare = draftLayers / layers;
      // The MTP module runs the target's output head (DeepSeek-V3 report §2.2: "shared embedding and output head").
      draftLmHeadShare = 1;
      break;
    }
    case 'eagle': {
      // An EAGLE head is one decoder layer of the target's shape (vLLM llama_eagle.py) and an LM head over the target's vocabulary.
      draftLayers = 1;
      draftParams = meanLayerParams(arch) + arch.hiddenSize * arch.vocabSize;
      draftStepFraction = draftLayers / layers;
      draftKvShare = draftLayers / layers;
      draftLmHeadShare = 1;
      break;
    }
    case 'eagle3': {
      // One decoder layer (vLLM llama_eagle3.py), the fc fusing three target layers' hidden states
      // (3h → h), and its own head over a draft vocabulary (EAGLE3_DRAFT_VOCAB, mapped to the target's).
      const draftVocab = Math.min(arch.vocabSize, EAGLE3_DRAFT_VOCAB);
      draftLayers = 1;
      draftParams = meanLayerParams(arch) + 3 * arch.hiddenSize * arch.hiddenSize + arch.hiddenSize * draftVocab;
      draftStepFraction = draftLayers / layers;
      draftKvShare = draftLayers / layers;
      draftLmHeadShare = draftVocab / Math.max(1, arch.vocabSize);
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
      // Its own LM head is part of its parameters (draftStepFraction); its kernel floors go by its layers.
      draftLmHeadShare = 0;
      draftLayerShare = Math.min(1, d.numLayers / layers);
      break;
    }
  }
  const topk = Math.max(1, Math.floor(settings.topk ?? 1));
  const tree = topk > 1 ? { topk, draftTokens: verifyTokensPerDecode({ tokens: k, topk, ...(settings.draftTokens === undefined ? {} : { draftTokens: settings.draftTokens }) }) } : {};
  return {
    ok: true,
    value: {
      method: settings.method,
      tokens: k,
      acceptance,
      expectedTokensPerStep: expectedTokensOf(acceptance, { tokens: k, ...tree }),
      ...tree,
      draftStepFraction,
      draftParams,
      draftKvShare,
      draftLmHeadShare,
      draftLayerShare: draftLayerShare ?? draftStepFraction,
    },
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
