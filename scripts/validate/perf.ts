/**
 * Performance model vs measured serving benchmarks: fixtures/truth/perf_calibration.csv (a copy of ../shared/truth) (1,576 rows,
 * each citing its source). Each row is re-created as the benchmark ran it (engine, GPU, layout, precision,
 * KV dtype, ISL/OSL, closed-loop concurrency, an all-at-once run of N prompts, or an open-loop request
 * rate) and the engine's estimate is printed beside the measured value with the % error; then the median
 * absolute % error per metric group, after tables of the error by source, engine, precision class, GPU
 * generation and metric (perfBreakdown.ts). Rows we cannot evaluate are listed with the reason.
 *
 * Run: npx tsx scripts/validate/perf.ts   (scripts/validate.ts calls runPerfValidation()).
 *      PERF_VALIDATE_QUIET=1 prints the summary only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseConfig } from '../../src/engine/arch/parseConfig';
import { parseConfigJson } from '../../src/engine/arch/parseConfigJson';
import { findGpu } from '../../src/engine/catalog/gpus';
import { VALIDATION_ERROR_PCT } from '../../src/engine/calibration';
import type { EngineSession } from '../../src/engine/session';
import { createEngineSession } from '../../src/engine/session';
import { perfEstimator } from '../../src/engine/perf/estimatePerf';
import { asyncSchedulingActive } from '../../src/engine/perf/asyncScheduling';
import type { ModelCost } from '../../src/engine/perf/modelCost';
import type {
  ApiFrontend,
  GpuGeneration,
  GpuSpec,
  KvCacheDtype,
  Layout,
  MemoryPlan,
  ModelArch,
  PerfEstimate,
  ServingEngine,
  ResolvedServingOptions,
  VllmVersion,
  WeightPrecision,
  Workload,
} from '../../src/engine/types';
import { vllmVersionOf } from '../../src/engine/memory/vllmVersion';
import { GiB } from '../../src/engine/units';
import type { LengthDistribution } from '../../src/engine/sim/load';
import { parseCsv } from '../lib/csv';
import type { ErrorRow, MetricSense } from './errorTables';
import { median, shortSourceName } from './errorTables';
import { breakdownLines } from './perfBreakdown';
import { evaluateSimCases, simValidationLines } from './perfSim';
import type { PrecisionClass } from './precisionClass';
import { precisionClassOf } from './precisionClass';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TRUTH_CSV = process.env.PERF_TRUTH_CSV ?? join(ROOT, 'fixtures', 'truth', 'perf_calibration.csv');
const FIXTURE_DIRS = [join(ROOT, 'fixtures', 'hf'), join(ROOT, 'fixtures', 'hf-extra')];

/**
 * Checkpoints whose own config.json we do not vendor, evaluated on the vendored config of the same
 * architecture with the row's precision applied as a what-if (effectiveQuantization): ModelOpt / AMD
 * Quark FP8 and NVFP4 exports keep the base model's shapes. Validation wiring only; the engine knows
 * nothing of these ids. DeepSeek-R1-0528 is a re-train of DeepSeek-R1 with the same config shapes;
 * Qwen3-235B-A22B-Instruct-2507 (and its -FP8) keeps Qwen3-235B-A22B's layer shapes (only its context length grew).
 */
const SAME_ARCHITECTURE: Readonly<Record<string, string>> = {
  'nvidia/llama-3.1-8b-instruct-fp8': 'meta-llama/Llama-3.1-8B-Instruct',
  'nvidia/llama-3.1-405b-instruct-fp8': 'meta-llama/Llama-3.1-405B',
  'nvidia/llama-3.1-405b-instruct-fp4': 'meta-llama/Llama-3.1-405B',
  'amd/llama-3.1-70b-instruct-fp8-kv': 'meta-llama/Llama-3.1-70B-Instruct',
  'nvidia/qwen3-30b-a3b-fp4': 'Qwen/Qwen3-30B-A3B',
  'qwen/qwen3-14b-fp8': 'Qwen/Qwen3-14B',
  'nvidia/deepseek-r1-fp4': 'deepseek-ai/DeepSeek-R1',
  'deepseek-ai/deepseek-r1-0528': 'deepseek-ai/DeepSeek-R1',
  'qwen/qwen3-235b-a22b-instruct-2507': 'Qwen/Qwen3-235B-A22B',
  'qwen/qwen3-235b-a22b-instruct-2507-fp8': 'Qwen/Qwen3-235B-A22B-FP8',
};

