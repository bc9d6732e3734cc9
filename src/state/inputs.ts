/**
 * Every user input of the page, in one plain object: what the URL encodes, what the form edits and
 * what `buildRecommendRequest` turns into the engine's RecommendRequest. Nothing here is derived.
 */
import { DEFAULT_SERVING_SETTINGS } from '../engine/defaults';
import type { KvCacheDtype, ReplicaRouting, ServingEngine, SglangServingOptions, SloPercentile, TrtllmServingOptions, VllmVersion, WeightPrecision } from '../engine/types';
import { DEFAULT_REPLICA_ROUTING } from '../engine/types';
import { DEFAULT_VLLM_VERSION } from '../engine/memory/vllmVersion';
import type { SortState, TableFilters } from './tableState';
import { DEFAULT_MODEL_ID } from '../engine/catalog/bundledModels';
import { DEFAULT_SPEC_DRAFT_TOKENS, DEFAULT_SPEC_TOKENS } from '../engine/perf/speculative';
import type { DisaggRouting } from '../engine/disagg/routing';

/**
 * Speculative decoding the page offers (issue 12): none, EAGLE / EAGLE-3 heads, or the MTP layers a
 * config declares. A separate draft model needs its own config: CLI-only (--spec-method draft --draft-config).
 */
export const PAGE_SPEC_METHODS = ['none', 'eagle', 'eagle3', 'mtp'] as const;
export type PageSpecMethod = (typeof PAGE_SPEC_METHODS)[number];

export type ConcurrencyInput = number | 'max' | 'sweep';

/**
 * How the load is given: a closed-loop concurrency (what benchmark clients run), or an open-loop
 * request rate a deployment must serve (issue 10: replicas and percentile latencies, simulated).
 */
