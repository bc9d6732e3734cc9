/**
 * Exports: the visible table as CSV (units in the headers, raw numbers in the cells) and the whole
 * result as JSON. Pure; the download buttons only wrap these strings in a Blob. No Hub token can
 * reach an export: the request is copied field by field and a replacer drops token-like keys.
 */
import { latencyAtPercentile } from '../../engine/sim/maxRate';
import type { Candidate, CapacityPlan, ModelArch, RecommendRequest, RecommendResult, SloPercentile, TargetLoad } from '../../engine/types';
import { DEFAULT_REPLICA_ROUTING } from '../../engine/types';
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

interface RateCsvColumn {
  header: string;
  value: (candidate: Candidate) => string;
}

/** A planned plan's figure ('' for any other plan or none: a row not simulated yet gets no guess). */
const planned = (plan: CapacityPlan | null | undefined, figure: (p: Extract<CapacityPlan, { status: 'planned' }>) => string): string =>
  plan?.status === 'planned' ? figure(plan) : '';

/** What a row's "Meets SLO" rests on under a target rate (Candidate.sloBasis); a row with no estimate (does not fit) is not simulated. */
const SLO_BASIS_TEXT = { simulated: 'simulated', 'closed-form-estimate': 'closed-form estimate' } as const;

/** What the row's capacity plan is: the table's "Replicas for the target rate" cell in words ('' without a plan: the row does not fit). */
function planStatusText(plan: CapacityPlan | null | undefined): string {
  if (plan === null || plan === undefined) return '';
  switch (plan.status) {
    case 'planned':
      return 'planned';
    case 'slo-unreachable':
      return 'SLO unreachable';
    case 'not-simulated':
      return 'not simulated yet';
    default: {
      const unreachable: never = plan;
      return unreachable;
    }
  }
}

/**
 * The request-rate columns (issue 10's capacity plan on each row, as the table shows it:
 * selectors.ts resultWithCapacity), after the table's columns; none without a target rate, so a
 * concurrency-mode CSV is as before. The latencies are the simulated ones at the target split over
 * the copies, at the user's SLO percentile, and at p99 too (the table's p99 columns) when that is
 * another percentile. Figures come straight from the plan (engine sim/capacity.ts); only rows the
 * simulator planned have them.
 */
export function rateCsvColumns(target: TargetLoad | null | undefined): readonly RateCsvColumn[] {
  if (target === null || target === undefined) return [];
  const percentiles: readonly SloPercentile[] = target.slo.percentile === 99 ? [99] : [target.slo.percentile, 99];
  const unit = COLUMN_INFO.ttftP99.unit ?? 'ms';
  const latencyColumns = percentiles.flatMap((p): RateCsvColumn[] => [
    {
      header: `p${p} ${COLUMN_INFO.ttft.label} at target (${unit})`,
      value: (c) => planned(c.capacity, (plan) => num(latencyAtPercentile(plan.atTarget, p).ttftMs, 2)),
    },
    {
      header: `p${p} ${COLUMN_INFO.itl.label} at target (${unit})`,
      value: (c) => planned(c.capacity, (plan) => num(latencyAtPercentile(plan.atTarget, p).itlMs, 3)),
    },
    {
      header: `p${p} ${COLUMN_INFO.e2e.label} at target (${unit})`,
      value: (c) => planned(c.capacity, (plan) => num(latencyAtPercentile(plan.atTarget, p).e2eMs, 1)),
    },
  ]);
  return [
    { header: 'Target rate (requests/s)', value: (c) => (c.capacity === null || c.capacity === undefined ? '' : String(c.capacity.targetRequestsPerS)) },
    { header: 'Plan at target', value: (c) => planStatusText(c.capacity) },
    { header: 'Copies needed', value: (c) => planned(c.capacity, (plan) => String(plan.replicasNeeded)) },
    { header: 'GPUs for the target', value: (c) => planned(c.capacity, (plan) => String(plan.totalGpus)) },
    { header: 'Cost of the copies (USD/h)', value: (c) => planned(c.capacity, (plan) => num(plan.costUsdPerHour, 2)) },
    { header: '$/M output tokens at target (USD)', value: (c) => planned(c.capacity, (plan) => num(plan.usdPerMillionOutputTokens, 4)) },
    ...latencyColumns,
    {
      header: 'Max rate per copy (requests/s)',
      value: (c) => (c.capacity?.status === 'planned' || c.capacity?.status === 'slo-unreachable' ? num(c.capacity.maxRatePerReplicaRequestsPerS, 3) : ''),
    },
    {
      header: 'SLO basis',
      value: (c) => (c.sloBasis === undefined ? 'not simulated' : SLO_BASIS_TEXT[c.sloBasis]),
    },
    // The router the copies were planned under (the plan's own; an unreachable plan was searched under the target's).
    {
      header: 'Routing',
      value: (c) => {
        if (c.capacity?.status === 'planned') return c.capacity.routing ?? DEFAULT_REPLICA_ROUTING;
        return c.capacity?.status === 'slo-unreachable' ? (target.routing ?? DEFAULT_REPLICA_ROUTING) : '';
      },
    },
    { header: 'Copies saved by routing', value: (c) => planned(c.capacity, (plan) => String(plan.replicasSavedByRouting ?? 0)) },
  ];
}

/**
 * The rows on screen, in screen order, as CSV with CRLF line ends (RFC 4180). With a target request
 * rate (`target`, selectors.ts targetLoadOf) the rate columns (rateCsvColumns) follow the table's.
 */
export function toCsv(rows: readonly CandidateRow[], best: RecommendResult['best'], request?: RecommendRequest, target?: TargetLoad | null): string {
  const settings = settingsCells(request);
  const rate = rateCsvColumns(target);
  const lines = [[...CSV_COLUMNS.map((column) => column.header), ...rate.map((column) => column.header), ...SETTINGS_HEADERS].map(csvEscape).join(',')];
  for (const row of rows) {
    const cells = [...CSV_COLUMNS.map((column) => column.value(row, best)), ...rate.map((column) => column.value(row.candidate)), ...settings];
    lines.push(cells.map(csvEscape).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Format tag and version of the JSON export, so a reader can tell what it holds. */
export const RESULT_JSON_FORMAT = 'gpu-fit-result';
export const RESULT_JSON_VERSION = 1;

/** The request's fields, copied one by one: extra properties (a token on a wider object) stay behind. */
function requestFields(request: RecommendRequest, target: TargetLoad | null | undefined): RecommendRequest {
  const load = target ?? request.load;
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
    // The target rate the rows' capacity plans are for (the page keeps it beside the request): its percentile and routing.
    ...(load === null || load === undefined ? {} : { load: { ...load, slo: { ...load.slo } } }),
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
 * aggregated export is as before. `target`: the page's target request rate, written as `request.load`
 * (the rows' `capacity` plans are for it); absent at a concurrency, so that export is as before.
 */
export function toResultJson(input: { arch: ModelArch; request: RecommendRequest; result: RecommendResult; disaggregated?: unknown; target?: TargetLoad | null }): string {
  const document = {
    format: RESULT_JSON_FORMAT,
    version: RESULT_JSON_VERSION,
    modelId: input.arch.modelId,
    request: requestFields(input.request, input.target),
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