/**
 * The KV cache dtype a checkpoint's own quantization config asks for (`kv_cache_quant_algo` in its
 * hf_quant_config.json). NVIDIA's ModelOpt exports (nvidia/*-FP8, nvidia/*-FP4) carry
 * "kv_cache_quant_algo": "FP8" (as the vendored nvidia/Llama-3.1-70B-Instruct-FP8 and
 * nvidia/DeepSeek-V3.1-NVFP4 configs do), and TensorRT-LLM's PyTorch backend with the KV dtype left at
 * 'auto' takes it from there (tensorrt_llm/_torch/model_config.py ModelConfig.load_modelopt_quant_config
 * → quant_config.kv_cache_quant_algo): the v1.0-era perf-overview runs, whose rows leave the KV dtype
 * blank, ran an FP8 KV cache. Read before as 16-bit, their KV pool held half the tokens and the
 * decode-heavy runs came out 30–57 % too slow (8B FP8 on H100, 128/2048: 11,077 vs 22,714 tokens/s).
 * Validation wiring only: the checkpoints' config files are not vendored (SAME_ARCHITECTURE).
 */
const CHECKPOINT_KV_CACHE_QUANT: Readonly<Record<string, KvCacheDtype>> = {
  'nvidia/llama-3.1-8b-instruct-fp8': 'fp8',
  'nvidia/llama-3.1-405b-instruct-fp8': 'fp8',
  'nvidia/llama-3.1-405b-instruct-fp4': 'fp8',
  'nvidia/qwen3-30b-a3b-fp4': 'fp8',
  'nvidia/deepseek-r1-fp4': 'fp8',
};

/**
 * The row's KV cache dtype: as the row states it; else, for TensorRT-LLM, the checkpoint's own
 * `kv_cache_quant_algo` (CHECKPOINT_KV_CACHE_QUANT); else 16-bit
 * (vLLM's and SGLang's 'auto' is the model dtype).
 */
export function kvDtypeOf(row: Record<string, string>, engine: ServingEngine): KvCacheDtype {
  const stated = (row.kv_dtype ?? '').trim().toLowerCase();
  if (stated === 'fp8') return 'fp8';
  if (stated !== '' || engine !== 'trtllm') return 'auto';
  const id = cleanId(row.model_id ?? '').toLowerCase();
  return CHECKPOINT_KV_CACHE_QUANT[id] ?? 'auto';
}

/** CSV GPU labels the catalog's aliases do not cover. */
export const GPU_LABELS: Readonly<Record<string, string>> = { RTX6000ProBlackwellServer: 'RTX-PRO-6000', 'A100-SXM4-80GB': 'A100-80GB' };

export type MetricGroup = 'throughput' | 'itl' | 'ttft' | 'latency';

export interface PerfValidationRow extends ErrorRow {
  line: number;
  source: string;
  modelId: string;
  gpu: string;
  generation: GpuGeneration;
  engine: ServingEngine;
  precision: PrecisionClass;
  isl: number;
  osl: number;
  load: string;
  metric: string;
  group: MetricGroup;
  measured: number;
  predicted: number;
  unit: string;
  errorPct: number;
}

export interface PerfValidationResult {
  rows: PerfValidationRow[];
  skipped: { line: number; modelId: string; metric: string; reason: string }[];
  summary: { group: MetricGroup; rows: number; medianAbsErrorPct: number }[];
  byMetric: { metric: string; rows: number; medianAbsErrorPct: number }[];
}

/** Hub id as listed (strip "(FP8 ckpt not named in doc)" style remarks). */
const cleanId = (id: string): string => id.replace(/\s*\(.*\)\s*$/, '').trim();

function configDir(modelId: string): string | null {
  const dirName = modelId.replace('/', '__');
  for (const dir of FIXTURE_DIRS) {
    const p = join(dir, dirName, 'config.json');
    if (existsSync(p)) return join(dir, dirName);
  }
  return null;
}

/**
 * The `quantization_config` of a checkpoint evaluated on its base model's config (SAME_ARCHITECTURE)
 * whose quantization is not the what-if's per-tensor FP8. Qwen's own FP8 releases of Qwen3 are
 * block-scaled ("fine-grained fp8 quantization with block size of 128", the Qwen3-*-FP8 model cards),
 * as the vendored Qwen/Qwen3-32B-FP8 and Qwen3-30B-A3B-FP8 configs state field for field; read as
 * per-tensor FP8 the Qwen3-14B-FP8 rows ran the faster per-tensor kernel (issue 11: Qwen3-14B on H100
 * +60 % held out). Validation wiring only, like SAME_ARCHITECTURE.
 */
const CHECKPOINT_QUANTIZATION_CONFIG: Readonly<Record<string, Record<string, unknown>>> = {
  'qwen/qwen3-14b-fp8': { activation_scheme: 'dynamic', fmt: 'e4m3', quant_method: 'fp8', weight_block_size: [128, 128] },
};

