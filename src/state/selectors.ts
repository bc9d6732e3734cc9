/**
 * Pure functions from store state to what the engine and the views need. Nothing derived is stored
 * (STYLE.md habit 11): the store keeps inputs and engine outputs, these pick and reshape.
 */
import { DEFAULT_SERVING_SETTINGS } from '../engine/defaults';
import { judgeAtTargetRate } from '../engine/sloJudgement';
import type { Candidate, GpuSpec, MixerKind, ModelArch, RecommendRequest, RecommendResult, ServingSettings, SpeculativeRequestSettings, TargetLoad, VllmVersion } from '../engine/types';
import { DEFAULT_REPLICA_ROUTING } from '../engine/types';
import { asyncSchedulingDefault, asyncSchedulingRequested } from '../engine/perf/asyncScheduling';
import { GiB } from '../engine/units';
import { MAX_PAGE_GPU_BUDGET } from '../engine/inputRules';
import { DEFAULT_INPUTS, type Inputs } from './inputs';
import type { AppState, CapacityState, ComputedView, ModelOrigin, ResultsState } from './slices';

/** Rows simulated per result: the first page the table shows (issue 10's "the 25 visible candidates"). */
export const MAX_SIMULATED_ROWS = 25;

/**
 * The result with each row's simulated plan at the target rate on its candidate (Candidate.capacity,
 * as the engine's recommendAtRate gives it): done rows their plan, visible rows still waiting
 * 'not-simulated' (the table reads "simulating…"). Then judged at the target rate by the engine
 * (sloJudgement.ts judgeAtTargetRate): "Meets SLO" and the verdict rest on the simulated percentiles
 * where a row is planned, and say they are the closed form's estimate where it is not yet. The
 * result itself when no target rate applies.
 */
export function resultWithCapacity(
  result: RecommendResult,
  capacity: CapacityState,
  visibleRowKeys: readonly string[],
  target: TargetLoad | null,
  request: RecommendRequest,
  gpus: readonly GpuSpec[],
): RecommendResult {
  if (target === null) return result;
  let withPlans = result;
  if (capacity.forKey !== null) {
    const waiting = new Set(visibleRowKeys.slice(0, MAX_SIMULATED_ROWS));
    const candidates = result.candidates.map((c) => {
      const key = candidateKey(c);
      if (key in capacity.plans) return { ...c, capacity: capacity.plans[key] ?? null };
      if (waiting.has(key) && c.perf !== null) return { ...c, capacity: { status: 'not-simulated' as const, targetRequestsPerS: target.ratePerS, boundUsdPerHour: null } };
      return c;
    });
    withPlans = { ...result, candidates, ...withFixCheck(result, capacity.fixCheck ?? null, target.ratePerS) };
  }
  return judgeAtTargetRate(withPlans, request, target, { gpus, advice: withPlans.advice });
}

/** The advice with the selected row's simulated fix check on its row (RowAdvice.fixCapacity), when it is for that row's fix; a check in flight as a plan not simulated yet. */
function withFixCheck(result: RecommendResult, check: CapacityState['fixCheck'], targetRequestsPerS: number): Pick<RecommendResult, 'advice'> {
  if (check === null || check === undefined || check.failed || result.advice === undefined) return {};
  const i = result.candidates.findIndex((c) => candidateKey(c) === check.candidateKey);
  const a = i < 0 ? undefined : result.advice[i];
  if (a === undefined || a.fix === null || JSON.stringify(a.fix) !== check.fixKey) return {};
  const advice = [...result.advice];
  // While the worker runs it: a plan not simulated yet (sloJudgement.ts says 'simulating').
  const plan = check.pending === true ? { status: 'not-simulated' as const, targetRequestsPerS, boundUsdPerHour: null } : check.plan;
  advice[i] = { ...a, fixCapacity: plan };
  return { advice };
}

