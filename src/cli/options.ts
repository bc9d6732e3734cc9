/**
 * Flags → the engine's input types (Layout, ResolvedServingOptions, GPU). Validation only; defaults come from
 * engine/defaults.ts.
 */
import { findGpu, GPU_IDS } from '../engine/catalog/gpus';
import { DEFAULT_SERVING_SETTINGS } from '../engine/defaults';
import { ok, type Result } from '../engine/result';
import {
  KV_CACHE_DTYPES,
  SERVING_ENGINES,
  VLLM_VERSIONS,
  WEIGHT_PRECISIONS,
  type GpuSpec,
  type Layout,
  type ModelArch,
  type PrefixCacheOptions,
  type ServingEngine,
  type ServingSettings,
  type VllmVersion,
} from '../engine/types';
import { vllmVersionOf } from '../engine/memory/vllmVersion';
import {
  checkBlockSizeTokens,
  checkConcurrency,
  checkGpuMemoryUtilization,
  checkPrefixHitRate,
  checkPrefixTokens,
  checkPriceUsdPerHour,
  checkTokenCount,
} from '../engine/inputRules';
import { DEFAULT_LAYOUT, DEFAULT_SERVING_ENGINE } from './cliDefaults';
import { GiB } from '../engine/units';
import { readBoolean, readEnum, readNumber, readRuled, readString, requireString, usage, type FlagValues, type UsageError } from './flags';

/** Upper bound that only catches typos (a TP of 4096 is a slip, not a plan); the CLI's alone (the page has no layout input). */
const MAX_PARALLEL_SIZE = 1024;

export function resolveGpu(query: string, flag: string): Result<GpuSpec, UsageError> {
  const gpu = findGpu(query);
  if (gpu === undefined) return usage(`unknown GPU "${query}" for --${flag}; known ids: ${GPU_IDS.join(', ')}`);
  return ok(gpu);
}

/** The page's custom-GPU memory range (state/customGpus.ts memoryGiB: 1–1024). */
const CUSTOM_GPU_MEMORY_GIB = { min: 1, max: 1024 } as const;

/**
 * --gpu, and with --gpu-memory-gib a custom GPU: that catalog row with the memory as the runtime
 * reports it replaced (its name says so; everything else is the row's).
 */
export function readGpu(values: FlagValues): Result<GpuSpec, UsageError> {
  const query = requireString(values, 'gpu');
  if (!query.ok) return query;
  const gpu = resolveGpu(query.value, 'gpu');
  if (!gpu.ok) return gpu;
  const memoryGiB = readNumber(values, 'gpu-memory-gib', CUSTOM_GPU_MEMORY_GIB);
  if (!memoryGiB.ok) return memoryGiB;
  if (memoryGiB.value === undefined) return gpu;
  return ok({ ...gpu.value, name: `${gpu.value.name} (custom: ${memoryGiB.value} GiB)`, memoryBytes: memoryGiB.value * GiB });
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
  return ok({
    tp: tp.value ?? DEFAULT_LAYOUT.tp,
    pp: pp.value ?? DEFAULT_LAYOUT.pp,
    dp: dp.value ?? DEFAULT_LAYOUT.dp,
    ep: readBoolean(values, 'ep') || DEFAULT_LAYOUT.ep,
  });
}

export function readEngine(values: FlagValues): Result<ServingEngine, UsageError> {
  const engine = readEnum(values, 'engine', SERVING_ENGINES);
  if (!engine.ok) return engine;
  return ok(engine.value ?? DEFAULT_SERVING_ENGINE);
}

/**
 * ServingSettings from flags over DEFAULT_SERVING_SETTINGS, each number checked by the input rule the page
 * and the engine share (engine/inputRules.ts). Without --max-model-len the default (8192) is capped at the
 * model's own limit, as vLLM refuses a longer one. Unset scheduler limits stay null = vLLM's per-GPU default
 * (resolveServing).
 */