/** One engine session per vendored config and checkpoint quantization (its caches serve every row of that model). */
const sessionCache = new Map<string, EngineSession | string>();
export function loadArch(rowModelId: string): { arch: ModelArch; session: EngineSession; substitutedFrom: string | null } | string {
  const id = cleanId(rowModelId);
  const own = configDir(id);
  const base = SAME_ARCHITECTURE[id.toLowerCase()];
  const dir = own ?? (base !== undefined ? configDir(base) : null);
  if (dir === null) return `no vendored config.json for ${id}${base ? ` (nor its base ${base})` : ''}`;
  const checkpointQuant = own === null ? CHECKPOINT_QUANTIZATION_CONFIG[id.toLowerCase()] : undefined;
  const key = checkpointQuant === undefined ? dir : `${dir}#${id.toLowerCase()}`;
  const cached = sessionCache.get(key);
  if (cached === undefined) {
    const text = readFileSync(join(dir, 'config.json'), 'utf8');
    const raw = parseConfigJson(text);
    if (!raw.ok) return `config.json does not parse: ${raw.error.kind}`;
    const quantPath = join(dir, 'hf_quant_config.json');
    const hfQuantConfig: unknown = existsSync(quantPath) ? JSON.parse(readFileSync(quantPath, 'utf8')) : undefined;
    const config = checkpointQuant === undefined ? raw.value : { ...(raw.value as Record<string, unknown>), quantization_config: checkpointQuant };
    const parsed = parseConfig(config, { modelId: own !== null ? id : (base ?? id), hfQuantConfig });
    sessionCache.set(key, parsed.ok ? createEngineSession(parsed.value) : `parseConfig failed: ${JSON.stringify(parsed.error)}`);
  }
  const session = sessionCache.get(key);
  if (session === undefined || typeof session === 'string') return session ?? 'unknown';
  return { arch: session.arch, session, substitutedFrom: own === null ? (base ?? null) : null };
}

export function engineOf(label: string): ServingEngine | null {
  const l = label.toLowerCase();
  if (l.includes('tensorrt')) return 'trtllm';
  if (l.includes('sglang')) return 'sglang';
  if (l.includes('vllm')) return 'vllm';
  return null;
}

/** Row precision → what vLLM would be asked for on this checkpoint. */
function precisionOf(p: string, arch: ModelArch): WeightPrecision {
  const l = p.toLowerCase();
  if (l.includes('native') || l === 'mxfp4' || l === '') return 'auto';
  if (l === 'fp8') return arch.quantization.method === 'none' ? 'fp8' : 'auto';
  if (l === 'fp4') return 'fp4';
  return 'auto';
}

/**
 * vLLM's `vllm serve` batch defaults (vllm/engine/arg_utils.py get_batch_defaults): GPUs with ≥ 70 GiB
 * that are not A100 get max_num_batched_tokens 8192 and max_num_seqs 1024; others 2048 and 256.
 */
function vllmServeDefaults(gpu: GpuSpec): { maxNumBatchedTokens: number; maxNumSeqs: number } {
  const large = gpu.memoryBytes >= 70 * GiB && !gpu.id.startsWith('A100');
  return large ? { maxNumBatchedTokens: 8192, maxNumSeqs: 1024 } : { maxNumBatchedTokens: 2048, maxNumSeqs: 256 };
}

function numberIn(notes: string, re: RegExp): number | null {
  const m = re.exec(notes);
  return m?.[1] !== undefined ? Number(m[1]) : null;
}

/** The scheduler limits each benchmark ran with, as its notes state (or the engine's defaults). */
export function servingFor(row: Record<string, string>, engine: ServingEngine, gpu: GpuSpec, arch: ModelArch, isl: number, osl: number): ResolvedServingOptions {
  const notes = row.notes ?? '';
  const kv = kvDtypeOf(row, engine);
  const neededLen = Math.ceil(isl + osl) + 16;
  const maxModelLen = Math.min(arch.maxPositionTokens, Math.max(neededLen, 8192));
  let limits = vllmServeDefaults(gpu);
  let util = 0.9;
  if (engine === 'trtllm') {
    // trtllm-bench / trtllm-serve: kv_cache_free_gpu_mem_fraction 0.95 of what the weights leave
    // (≈ 0.95 of the device here), max_num_tokens 8192, runtime batch up to 2048 (notes give the
    // DeepSeek blog's explicit values).
    util = 0.95;
    limits = {
      maxNumBatchedTokens: numberIn(notes, /max_num_tokens (\d+)/) ?? 8192,
      maxNumSeqs: numberIn(notes, /max_batch_size (\d+)/) ?? 2048,
    };
  } else if (engine === 'sglang') {
    // SGLang defaults: chunked_prefill_size 8192 on ≥ 80 GB GPUs, max_running_requests by memory.
    util = 0.9;
    limits = { maxNumBatchedTokens: 8192, maxNumSeqs: 1024 };
  }
  const mnbt = numberIn(notes, /--max-num-batched-tokens (\d+)/);
  const seqs = numberIn(notes, /max_num_seqs (\d+)/);
  return {
    maxModelLenTokens: maxModelLen,
    gpuMemoryUtilization: util,
    weightPrecision: precisionOf(row.precision ?? '', arch),
    kvCacheDtype: kv,
    blockSizeTokens: null,
    maxNumBatchedTokens: mnbt ?? limits.maxNumBatchedTokens,
    maxNumSeqs: seqs ?? limits.maxNumSeqs,
    enforceEager: false,
    vllmVersion: engine === 'vllm' ? vllmReleaseOfRow(row) : CALIBRATION_VLLM_VERSION,
    ...(engine === 'vllm' ? { asyncScheduling: asyncSchedulingOfRow(row) } : {}),
  };
}

