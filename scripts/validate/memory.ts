/**
 * Memory planner vs vLLM start-up logs: fixtures/truth/vllm_memory_calibration.csv (a copy of ../shared/truth) (copied rows,
 * each citing its source). For every row whose model config we have, plan the logged setup and print
 * predicted vs logged weights, KV pool, max concurrency and blocks with the % error; then the median
 * absolute error per column. Rows we cannot evaluate are listed with the reason.
 *
 * Run: npx tsx scripts/validate/memory.ts   (scripts/validate.ts calls runMemoryValidation()).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseConfig } from '../../src/engine/arch/parseConfig';
import { parseConfigJson } from '../../src/engine/arch/parseConfigJson';
import { findGpu } from '../../src/engine/catalog/gpus';
import { createEngineSession } from '../../src/engine/session';
import { vllmDefaultMaxNumBatchedTokens, vllmDefaultMaxNumSeqs } from '../../src/engine/memory/servingDefaults';
import type { GpuSpec, KvCacheDtype, ModelDtypeOption, ResolvedServingOptions, VllmVersion, WeightPrecision } from '../../src/engine/types';
import { vllmVersionOf } from '../../src/engine/memory/vllmVersion';
import { GiB } from '../../src/engine/units';
import { parseCsv } from '../lib/csv';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TRUTH_CSV = process.env.MEMORY_TRUTH_CSV ?? join(ROOT, 'fixtures', 'truth', 'vllm_memory_calibration.csv');
const FIXTURE_DIRS = [join(ROOT, 'fixtures', 'hf'), join(ROOT, 'fixtures', 'hf-extra')];

/**
 * Checkpoints whose config.json we do not vendor but whose memory equals a vendored base config served
 * with a vLLM precision: compressed-tensors FP8-dynamic / w8a8 store per-channel scales (negligible)
 * and keep lm_head and embeddings 16-bit, as `--quantization fp8` does (effectiveQuantization 'fp8' /
 * 'int8'). Validation wiring only; the engine knows nothing of these ids.
 */
// Llama-3.3-70B-Instruct has the architecture of Llama-3.1-70B-Instruct (same hidden 8192, 80 layers,
// 64/8 heads, inter 28672, vocab 128256, llama3 rope, 131072 positions); its vendored config stands in.
const QUANTIZED_VARIANTS: Readonly<Record<string, { base: string; precision: WeightPrecision }>> = {
  'redhatai/llama-3.3-70b-instruct-fp8-dynamic': { base: 'meta-llama/Llama-3.1-70B-Instruct', precision: 'fp8' },
  'redhatai/llama-3.3-70b-instruct-quantized.w8a8': { base: 'meta-llama/Llama-3.1-70B-Instruct', precision: 'int8' },
  'redhatai/qwen2.5-7b-instruct-fp8-dynamic': { base: 'Qwen/Qwen2.5-7B-Instruct', precision: 'fp8' },
  'redhatai/qwen2.5-7b-instruct-quantized.w8a8': { base: 'Qwen/Qwen2.5-7B-Instruct', precision: 'int8' },
  'redhatai/meta-llama-3.1-8b-instruct-quantized.w8a8': { base: 'meta-llama/Llama-3.1-8B-Instruct', precision: 'int8' },
  'redhatai/mistral-small-3.1-24b-instruct-2503-quantized.w8a8': { base: 'mistralai/Mistral-Small-3.1-24B-Instruct-2503', precision: 'int8' },
  'neuralmagic/meta-llama-3.1-70b-instruct-quantized.w8a8': { base: 'meta-llama/Llama-3.1-70B-Instruct', precision: 'int8' },
};


function num(s: string | undefined): number | null {
  if (s === undefined || s.trim() === '' || s.includes('~')) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

function findConfig(modelId: string): string | null {
  const dirName = modelId.replace('/', '__').toLowerCase();
  for (const dir of FIXTURE_DIRS) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      if (entry.toLowerCase() === dirName && existsSync(join(dir, entry, 'config.json'))) return join(dir, entry, 'config.json');
    }
  }
  return null;
}

