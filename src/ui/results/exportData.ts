/**
 * Exports: the visible table as CSV (units in the headers, raw numbers in the cells) and the whole
 * result as JSON. Pure; the download buttons only wrap these strings in a Blob. No Hub token can
 * reach an export: the request is copied field by field and a replacer drops token-like keys.
 */
import type { ModelArch, RecommendRequest, RecommendResult } from '../../engine/types';
import { asyncSchedulingRequested } from '../../engine/perf/asyncScheduling';
import { gibNumber } from '../format';
import type { CandidateRow } from './contract';
import { COLUMN_INFO, headerWithUnit, noFitText } from './columns';
import { BEST_PICK_LABELS, bestPicksOf } from './tableRows';

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
export function csvEscape(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

const num = (value: number | null | undefined, decimals: number): string =>
  value === null || value === undefined ? '' : value.toFixed(decimals);

interface CsvColumn {
  header: string;
  value: (row: CandidateRow, best: RecommendResult['best']) => string;
}

/** Columns of the CSV: the table's, with the layout split into numbers a spreadsheet can filter. */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  { header: 'Rank', value: ({ index }) => String(index + 1) },
  { header: headerWithUnit('gpu'), value: ({ candidate }) => candidate.gpuId },
  { header: headerWithUnit('gpuCount'), value: ({ candidate }) => String(candidate.gpuCount) },
  { header: 'TP', value: ({ candidate }) => String(candidate.layout.tp) },
  { header: 'PP', value: ({ candidate }) => String(candidate.layout.pp) },
  { header: 'DP', value: ({ candidate }) => String(candidate.layout.dp) },
  { header: 'EP', value: ({ candidate }) => (candidate.layout.ep ? 'yes' : 'no') },
  { header: headerWithUnit('fits'), value: ({ candidate }) => (candidate.memory.fits ? 'yes' : 'no') },
  { header: 'Reason', value: ({ candidate }) => (candidate.memory.fits ? '' : noFitText(candidate.memory)) },
  { header: headerWithUnit('weightsPerGpu'), value: ({ candidate }) => gibNumber(candidate.memory.weightsBytesPerGpu) },
  { header: headerWithUnit('kvPool'), value: ({ candidate }) => (candidate.memory.fits ? gibNumber(candidate.memory.kvCacheBytesPerGpu) : '') },
  { header: headerWithUnit('maxConcurrency'), value: ({ candidate }) => (candidate.memory.fits ? num(candidate.memory.maxConcurrency, 2) : '') },
  { header: headerWithUnit('concurrency'), value: ({ candidate }) => num(candidate.concurrency, 0) },
  { header: headerWithUnit('ttft'), value: ({ candidate }) => num(candidate.perf?.ttftMs, 2) },
  { header: headerWithUnit('itl'), value: ({ candidate }) => num(candidate.perf?.itlMs, 3) },
  // The CSV keeps milliseconds for every latency (its contract); the table shows E2E in seconds.
  { header: `${COLUMN_INFO.e2e.label} (ms)`, value: ({ candidate }) => num(candidate.perf?.e2eMs, 1) },
  { header: headerWithUnit('outputTokensPerS'), value: ({ candidate }) => num(candidate.perf?.outputTokensPerS, 1) },
  { header: headerWithUnit('tokensPerSPerGpu'), value: ({ candidate }) => num(candidate.perf?.outputTokensPerSPerGpu, 1) },
  { header: headerWithUnit('costPerHour'), value: ({ candidate }) => num(candidate.perf?.costUsdPerHour, 2) },
  { header: headerWithUnit('costPerMTokens'), value: ({ candidate }) => num(candidate.perf?.usdPerMillionOutputTokens, 4) },
  { header: headerWithUnit('meetsSlo'), value: ({ candidate }) => (candidate.meetsSlo ? 'yes' : 'no') },
  { header: 'Best', value: ({ index }, best) => bestPicksOf(best, index).map((pick) => BEST_PICK_LABELS[pick]).join('; ') },
];

/** The request's prefix cache, as the rows were computed with it ('' when nothing is cached). */
export function prefixCacheText(request: RecommendRequest | undefined): string {
  const p = request?.serving.prefixCache;
  if (p === undefined || (p.sharedPrefixTokens <= 0 && p.hitRate <= 0)) return '';
  return `shared prefix ${p.sharedPrefixTokens} tokens; hit rate ${p.hitRate}`;
}