/** The release the memory constants were fitted on: rows of other engines, and vLLM rows that state none. */
const CALIBRATION_VLLM_VERSION: VllmVersion = '0.19';

/**
 * The vLLM release a row ran, from its `engine` column ("vLLM v0.11.0", "vLLM v0.10.2
 * (--async-scheduling)", "vLLM v0.10.0 (ROCm fork, …)"): its memory is planned with that release's
 * accounting (memory/vllmVersion.ts: the profile run's sampler kernel and non-torch figures), as the
 * run started. A row that names no release gets the calibration release.
 */
export function vllmReleaseOfRow(row: Record<string, string>): VllmVersion {
  return statedVllmRelease(row) ?? CALIBRATION_VLLM_VERSION;
}

/** The release a row's `engine` column names (e.g. "vLLM v0.11.0 (--async-scheduling)" → 0.11); null when it names none. */
function statedVllmRelease(row: Record<string, string>): VllmVersion | null {
  const stated = /\bv?(0\.\d{1,3}\.\d{1,3})\b/.exec(row.engine ?? '')?.[1];
  return stated === undefined ? null : vllmVersionOf(stated);
}

/**
 * Whether a vLLM row's steps overlapped the host's work with the GPU's (perf/asyncScheduling.ts):
 * `--async-scheduling` or `--no-async-scheduling` in its engine label or notes (the GPUStack
 * "optimized config (vllm serve … --async-scheduling)" runs), else its release's default, under the
 * rules of the release its label names (on by default from 0.14; with PP only from 0.15, so the
 * GPUStack 0.10.2 `-pp 2 --async-scheduling` run is priced without it). Stated explicitly: a row that
 * names no release is planned with the calibration release's memory (vllmReleaseOfRow) but ran a
 * build from before async scheduling was the default.
 */
export function asyncSchedulingOfRow(row: Record<string, string>): boolean {
  const text = `${row.engine ?? ''} ${row.notes ?? ''}`;
  const asked = /--no-async-scheduling\b/.test(text) ? false : /--async-scheduling\b/.test(text) ? true : null;
  const version = statedVllmRelease(row);
  // A row without a stated release ran before async scheduling was the default: every such vLLM row of
  // the truth files is a 2025 build ("vLLM V1 (April 2025 main)", "mid-2025 main"; shapes_calibration.csv)
  // or the llm-d guide's run of that year.
  if (version === null) return asked === true;
  const pp = Number(row.pp) > 1 ? Number(row.pp) : 1;
  return asyncSchedulingActive({ asyncScheduling: asked, vllmVersion: version }, 'vllm', pp, null);
}

/**
 * TensorRT-LLM rows are planned by TensorRT-LLM's own accounting (memory/engines/trtllmPlan.ts, issue 13
 * item 3): its KV pool is `kv_cache_free_gpu_mem_fraction` (0.95 in these runs unless the notes say
 * otherwise) of the memory left free after the weights, and its caps are the run's `max_batch_size` /
 * `max_num_tokens`, which the step model reads from the plan (perf/engineLimits.ts). Before, the run
 * was re-created in vLLM's accounting with a utilization that left the same budget.
 */
export function withEngineOptions(serving: ResolvedServingOptions, row: Record<string, string>, engine: ServingEngine): ResolvedServingOptions {
  if (engine !== 'trtllm') return serving;
  const notes = row.notes ?? '';
  const fraction = numberIn(notes, /kv frac (0\.\d+)/) ?? numberIn(notes, /kv_cache_free_gpu_mem_fraction (0\.\d+)/) ?? 0.95;
  return {
    ...serving,
    engine: 'trtllm',
    trtllm: { kvCacheFreeGpuMemoryFraction: fraction, maxBatchSize: serving.maxNumSeqs, maxNumTokens: serving.maxNumBatchedTokens },
  };
}

export type Load = { kind: 'closed'; concurrency: number } | { kind: 'burst'; n: number } | { kind: 'rate'; perS: number; n: number };

function loadOf(row: Record<string, string>): Load | string {
  const c = (row.concurrency ?? '').trim();
  const notes = row.notes ?? '';
  const n =
    numberIn(notes, /all (\d+) requests/) ??
    numberIn(notes, /(\d+) prompts sent at once/) ??
    numberIn(notes, /(\d+) requests queued/) ??
    numberIn(notes, /(\d+) requests/) ??
    numberIn(notes, /(\d+) prompts/) ??
    null;
  if (c === 'inf') return { kind: 'burst', n: n ?? 1000 };
  // vLLM benchmark_latency: one static batch of `concurrency` requests, all submitted together.
  if (notes.includes('benchmark_latency') && Number(c) > 0) return { kind: 'burst', n: Number(c) };
  if (c === '') {
    const rate = /request_rate=([0-9.]+|INF)/.exec(notes)?.[1];
    if (rate === undefined) return 'open-loop row without request_rate';
    if (rate === 'INF') return { kind: 'burst', n: n ?? 500 };
    return { kind: 'rate', perS: Number(rate), n: n ?? 500 };
  }
  const v = Number(c);
  return Number.isFinite(v) && v > 0 ? { kind: 'closed', concurrency: v } : `unreadable concurrency "${c}"`;
}