function modelDtypeOf(dtype: string): ModelDtypeOption {
  if (dtype === 'float32') return 'fp32';
  if (dtype === 'float16') return 'fp16';
  if (dtype === 'bfloat16') return 'bf16';
  return 'auto';
}

export interface MemoryValidationRow {
  index: number;
  /** vLLM version logged ('' = not stated). */
  vllmVersion: string;
  modelId: string;
  gpu: string;
  tp: number;
  pp: number;
  maxModelLenTokens: number;
  status: 'evaluated' | 'skipped';
  reason?: string;
  weightsGiB?: { predicted: number; logged: number | null };
  kvCacheGiB?: { predicted: number; logged: number | null };
  maxConcurrency?: { predicted: number; logged: number | null };
  blocks?: { predicted: number; logged: number | null };
  fits?: boolean;
}

export interface MemoryValidationSummary {
  rowsTotal: number;
  rowsEvaluated: number;
  rowsSkipped: number;
  medianAbsErrorPct: { weights: number | null; kvCache: number | null; maxConcurrency: number | null; blocks: number | null };
  /** Same, with every row planned as vLLM 0.19 (before the plan read the row's version). */
  medianAbsErrorPctAt019: { weights: number | null; kvCache: number | null; maxConcurrency: number | null; blocks: number | null };
  /** Same, over rows logged by vLLM ≥ 0.18 (the versions the activation and non-torch rules model). */
  medianAbsErrorPctV018Plus: { weights: number | null; kvCache: number | null; maxConcurrency: number | null; blocks: number | null };
  counts: { weights: number; kvCache: number; maxConcurrency: number; blocks: number };
}

function pctError(p: { predicted: number; logged: number | null } | undefined): number | null {
  if (p === undefined || p.logged === null || p.logged === 0) return null;
  return ((p.predicted - p.logged) / Math.abs(p.logged)) * 100;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? null) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/**
 * The release a row is planned as: its logged vLLM version (memory/vllmVersion.ts), or — rows that do
 * not state one, and the 'calibration' pass that prints the errors before version-aware planning —
 * 0.19, the release the memory constants were fitted on.
 */
const CALIBRATION_VLLM_VERSION: VllmVersion = '0.19';
type VersionMode = 'logged' | 'calibration';

function plannedVersion(r: Record<string, string>, mode: VersionMode): VllmVersion {
  return mode === 'logged' ? (vllmVersionOf(r.vllm_version ?? '') ?? CALIBRATION_VLLM_VERSION) : CALIBRATION_VLLM_VERSION;
}

