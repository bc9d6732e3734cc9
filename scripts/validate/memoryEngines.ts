/**
 * SGLang and TensorRT-LLM memory plans vs their start-up logs: fixtures/truth/engine_memory_calibration.csv
 * (one row per logged start, each citing its source; sources in engine_memory_calibration.md). A row's
 * `checks` column says what its log allows:
 *  - startup: free memory when weight loading begins (SGLang "Load weight begin. avail mem") vs total −
 *    CUDA context − distributed init (memory/engines/startupOverheads.ts);
 *  - rule:    the engine's pool rule applied to the log's own inputs (SGLang: mem_fraction_static, free
 *    memory, weights → max_total_num_tokens; TensorRT-LLM: fraction × (total − peak) → KV GiB);
 *  - plan:    the whole plan from the model's config (weights, KV GiB, tokens) vs the log;
 *  - weights: the plan's weights vs the logged weights.
 * Prints each row and the median |error| per engine and check. Run: npx tsx scripts/validate/memoryEngines.ts
 * (scripts/validate.ts calls runEngineMemoryValidation() in `npm run validate memory`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseConfig } from '../../src/engine/arch/parseConfig';
import { parseConfigJson } from '../../src/engine/arch/parseConfigJson';
import { findGpu } from '../../src/engine/catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../../src/engine/defaults';
import { createEngineSession } from '../../src/engine/session';
import { sglangPoolTokens, sglangRestBytes } from '../../src/engine/memory/engines/sglangPlan';
import { trtllmKvCacheBytes } from '../../src/engine/memory/engines/trtllmPlan';
import { startupBytesPerGpu } from '../../src/engine/memory/engines/startupOverheads';
import type { GpuSpec, KvCacheDtype, Layout, ServingEngine, ResolvedServingOptions } from '../../src/engine/types';
import { SERVING_ENGINES } from '../../src/engine/types';
import { GiB } from '../../src/engine/units';
import { parseCsv } from '../lib/csv';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TRUTH_CSV = join(ROOT, 'fixtures', 'truth', 'engine_memory_calibration.csv');
const FIXTURE_DIRS = [join(ROOT, 'fixtures', 'hf'), join(ROOT, 'fixtures', 'hf-extra')];

/**
 * Logged devices the catalog does not hold, planned as a catalog GPU of the same generation with the
 * logged total memory (validation wiring only: the generation decides MXFP4 packing and MLA blocks).
 */
const GPU_STAND_INS: Readonly<Record<string, string>> = { GB10: 'B200' };

const CHECKS = ['startup', 'rule', 'plan', 'weights'] as const;
type Check = (typeof CHECKS)[number];

export interface EngineMemoryComparison {
  rowId: string;
  engine: ServingEngine;
  check: Check;
  quantity: string;
  predicted: number;
  logged: number;
  errorPct: number;
}

function num(s: string | undefined): number | null {
  if (s === undefined || s.trim() === '') return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

function findConfig(modelId: string): string | null {
  const dirName = modelId.replace('/', '__').toLowerCase();
  for (const dir of FIXTURE_DIRS) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) if (entry.toLowerCase() === dirName && existsSync(join(dir, entry, 'config.json'))) return join(dir, entry, 'config.json');
  }
  return null;
}

function gpuOf(name: string, totalGiB: number | null): GpuSpec | null {
  const short = name.split(' ')[0] ?? name;
  const template = findGpu(short) ?? findGpu(GPU_STAND_INS[short] ?? '');
  if (template === undefined) return null;
  return totalGiB === null ? template : { ...template, memoryBytes: totalGiB * GiB };
}

function engineOf(s: string | undefined): ServingEngine | null {
  return (SERVING_ENGINES as readonly string[]).includes(s ?? '') ? (s as ServingEngine) : null;
}

/** The engine's serving options for a logged start (its memory fraction as logged, other flags default). */
function servingFor(engine: ServingEngine, fraction: number, contextLenTokens: number, kvCacheDtype: KvCacheDtype): ResolvedServingOptions {
  const base: ResolvedServingOptions = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, maxModelLenTokens: contextLenTokens, kvCacheDtype, engine };
  if (engine === 'sglang') return { ...base, sglang: { memFractionStatic: fraction, chunkedPrefillSizeTokens: null, maxRunningRequests: null, cudaGraphMaxBs: null } };
  if (engine === 'trtllm') return { ...base, trtllm: { kvCacheFreeGpuMemoryFraction: fraction, maxBatchSize: null, maxNumTokens: null } };
  return { ...base, gpuMemoryUtilization: fraction };
}

function compare(rowId: string, engine: ServingEngine, check: Check, quantity: string, predicted: number, logged: number | null): EngineMemoryComparison[] {
  if (logged === null || logged === 0) return [];
  return [{ rowId, engine, check, quantity, predicted, logged, errorPct: ((predicted - logged) / Math.abs(logged)) * 100 }];
}