interface Point {
  perf: PerfEstimate;
  burstN: number | null;
}

function estimateAt(
  base: { arch: ModelArch; gpu: GpuSpec; layout: Layout; serving: ResolvedServingOptions; engine: ServingEngine; memory: MemoryPlan; frontend: ApiFrontend },
  cost: ModelCost,
  isl: number,
  osl: number,
  load: Load,
  outputLengths: LengthDistribution = { kind: 'fixed' },
): Point {
  // The load-independent part once per case (estimatePerfWithCost builds it per call; the rate
  // bisection below asks for ~30 loads): the same estimates, bit for bit.
  const estimator = perfEstimator(base, cost, isl, osl, outputLengths);
  const run = (w: Workload): PerfEstimate => estimator(w.concurrency, w.numRequests);
  if (load.kind === 'closed') return { perf: run({ inputTokens: isl, outputTokens: osl, concurrency: load.concurrency }), burstN: null };
  if (load.kind === 'burst') return { perf: run({ inputTokens: isl, outputTokens: osl, concurrency: 'max', numRequests: load.n }), burstN: load.n };
  // Open loop at a request rate below capacity: the concurrency in flight is rate × e2e (Little's law);
  // find it by bisection on the closed-loop model. At or above capacity the run is a burst of N.
  const cap = run({ inputTokens: isl, outputTokens: osl, concurrency: base.serving.maxNumSeqs * base.layout.dp });
  if (load.perS >= cap.requestsPerS * 0.98) {
    return { perf: run({ inputTokens: isl, outputTokens: osl, concurrency: 'max', numRequests: load.n }), burstN: load.n };
  }
  let lo = 1e-3;
  let hi = base.serving.maxNumSeqs * base.layout.dp;
  for (let i = 0; i < 30; i += 1) {
    const mid = Math.sqrt(lo * hi);
    const p = run({ inputTokens: isl, outputTokens: osl, concurrency: mid });
    if (p.requestsPerS < load.perS) lo = mid;
    else hi = mid;
  }
  const p = run({ inputTokens: isl, outputTokens: osl, concurrency: Math.max(lo, 1e-3) });
  // The benchmark sends N requests at the rate and stops when the last one finishes: the reported
  // throughput is N ÷ (N / rate + that request's latency).
  const reqPerS = load.n / (load.n / load.perS + p.e2eMs / 1000);
  return { perf: { ...p, requestsPerS: reqPerS, outputTokensPerS: reqPerS * osl, totalTokensPerS: reqPerS * (isl + osl) }, burstN: null };
}

function predictedMetric(metric: string, point: Point): { value: number; group: MetricGroup; sense: MetricSense } | null {
  const p = point.perf;
  switch (metric) {
    case 'output_throughput':
      return { value: p.outputTokensPerS, group: 'throughput', sense: 'rate' };
    case 'total_throughput':
      return { value: p.totalTokensPerS, group: 'throughput', sense: 'rate' };
    case 'request_throughput':
      return { value: p.requestsPerS, group: 'throughput', sense: 'rate' };
    case 'throughput_unspecified':
      // vLLM benchmark_throughput's headline figure is total (prompt + output) tokens/s.
      return { value: p.totalTokensPerS, group: 'throughput', sense: 'rate' };
    case 'mean_ttft':
      return { value: p.ttftMs, group: 'ttft', sense: 'time' };
    case 'mean_itl':
      return { value: p.itlMs, group: 'itl', sense: 'time' };
    case 'mean_tpot':
      // Per request (vllm bench); differs from the ITL in a burst of answers of varying length.
      return { value: p.tpotMs ?? p.itlMs, group: 'itl', sense: 'time' };
    case 'per_user_output_tokens_s':
      return { value: 1000 / p.itlMs, group: 'itl', sense: 'rate' };
    case 'batch_e2e_latency':
      // One static batch: all N requests from start to the last token, seconds.
      return point.burstN !== null ? { value: point.burstN / p.requestsPerS, group: 'latency', sense: 'time' } : null;
    default:
      return null;
  }
}

/** The simulator's side-by-side tables (perfSim.ts): by source and by engine, as the closed form's breakdown. */
export const SIM_TABLE_KEYS: readonly { title: string; keyOf: (r: PerfValidationRow) => string }[] = [
  { title: 'by source', keyOf: (r) => shortSourceName(r.source) },
  { title: 'by engine', keyOf: (r) => r.engine },
  { title: 'by source · metric group', keyOf: (r) => `${shortSourceName(r.source)} · ${r.group}` },
];

