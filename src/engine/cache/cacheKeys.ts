/**
 * The key types of the engine's caches (modelCaches.ts): one function per key type, each from the
 * complete field list of the type it is built from (keys.ts), so a new field of ResolvedServingOptions,
 * Layout or GpuSpec must be given a role in every key before `tsc` passes. A field marked
 * 'ignored' says why in a comment: that is the claim a reviewer checks against the code that reads it.
 */
import type { GpuGeneration, GpuSpec, Layout, ResolvedServingOptions, ServingSettings } from '../types';
import type { FieldRoles } from './keys';
import { keyBuilder } from './keys';

/** Every field of a layout shapes plans and costs. */
export const layoutKey = keyBuilder<Layout>('layout', { tp: 'key', pp: 'key', dp: 'key', ep: 'key' });

/**
 * Serving options read by the GPU-independent half of a plan (memory/prepareLayout.ts). The budget
 * (utilization) and the CUDA-graph estimate (enforce eager) are applied per GPU in planMemory.ts.
 */
const PREPARE_SERVING_ROLES: FieldRoles<ResolvedServingOptions> = {
  maxModelLenTokens: 'key',
  gpuMemoryUtilization: 'ignored',
  weightPrecision: 'key',
  kvCacheDtype: 'key',
  blockSizeTokens: 'key',
  maxNumBatchedTokens: 'key',
  maxNumSeqs: 'key',
  enforceEager: 'ignored',
  modelDtype: 'key',
  disableCustomAllReduce: 'key',
  // The release's activation and non-torch rules (memory/vllmVersion.ts) are read here.
  vllmVersion: 'key',
  // The step model's host/GPU overlap (perf/asyncScheduling.ts); no start-up memory.
  asyncScheduling: 'ignored',
  // Checked per GPU against the budget (planMemory.ts), never in the GPU-independent half.
  usedByOtherProcessesBytes: 'ignored',
  // The prepared layout is vLLM's GPU-independent half; the SGLang and TensorRT-LLM plans
  // (memory/engines/) call it with the vLLM fields they need set from their own flags, and
  // read their own flags themselves, per GPU.
  engine: 'ignored',
  sglang: 'ignored',
  trtllm: 'ignored',
  // A workload property: it changes no start-up memory, only the estimate (perf/prefixCache.ts).
  prefixCache: 'ignored',
};
export const prepareServingKey = keyBuilder<ResolvedServingOptions>('prepare-serving', PREPARE_SERVING_ROLES);

/** A whole memory plan reads every serving option. */
export const planServingKey = keyBuilder<ResolvedServingOptions>('plan-serving', {
  maxModelLenTokens: 'key',
  gpuMemoryUtilization: 'key',
  weightPrecision: 'key',
  kvCacheDtype: 'key',
  blockSizeTokens: 'key',
  maxNumBatchedTokens: 'key',
  maxNumSeqs: 'key',
  enforceEager: 'key',
  modelDtype: 'key',
  disableCustomAllReduce: 'key',
  vllmVersion: 'key',
  // The plan does not read it, but the session's rate searches key on this (recommendAtRate.ts): conservative.
  asyncScheduling: 'key',
  usedByOtherProcessesBytes: 'key',
  engine: 'key',
  sglang: 'key',
  trtllm: 'key',
  // The plan does not read it, but the session's rate searches key on this (recommendAtRate.ts): conservative.
  prefixCache: 'key',
});

/**
 * The model cost (perf/modelCost.ts) reads the weights' precision only; the rest enters per step.
 * Built from the user's settings or the options resolved for a GPU alike (the same fields).
 */
export const costServingKey = keyBuilder<ResolvedServingOptions | ServingSettings>('cost-serving', {
  maxModelLenTokens: 'ignored',
  gpuMemoryUtilization: 'ignored',
  weightPrecision: 'key',
  kvCacheDtype: 'ignored',
  blockSizeTokens: 'ignored',
  maxNumBatchedTokens: 'ignored',
  maxNumSeqs: 'ignored',
  enforceEager: 'ignored',
  modelDtype: 'ignored',
  // The step model does not yet tell vLLM's custom all-reduce from NCCL's (perf/comm.ts).
  disableCustomAllReduce: 'ignored',
  // Memory accounting only (memory/vllmVersion.ts); it enters the estimate through the memory plan.
  vllmVersion: 'ignored',
  // Enters per step (perf/step.ts stepContext), not the model cost.
  asyncScheduling: 'ignored',
  usedByOtherProcessesBytes: 'ignored',
  // The step model does not yet read the engine's memory flags (perf/ is being rewritten; its
  // engine factors come from RecommendRequest.engine): they enter through the memory plan.
  engine: 'ignored',
  sglang: 'ignored',
  trtllm: 'ignored',
  // Enters per step (the prefill's length and context), not the model cost.
  prefixCache: 'ignored',
});

