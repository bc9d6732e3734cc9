/**
 * What each results column is called, in which unit, how a cell reads, and how its figure was
 * computed (the hover text). Shared by the table and the CSV export so headers and units agree.
 */
import { EXPLAIN_SUBJECTS, explainMemoryLines, type ExplainSubject } from '../../engine/memory/explain';
import { findGpu } from '../../engine/catalog/gpus';
import type { Candidate, CapacityPlan, InvalidFigureReason, MemoryPlan, NoFitReason, PerfError, RowAdvice } from '../../engine/types';
import {
  DASH,
  formatConcurrency,
  formatCount,
  formatMsOnly,
  formatSecondsFromMs,
  formatGiB,
  formatTokensPerS,
  formatUsd,
} from '../format';
import type { ResultColumnId } from '../../state/tableState';
import { layoutLabel, placementLabel } from './tableRows';
import { CLOSED_FORM_FIX_TAG, fixText, SIMULATING_FIX_TAG } from './verdictText';

export interface ColumnInfo {
  label: string;
  /** Unit shown in the header and in the CSV header; null for unitless columns. */
  unit: string | null;
  /** Longer description for the header's hover. */
  description: string;
}

export const COLUMN_INFO: Record<ResultColumnId, ColumnInfo> = {
  gpu: { label: 'GPU', unit: null, description: 'GPU type (catalog id)' },
  gpuCount: { label: 'GPUs', unit: null, description: 'GPUs in this configuration, all replicas together' },
  layout: {
    label: 'Layout',
    unit: null,
    description:
      'How the GPUs share the work: DP = data-parallel replicas (full copies of the model, each serving its own requests), TP = tensor parallel (every layer split across GPUs), PP = pipeline parallel (the layers cut into consecutive stages), EP = expert parallel (a mixture-of-experts model spreads its experts over the GPUs); nodes when it spans several (⚠ = TP across nodes, slow)',
  },
  fits: { label: 'Fits', unit: null, description: 'Whether vLLM can load the model and hold one max-length request' },
  weightsPerGpu: { label: 'Weights / GPU', unit: 'GiB', description: 'Model weights resident on each GPU (2^30 bytes)' },
  kvPool: { label: 'KV pool / GPU', unit: 'GiB', description: 'KV cache vLLM allocates on each GPU (2^30 bytes)' },
  maxConcurrency: {
    label: 'KV capacity (full-length requests)',
    unit: 'requests',
    description: "How many requests of max_model_len tokens one replica's KV cache holds at once (vLLM's \"Maximum concurrency for N tokens per request\")",
  },
  concurrency: { label: 'Load', unit: 'requests', description: 'Requests in flight at the operating point the figures are for (the concurrency the latencies are measured at)' },
  ttft: { label: 'TTFT', unit: 'ms', description: 'Time to first token' },
  itl: { label: 'ITL', unit: 'ms', description: 'Inter-token latency (time per output token after the first)' },
  e2e: { label: 'E2E', unit: 's', description: 'End-to-end latency of one request (first token to last)' },
  outputTokensPerS: { label: 'Output tok/s', unit: 'tokens/s', description: 'Output tokens per second, all replicas together' },
  tokensPerSPerGpu: { label: 'Tok/s per GPU', unit: 'tokens/s', description: 'Output tokens per second divided by the GPU count' },
  costPerHour: { label: '$/hour', unit: 'USD/h', description: 'GPU rental for the whole configuration' },
  costPerMTokens: { label: '$/M output tokens', unit: 'USD', description: 'Cost per million output tokens at this operating point' },
  meetsSlo: {
    label: 'Meets SLO',
    unit: null,
    description:
      'All latency limits met at the chosen concurrency; with a request rate, the simulated percentiles at the target ("simulated"), or the closed-form mean estimate until the row is simulated ("estimate")',
  },
  ttftP99: { label: 'p99 TTFT', unit: 'ms', description: 'Simulated p99 time to first token with the target request rate split over the replicas needed (Load: request rate)' },
  itlP99: { label: 'p99 ITL', unit: 'ms', description: 'Simulated p99 inter-token latency with the target request rate split over the replicas needed (Load: request rate)' },
  replicas: {
    label: 'Replicas for the target rate',
    unit: null,
    description: 'Copies of this configuration that serve the target request rate within the latency limits at the chosen percentile (simulated), and the GPUs they take',
  },
  howToPass: {
    label: 'How to pass',
    unit: null,
    description:
      'The smallest single change that makes this row fit and meet the limits, checked by the engine; sorting puts the rows closest to passing first. Under a request rate, a fix for a missed latency limit is first checked on the closed form’s means (marked “closed-form check”); it is marked “simulated” once simulated at the rate — a layout by its own simulated row, any fix of the selected row by a run with the fix applied — and withdrawn if that run misses',
  },
};