export const LOAD_KINDS = ['concurrency', 'rate'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

/**
 * [disagg] How the model is served (issue 12 item 5): aggregated (every replica prefills and
 * decodes), or disaggregated prefill/decode ('pd': a prefill pool and a decode pool, the KV moved
 * between them; engine/disagg). P/D is sized for a request rate with percentile SLOs.
 */
export const SERVING_SHAPES = ['aggregated', 'pd'] as const;
export type ServingShape = (typeof SERVING_SHAPES)[number];

export interface Inputs {
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  concurrency: ConcurrencyInput;
  loadKind: LoadKind;
  /** Target requests per second (loadKind 'rate'). */
  ratePerS: number;
  /** Gamma shape of the arrivals (vllm bench serve --burstiness): 1 = Poisson. */
  burstiness: number;
  /** The percentile the latency limits apply at, for the simulated rate plan. */
  sloPercentile: SloPercentile;
  /** Prompt tokens every request shares (system prompt, few-shot), held once by the prefix cache (engine/perf/prefixCache.ts). */
  prefixSharedTokens: number;
  /** Fraction (0–1) of each prompt found in the prefix cache. */
  prefixHitRate: number;
  specMethod: PageSpecMethod;
  /** Speculative tokens proposed per step (vLLM num_speculative_tokens). */
  specTokens: number;
  /** Per-token acceptance; null = the method's published default (engine/perf/speculative.ts defaultSpecAcceptance: a chain's or a tree's). */
  specAcceptance: number | null;
  /** Candidates per draft step (SGLang --speculative-eagle-topk): > 1 drafts a token tree; sent only with the SGLang engine. */
  specTopk: number;
  /** Tokens a tree verifies per request (SGLang --speculative-num-draft-tokens); sent only when specTopk > 1. */
  specDraftTokens: number;
  maxModelLenTokens: number;
  /** max_model_len follows the request size (selectors.ts effectiveMaxModelLen) until the user sets it. */
  maxModelLenAuto: boolean;
  weightPrecision: WeightPrecision;
  kvCacheDtype: KvCacheDtype;
  /** vLLM `--gpu-memory-utilization`, a fraction in (0, 1]. */
  gpuMemoryUtilization: number;
  /** vLLM `--disable-custom-all-reduce` (NCCL only; no custom all-reduce buffers). */
  disableCustomAllReduce: boolean;
  maxTtftMs: number | null;
  maxItlMs: number | null;
  maxE2eMs: number | null;
  /** Most GPUs per configuration (all replicas together). */
  maxGpus: number;
  /** Catalog GPU ids to consider; null = every GPU in the catalog. */
  gpuIds: readonly string[] | null;
  priceOverridesUsdPerHour: Readonly<Record<string, number>>;
  engine: ServingEngine;
  /** [engine options] The vLLM release whose memory accounting plans vLLM rows (engine/memory/vllmVersion.ts). */
  vllmVersion: VllmVersion;
  /**
   * [engine options] vLLM `--async-scheduling` (true) / `--no-async-scheduling` (false); null = the
   * release's default (engine/perf/asyncScheduling.ts: on from 0.14). Sent only when the engine is vLLM.
   */
  asyncScheduling: boolean | null;
  /** [engine options] SGLang's flags (null = SGLang's default); sent only when the engine is SGLang. */
  sglang: SglangServingOptions;
  /** [engine options] TensorRT-LLM's flags (null = its default); sent only when the engine is TensorRT-LLM. */
  trtllm: TrtllmServingOptions;
  /** [engine options] Memory other processes already hold on each GPU at start, GiB (0 = none). */
  otherMemoryGiB: number;
  /** [disagg] Aggregated serving only, or P/D plans beside it. */
  servingShape: ServingShape;
  /** [disagg] GPU types of the prefill pool to pair (at most MAX_PAGE_DISAGG_GPUS_PER_ROLE); null = from the GPU filter (selectors.ts disaggPlanOf). */
  prefillGpuIds: readonly string[] | null;
  /** [disagg] GPU types of the decode pool, likewise. */
  decodeGpuIds: readonly string[] | null;
  /** [disagg] How the P/D proxy routes requests to each pool's replicas (engine/disagg/routing.ts): round-robin as vLLM's proxy, or least-loaded, closest to llm-d's scorer-based router. */
  disaggRouting: DisaggRouting;
  /**
   * [capacity] At a request rate: how a router spreads the stream over the aggregated rows' replicas
   * (engine types.ts REPLICA_ROUTINGS, sim/routedRun.ts): random (the even split, default),
   * round-robin, or least-loaded (an approximation of llm-d's scorers).
   */
  replicaRouting: ReplicaRouting;
  /** [disagg] The selected P/D row (engine/disagg/disaggRows.ts disaggPairKey, "prefill>decode"), so a link restores its launch commands; null = none. */
  selectedDisaggPair: string | null;
  sort: SortState;
  filters: TableFilters;
  /** The selected row's configuration (selectors.ts candidateKey), so a link restores it; null = none. Not part of the request. */
  selectedConfig: string | null;
  /** Rows ticked "Compare" (the concurrency chart's curves), as candidateKey()s, so a link restores them (issue 14). Not part of the request. */
  compareConfigs: readonly string[];
}

export const DEFAULT_INPUTS: Inputs = {
  modelId: DEFAULT_MODEL_ID,
  // 1k in / 1k out: the chat-like point of SemiAnalysis InferenceMAX and NVIDIA's perf-overview tables
  // (shared/truth/perf_calibration.csv has many isl=1024, osl=1024 rows).
  inputTokens: 1024,
  outputTokens: 1024,
  concurrency: 'sweep',
  loadKind: 'concurrency',
  // A modest production load to start from when the user switches to a rate.
  ratePerS: 10,
  burstiness: 1,
  // Production SLOs are quoted at p99 (issue 10: "p99 TTFT under 2 s").
  sloPercentile: 99,
  // Prefix caching is on by default as in vLLM V1, with nothing cached unless the user says so (issue 12).
  prefixSharedTokens: 0,
  prefixHitRate: 0,
  specMethod: 'none',
  specTokens: DEFAULT_SPEC_TOKENS,
  specAcceptance: null,
  specTopk: 1,
  // SGLang's EAGLE-2 tree for Llama (docs.sglang.io speculative decoding: num_steps 5, eagle_topk 4, num_draft_tokens 8).
  specDraftTokens: DEFAULT_SPEC_DRAFT_TOKENS,
  maxModelLenTokens: DEFAULT_SERVING_SETTINGS.maxModelLenTokens,
  maxModelLenAuto: true,
  weightPrecision: DEFAULT_SERVING_SETTINGS.weightPrecision,
  kvCacheDtype: DEFAULT_SERVING_SETTINGS.kvCacheDtype,
  gpuMemoryUtilization: DEFAULT_SERVING_SETTINGS.gpuMemoryUtilization,
  disableCustomAllReduce: false,
  // Interactive by default (issue 14): the chat preset's limits (presets.ts WORKLOAD_PRESETS.chat,
  // MLPerf Inference llama2-70b-interactive), so no headline is a saturation point. presets.test.ts
  // checks these equal the preset.
  maxTtftMs: 450,
  maxItlMs: 40,
  maxE2eMs: null,
  // One 8-GPU node (HGX/DGX, MI300X OAM): the usual unit people rent.
  maxGpus: 8,
  gpuIds: null,
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
  vllmVersion: DEFAULT_VLLM_VERSION,
  asyncScheduling: null,
  sglang: { memFractionStatic: null, chunkedPrefillSizeTokens: null, maxRunningRequests: null, cudaGraphMaxBs: null },
  trtllm: { kvCacheFreeGpuMemoryFraction: null, maxBatchSize: null, maxNumTokens: null },
  otherMemoryGiB: 0,
  servingShape: 'aggregated',
  prefillGpuIds: null,
  decodeGpuIds: null,
  disaggRouting: 'round-robin',
  replicaRouting: DEFAULT_REPLICA_ROUTING,
  selectedDisaggPair: null,
  sort: { column: 'costPerMTokens', descending: false },
  filters: { fitsOnly: false, meetsSloOnly: false },
  selectedConfig: null,
  compareConfigs: [],
};