function evaluateRow(index: number, r: Record<string, string>, mode: VersionMode = 'logged'): MemoryValidationRow {
  const modelId = r.model_id ?? '';
  const gpuName = r.gpu ?? '';
  const tp = num(r.tp) ?? 1;
  const pp = num(r.pp) ?? 1;
  const maxModelLen = num(r.max_model_len);
  const base: MemoryValidationRow = { index, vllmVersion: r.vllm_version ?? '', modelId, gpu: gpuName, tp, pp, maxModelLenTokens: maxModelLen ?? 0, status: 'skipped' };
  const skip = (reason: string): MemoryValidationRow => ({ ...base, reason });

  const variant = QUANTIZED_VARIANTS[modelId.toLowerCase()];
  const configId = variant?.base ?? modelId;
  const configPath = findConfig(configId);
  if (configPath === null) return skip(`no config.json fixture for ${configId}`);
  if (maxModelLen === null) return skip('max_model_len not logged');
  const totalGiB = num(r.gpu_total_gib);
  const catalogGpu = gpuName === '' ? undefined : findGpu(gpuName.replace(/\s*\(x\d+\)/, ''));
  if (totalGiB === null && catalogGpu === undefined) return skip(`GPU "${gpuName}" not logged and not in the catalog`);
  const templateGpu: GpuSpec | undefined = catalogGpu ?? findGpu('H100');
  if (templateGpu === undefined) return skip('GPU catalog has no H100 template');
  // Prefer the row's logged total so the check isolates the planner from the catalog.
  const gpu: GpuSpec = totalGiB === null ? templateGpu : { ...templateGpu, memoryBytes: totalGiB * GiB };

  const parsedJson = parseConfigJson(readFileSync(configPath, 'utf8'));
  if (!parsedJson.ok) return skip(`config.json does not parse: ${JSON.stringify(parsedJson.error)}`);
  const arch = parseConfig(parsedJson.value, { modelId: configId });
  if (!arch.ok) return skip(`parseConfig: ${JSON.stringify(arch.error)}`);

  const kvDtype: KvCacheDtype = (r.kv_cache_dtype ?? '').startsWith('fp8') ? 'fp8' : 'auto';
  const serving: ResolvedServingOptions = {
    maxModelLenTokens: maxModelLen,
    gpuMemoryUtilization: num(r.gpu_mem_util) ?? 0.9,
    weightPrecision: variant?.precision ?? ((r.quantization ?? '') === 'fp8' && !/fp8/i.test(modelId) ? 'fp8' : 'auto'),
    kvCacheDtype: kvDtype,
    blockSizeTokens: num(r.block_size),
    // vLLM 0.19 `vllm serve` defaults on the logged GPU (get_batch_defaults).
    maxNumBatchedTokens: vllmDefaultMaxNumBatchedTokens(gpu),
    maxNumSeqs: vllmDefaultMaxNumSeqs(gpu),
    enforceEager: false,
    modelDtype: modelDtypeOf(r.dtype ?? ''),
    vllmVersion: plannedVersion(r, mode),
  };
  const plan = createEngineSession(arch.value).plan(gpu, { tp, pp, dp: 1, ep: false }, serving);
  if (plan.reason === 'invalid-layout' || plan.reason === 'precision-unsupported') return skip(`planner: ${plan.message ?? plan.reason}`);
  const loggedKv = num(r.kv_cache_gib);
  return {
    ...base,
    status: 'evaluated',
    fits: plan.fits,
    weightsGiB: { predicted: plan.weightsBytesPerGpu / GiB, logged: num(r.weights_gib) },
    kvCacheGiB: {
      predicted: plan.reason === 'weights-exceed-memory' || plan.reason === 'no-kv-memory' ? (plan.budgetBytes - plan.weightsBytesPerGpu - plan.activationPeakBytesPerGpu - plan.nonTorchBytesPerGpu) / GiB : plan.kvCacheBytesPerGpu / GiB,
      logged: loggedKv,
    },
    maxConcurrency: { predicted: plan.maxConcurrency, logged: num(r.max_concurrency_x) },
    blocks: { predicted: plan.numGpuBlocks, logged: num(r.gpu_blocks) },
  };
}

function fmt(p: { predicted: number; logged: number | null } | undefined, digits = 2): string {
  if (p === undefined) return '';
  const e = pctError(p);
  return `${p.predicted.toFixed(digits)} / ${p.logged === null ? '—' : p.logged.toFixed(digits)}${e === null ? '' : ` (${e >= 0 ? '+' : ''}${e.toFixed(1)}%)`}`;
}