/**
 * A GPU as a memory plan sees it. Conservative on purpose: every physical field is part of the
 * key although the planner reads only memory and generation today (a miss costs microseconds, a
 * stale plan the user's trust); names, prices, power and sources are not physics.
 */
export const gpuPlanKey = keyBuilder<GpuSpec>('gpu', {
  id: 'key',
  name: 'ignored',
  vendor: 'key',
  generation: 'key',
  aliases: 'ignored',
  memoryBytes: 'key',
  memBandwidthBytesPerS: 'key',
  denseTflops: 'key',
  interconnect: 'key',
  network: 'key',
  tdpWatts: 'ignored',
  priceUsdPerHour: 'ignored',
  source: 'ignored',
  priceSource: 'ignored',
});

/** Per-layer parameter shares (memory/weights.ts) depend on TP and on the EP group size. */
export interface LayerShareKey {
  tp: number;
  /** tp × dp with expert parallelism, else 0. */
  epRanks: number;
}
export const layerShareKey = keyBuilder<LayerShareKey>('layer-shares', { tp: 'key', epRanks: 'key' });

/** Per-layer KV specs (memory/kvCache.ts modelKvSpecs). */
export interface KvSpecKey {
  tp: number;
  kvBytes: number;
  modelDtype: string;
}
export const kvSpecKey = keyBuilder<KvSpecKey>('kv-specs', { tp: 'key', kvBytes: 'key', modelDtype: 'key' });

/** The KV cache's block tables (memory/blocks.ts kvCacheLayout). */
export interface KvLayoutKey extends KvSpecKey {
  blockSizeTokens: number;
  maxModelLenTokens: number;
}
export const kvLayoutKey = keyBuilder<KvLayoutKey>('kv-layout', {
  tp: 'key',
  kvBytes: 'key',
  modelDtype: 'key',
  blockSizeTokens: 'key',
  maxModelLenTokens: 'key',
});

/**
 * What decides a prepared layout beyond the layout and serving options: the resolved block size,
 * whether the GPUs' link runs vLLM's custom all-reduce, and, for MXFP4 experts (padded per kernel), the GPU generation; generations with the same block
 * size otherwise share one preparation.
 */
export interface PreparedVariantKey {
  blockSizeTokens: number;
  /** vLLM's custom all-reduce runs (its buffers are non-torch memory): depends on the GPUs' link. */
  customAllReduce: boolean;
  /** The generation when MXFP4 experts are padded per generation, else null. */
  mxfp4Generation: GpuGeneration | null;
}
export const preparedVariantKey = keyBuilder<PreparedVariantKey>('variant', { blockSizeTokens: 'key', customAllReduce: 'key', mxfp4Generation: 'key' });


/**
 * What one engine replica's rate search (sim/capacity.ts searchReplicaRate) reads besides the GPU,
 * the serving options and the replica layout: the request lengths, the engine's scheduler, and the
 * target's shape. Not the target rate itself: the search finds the largest rate within the SLOs
 * whatever the target (so moving the rate re-runs only the operating point).
 */
export interface ReplicaRateKey {
  inputTokens: number;
  outputTokens: number;
  engine: string;
  burstiness: number;
  percentile: number;
  maxTtftMs: number | null;
  maxItlMs: number | null;
  maxE2eMs: number | null;
  numRequests: number;
  seed: number;
  /** The request's speculative model (RecommendRequest.speculative) as JSON, 'none' without. */
  speculative: string;
}
export const replicaRateKey = keyBuilder<ReplicaRateKey>('replica-rate', {
  inputTokens: 'key',
  outputTokens: 'key',
  engine: 'key',
  burstiness: 'key',
  percentile: 'key',
  maxTtftMs: 'key',
  maxItlMs: 'key',
  maxE2eMs: 'key',
  numRequests: 'key',
  seed: 'key',
  speculative: 'key',
});