/**
 * The max_model_len the engine plans with: the user's, or (auto) the request size rounded up to a
 * power of two and never below the tool's 8192 starting point (engine/defaults.ts), so a longer
 * request is never refused with HTTP 400 by a limit the user did not choose (issue 14).
 */
export function effectiveMaxModelLen(inputs: Pick<Inputs, 'inputTokens' | 'outputTokens' | 'maxModelLenTokens' | 'maxModelLenAuto'>): number {
  if (!inputs.maxModelLenAuto) return inputs.maxModelLenTokens;
  const requestTokens = inputs.inputTokens + inputs.outputTokens;
  return Math.max(DEFAULT_SERVING_SETTINGS.maxModelLenTokens, 2 ** Math.ceil(Math.log2(Math.max(1, requestTokens))));
}

/** The engine's request for these inputs; serving options the form does not expose keep vLLM's defaults. */
export function buildRecommendRequest(inputs: Inputs): RecommendRequest {
  return {
    inputTokens: inputs.inputTokens,
    outputTokens: inputs.outputTokens,
    // A target rate ranks by simulation (capacityRunner.ts); the closed form shows each row at its best point meanwhile.
    concurrency: inputs.loadKind === 'rate' ? 'sweep' : inputs.concurrency,
    serving: {
      ...DEFAULT_SERVING_SETTINGS,
      maxModelLenTokens: effectiveMaxModelLen(inputs),
      gpuMemoryUtilization: inputs.gpuMemoryUtilization,
      weightPrecision: inputs.weightPrecision,
      kvCacheDtype: inputs.kvCacheDtype,
      ...(inputs.disableCustomAllReduce ? { disableCustomAllReduce: true } : {}),
      // Only when something is cached: at 0 / 0 the request (and its cache keys) stay as before (no effect either way).
      ...(inputs.prefixSharedTokens > 0 || inputs.prefixHitRate > 0
        ? { prefixCache: { sharedPrefixTokens: Math.min(inputs.prefixSharedTokens, inputs.inputTokens), hitRate: inputs.prefixHitRate } }
        : {}),
      ...engineOptionsOf(inputs),
    },
    slo: { maxTtftMs: inputs.maxTtftMs, maxItlMs: inputs.maxItlMs, maxE2eMs: inputs.maxE2eMs },
    maxGpus: inputs.maxGpus,
    maxBudgetGpus: MAX_PAGE_GPU_BUDGET,
    gpuIds: inputs.gpuIds === null ? null : [...inputs.gpuIds],
    priceOverridesUsdPerHour: { ...inputs.priceOverridesUsdPerHour },
    engine: inputs.engine,
    // Resolved against the model by the engine session in the worker (the page has no parsed model here).
    ...((s) => (s === undefined ? {} : { speculativeSettings: s }))(speculativeSettingsOf(inputs)),
  };
}

/**
 * The page's speculative settings. A token tree (top-k > 1) is SGLang's and is sent only with the
 * SGLang engine (the field is shown only there; switching engines keeps the value for a switch back);
 * a chain's request is as before tree inputs existed (and so is its cache key).
 */
export function speculativeSettingsOf(inputs: Pick<Inputs, 'specMethod' | 'specTokens' | 'specAcceptance' | 'specTopk' | 'specDraftTokens' | 'engine'>): SpeculativeRequestSettings | undefined {
  if (inputs.specMethod === 'none') return undefined;
  const tree = inputs.engine === 'sglang' && inputs.specTopk > 1 ? { topk: inputs.specTopk, draftTokens: inputs.specDraftTokens } : {};
  return { method: inputs.specMethod, tokens: inputs.specTokens, acceptance: inputs.specAcceptance, ...tree };
}

/**
 * The chosen engine's own options and the memory other processes hold, as the engine's serving
 * settings. Only what differs from the defaults is sent, so a request without them is the same as
 * before they existed (and so is its cache key); another engine's options are never sent.
 */