export interface PreparedCase {
  line: number;
  row: Record<string, string>;
  base: { arch: ModelArch; gpu: GpuSpec; layout: Layout; serving: ResolvedServingOptions; engine: ServingEngine; memory: MemoryPlan; frontend: ApiFrontend };
  cost: ModelCost;
  isl: number;
  osl: number;
  load: Load;
  measured: number;
  /** The kernel regime of the row's linear layers (precisionClass.ts). */
  precision: PrecisionClass;
  /** How the run's answers vary in length (datasetLengthsOfRow). */
  outputLengths: LengthDistribution;
}

/**
 * How a row's prompts and answers vary in length, from its dataset: ShareGPT conversations are
 * long-tailed — the simulator's 'chat' log-normal (sim/load.ts, std ≈ mean) — and vllm bench serve
 * keeps each pair's reference answer as the request's max_tokens; the random dataset at its default
 * --random-range-ratio 0 sends equal lengths ('fixed'). APPROXIMATION: the spread of ShareGPT is
 * the chat shape's, not the dataset's own histogram.
 */
export function datasetLengthsOfRow(row: Record<string, string>): LengthDistribution {
  return /sharegpt/i.test(row.notes ?? '') ? { kind: 'chat' } : { kind: 'fixed' };
}

/** Everything that does not depend on the perf calibration: configs, memory plans, model costs. */
export function preparePerfCases(): { cases: PreparedCase[]; skipped: PerfValidationResult['skipped']; total: number } {
  const records = parseCsv(readFileSync(TRUTH_CSV, 'utf8'));
  const cases: PreparedCase[] = [];
  const skipped: PerfValidationResult['skipped'] = [];
  records.forEach((row, i) => {
    const line = i + 2;
    const prepared = preparePerfRow(row, line);
    if (typeof prepared === 'string') skipped.push({ line, modelId: row.model_id ?? '', metric: row.metric ?? '', reason: prepared });
    else cases.push(prepared);
  });
  return { cases, skipped, total: records.length };
}

/** One truth-CSV-shaped row as a case to estimate, or why it cannot be. */
export function preparePerfRow(row: Record<string, string>, line: number): PreparedCase | string {
  const modelId = row.model_id ?? '';
  const loaded = loadArch(modelId);
  if (typeof loaded === 'string') return loaded;
  const { arch, session } = loaded;
  const gpuLabel = row.gpu ?? '';
  const gpu = findGpu(GPU_LABELS[gpuLabel] ?? gpuLabel);
  if (gpu === undefined) return `GPU "${gpuLabel}" not in the catalog`;
  const engine = engineOf(row.engine ?? '');
  if (engine === null) return `engine "${row.engine}" unknown`;
  const isl = Number(row.isl);
  const osl = Number(row.osl);
  const measured = Number(row.value);
  if (!(isl > 0 && osl > 0 && measured > 0)) return 'isl/osl/value missing';
  const load = loadOf(row);
  if (typeof load === 'string') return load;
  const tp = Number(row.tp) || 1;
  const pp = Number(row.pp) || 1;
  const numGpus = Number(row.num_gpus) || tp * pp;
  const epCol = Number(row.ep);
  const isMoe = arch.layers.some((l) => l.ffn.kind === 'moe');
  // TensorRT-LLM's MoE runs with `enable_attention_dp` (named in the row's notes) are not tensor
  // parallel: every GPU runs attention for its own requests and the experts are spread over all
  // of them — the layout vLLM calls `--data-parallel-size N --enable-expert-parallel`. Read as
  // TP = N they replicated MLA's KV cache on every rank and were predicted 3–4× too slow.
  const attentionDp = isMoe && /enable_attention_dp/.test(row.notes ?? '');
  const layout: Layout = attentionDp
    ? { tp: 1, pp, dp: Math.max(1, Math.round(numGpus / pp)), ep: true }
    : { tp, pp, dp: Math.max(1, Math.round(numGpus / (tp * pp))), ep: isMoe && epCol > 1 };
  const serving = withEngineOptions(servingFor(row, engine, gpu, arch, isl, osl), row, engine);
  const memory = session.plan(gpu, layout, serving);
  // A row whose configuration the planner refuses stays unscored: the run as the row states it
  // could not have started. Each vLLM row is planned at its own release (vllmReleaseOfRow). The six
  // "random 32K input" baseline rows of GPUStack's Qwen3-32B 1 × H100 page (vLLM v0.11.0) are
  // scored since: at 0.11.0 the profile run samples with FlashInfer (2.25 GiB activation, 0.13 GiB
  // non-torch, memory/vllmVersion.ts), which leaves 7.86 GiB of KV — one 32,116-token request
  // (7.84 GiB) and no second, as the page's serial run shows (peak output 24 tok/s = one decode at
  // 43 ms). Planned at 0.19 (0.25 GiB non-torch) it was 0.1 GiB short, and at 0.12–0.16 (PyTorch
  // sort, llm-d's measured 5.64 GiB activation and 4.45 GiB of KV at 16,000 tokens) it would not
  // start. The page's `vllm serve Qwen/Qwen3-32B` default of 40,960 tokens (10.00 GiB of KV) fits in
  // no release, so the run's max_model_len was below the default; the harness plans isl + osl + 16.
  // perf.test.ts checks these figures against the planner.
  if (!memory.fits) return `does not fit per the memory planner: ${memory.reason} (${memory.message ?? ''})`;
  const cost = session.modelCost(serving, layout);
  const precision = precisionClassOf(serving.weightPrecision, arch, row.precision ?? '');
  // TensorRT-LLM behind Triton's C++ front end (the row's engine label says so) pays Triton's
  // per-request cost, not trtllm-serve's (calibration.ts requestOverheadMs).
  const frontend: ApiFrontend = /triton/i.test(row.engine ?? '') ? 'triton' : 'openai';
  return { line, row, base: { arch, gpu, layout, serving, engine, memory, frontend }, cost, isl, osl, load, measured, precision, outputLengths: datasetLengthsOfRow(row) };
}