export function readServing(values: FlagValues, arch: ModelArch): Result<ServingSettings, UsageError> {
  const maxModelLen = readRuled(values, 'max-model-len', checkTokenCount);
  if (!maxModelLen.ok) return maxModelLen;
  const util = readRuled(values, 'gpu-mem-util', checkGpuMemoryUtilization);
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
  const batched = readRuled(values, 'max-num-batched-tokens', checkTokenCount);
  if (!batched.ok) return batched;
  const seqs = readRuled(values, 'max-num-seqs', checkConcurrency);
  if (!seqs.ok) return seqs;
  const block = readRuled(values, 'block-size', checkBlockSizeTokens);
  if (!block.ok) return block;
  const engineOptions = readEngineOptions(values);
  if (!engineOptions.ok) return engineOptions;
  const otherGiB = readNumber(values, 'other-memory-gib', { min: 0, max: CUSTOM_GPU_MEMORY_GIB.max });
  if (!otherGiB.ok) return otherGiB;
  const vllmVersion = readVllmVersion(values);
  if (!vllmVersion.ok) return vllmVersion;
  const asyncScheduling = readAsyncScheduling(values);
  if (!asyncScheduling.ok) return asyncScheduling;

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
    // Absent = on, as in the page's request (state/selectors.ts): plans and cache keys stay as before the flag.
    ...(readBoolean(values, 'disable-custom-all-reduce') ? { disableCustomAllReduce: true } : {}),
    ...engineOptions.value,
    // Absent or 0 = none, as before the flag (plans and cache keys unchanged).
    ...(otherGiB.value !== undefined && otherGiB.value > 0 ? { usedByOtherProcessesBytes: otherGiB.value * GiB } : {}),
    // Absent = the current release (memory/vllmVersion.ts DEFAULT_VLLM_VERSION).
    ...(vllmVersion.value !== undefined ? { vllmVersion: vllmVersion.value } : {}),
    // Absent = the release's default (perf/asyncScheduling.ts): on from vLLM 0.14.
    ...(asyncScheduling.value !== undefined ? { asyncScheduling: asyncScheduling.value } : {}),
  });
}

/**
 * `--async-scheduling` / `--no-async-scheduling` (perf/asyncScheduling.ts). vLLM's flags: SGLang's and
 * TensorRT-LLM's overlap schedulers are on by default and in their fitted constants, so with another
 * --engine they are refused rather than silently ignored; both at once are refused.
 */
function readAsyncScheduling(values: FlagValues): Result<boolean | undefined, UsageError> {
  const on = readBoolean(values, 'async-scheduling');
  const off = readBoolean(values, 'no-async-scheduling');
  if (!on && !off) return ok(undefined);
  if (on && off) return usage('--async-scheduling and --no-async-scheduling disagree; give one');
  const engine = readEngine(values);
  if (!engine.ok) return engine;
  if (engine.value !== 'vllm') {
    return usage(`--${on ? '' : 'no-'}async-scheduling is vLLM's flag: --engine ${engine.value} overlaps its scheduling by default, which its fitted constants already include`);
  }
  return ok(on);
}

/**
 * `--vllm-version 0.16` (or 0.17.1, v0.19.0, 0.25): the release whose memory accounting vLLM plans use
 * (memory/vllmVersion.ts). A vLLM flag: with another --engine it would be silently ignored, so refused.
 */
function readVllmVersion(values: FlagValues): Result<VllmVersion | undefined, UsageError> {
  const text = readString(values, 'vllm-version');
  if (text === undefined) return ok(undefined);
  const engine = readEngine(values);
  if (!engine.ok) return engine;
  if (engine.value !== 'vllm') return usage(`--vllm-version is vLLM's memory accounting: it does not apply to --engine ${engine.value}`);
  const version = vllmVersionOf(text);
  if (version === null) {
    return usage(`--vllm-version must be a vLLM release from ${VLLM_VERSIONS[0]} on, e.g. ${VLLM_VERSIONS.slice(5, 9).join(', ')}, 0.19.1 or 0.25 (0.21 and later plan alike), got "${text}"`);
  }
  return ok(version);
}