/** "Weights / GPU (GiB)": the CSV header and the table header's accessible text. */
export function headerWithUnit(column: ResultColumnId): string {
  const { label, unit } = COLUMN_INFO[column];
  return unit === null ? label : `${label} (${unit})`;
}

export const NO_FIT_LABELS: Record<NoFitReason, string> = {
  'invalid-layout': 'Invalid layout',
  'weights-exceed-memory': 'Weights exceed memory',
  'no-kv-memory': 'No memory left for KV cache',
  'context-exceeds-kv': 'Context longer than the KV pool',
  'insufficient-free-memory': 'Other processes hold the memory',
  'precision-unsupported': 'Precision unsupported on this GPU',
};

/** Why a configuration does not fit, as one line: the engine's sentence, else the reason's label. */
export function noFitText(memory: MemoryPlan): string {
  if (memory.message !== null && memory.message !== '') return memory.message;
  if (memory.reason !== null) return NO_FIT_LABELS[memory.reason];
  return 'Does not fit';
}

const orDash = <T>(value: T | null | undefined, format: (v: T) => string): string =>
  value === null || value === undefined ? DASH : format(value);

/** Columns that show a performance figure: an estimate with an engine error shows ENGINE_ERROR_TEXT there instead. */
const PERF_FIGURE_COLUMNS: ReadonlySet<ResultColumnId> = new Set<ResultColumnId>([
  'ttft',
  'itl',
  'e2e',
  'outputTokensPerS',
  'tokensPerSPerGpu',
  'costPerHour',
  'costPerMTokens',
]);

/** What a figure cell of an estimate with an engine error (PerfEstimate.perfError) reads. */
export const ENGINE_ERROR_TEXT = 'engine error';

const INVALID_FIGURE_WORDS: Record<InvalidFigureReason, string> = {
  'not-a-number': 'not a number',
  infinite: 'infinite',
  negative: 'negative',
};

/** The engine error in words, for a hover: which figure broke and how. */
export function perfErrorText(error: PerfError): string {
  switch (error.kind) {
    case 'invalid-figure':
      return `Engine error: ${error.field} is ${INVALID_FIGURE_WORDS[error.reason]} (${String(error.value)}), so this row's figures are not shown. Please report it with a share link.`;
    default: {
      const unreachable: never = error.kind;
      return unreachable;
    }
  }
}

/** The hover of a figure cell whose estimate has an engine error; null for every other cell. */
export function cellErrorExplain(column: ResultColumnId, candidate: Candidate): string | null {
  const error = candidate.perf?.perfError ?? null;
  return error !== null && PERF_FIGURE_COLUMNS.has(column) ? perfErrorText(error) : null;
}

/** A latency in its column's unit (TTFT and ITL in ms, E2E in s). */
export function latencyText(column: 'ttft' | 'itl' | 'e2e', ms: number): string {
  return column === 'e2e' ? formatSecondsFromMs(ms) : formatMsOnly(ms);
}

/** "Needs ≥ 10 × H100": the one-line badge of a row that does not fit. */
export function needsGpusText(advice: RowAdvice | undefined, gpuId: string): string | null {
  return advice?.needsGpus == null ? null : `needs ≥ ${formatCount(advice.needsGpus)} × ${gpuId}`;
}

/** The "How to pass" cell: passes, the engine's fix, or a dash when none was computed for this row. */
export function howToPassText(candidate: Candidate, advice: RowAdvice | undefined): string {
  if (advice === undefined) return DASH;
  if (advice.passDistance === 0) return 'Passes';
  if (advice.fix !== null) {
    if (advice.fixCheckedOn === 'closed-form') return `${fixText(advice.fix)} ${CLOSED_FORM_FIX_TAG}`;
    if (advice.fixCheckedOn === 'simulating') return `${fixText(advice.fix)} ${SIMULATING_FIX_TAG}`;
    return advice.fixCheckedOn === 'simulated' ? `${fixText(advice.fix)} (simulated)` : fixText(advice.fix);
  }
  return candidate.perf === null ? (needsGpusText(advice, candidate.gpuId) ?? DASH) : DASH;
}

