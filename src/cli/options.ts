/**
 * Flags → the engine's input types (Layout, ServingOptions, GPU). Validation only; defaults come from
 * engine/defaults.ts.
 */
import { findGpu, GPU_IDS } from '../engine/catalog/gpus';
import { DEFAULT_SERVING_SETTINGS } from '../engine/defaults';
import { ok, type Result } from '../engine/result';
import {
  KV_CACHE_DTYPES,
  SERVING_ENGINES,
  WEIGHT_PRECISIONS,
  type GpuSpec,
  type Layout,
  type ModelArch,
  type ServingEngine,
  type ServingSettings,
} from '../engine/types';
import { readBoolean, readEnum, readNumber, readString, requireString, usage, type FlagValues, type UsageError } from './flags';

/** Upper bounds that only catch typos (a TP of 4096 is a slip, not a plan). */
const MAX_PARALLEL_SIZE = 1024;
const MAX_CONTEXT_TOKENS = 100_000_000;

export function resolveGpu(query: string, flag: string): Result<GpuSpec, UsageError> {
  const gpu = findGpu(query);
  if (gpu === undefined) return usage(`unknown GPU "${query}" for --${flag}; known ids: ${GPU_IDS.join(', ')}`);
  return ok(gpu);
}

export function readGpu(values: FlagValues): Result<GpuSpec, UsageError> {
  const query = requireString(values, 'gpu');
  if (!query.ok) return query;
  return resolveGpu(query.value, 'gpu');
}

/** A comma-separated GPU list ("H100,L40S"); null when the flag is absent (= whole catalog). */
export function readGpuList(values: FlagValues, name: string): Result<GpuSpec[] | null, UsageError> {
  const text = readString(values, name);
  if (text === undefined) return ok(null);
  const gpus: GpuSpec[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const gpu = resolveGpu(part.trim(), name);
    if (!gpu.ok) return gpu;
    if (!gpus.some((g) => g.id === gpu.value.id)) gpus.push(gpu.value);
  }
  if (gpus.length === 0) return usage(`--${name} lists no GPU`);
  return ok(gpus);
}

export function readLayout(values: FlagValues): Result<Layout, UsageError> {
  const rule = { integer: true, min: 1, max: MAX_PARALLEL_SIZE };
  const tp = readNumber(values, 'tp', rule);
  if (!tp.ok) return tp;
  const pp = readNumber(values, 'pp', rule);
  if (!pp.ok) return pp;
  const dp = readNumber(values, 'dp', rule);
  if (!dp.ok) return dp;
  return ok({ tp: tp.value ?? 1, pp: pp.value ?? 1, dp: dp.value ?? 1, ep: readBoolean(values, 'ep') });
}

export function readEngine(values: FlagValues): Result<ServingEngine, UsageError> {
  const engine = readEnum(values, 'engine', SERVING_ENGINES);
  if (!engine.ok) return engine;
  return ok(engine.value ?? 'vllm');
}

/**
 * ServingSettings from flags over DEFAULT_SERVING_SETTINGS. Without --max-model-len the default (8192) is capped
 * at the model's own limit, as vLLM refuses a longer one.
 */
/** Serving flags; unset scheduler limits stay null = vLLM's per-GPU default (resolveServing). */
export function readServing(values: FlagValues, arch: ModelArch): Result<ServingSettings, UsageError> {
  const tokens = { integer: true, min: 1, max: MAX_CONTEXT_TOKENS };
  const maxModelLen = readNumber(values, 'max-model-len', tokens);
  if (!maxModelLen.ok) return maxModelLen;
  const util = readNumber(values, 'gpu-mem-util', { above: 0, max: 1 });
  if (!util.ok) return util;
  const kv = readEnum(values, 'kv-cache-dtype', KV_CACHE_DTYPES);
  if (!kv.ok) return kv;
  const quantization = readEnum(values, 'quantization', WEIGHT_PRECISIONS);
  if (!quantization.ok) return quantization;
  const precision = readEnum(values, 'precision', WEIGHT_PRECISIONS);
  if (!precision.ok) return precision;
  if (quantization.value !== undefined && precision.value !== undefined && quantization.value !== precision.value) {
    return usage(`--quantization ${quantization.value} and --precision ${precision.value} disagree; give one`);
  }
  const batched = readNumber(values, 'max-num-batched-tokens', tokens);
  if (!batched.ok) return batched;
  const seqs = readNumber(values, 'max-num-seqs', { integer: true, min: 1, max: 1_000_000 });
  if (!seqs.ok) return seqs;
  const block = readNumber(values, 'block-size', { integer: true, min: 1, max: 1_048_576 });
  if (!block.ok) return block;

  const defaults = DEFAULT_SERVING_SETTINGS;
  return ok({
    maxModelLenTokens:
      maxModelLen.value ??
      (arch.maxPositionTokens > 0 ? Math.min(defaults.maxModelLenTokens, arch.maxPositionTokens) : defaults.maxModelLenTokens),
    gpuMemoryUtilization: util.value ?? defaults.gpuMemoryUtilization,
    weightPrecision: quantization.value ?? precision.value ?? defaults.weightPrecision,
    kvCacheDtype: kv.value ?? defaults.kvCacheDtype,
    blockSizeTokens: block.value ?? defaults.blockSizeTokens,
    maxNumBatchedTokens: batched.value ?? defaults.maxNumBatchedTokens,
    maxNumSeqs: seqs.value ?? defaults.maxNumSeqs,
    enforceEager: readBoolean(values, 'enforce-eager') || defaults.enforceEager,
  });
}

export function readPriceOverride(values: FlagValues): Result<number | undefined, UsageError> {
  return readNumber(values, 'price-usd-per-hour', { above: 0, max: 10_000 });
}
