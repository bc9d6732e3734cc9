/**
 * Every cache the engine keeps for one model, as typed fields (issue 9). An engine session
 * (../session.ts) owns one; the memory planner and the performance model read and fill it. Nothing
 * is cached anywhere else: a value that depends on the model lives here, keyed by the key functions
 * of cacheKeys.ts, each built from the complete field list of the type it reads, so a new field of
 * ResolvedServingOptions, Layout or GpuSpec must be given a role in every key before `tsc` passes.
 *
 * Bounded (boundedCache.ts: FIFO past the bound). The bounds are far above what one recommendation
 * fills (27 GPUs × ≤ 60 replica layouts ≈ 1,600 plans; ≤ 60 layouts × ≤ 8 generations prepared), so
 * only a long session that keeps moving a serving option evicts.
 */
import type { MemoryPlan, ModelArch, QuantizationInfo, Result, WeightPrecision } from '../types';
import type { DistinctLayers } from '../arch/distinctLayers';
import { distinctLayers } from '../arch/distinctLayers';
import { effectiveQuantization } from '../arch/quantization';
import { maxPipelineParallel, validTpSizes } from '../memory/layouts';
import type { KvCacheLayout } from '../memory/blocks';
import type { LayerKvSpec } from '../memory/kvCache';
import type { PreparedFailure, PreparedLayout } from '../memory/preparedLayout';
import type { LayerShareTable } from '../memory/weights';
import type { ModelCost } from '../perf/modelCost';
import type { BoundedCache } from './boundedCache';
import { boundedCache } from './boundedCache';
import type { KeyInterner } from './keyInterner';
import { keyInterner } from './keyInterner';

// ---------------------------------------------------------------------------------------------
// The caches
// ---------------------------------------------------------------------------------------------

export type QuantizationResult = Result<QuantizationInfo, { kind: 'precision-unsupported'; detail: string }>;

/** Entries kept per cache before the oldest is dropped (boundedCache.ts). */
export const MAX_CACHE_ENTRIES = 8192;

export interface ModelCaches {
  readonly arch: ModelArch;
  /** Computed once per model: the layers grouped by content, the TP sizes vLLM accepts, the largest PP. */
  readonly distinctLayers: DistinctLayers;
  readonly validTp: readonly number[];
  readonly maxPp: number;
  /** One result object per weight precision (a closed set: no bound needed). */
  readonly quantization: Map<WeightPrecision, QuantizationResult>;
  readonly layoutRejection: BoundedCache<string | null>;
  readonly layerShares: BoundedCache<LayerShareTable>;
  readonly kvSpecs: BoundedCache<readonly (LayerKvSpec | null)[]>;
  readonly kvLayout: BoundedCache<Result<KvCacheLayout, string>>;
  /** Prepared layouts by layout + prepare-serving key + generation. */
  readonly preparedByGeneration: BoundedCache<PreparedLayout | PreparedFailure>;
  /** Prepared layouts by layout + prepare-serving key + PreparedVariantKey (what generations share). */
  readonly prepared: BoundedCache<PreparedLayout | PreparedFailure>;
  /** Whole memory plans by GPU + plan-serving key (its id in `keyIds`) + layout. */
  readonly plans: BoundedCache<MemoryPlan>;
  /** Short ids of long keys (keyInterner.ts): the GPU + plan-serving part of the plans' keys. */
  readonly keyIds: KeyInterner;
  /** Model costs by cost-serving key + replica layout. */
  readonly modelCosts: BoundedCache<ModelCost>;
  /** One engine replica's largest rate within a target's SLOs (sim/capacity.ts), by GPU + plan-serving key + replica layout + replica-rate key. */
  readonly replicaRates: BoundedCache<{ ratePerS: number; simulations: number }>;
}

/**
 * Empty caches for a model. `quantization` may be seeded (a what-if plan with a hand-made
 * quantization answers that precision with it).
 */
export function newModelCaches(arch: ModelArch, seed?: { precision: WeightPrecision; quantization: QuantizationInfo }): ModelCaches {
  const quantization = new Map<WeightPrecision, QuantizationResult>();
  if (seed !== undefined) quantization.set(seed.precision, { ok: true, value: seed.quantization });
  return {
    arch,
    distinctLayers: distinctLayers(arch),
    validTp: validTpSizes(arch),
    maxPp: maxPipelineParallel(arch),
    quantization,
    layoutRejection: boundedCache(MAX_CACHE_ENTRIES),
    layerShares: boundedCache(MAX_CACHE_ENTRIES),
    kvSpecs: boundedCache(MAX_CACHE_ENTRIES),
    kvLayout: boundedCache(MAX_CACHE_ENTRIES),
    preparedByGeneration: boundedCache(MAX_CACHE_ENTRIES),
    prepared: boundedCache(MAX_CACHE_ENTRIES),
    plans: boundedCache(MAX_CACHE_ENTRIES),
    keyIds: keyInterner(MAX_CACHE_ENTRIES),
    modelCosts: boundedCache(MAX_CACHE_ENTRIES),
    replicaRates: boundedCache(MAX_CACHE_ENTRIES),
  };
}

/** The model's quantization at a requested precision, one result object per precision. */
export function quantizationFor(caches: ModelCaches, precision: WeightPrecision): QuantizationResult {
  let q = caches.quantization.get(precision);
  if (q === undefined) {
    q = effectiveQuantization(caches.arch, precision);
    caches.quantization.set(precision, q);
  }
  return q;
}