export function engineOptionsOf(inputs: Pick<Inputs, 'engine' | 'vllmVersion' | 'asyncScheduling' | 'sglang' | 'trtllm' | 'otherMemoryGiB'>): Partial<ServingSettings> {
  const anySet = (o: object): boolean => Object.values(o).some((v) => v !== null);
  return {
    ...(inputs.engine === 'vllm' && inputs.vllmVersion !== DEFAULT_INPUTS.vllmVersion ? { vllmVersion: inputs.vllmVersion } : {}),
    ...(inputs.engine === 'vllm' && inputs.asyncScheduling !== null ? { asyncScheduling: inputs.asyncScheduling } : {}),
    ...(inputs.engine === 'sglang' && anySet(inputs.sglang) ? { sglang: { ...inputs.sglang } } : {}),
    ...(inputs.engine === 'trtllm' && anySet(inputs.trtllm) ? { trtllm: { ...inputs.trtllm } } : {}),
    ...(inputs.otherMemoryGiB > 0 ? { usedByOtherProcessesBytes: inputs.otherMemoryGiB * GiB } : {}),
  };
}

/** The load a rate plan must serve (issue 10), or null when the load is a concurrency. */
export function targetLoadOf(inputs: Inputs): TargetLoad | null {
  if (inputs.loadKind !== 'rate') return null;
  return {
    ratePerS: inputs.ratePerS,
    burstiness: inputs.burstiness,
    slo: { percentile: inputs.sloPercentile, maxTtftMs: inputs.maxTtftMs, maxItlMs: inputs.maxItlMs, maxE2eMs: inputs.maxE2eMs },
    // The router over the rows' replicas: sent only when not the default even split, so the ask (and its key) is as before at the default.
    ...(inputs.replicaRouting === DEFAULT_REPLICA_ROUTING ? {} : { routing: inputs.replicaRouting }),
  };
}

/** A stable text key of a request: two requests with the same key give the same answer. */
export function requestKey(request: RecommendRequest): string {
  return JSON.stringify(request);
}

/**
 * Where the config the engine rejected came from: a Hub config may change when fetched again (Retry),
 * a bundled or pasted one cannot. Null when there is no rejection, or it is about another model.
 */
export function rejectedConfigOrigin(state: Pick<AppState, 'results' | 'model'>): ModelOrigin | null {
  const { results, model } = state;
  if (results.status !== 'config-error' || model.status !== 'ready' || model.modelId !== results.modelId) return null;
  return model.origin;
}

/** What is on screen: the fresh answer, or the previous one while the engine works. */
export function visibleView(results: ResultsState): ComputedView | null {
  if (results.status === 'ready') return results.view;
  if (results.status === 'computing') return results.previous;
  return null;
}

/** One line per kind of sequence mixer in the model, with how many layers use it. */
export interface MixerSummary {
  kind: MixerKind | 'sliding-window';
  label: string;
  numLayers: number;
}

function mixerLabel(arch: ModelArch['layers'][number]['mixer']): { kind: MixerSummary['kind']; label: string } {
  switch (arch.kind) {
    case 'attention': {
      const family = arch.numKvHeads === arch.numHeads ? 'MHA' : arch.numKvHeads === 1 ? 'MQA' : 'GQA';
      const heads = `${arch.numHeads} query / ${arch.numKvHeads} KV heads × ${arch.headDim}`;
      return arch.slidingWindowTokens === null
        ? { kind: 'attention', label: `${family} full attention, ${heads}` }
        : { kind: 'sliding-window', label: `${family} sliding window (${arch.slidingWindowTokens} tokens), ${heads}` };
    }
    case 'mla':
      return {
        kind: 'mla',
        label: `MLA, latent ${arch.kvLoraRank} + RoPE ${arch.qkRopeHeadDim}, ${arch.numHeads} heads${arch.indexer ? ', sparse-attention indexer' : ''}`,
      };
    case 'mamba':
      return { kind: 'mamba', label: `Mamba-${arch.version}, state ${arch.stateSize}, ${arch.numHeads} heads` };
    case 'linear-attention':
      return { kind: 'linear-attention', label: `Gated DeltaNet linear attention, ${arch.numValueHeads} value heads` };
    case 'none':
      return { kind: 'none', label: 'no token mixer (MLP-only block)' };
    default: {
      const _exhaustive: never = arch;
      return _exhaustive;
    }
  }
}