const SGLANG_FLAGS = ['mem-fraction-static', 'chunked-prefill-size', 'max-running-requests', 'cuda-graph-max-bs'] as const;
const TRTLLM_FLAGS = ['kv-cache-free-gpu-memory-fraction', 'max-batch-size', 'max-num-tokens'] as const;

/**
 * SGLang's and TensorRT-LLM's own flags (issue 13), each checked by the shared rules; a flag of
 * another engine than --engine is a usage error (it would be silently ignored). Absent flags stay
 * null = the engine's default (memory/engines/sglangDefaults.ts, trtllmDefaults.ts); with none
 * given the settings carry no engine block, so plans and cache keys stay as before.
 */
function readEngineOptions(values: FlagValues): Result<Pick<ServingSettings, 'sglang' | 'trtllm'>, UsageError> {
  const engine = readEngine(values);
  if (!engine.ok) return engine;
  const given = (names: readonly string[]): string | undefined => names.find((n) => readString(values, n) !== undefined);
  const sglangFlag = given(SGLANG_FLAGS);
  const trtllmFlag = given(TRTLLM_FLAGS);
  if (sglangFlag !== undefined && engine.value !== 'sglang') return usage(`--${sglangFlag} is an SGLang flag: add --engine sglang`);
  if (trtllmFlag !== undefined && engine.value !== 'trtllm') return usage(`--${trtllmFlag} is a TensorRT-LLM flag: add --engine trtllm`);
  if (sglangFlag !== undefined) {
    const fraction = readRuled(values, 'mem-fraction-static', checkGpuMemoryUtilization);
    if (!fraction.ok) return fraction;
    const chunk = readRuled(values, 'chunked-prefill-size', checkTokenCount);
    if (!chunk.ok) return chunk;
    const running = readRuled(values, 'max-running-requests', checkConcurrency);
    if (!running.ok) return running;
    const graphBs = readRuled(values, 'cuda-graph-max-bs', checkConcurrency);
    if (!graphBs.ok) return graphBs;
    return ok({
      sglang: {
        memFractionStatic: fraction.value ?? null,
        chunkedPrefillSizeTokens: chunk.value ?? null,
        maxRunningRequests: running.value ?? null,
        cudaGraphMaxBs: graphBs.value ?? null,
      },
    });
  }
  if (trtllmFlag !== undefined) {
    const fraction = readRuled(values, 'kv-cache-free-gpu-memory-fraction', checkGpuMemoryUtilization);
    if (!fraction.ok) return fraction;
    const batch = readRuled(values, 'max-batch-size', checkConcurrency);
    if (!batch.ok) return batch;
    const tokens = readRuled(values, 'max-num-tokens', checkTokenCount);
    if (!tokens.ok) return tokens;
    return ok({ trtllm: { kvCacheFreeGpuMemoryFraction: fraction.value ?? null, maxBatchSize: batch.value ?? null, maxNumTokens: tokens.value ?? null } });
  }
  return ok({});
}

export function readPriceOverride(values: FlagValues): Result<number | undefined, UsageError> {
  return readRuled(values, 'price-usd-per-hour', checkPriceUsdPerHour);
}

/**
 * [prefix] `--prefix-tokens N` and `--prefix-hit-rate 0..1` (estimate, recommend), checked by the
 * shared input rules against the prompt length. Neither given = undefined: the settings carry no
 * prefix block, so estimates and cache keys stay as before the flags (engine/perf/prefixCache.ts).
 */
export function readPrefixCache(values: FlagValues, inputTokens: number): Result<PrefixCacheOptions | undefined, UsageError> {
  const tokens = readRuled(values, 'prefix-tokens', (v) => checkPrefixTokens(v, inputTokens));
  if (!tokens.ok) return tokens;
  const hitRate = readRuled(values, 'prefix-hit-rate', checkPrefixHitRate);
  if (!hitRate.ok) return hitRate;
  if (tokens.value === undefined && hitRate.value === undefined) return ok(undefined);
  return ok({ sharedPrefixTokens: tokens.value ?? 0, hitRate: hitRate.value ?? 0 });
}
