/**
 * [disagg] Exports of the P/D rows (issue 12 item 5): CSV with one line per (prefill GPU, decode GPU)
 * pair and its prefill/decode fields, and JSON with the CLI's field names for a disaggregated
 * candidate (`prefill: {gpu, tp, pp, replicas, …}`, `decode`, `kvTransferMsPerRequest`: cli/disagg.ts).
 * Raw numbers, units in the CSV headers. No token can reach them: only engine figures are written.
 */
import type { DisaggPoolRow, DisaggRow } from '../../engine/disagg/disaggRows';
import type { DisaggVerdict } from '../../engine/disagg/disaggVerdict';
import type { RecommendRequest, RecommendResult, TargetLoad } from '../../engine/types';
import type { CandidateRow } from '../results/contract';
import { CSV_COLUMNS, SETTINGS_HEADERS, csvEscape, rateCsvColumns, settingsCells } from '../results/exportData';
import { headerWithUnit } from '../results/columns';

const num = (value: number | null | undefined, decimals: number): string => (value === null || value === undefined || !Number.isFinite(value) ? '' : value.toFixed(decimals));

interface Column {
  header: string;
  value: (r: DisaggRow) => string;
}

const poolColumns = (role: 'prefill' | 'decode', label: string): Column[] => {
  const pool = (r: DisaggRow): DisaggPoolRow | undefined => r.plan?.[role];
  return [
    { header: `${label} GPU`, value: (r) => (role === 'prefill' ? r.prefillGpuId : r.decodeGpuId) },
    { header: `${label} TP`, value: (r) => num(pool(r)?.tp, 0) },
    { header: `${label} PP`, value: (r) => num(pool(r)?.pp, 0) },
    { header: `${label} DP`, value: (r) => num(pool(r)?.dp, 0) },
    { header: `${label} EP`, value: (r) => (pool(r) === undefined ? '' : pool(r)?.ep ? 'yes' : 'no') },
    { header: `${label} replicas`, value: (r) => num(pool(r)?.replicas, 0) },
    { header: `${label} GPUs`, value: (r) => num(pool(r)?.gpuCount, 0) },
    { header: `${label} cost ($/h)`, value: (r) => num(pool(r)?.costUsdPerHour, 2) },
  ];
};

export const DISAGG_CSV_COLUMNS: readonly Column[] = [
  { header: 'Shape', value: () => 'P/D' },
  { header: 'Status', value: (r) => r.status },
  ...poolColumns('prefill', 'Prefill'),
  ...poolColumns('decode', 'Decode'),
  { header: 'KV transfer (ms/request)', value: (r) => num(r.plan?.kvTransferMsPerRequest, 4) },
  { header: 'KV link', value: (r) => r.plan?.kvTransferLink.kind ?? '' },
  { header: 'SLO percentile', value: (r) => String(r.sloPercentile) },
  { header: 'TTFT at percentile (ms)', value: (r) => num(r.plan?.ttftAtPercentileMs, 2) },
  { header: 'ITL at percentile (ms)', value: (r) => num(r.plan?.itlAtPercentileMs, 3) },
  { header: 'GPUs', value: (r) => num(r.plan?.totalGpus, 0) },
  { header: 'Cost ($/h)', value: (r) => num(r.plan?.costUsdPerHour, 2) },
  { header: 'Cost ($/M output tokens)', value: (r) => num(r.plan?.usdPerMillionOutputTokens, 4) },
  { header: 'Meets SLO', value: (r) => (r.plan === null ? '' : r.plan.meetsSlo ? 'yes' : 'no') },
  { header: 'Aggregated at same GPUs: meets SLO', value: (r) => (r.aggregated?.atEqualGpus === null || r.aggregated === null ? '' : r.aggregated.atEqualGpus.meetsSlo ? 'yes' : 'no') },
  { header: 'Cheapest aggregated GPUs', value: (r) => num(r.aggregated?.cheapest.totalGpus, 0) },
  { header: 'Cheapest aggregated cost ($/h)', value: (r) => num(r.aggregated?.cheapest.costUsdPerHour, 2) },
  { header: 'Not modelled in P/D', value: (r) => r.ignored.join('; ') },
];

/**
 * The main CSV when the serving shape is P/D: the aggregated rows as toCsv writes them (same columns,
 * same order), then a `Shape` column and the P/D columns (DISAGG_CSV_COLUMNS after its own Shape),
 * empty on aggregated rows; then one line per P/D pair, with the table's columns it has (GPU
 * "prefill>decode", GPUs, mean TTFT / ITL, cost, meets SLO) and its pools' fields.
 */