/** Layers grouped by identical mixer description, in order of first appearance. */
export function summarizeMixers(arch: ModelArch): MixerSummary[] {
  const byLabel = new Map<string, MixerSummary>();
  for (const layer of arch.layers) {
    const { kind, label } = mixerLabel(layer.mixer);
    const entry = byLabel.get(label);
    if (entry) entry.numLayers += 1;
    else byLabel.set(label, { kind, label, numLayers: 1 });
  }
  return [...byLabel.values()];
}

/**
 * The whole model's KV cost per token and constant state per request, read from a single-GPU plan
 * (TP = PP = 1, so the per-GPU figure is the whole model's). null when no such candidate exists.
 */
export function singleGpuKvFigures(
  candidates: readonly Candidate[],
): { kvBytesPerToken: number; stateBytesPerRequest: number } | null {
  const single = candidates.find((c) => c.layout.tp === 1 && c.layout.pp === 1);
  if (single === undefined) return null;
  return {
    kvBytesPerToken: single.memory.kvBytesPerTokenPerGpu,
    stateBytesPerRequest: single.memory.stateBytesPerRequestPerGpu,
  };
}

/** Identity of a configuration across recomputations (indices change when the list is re-ranked). */
export function candidateKey(candidate: Pick<Candidate, 'gpuId' | 'gpuCount' | 'layout'>): string {
  const { tp, pp, dp, ep } = candidate.layout;
  return `${candidate.gpuId}|${candidate.gpuCount}|${tp}|${pp}|${dp}|${ep ? 'ep' : ''}`;
}

/** Maps indices of `before` to the same configurations in `after`, dropping those that vanished. */
export function carryIndices(before: readonly Candidate[], after: readonly Candidate[], indices: readonly number[]): number[] {
  const position = new Map(after.map((c, i) => [candidateKey(c), i]));
  const carried: number[] = [];
  for (const index of indices) {
    const candidate = before[index];
    const next = candidate === undefined ? undefined : position.get(candidateKey(candidate));
    if (next !== undefined) carried.push(next);
  }
  return carried;
}

/** Combinations of inputs that vLLM would refuse or that make the estimate meaningless, as sentences. */
export function workloadWarnings(inputs: Inputs): string[] {
  const warnings: string[] = [];
  const requestTokens = inputs.inputTokens + inputs.outputTokens;
  // vLLM's OpenAI server answers 400 "'max_tokens' … is too large … maximum context length is N tokens" when
  // prompt + max_tokens > max_model_len (vllm/entrypoints/openai/serving_engine.py, `_validate_input`).
  const maxModelLenTokens = effectiveMaxModelLen(inputs);
  if (requestTokens > maxModelLenTokens) {
    warnings.push(
      `Input + output tokens (${requestTokens}) exceed the max model length (${maxModelLenTokens}): vLLM's OpenAI server would reject these requests (HTTP 400). Raise the max model length or shorten the requests.`,
    );
  }
  return warnings;
}

/** Whether vLLM schedules asynchronously with these inputs: as set, else the chosen release's default (the engine's rule, asyncSchedulingRequested). */
export function asyncSchedulingOn(inputs: Pick<Inputs, 'vllmVersion' | 'asyncScheduling'>): boolean {
  return asyncSchedulingRequested(inputs);
}

/** The input for a checkbox click: null when it matches the release's default (the link and the request then omit it). */
export function asyncSchedulingInput(vllmVersion: VllmVersion, on: boolean): boolean | null {
  return on === asyncSchedulingDefault(vllmVersion) ? null : on;
}