/**
 * Published runs outside the truth set, printed as checks and never fitted on (their sources do not
 * state the setup precisely enough to score; each says what is assumed).
 */
export const OUT_OF_SET_RUNS: readonly { label: string; source: string; assumed: string; row: Record<string, string> }[] = [
  {
    label: 'DeepSeek-R1-0528, 16 × H100 (2 nodes), SGLang TP16 over InfiniBand, 128/128 at concurrency 1: TPOT',
    source: 'https://github.com/tenstorrent/tt-inference-server/issues/356 (2025-07-09 comment: TPOT 23.1 ms)',
    assumed:
      'two 8-GPU HGX H100 nodes with one 400 Gb/s NDR NIC per GPU; the block-FP8 checkpoint; TP16 without DP attention or EP; ' +
      "SGLang's defaults (custom all-reduce inside a node only, so NCCL across the two); 16-bit KV; the SGLang release of mid-2025",
    row: {
      source: 'out-of-set',
      model_id: 'deepseek-ai/DeepSeek-R1-0528',
      gpu: 'H100',
      num_gpus: '16',
      tp: '16',
      pp: '1',
      ep: '',
      precision: 'fp8 (block-scaled, native)',
      kv_dtype: 'auto',
      engine: 'SGLang (2025-07)',
      isl: '128',
      osl: '128',
      concurrency: '1',
      metric: 'mean_tpot',
      value: '23.1',
      unit: 'ms',
      notes: '',
    },
  },
];

/** The out-of-set checks' lines: measured, estimated, error, and the assumptions. */
export function outOfSetLines(): string[] {
  const lines: string[] = [];
  for (const run of OUT_OF_SET_RUNS) {
    const c = preparePerfRow(run.row, 0);
    if (typeof c === 'string') {
      lines.push(`out of set (not fitted): ${run.label}: not estimated (${c})`);
      continue;
    }
    const point = estimateAt(c.base, c.cost, c.isl, c.osl, c.load, c.outputLengths);
    const pred = predictedMetric(c.row.metric ?? '', point);
    if (pred === null) {
      lines.push(`out of set (not fitted): ${run.label}: metric not modelled`);
      continue;
    }
    const err = ((pred.value - c.measured) / c.measured) * 100;
    lines.push(
      `out of set (not fitted): ${run.label}: measured ${c.measured} ${run.row.unit}, estimated ${pred.value.toPrecision(3)} (${err >= 0 ? '+' : ''}${err.toFixed(0)} %)`,
    );
    const d = point.perf.decodeStep;
    lines.push(
      `  decode step: compute ${d.computeMs.toFixed(2)} ms, memory ${d.memoryMs.toFixed(2)} ms, communication ${d.communicationMs.toFixed(2)} ms, overhead ${d.overheadMs.toFixed(2)} ms`,
    );
    lines.push(`  source: ${run.source}`);
    lines.push(`  assumed: ${run.assumed}`);
  }
  return lines;
}

/** How a row's load reads in the printout. */
export const loadLabel = (load: Load): string =>
  load.kind === 'closed' ? `c=${load.concurrency}` : load.kind === 'burst' ? `burst N=${load.n}` : `rate ${load.perS}/s`;

/** A case's validation row for a predicted value (closed form or simulator). */
export function validationRow(c: PreparedCase, pred: { value: number; group: MetricGroup; sense: MetricSense }): PerfValidationRow {
  const { row } = c;
  return {
    line: c.line,
    source: row.source ?? '',
    modelId: row.model_id ?? '',
    gpu: c.base.gpu.id,
    generation: c.base.gpu.generation,
    engine: c.base.engine,
    precision: c.precision,
    isl: c.isl,
    osl: c.osl,
    load: loadLabel(c.load),
    metric: row.metric ?? '',
    group: pred.group,
    sense: pred.sense,
    measured: c.measured,
    predicted: pred.value,
    unit: row.unit ?? '',
    errorPct: ((pred.value - c.measured) / c.measured) * 100,
  };
}