export function runMemoryValidation(opts: { print?: boolean } = {}): { rows: MemoryValidationRow[]; summary: MemoryValidationSummary } {
  const print = opts.print ?? true;
  const records = parseCsv(readFileSync(TRUTH_CSV, 'utf8'));
  const rows = records.map((r, i) => evaluateRow(i + 2, r));
  const rowsAt019 = records.map((r, i) => evaluateRow(i + 2, r, 'calibration'));
  const evaluated = rows.filter((r) => r.status === 'evaluated');
  const modern = (r: MemoryValidationRow): boolean => {
    const [major, minor] = r.vllmVersion.split('.').map(Number);
    return major !== undefined && minor !== undefined && (major > 0 || minor >= 18);
  };
  const abs = (key: 'weightsGiB' | 'kvCacheGiB' | 'maxConcurrency' | 'blocks', only: (r: MemoryValidationRow) => boolean = () => true, from: MemoryValidationRow[] = evaluated): number[] =>
    from.filter(only).flatMap((r) => {
      const e = pctError(r[key]);
      // A failed start (negative logged KV) has no meaningful % error.
      return e === null || (r[key]?.logged ?? 0) < 0 ? [] : [Math.abs(e)];
    });
  const w = abs('weightsGiB');
  const kv = abs('kvCacheGiB');
  const c = abs('maxConcurrency');
  const b = abs('blocks');
  const summary: MemoryValidationSummary = {
    rowsTotal: rows.length,
    rowsEvaluated: evaluated.length,
    rowsSkipped: rows.length - evaluated.length,
    medianAbsErrorPct: { weights: median(w), kvCache: median(kv), maxConcurrency: median(c), blocks: median(b) },
    medianAbsErrorPctAt019: (() => {
      const at = rowsAt019.filter((r) => r.status === 'evaluated');
      const all = (): boolean => true;
      return {
        weights: median(abs('weightsGiB', all, at)),
        kvCache: median(abs('kvCacheGiB', all, at)),
        maxConcurrency: median(abs('maxConcurrency', all, at)),
        blocks: median(abs('blocks', all, at)),
      };
    })(),
    medianAbsErrorPctV018Plus: {
      weights: median(abs('weightsGiB', modern)),
      kvCache: median(abs('kvCacheGiB', modern)),
      maxConcurrency: median(abs('maxConcurrency', modern)),
      blocks: median(abs('blocks', modern)),
    },
    counts: { weights: w.length, kvCache: kv.length, maxConcurrency: c.length, blocks: b.length },
  };
  if (print) {
    console.log('[memory] predicted / logged (error) per CSV line; GiB = 2^30 bytes');
    for (const r of evaluated) {
      console.log(
        `[memory] L${r.index} v${r.vllmVersion || '?'} ${r.modelId} ${r.gpu} tp${r.tp} pp${r.pp} len${r.maxModelLenTokens} | weights ${fmt(r.weightsGiB)} | kv ${fmt(r.kvCacheGiB)} | conc ${fmt(r.maxConcurrency)} | blocks ${fmt(r.blocks, 0)}${r.fits === false ? ' | does not fit' : ''}`,
      );
    }
    for (const r of rows.filter((x) => x.status === 'skipped')) console.log(`[memory] skipped L${r.index} ${r.modelId} (${r.gpu}): ${r.reason ?? ''}`);
    const m = summary.medianAbsErrorPct;
    const g019 = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(2)}%`);
    const f = (x: number | null, n: number): string => (x === null ? 'n/a' : `${x.toFixed(2)}% (n=${n})`);
    console.log(
      `[memory] median |error| (all evaluated): weights ${f(m.weights, w.length)}, KV pool ${f(m.kvCache, kv.length)}, max concurrency ${f(m.maxConcurrency, c.length)}, blocks ${f(m.blocks, b.length)}; evaluated ${summary.rowsEvaluated} of ${summary.rowsTotal} rows`,
    );
    const b19 = summary.medianAbsErrorPctAt019;
    console.log(
      `[memory] median |error| before (every row planned as vLLM 0.19): weights ${g019(b19.weights)}, KV pool ${g019(b19.kvCache)}, max concurrency ${g019(b19.maxConcurrency)}, blocks ${g019(b19.blocks)}; after (each row at its logged release, unstated = 0.19): the line above`,
    );
    const versioned = evaluated.filter((r) => r.vllmVersion !== '' && vllmVersionOf(r.vllmVersion) !== '0.19' && vllmVersionOf(r.vllmVersion) !== null);
    for (const r of versioned) {
      const before = rowsAt019.find((x) => x.index === r.index);
      console.log(`[memory] L${r.index} v${r.vllmVersion} ${r.modelId}: KV pool at 0.19 ${fmt(before?.kvCacheGiB)} → at its version ${fmt(r.kvCacheGiB)}`);
    }
    const v = summary.medianAbsErrorPctV018Plus;
    const g = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(2)}%`);
    console.log(
      `[memory] median |error| (vLLM ≥ 0.18 rows, ${evaluated.filter(modern).length} rows): weights ${g(v.weights)}, KV pool ${g(v.kvCache)}, max concurrency ${g(v.maxConcurrency)}, blocks ${g(v.blocks)}`,
    );
  }
  return { rows, summary };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMemoryValidation();