/** The request's speculative decoding ('' for none); acceptance 'default' = the method's published figure. */
export function speculativeText(request: RecommendRequest | undefined): string {
  // A token tree adds its top-k and verified tokens; a chain's text is as before.
  const tree = (t: { topk?: number; draftTokens?: number }): string => ((t.topk ?? 1) > 1 ? `; top-k ${t.topk}; ${t.draftTokens ?? ''} verified` : '');
  const s = request?.speculativeSettings;
  if (s !== undefined) return `${s.method}; ${s.tokens} tokens${tree(s)}; acceptance ${s.acceptance ?? 'default'}`;
  const m = request?.speculative;
  return m === undefined ? '' : `${m.method}; ${m.tokens} tokens${tree(m)}; acceptance ${m.acceptance}`;
}

/**
 * vLLM's async scheduling as the rows were computed ('on' / 'off': as set, else the release's default,
 * engine/perf/asyncScheduling.ts); '' for the other engines, whose overlap is in their fitted constants.
 */
export function asyncSchedulingText(request: RecommendRequest | undefined): string {
  if (request === undefined || request.engine !== 'vllm') return '';
  return asyncSchedulingRequested(request.serving) ? 'on' : 'off';
}

/** Settings every row was computed with, after the table's columns on each line (issue 12: the export says what it assumed). */
export const SETTINGS_HEADERS = ['Async scheduling', 'Prefix cache', 'Speculative decoding'] as const;

/** The SETTINGS_HEADERS cells of `request`. */
export const settingsCells = (request: RecommendRequest | undefined): string[] => [asyncSchedulingText(request), prefixCacheText(request), speculativeText(request)];

/** The rows on screen, in screen order, as CSV with CRLF line ends (RFC 4180). */
export function toCsv(rows: readonly CandidateRow[], best: RecommendResult['best'], request?: RecommendRequest): string {
  const settings = settingsCells(request);
  const lines = [[...CSV_COLUMNS.map((column) => column.header), ...SETTINGS_HEADERS].map(csvEscape).join(',')];
  for (const row of rows) lines.push([...CSV_COLUMNS.map((column) => column.value(row, best)), ...settings].map(csvEscape).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Format tag and version of the JSON export, so a reader can tell what it holds. */
export const RESULT_JSON_FORMAT = 'gpu-fit-result';
export const RESULT_JSON_VERSION = 1;

/** The request's fields, copied one by one: extra properties (a token on a wider object) stay behind. */
function requestFields(request: RecommendRequest): RecommendRequest {
  return {
    inputTokens: request.inputTokens,
    outputTokens: request.outputTokens,
    concurrency: request.concurrency,
    serving: { ...request.serving },
    slo: { ...request.slo },
    maxGpus: request.maxGpus,
    gpuIds: request.gpuIds,
    priceOverridesUsdPerHour: request.priceOverridesUsdPerHour,
    engine: request.engine,
    ...(request.speculativeSettings === undefined ? {} : { speculativeSettings: { ...request.speculativeSettings } }),
    ...(request.speculative === undefined ? {} : { speculative: { ...request.speculative } }),
  };
}

/** Keys that could carry a credential; dropped wherever they appear. */
const SECRET_KEYS: ReadonlySet<string> = new Set(['accesstoken', 'token', 'hftoken', 'authorization', 'credentials']);
/** Hugging Face user access tokens start with "hf_" (huggingface.co/docs/hub/security-tokens). */
const HF_TOKEN_PATTERN = /^hf_[A-Za-z0-9]{10,}$/;

function dropSecrets(key: string, value: unknown): unknown {
  if (SECRET_KEYS.has(key.toLowerCase())) return undefined;
  if (typeof value === 'string' && HF_TOKEN_PATTERN.test(value)) return undefined;
  return value;
}

/**
 * `disaggregated`: the P/D candidates when the serving shape is P/D (disagg/disaggExport.ts
 * disaggCandidatesJson, the CLI's field names), beside the aggregated `result`; absent otherwise, so an
 * aggregated export is as before.
 */
export function toResultJson(input: { arch: ModelArch; request: RecommendRequest; result: RecommendResult; disaggregated?: unknown }): string {
  const document = {
    format: RESULT_JSON_FORMAT,
    version: RESULT_JSON_VERSION,
    modelId: input.arch.modelId,
    request: requestFields(input.request),
    arch: input.arch,
    result: input.result,
    ...(input.disaggregated === undefined ? {} : { disaggregated: input.disaggregated }),
  };
  return JSON.stringify(document, dropSecrets, 2);
}

/** A file name safe on every OS: "Llama-3.1-8B-results.csv" from "meta-llama/Llama-3.1-8B". */
export function exportFileName(modelId: string, extension: 'csv' | 'json'): string {
  const base = modelId.split('/').at(-1) ?? 'model';
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '_') || 'model';
  return `${safe}-results.${extension}`;
}