/** Estimate every prepared case with the current calibration. */
export function evaluatePerfCases(cases: readonly PreparedCase[], skipped: PerfValidationResult['skipped']): PerfValidationRow[] {
  const rows: PerfValidationRow[] = [];
  for (const c of cases) {
    const { row, load } = c;
    const metric = row.metric ?? '';
    const point = estimateAt(c.base, c.cost, c.isl, c.osl, load, c.outputLengths);
    const pred = predictedMetric(metric, point);
    if (pred === null) {
      skipped.push({ line: c.line, modelId: row.model_id ?? '', metric, reason: `metric ${metric} not modelled for this load` });
      continue;
    }
    rows.push(validationRow(c, pred));
  }
  return rows;
}

export function summarize(rows: readonly PerfValidationRow[]): Pick<PerfValidationResult, 'summary' | 'byMetric'> {
  const groups: MetricGroup[] = ['throughput', 'itl', 'ttft', 'latency'];
  const summary = groups.map((g) => {
    const errs = rows.filter((r) => r.group === g).map((r) => Math.abs(r.errorPct));
    return { group: g, rows: errs.length, medianAbsErrorPct: median(errs) };
  });
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const byMetric = metrics.map((m) => {
    const errs = rows.filter((r) => r.metric === m).map((r) => Math.abs(r.errorPct));
    return { metric: m, rows: errs.length, medianAbsErrorPct: median(errs) };
  });
  return { summary, byMetric };
}

/**
 * Score the closed form on every row and print it; with `sim`, then the simulator on the same rows
 * and the rows only it scores, side by side (perfSim.ts).
 */
export function runPerfValidation(opts: { quiet?: boolean; sim?: boolean } = {}): PerfValidationResult {
  const quiet = opts.quiet ?? process.env.PERF_VALIDATE_QUIET === '1';
  const prepared = preparePerfCases();
  const skipped = [...prepared.skipped];
  const rows = evaluatePerfCases(prepared.cases, skipped);
  const { summary, byMetric } = summarize(rows);
  const records = { length: prepared.total };
  if (!quiet) {
    console.log('[perf] line | model | gpu | engine | isl/osl | load | metric | measured | predicted | error');
    for (const r of rows) {
      console.log(
        `[perf] ${r.line} | ${r.modelId} | ${r.gpu} | ${r.engine} | ${r.isl}/${r.osl} | ${r.load} | ${r.metric} | ` +
          `${r.measured.toPrecision(5)} ${r.unit} | ${r.predicted.toPrecision(5)} | ${r.errorPct >= 0 ? '+' : ''}${r.errorPct.toFixed(1)}%`,
      );
    }
    const reasons = new Map<string, number>();
    for (const s of skipped) reasons.set(`${s.modelId}: ${s.reason}`, (reasons.get(`${s.modelId}: ${s.reason}`) ?? 0) + 1);
    console.log(`[perf] skipped ${skipped.length} rows:`);
    for (const [reason, count] of reasons) console.log(`[perf]   ${count} × ${reason}`);
    for (const l of breakdownLines(rows)) console.log(`[perf] ${l}`);
  }
  console.log(`[perf] evaluated ${rows.length} of ${records.length} rows; median |error| per metric group:`);
  for (const s of summary) console.log(`[perf]   ${s.group.padEnd(10)} ${String(s.rows).padStart(4)} rows  ${s.medianAbsErrorPct.toFixed(1)}%`);
  for (const m of byMetric) console.log(`[perf]     ${m.metric.padEnd(26)} ${String(m.rows).padStart(4)} rows  ${m.medianAbsErrorPct.toFixed(1)}%`);
  // The UI's ± band (calibration.ts VALIDATION_ERROR_PCT) must follow these figures.
  const published: Partial<Record<string, number>> = { throughput: VALIDATION_ERROR_PCT.throughputPct, itl: VALIDATION_ERROR_PCT.itlPct, ttft: VALIDATION_ERROR_PCT.ttftPct };
  for (const s of summary) {
    const shown = published[s.group];
    if (shown !== undefined && Math.abs(shown - s.medianAbsErrorPct) >= 0.1)
      console.log(`[perf] NOTE: ${s.group} median ${s.medianAbsErrorPct.toFixed(1)}% differs from VALIDATION_ERROR_PCT (${shown}%): update src/engine/calibration.ts`);
  }
  if (!quiet) for (const l of outOfSetLines()) console.log(`[perf] ${l}`);
  if (opts.sim === true) {
    const ev = evaluateSimCases(prepared.cases);
    for (const l of simValidationLines(rows, ev, SIM_TABLE_KEYS)) console.log(`[perf-sim] ${l}`);
  }
  return { rows, skipped, summary, byMetric };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runPerfValidation({ sim: true });