function evaluateRow(r: Record<string, string>): { comparisons: EngineMemoryComparison[]; skipped: string[] } {
  const rowId = r.row_id ?? '';
  const engine = engineOf(r.engine);
  const skipped: string[] = [];
  if (engine === null) return { comparisons: [], skipped: [`${rowId}: unknown engine "${r.engine ?? ''}"`] };
  const checks = (r.checks ?? '').split(';').filter((c): c is Check => (CHECKS as readonly string[]).includes(c));
  const totalGiB = num(r.gpu_total_gib);
  const tp = num(r.tp) ?? 1;
  const layout: Layout = { tp, pp: num(r.pp) ?? 1, dp: 1, ep: false };
  const fraction = num(r.memory_fraction);
  const free = num(r.free_before_load_gib);
  const weights = num(r.weights_gib);
  const tokens = num(r.kv_cache_tokens);
  const kvGiB = num(r.kv_cache_gib);
  const gpu = gpuOf(r.gpu ?? '', totalGiB);
  const out: EngineMemoryComparison[] = [];

  for (const check of checks) {
    switch (check) {
      case 'startup':
        if (gpu === null || totalGiB === null) skipped.push(`${rowId}: startup needs a catalog GPU and its total`);
        else out.push(...compare(rowId, engine, check, 'free before load GiB', (gpu.memoryBytes - startupBytesPerGpu(gpu, layout, {})) / GiB, free));
        break;
      case 'rule':
        if (engine === 'sglang') {
          const cell = num(r.kv_bytes_per_token);
          if (free === null || weights === null || fraction === null || cell === null) skipped.push(`${rowId}: SGLang rule needs free, weights, fraction and cell`);
          else out.push(...compare(rowId, engine, check, 'tokens', sglangPoolTokens(sglangRestBytes(free * GiB, fraction, weights * GiB), cell), tokens));
        } else if (engine === 'trtllm') {
          const peak = num(r.peak_gib);
          if (peak === null || fraction === null || totalGiB === null) skipped.push(`${rowId}: TensorRT-LLM rule needs peak, fraction and total`);
          // The logged peak includes the temporary KV cache of the estimation run, which TensorRT-LLM adds back.
          else out.push(...compare(rowId, engine, check, 'KV GiB', trtllmKvCacheBytes(totalGiB * GiB, (peak - (num(r.tmp_kv_gib) ?? 0)) * GiB, fraction) / GiB, kvGiB));
        }
        break;
      case 'plan':
      case 'weights': {
        const modelId = r.model_id ?? '';
        const configPath = findConfig(modelId);
        const contextLen = num(r.context_len);
        if (configPath === null || gpu === null || fraction === null || contextLen === null) {
          skipped.push(`${rowId}: ${check} needs a vendored config (${modelId}), a GPU, the fraction and the context length`);
          break;
        }
        const json = parseConfigJson(readFileSync(configPath, 'utf8'));
        const arch = json.ok ? parseConfig(json.value, { modelId }) : null;
        if (arch === null || !arch.ok) {
          skipped.push(`${rowId}: config does not parse`);
          break;
        }
        const kvDtype: KvCacheDtype = (r.kv_cache_dtype ?? '').startsWith('fp8') ? 'fp8' : 'auto';
        const plan = createEngineSession(arch.value).plan(gpu, layout, servingFor(engine, fraction, contextLen, kvDtype));
        out.push(...compare(rowId, engine, check, 'weights GiB', plan.weightsBytesPerGpu / GiB, weights));
        if (check === 'plan') {
          out.push(...compare(rowId, engine, check, 'KV GiB', plan.kvCacheBytesPerGpu / GiB, kvGiB));
          out.push(...compare(rowId, engine, check, 'tokens', plan.kvCacheTokens, tokens));
        }
        break;
      }
      default: {
        const _exhaustive: never = check;
        return _exhaustive;
      }
    }
  }
  return { comparisons: out, skipped };
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? null) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

export interface EngineMemoryValidation {
  comparisons: EngineMemoryComparison[];
  skipped: string[];
  /** Median |error| % per `${engine} ${check} ${quantity}`. */
  medianAbsErrorPct: Record<string, { medianPct: number; n: number }>;
}

export function runEngineMemoryValidation(opts: { print?: boolean } = {}): EngineMemoryValidation {
  const print = opts.print ?? true;
  const rows = parseCsv(readFileSync(TRUTH_CSV, 'utf8'));
  const comparisons: EngineMemoryComparison[] = [];
  const skipped: string[] = [];
  for (const r of rows) {
    const e = evaluateRow(r);
    comparisons.push(...e.comparisons);
    skipped.push(...e.skipped);
  }
  const groups = new Map<string, number[]>();
  for (const c of comparisons) {
    const key = `${c.engine} ${c.check} ${c.quantity}`;
    groups.set(key, [...(groups.get(key) ?? []), Math.abs(c.errorPct)]);
  }
  const medianAbsErrorPct: EngineMemoryValidation['medianAbsErrorPct'] = {};
  for (const [key, errs] of groups) medianAbsErrorPct[key] = { medianPct: median(errs) ?? 0, n: errs.length };
  if (print) {
    console.log('[memory:engines] predicted / logged (error) per row of engine_memory_calibration.csv; GiB = 2^30 bytes');
    for (const c of comparisons) {
      const digits = c.quantity === 'tokens' ? 0 : 2;
      console.log(`[memory:engines] ${c.rowId} ${c.check} ${c.quantity}: ${c.predicted.toFixed(digits)} / ${c.logged.toFixed(digits)} (${c.errorPct >= 0 ? '+' : ''}${c.errorPct.toFixed(2)}%)`);
    }
    for (const s of skipped) console.log(`[memory:engines] skipped ${s}`);
    for (const [key, m] of Object.entries(medianAbsErrorPct)) console.log(`[memory:engines] median |error| ${key}: ${m.medianPct.toFixed(2)}% (n=${m.n})`);
  }
  return { comparisons, skipped, medianAbsErrorPct };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runEngineMemoryValidation();