export function toCsvWithPd(
  rows: readonly CandidateRow[],
  best: RecommendResult['best'],
  request: RecommendRequest | undefined,
  pdRows: readonly DisaggRow[],
  target?: TargetLoad | null,
): string {
  const pdColumns = DISAGG_CSV_COLUMNS.filter((c) => c.header !== 'Shape');
  const settings = settingsCells(request);
  // The aggregated rows' capacity plans at a target rate (exportData.ts rateCsvColumns); empty on P/D rows (their plan is in the pools' fields).
  const rate = rateCsvColumns(target);
  const emptyRate = rate.map(() => '');
  const line = (cells: readonly string[]): string => cells.map(csvEscape).join(',');
  const lines = [line([...CSV_COLUMNS.map((c) => c.header), ...rate.map((c) => c.header), ...SETTINGS_HEADERS, 'Shape', ...pdColumns.map((c) => c.header)])];
  const emptyPd = pdColumns.map(() => '');
  for (const row of rows) {
    lines.push(line([...CSV_COLUMNS.map((c) => c.value(row, best)), ...rate.map((c) => c.value(row.candidate)), ...settings, 'aggregated', ...emptyPd]));
  }
  for (const r of pdRows) {
    const p = r.plan;
    const main: Record<string, string> = {
      [headerWithUnit('gpu')]: `${r.prefillGpuId}>${r.decodeGpuId}`,
      [headerWithUnit('gpuCount')]: num(p?.totalGpus, 0),
      [headerWithUnit('fits')]: r.status === 'does-not-fit' ? 'no' : 'yes',
      Reason: r.status === 'planned' ? '' : r.status,
      [headerWithUnit('ttft')]: num(p?.ttftMs, 2),
      [headerWithUnit('itl')]: num(p?.itlMs, 3),
      [headerWithUnit('costPerHour')]: num(p?.costUsdPerHour, 2),
      [headerWithUnit('costPerMTokens')]: num(p?.usdPerMillionOutputTokens, 4),
      [headerWithUnit('meetsSlo')]: p === null ? '' : p.meetsSlo ? 'yes' : 'no',
    };
    lines.push(line([...CSV_COLUMNS.map((c) => main[c.header] ?? ''), ...emptyRate, ...settings, 'P/D', ...pdColumns.map((c) => c.value(r))]));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function toDisaggCsv(rows: readonly DisaggRow[]): string {
  const lines = [DISAGG_CSV_COLUMNS.map((c) => csvEscape(c.header)).join(',')];
  for (const r of rows) lines.push(DISAGG_CSV_COLUMNS.map((c) => csvEscape(c.value(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const poolJson = (p: DisaggPoolRow) => ({ gpu: p.gpuId, tp: p.tp, pp: p.pp, dp: p.dp, ep: p.ep, replicas: p.replicas, gpusPerReplica: p.gpusPerReplica, gpuCount: p.gpuCount, costPerHour: p.costUsdPerHour, kvCacheTokensPerReplica: p.kvCacheTokensPerReplica, keepsUp: p.keepsUp });

/** The P/D candidates with the CLI's field names for a disaggregated candidate (cli/disagg.ts): the P/D JSON's and the main JSON's `disaggregated`. */
export function disaggCandidatesJson(rows: readonly DisaggRow[]) {
  return rows.map((r) => ({
    shape: 'disaggregated',
    status: r.status,
    prefillGpu: r.prefillGpuId,
    decodeGpu: r.decodeGpuId,
    prefill: r.plan === null ? null : poolJson(r.plan.prefill),
    decode: r.plan === null ? null : poolJson(r.plan.decode),
    kvTransferMsPerRequest: r.plan?.kvTransferMsPerRequest ?? null,
    kvTransferBytesPerRequest: r.plan?.kvTransferBytesPerRequest ?? null,
    kvTransferLink: r.plan?.kvTransferLink ?? null,
    sloPercentile: r.sloPercentile,
    ttftAtPercentileMs: r.plan?.ttftAtPercentileMs ?? null,
    itlAtPercentileMs: r.plan?.itlAtPercentileMs ?? null,
    e2eAtPercentileMs: r.plan?.e2eAtPercentileMs ?? null,
    ttftMs: r.plan?.ttftMs ?? null,
    itlMs: r.plan?.itlMs ?? null,
    ttftParts: r.plan?.ttftParts ?? null,
    totalGpus: r.plan?.totalGpus ?? null,
    totalCostPerHour: r.plan?.costUsdPerHour ?? null,
    totalCostPerMillionOutputTokens: r.plan?.usdPerMillionOutputTokens ?? null,
    meetsSlo: r.plan?.meetsSlo ?? null,
    aggregated: r.aggregated,
    launch: r.plan?.launch ?? null,
    notModelled: r.ignored,
  }));
}

export const DISAGG_JSON_FORMAT = 'gpu-fit-disagg';
export const DISAGG_JSON_VERSION = 1;

export function toDisaggJson(input: { modelId: string; target: TargetLoad; rows: readonly DisaggRow[]; verdict: DisaggVerdict }): string {
  const { modelId, target, rows, verdict } = input;
  return JSON.stringify(
    {
      format: DISAGG_JSON_FORMAT,
      version: DISAGG_JSON_VERSION,
      model: modelId,
      rate: target.ratePerS,
      burstiness: target.burstiness,
      slo: target.slo,
      verdict: verdict.kind === 'no-plan' ? { kind: verdict.kind } : { kind: verdict.kind, savingPct: verdict.savingPct, best: `${verdict.best.prefillGpuId}>${verdict.best.decodeGpuId}`, aggregated: verdict.aggregated },
      candidates: disaggCandidatesJson(rows),
    },
    null,
    2,
  );
}