/** The text a cell shows. Every memory figure carries "GiB". */
export function cellText(column: ResultColumnId, candidate: Candidate, advice?: RowAdvice): string {
  const { memory, perf } = candidate;
  if (perf !== null && perf.perfError !== null && PERF_FIGURE_COLUMNS.has(column)) return ENGINE_ERROR_TEXT;
  switch (column) {
    case 'gpu':
      return candidate.gpuId;
    case 'gpuCount':
      return String(candidate.gpuCount);
    case 'layout':
      return layoutLabel(candidate.layout) + placementLabel(candidate.placement);
    case 'fits':
      return memory.fits ? 'Yes' : `No: ${noFitText(memory)}`;
    case 'weightsPerGpu':
      return formatGiB(memory.weightsBytesPerGpu);
    case 'kvPool':
      return memory.fits ? formatGiB(memory.kvCacheBytesPerGpu) : DASH;
    case 'maxConcurrency':
      return memory.fits ? `${formatConcurrency(memory.maxConcurrency)}×` : DASH;
    case 'concurrency':
      return orDash(candidate.concurrency, formatConcurrency);
    case 'ttft':
      return orDash(perf?.ttftMs, formatMsOnly);
    case 'itl':
      return orDash(perf?.itlMs, formatMsOnly);
    case 'e2e':
      return orDash(perf?.e2eMs, formatSecondsFromMs);
    case 'outputTokensPerS':
      return orDash(perf?.outputTokensPerS, formatTokensPerS);
    case 'tokensPerSPerGpu':
      return orDash(perf?.outputTokensPerSPerGpu, formatTokensPerS);
    case 'costPerHour':
      return orDash(perf?.costUsdPerHour, formatUsd);
    case 'costPerMTokens':
      return orDash(perf?.usdPerMillionOutputTokens, formatUsd);
    case 'meetsSlo':
      return meetsSloText(candidate);
    case 'ttftP99':
    case 'itlP99':
    case 'replicas':
      return capacityCellText(column, candidate.capacity);
    case 'howToPass':
      return howToPassText(candidate, advice);
    default: {
      const unreachable: never = column;
      return unreachable;
    }
  }
}

/** "Yes" / "No", with what it rests on under a target rate (the engine's Candidate.sloBasis). */
export function meetsSloText(candidate: Candidate): string {
  const answer = candidate.meetsSlo ? 'Yes' : 'No';
  if (candidate.sloBasis === undefined || candidate.perf === null) return answer;
  return candidate.sloBasis === 'simulated' ? `${answer} (simulated)` : `${answer} (estimate)`;
}

/** What a capacity cell reads while its row waits for the simulator (CapacityPlan 'not-simulated' on the page). */
export const SIMULATING_TEXT = 'simulating…';

/** A cell of the simulated columns: the plan's figure, "simulating…", "SLO unreachable", or a dash without a target rate. */
function capacityCellText(column: 'ttftP99' | 'itlP99' | 'replicas', plan: CapacityPlan | null | undefined): string {
  if (plan === null || plan === undefined) return DASH;
  switch (plan.status) {
    case 'not-simulated':
      return SIMULATING_TEXT;
    case 'slo-unreachable':
      return column === 'replicas' ? 'SLO unreachable' : DASH;
    case 'planned':
      if (column === 'ttftP99') return formatMsOnly(plan.atTarget.ttftP99Ms);
      if (column === 'itlP99') return formatMsOnly(plan.atTarget.itlP99Ms);
      return `${plan.replicasNeeded} (${plan.totalGpus} GPUs, ${formatUsd(plan.costUsdPerHour)}/h)`;
    default: {
      const unreachable: never = plan;
      return unreachable;
    }
  }
}

/**
 * The explain lines about a memory column, by the engine's subject tag (memory/explain.ts). Fits
 * reads every line: whether a plan fits is the whole chain from budget to headroom.
 */
const COLUMN_EXPLAIN_SUBJECTS: Partial<Record<ResultColumnId, readonly ExplainSubject[]>> = {
  weightsPerGpu: ['weights'],
  kvPool: ['kvPool', 'kvPerToken', 'capacity'],
  maxConcurrency: ['capacity'],
  fits: EXPLAIN_SUBJECTS,
};

/**
 * Hover text: how the engine computed a memory figure (explainMemoryLines). Falls back to all the
 * lines when none is about the column's figure (a plan that only has a message). null for columns
 * that are not memory figures.
 */
export function cellExplain(column: ResultColumnId, memory: MemoryPlan): string | null {
  const subjects = COLUMN_EXPLAIN_SUBJECTS[column];
  if (subjects === undefined) return null;
  const explain = explainMemoryLines(memory);
  const matching = explain.filter((line) => subjects.includes(line.subject));
  const lines = matching.length > 0 ? matching : explain;
  return lines.length > 0 ? lines.map((line) => line.text).join('\n') : null;
}

/** The catalog's full GPU name ("NVIDIA H100 SXM 80GB") for a candidate's GPU id, else the id. */
export function gpuName(gpuId: string): string {
  return findGpu(gpuId)?.name ?? gpuId;
}
