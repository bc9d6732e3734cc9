/**
 * The request-level simulator (src/engine/sim, issue 10 item 7) scored on the same published rows
 * as the closed form (perf.ts): each prepared case is re-run as the benchmark ran it — a closed loop
 * at its concurrency, all N requests at once, or an open loop of N requests at its request rate
 * (Poisson, as the TensorRT-LLM online-serving table's client sends them) — and the simulated
 * figure is set beside the measured one and beside the closed form's.
 *
 * What the simulator reports that the closed form does not (percentiles) is scored where a row
 * gives one (metrics median_* / p50_* / p90_* / p99_*, as `vllm bench serve` names them); the CSV
 * has none today, so the printout says so.
 *
 * Simulated requests per row (simRunFor), so that the validation stays within a couple of minutes
 * on 2 cores: request-rate rows send the row's N (the notes say how many); a burst whose rows give
 * a latency sends its N (a burst's mean TTFT grows with N), a burst scored on throughput only at
 * most BURST_OUTPUT_TOKEN_BUDGET output tokens' worth but never fewer than BURST_MIN_WAVES full batches
 * (the TensorRT-LLM max-throughput tables send 1,500–30,000: their throughput is the full batch's
 * steady state, which a few waves reach — APPROXIMATION: the ramp and drain weigh a little more in
 * a shorter run); a closed loop sends at most CLOSED_LOOP_MAX_REQUESTS, fewer when its decode steps
 * would exceed CLOSED_LOOP_STEP_BUDGET — at fixed lengths a closed loop is deterministic and
 * reaches its steady state within a few waves, so a shorter run measures the same steady state.
 */
import { replicaModel } from '../../src/engine/perf/estimatePerf';
import { simulateConfiguration } from '../../src/engine/sim/simulateConfiguration';
import type { ConfigurationSimResult, SimWorkload } from '../../src/engine/sim/simulateConfiguration';
import type { ErrorRow, MetricSense } from './errorTables';
import { groupErrors, median } from './errorTables';
import type { Load, MetricGroup, PerfValidationRow, PreparedCase } from './perf';
import { validationRow } from './perf';

/** Most requests a closed-loop row simulates (vllm bench serve's default --num-prompts). */
export const CLOSED_LOOP_MAX_REQUESTS = 1000;
/**
 * Decode steps a closed-loop row may take (≈ requests × output tokens ÷ concurrency): bounds the
 * batch-1 rows with long outputs, whose every request is alike.
 */
export const CLOSED_LOOP_STEP_BUDGET = 20_000;
/** A closed loop needs its warm-up (≥ one wave) and drain (one wave) excluded and waves between: 2 × concurrency + this. */
export const CLOSED_LOOP_MIN_MEASURED = 20;
/** Output tokens a throughput-only burst may decode (requests × output tokens): bounds the simulated request-steps. */
export const BURST_OUTPUT_TOKEN_BUDGET = 1_000_000;
/** Full batches a shortened burst still sends (so its steady state outweighs its ramp and drain). */
export const BURST_MIN_WAVES = 2;
/** A row queues when its simulated requests wait for at least this share of their TTFT before their first step. */
export const QUEUEING_TTFT_SHARE = 0.3;
/** Simulator seed for every row (the CSV's runs do not give theirs). */
export const VALIDATION_SIM_SEED = 1;

/**
 * The simulator's load and request count for a row's load (pure). `throughputOnly`: every row of
 * the run is a throughput; `fullBatch`: the most requests the replica runs at once (max_num_seqs or
 * the KV pool, replicaModel's maxRunning) times the busy replicas.
 */
export function simRunFor(
  load: Load,
  outputTokens: number,
  shape: { throughputOnly: boolean; fullBatch: number } = { throughputOnly: false, fullBatch: 1 },
): { load: SimWorkload['load']; numRequests: number } {
  switch (load.kind) {
    case 'closed': {
      const c = Math.max(1, Math.round(load.concurrency));
      const byBudget = Math.ceil((CLOSED_LOOP_STEP_BUDGET * c) / Math.max(1, outputTokens));
      const numRequests = Math.max(2 * c + CLOSED_LOOP_MIN_MEASURED, Math.min(CLOSED_LOOP_MAX_REQUESTS, byBudget));
      return { load: { kind: 'closed-loop', concurrency: load.concurrency }, numRequests };
    }
    case 'burst': {
      if (!shape.throughputOnly) return { load: { kind: 'burst' }, numRequests: load.n };
      const batch = Math.max(1, Math.round(shape.fullBatch));
      const byBudget = Math.ceil(BURST_OUTPUT_TOKEN_BUDGET / Math.max(1, outputTokens));
      return { load: { kind: 'burst' }, numRequests: Math.min(load.n, Math.max(BURST_MIN_WAVES * batch, byBudget)) };
    }
    case 'rate':
      return { load: { kind: 'open-loop', ratePerS: load.perS, burstiness: 1 }, numRequests: load.n };
    default: {
      const _: never = load;
      return _;
    }
  }
}

/** What one metric of a row reads from a simulated run. */
export interface SimMetric {
  value: number;
  group: MetricGroup;
  sense: MetricSense;
  /** 'mean', or the percentile the row reports. */
  statistic: 'mean' | 'p50' | 'p90' | 'p99';
}

/**
 * The run's throughput as the benchmark counts it: a burst or a request-rate run divides all its
 * requests by the time to the last completion (vllm bench serve, trtllm-bench); a closed loop is
 * read at its steady state (the simulator's window, as the closed form's figure).
 */
export function benchmarkRequestsPerS(r: ConfigurationSimResult, load: Load): number {
  if (load.kind === 'closed') return r.requestsPerS;
  const durationS = (r.durationMs + r.requestOverheadMs) / 1000;
  return durationS > 0 ? (r.simulatedRequests * r.busyReplicas) / durationS : 0;
}

const THROUGHPUT_METRICS: ReadonlySet<string> = new Set(['output_throughput', 'total_throughput', 'request_throughput', 'throughput_unspecified']);

const PERCENTILE_METRIC = /^(median|p50|p90|p99)_(ttft|itl|tpot|e2el)$/;

/** A row's metric from a simulated run (pure); null when the simulator does not produce it. */
export function simMetric(metric: string, r: ConfigurationSimResult, load: Load, isl: number, osl: number): SimMetric | null {
  const reqPerS = benchmarkRequestsPerS(r, load);
  const mean = (value: number, group: MetricGroup, sense: MetricSense): SimMetric => ({ value, group, sense, statistic: 'mean' });
  switch (metric) {
    case 'output_throughput':
      return mean(reqPerS * osl, 'throughput', 'rate');
    case 'total_throughput':
    case 'throughput_unspecified':
      return mean(reqPerS * (isl + osl), 'throughput', 'rate');
    case 'request_throughput':
      return mean(reqPerS, 'throughput', 'rate');
    case 'mean_ttft':
      return mean(r.ttftMs, 'ttft', 'time');
    case 'mean_itl':
      return mean(r.itlMs, 'itl', 'time');
    case 'mean_tpot':
      return mean(r.tpotMs, 'itl', 'time');
    case 'per_user_output_tokens_s':
      return r.tpotMs > 0 ? mean(1000 / r.tpotMs, 'itl', 'rate') : null;
    case 'mean_e2el':
      return mean(r.e2eMs, 'latency', 'time');
    case 'batch_e2e_latency':
      return load.kind === 'burst' ? mean((r.durationMs + r.requestOverheadMs) / 1000, 'latency', 'time') : null;
    default:
      break;
  }
  const m = PERCENTILE_METRIC.exec(metric);
  if (m === null) return null;
  const statistic = m[1] === 'median' ? 'p50' : (m[1] as 'p50' | 'p90' | 'p99');
  const what = m[2] as 'ttft' | 'itl' | 'tpot' | 'e2el';
  const pick = {
    ttft: { p50: r.ttftP50Ms, p90: r.ttftP90Ms, p99: r.ttftP99Ms },
    itl: { p50: r.itlP50Ms, p90: r.itlP90Ms, p99: r.itlP99Ms },
    tpot: { p50: r.tpotP50Ms, p90: r.tpotP90Ms, p99: r.tpotP99Ms },
    e2el: { p50: r.e2eP50Ms, p90: r.e2eP90Ms, p99: r.e2eP99Ms },
  }[what][statistic];
  const group: MetricGroup = what === 'ttft' ? 'ttft' : what === 'e2el' ? 'latency' : 'itl';
  return { value: pick, group, sense: 'time', statistic };
}

/** A simulated row: the validation row plus where its TTFT went. */
export interface SimValidationRow extends PerfValidationRow {
  statistic: SimMetric['statistic'];
  /** The simulated mean TTFT split: queue wait, the prompt's own steps, client overhead (ms). */
  ttftQueueMs: number;
  ttftPrefillMs: number;
  ttftOverheadMs: number;
  simulatedRequests: number;
  preemptions: number;
}

/** The simulated requests per run and how long the runs took, for the printout. */
export interface SimEvaluation {
  rows: SimValidationRow[];
  runs: number;
  simulatedRequests: number;
  elapsedMs: number;
}

/**
 * Simulate every case (one run per distinct configuration × load: a row's metrics share it) with
 * the calibration as it is now.
 */
export function evaluateSimCases(cases: readonly PreparedCase[]): SimEvaluation {
  const t0 = performance.now();
  const runs = new Map<string, ConfigurationSimResult>();
  let simulatedRequests = 0;
  const rows: SimValidationRow[] = [];
  const caseKey = (c: PreparedCase): string => {
    const { gpu, layout, serving, engine, arch, frontend } = c.base;
    return `${arch.modelId}|${gpu.id}|${JSON.stringify(layout)}|${JSON.stringify(serving)}|${engine}|${frontend}|${c.isl}|${c.osl}|${JSON.stringify(c.load)}`;
  };
  // Whether every row of a run is a throughput (its burst may be shortened, simRunFor).
  const latencyRuns = new Set(cases.filter((c) => !THROUGHPUT_METRICS.has(c.row.metric ?? '')).map(caseKey));
  for (const c of cases) {
    const metric = c.row.metric ?? '';
    const { gpu, layout, serving, engine, memory, frontend } = c.base;
    const key = caseKey(c);
    const fullBatch = c.load.kind === 'burst' ? replicaModel(c.base, c.cost, c.isl, c.osl).maxRunning * Math.max(1, layout.dp) : 1;
    const run = simRunFor(c.load, c.osl, { throughputOnly: !latencyRuns.has(key), fullBatch });
    let r = runs.get(key);
    if (r === undefined) {
      // The dataset's spread of lengths (perf.ts datasetLengthsOfRow), prompts and answers alike.
      const workload: SimWorkload = {
        inputTokens: c.isl,
        outputTokens: c.osl,
        load: run.load,
        numRequests: run.numRequests,
        seed: VALIDATION_SIM_SEED,
        inputLengths: c.outputLengths,
        outputLengths: c.outputLengths,
      };
      r = simulateConfiguration({ gpu, layout, serving, engine, memory, frontend, workload }, c.cost);
      runs.set(key, r);
      simulatedRequests += r.simulatedRequests;
    }
    const pred = simMetric(metric, r, c.load, c.isl, c.osl);
    if (pred === null) continue;
    rows.push({
      ...validationRow(c, pred),
      statistic: pred.statistic,
      ttftQueueMs: r.ttftQueueMs,
      ttftPrefillMs: Math.max(0, r.ttftMs - r.ttftQueueMs - r.requestOverheadMs),
      ttftOverheadMs: r.requestOverheadMs,
      simulatedRequests: r.simulatedRequests,
      preemptions: r.preemptions,
    });
  }
  return { rows, runs: runs.size, simulatedRequests, elapsedMs: performance.now() - t0 };
}

/** A row queues when the simulator's requests wait for QUEUEING_TTFT_SHARE of their TTFT or more. */
export const queues = (r: SimValidationRow): boolean => r.ttftQueueMs >= QUEUEING_TTFT_SHARE * (r.ttftQueueMs + r.ttftPrefillMs + r.ttftOverheadMs);

const rowKey = (r: { line: number }): number => r.line;

/** One group of the side-by-side table: the rows both solvers scored, each solver's median |error|. */
export interface SideBySideGroup {
  key: string;
  rows: number;
  closedMedianAbsErrorPct: number;
  simMedianAbsErrorPct: number;
  /** Rows only the simulator scores (the closed form has no such metric). */
  simOnlyRows: number;
}

/**
 * Group the simulator's rows by `keyOf` and set each group's median |error| beside the closed
 * form's on the same rows (matched by CSV line); a row the closed form cannot score counts in the
 * simulator's median and in simOnlyRows. Largest group first.
 */
export function sideBySide<R extends ErrorRow & { line: number }>(closed: readonly R[], sim: readonly R[], keyOf: (r: R) => string): SideBySideGroup[] {
  const closedByLine = new Map(closed.map((r) => [rowKey(r), r]));
  return groupErrors(sim, keyOf).map((g) => {
    const inGroup = sim.filter((r) => keyOf(r) === g.key);
    const closedErrs = inGroup.flatMap((r) => {
      const c = closedByLine.get(rowKey(r));
      return c === undefined ? [] : [Math.abs(c.errorPct)];
    });
    return {
      key: g.key,
      rows: g.rows,
      closedMedianAbsErrorPct: median(closedErrs),
      simMedianAbsErrorPct: g.medianAbsErrorPct,
      simOnlyRows: inGroup.length - closedErrs.length,
    };
  });
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(1)}%` : '—');

/** The side-by-side table as lines (no prefix). */
export function formatSideBySide(title: string, groups: readonly SideBySideGroup[], maxKeyWidth = 64): string[] {
  const keyWidth = Math.min(maxKeyWidth, Math.max(title.length, ...groups.map((g) => g.key.length + 2)));
  const cut = (k: string): string => (k.length > keyWidth ? `${k.slice(0, keyWidth - 1)}…` : k);
  const lines = [`${cut(title).padEnd(keyWidth)}  rows  closed form  simulator`];
  for (const g of groups) {
    const only = g.simOnlyRows > 0 ? `  (${g.simOnlyRows} rows simulator only)` : '';
    lines.push(`  ${cut(g.key).padEnd(keyWidth - 2)}  ${String(g.rows).padStart(4)}  ${pct(g.closedMedianAbsErrorPct).padStart(11)}  ${pct(g.simMedianAbsErrorPct).padStart(9)}${only}`);
  }
  return lines;
}

/** The `sim cv by <what>` line: the simulator's held-out medians per metric group, in cvLine's form. */
export function simCvLine(what: string, rows: readonly PerfValidationRow[]): string {
  const at = (group: MetricGroup): string => {
    const errs = rows.filter((r) => r.group === group).map((r) => Math.abs(r.errorPct));
    return errs.length > 0 ? median(errs).toFixed(1) : '—';
  };
  return `sim cv by ${what}: throughput ${at('throughput')} %, ITL ${at('itl')} %, TTFT ${at('ttft')} %`;
}

/**
 * Does the simulator halve the TTFT error of the rows that queue? The verdict line, then per group
 * (`keyOf`) that does not halve, why: where the simulated TTFT goes (queue wait, the prompt's steps,
 * client overhead), the simulator's speed bias, and the same runs' throughput error (a queue's
 * length follows capacity: a capacity error is carried into every queued request's wait).
 */
export function ttftQueueingVerdict(
  closed: readonly PerfValidationRow[],
  sim: readonly SimValidationRow[],
  keyOf: (r: PerfValidationRow) => string,
): string[] {
  const ttft = sim.filter((r) => r.group === 'ttft' && r.statistic === 'mean' && queues(r));
  const closedByLine = new Map(closed.map((r) => [r.line, r]));
  const paired = ttft.filter((r) => closedByLine.has(r.line));
  if (paired.length === 0) return ['no TTFT row queues in the simulation (queue wait ≥ 30 % of TTFT): nothing to compare'];
  const closedMed = median(paired.map((r) => Math.abs(closedByLine.get(r.line)?.errorPct ?? Number.NaN)));
  const simMed = median(paired.map((r) => Math.abs(r.errorPct)));
  const halved = simMed <= closedMed / 2;
  const lines = [
    `TTFT on the ${paired.length} rows that queue (simulated queue wait ≥ ${QUEUEING_TTFT_SHARE * 100} % of TTFT): median |error| closed form ${pct(closedMed)}, ` +
      `simulator ${pct(simMed)} — ${halved ? 'HALVED or better' : `NOT halved (${pct((1 - simMed / closedMed) * 100)} lower)`}`,
  ];
  // Throughput rows of the same runs (same source, model, GPU, layout, lengths and load), for the capacity error.
  const runKey = (r: PerfValidationRow): string => `${r.source}|${r.modelId}|${r.gpu}|${r.isl}|${r.osl}|${r.load}`;
  const tputByRun = new Map<string, number[]>();
  for (const r of sim) {
    if (r.group !== 'throughput') continue;
    const list = tputByRun.get(runKey(r)) ?? [];
    list.push(r.errorPct);
    tputByRun.set(runKey(r), list);
  }
  const keys = [...new Set(paired.map(keyOf))].sort();
  for (const key of keys) {
    const rs = paired.filter((r) => keyOf(r) === key);
    const c = median(rs.map((r) => Math.abs(closedByLine.get(r.line)?.errorPct ?? Number.NaN)));
    const s = median(rs.map((r) => Math.abs(r.errorPct)));
    const head = `  ${key}: ${rs.length} rows, closed form ${pct(c)}, simulator ${pct(s)}`;
    if (s <= c / 2) {
      lines.push(`${head} — halved`);
      continue;
    }
    const total = rs.reduce((a, r) => a + r.ttftQueueMs + r.ttftPrefillMs + r.ttftOverheadMs, 0);
    const share = (f: (r: SimValidationRow) => number): number => (total > 0 ? (rs.reduce((a, r) => a + f(r), 0) / total) * 100 : 0);
    const parts = [
      { name: 'queue wait', pct: share((r) => r.ttftQueueMs) },
      { name: 'the prompt’s own steps', pct: share((r) => r.ttftPrefillMs) },
      { name: 'client overhead', pct: share((r) => r.ttftOverheadMs) },
    ].sort((a, b) => b.pct - a.pct);
    const bias = median(rs.map((r) => (r.measured / r.predicted - 1) * 100));
    const tput = rs.flatMap((r) => tputByRun.get(runKey(r)) ?? []);
    const tputText = tput.length > 0 ? `; throughput of the same runs ${median(tput) >= 0 ? '+' : ''}${median(tput).toFixed(1)}% (median)` : '';
    lines.push(
      `${head} — not halved: simulated TTFT is ${parts.map((p) => `${p.pct.toFixed(0)}% ${p.name}`).join(', ')}; ` +
        `speed bias ${bias >= 0 ? '+' : ''}${bias.toFixed(1)}% (${bias >= 0 ? 'simulated TTFT shorter' : 'simulated TTFT longer'})${tputText}`,
    );
  }
  return lines;
}

/** Every line of the simulator's section of `npm run validate perf` (no prefix). */
export function simValidationLines(closed: readonly PerfValidationRow[], ev: SimEvaluation, keys: readonly { title: string; keyOf: (r: PerfValidationRow) => string }[]): string[] {
  const lines = [
    `simulator (src/engine/sim): ${ev.rows.length} rows from ${ev.runs} runs, ${ev.simulatedRequests} simulated requests in ${(ev.elapsedMs / 1000).toFixed(1)} s ` +
      `(request-rate rows and bursts with a latency row send the row's N; throughput-only bursts at most ${BURST_OUTPUT_TOKEN_BUDGET} output tokens' worth, ` +
      `at least ${BURST_MIN_WAVES} full batches; closed loops at most ${CLOSED_LOOP_MAX_REQUESTS} requests and about ${CLOSED_LOOP_STEP_BUDGET} decode steps, at least 2 × concurrency + ${CLOSED_LOOP_MIN_MEASURED}; seed ${VALIDATION_SIM_SEED})`,
  ];
  const percentileRows = ev.rows.filter((r) => r.statistic !== 'mean');
  lines.push(
    percentileRows.length > 0
      ? `percentile rows scored against the simulator's p50/p90/p99: ${percentileRows.length}`
      : 'no row of the truth set reports a median or percentile (its metrics are means and throughputs): the simulator’s p50/p99 are not scored',
  );
  lines.push('median |error| on the same rows, closed form beside simulator:');
  lines.push(...formatSideBySide('by metric group', sideBySide(closed, ev.rows, (r) => r.group)));
  for (const k of keys) lines.push(...formatSideBySide(k.title, sideBySide(closed, ev.rows, k.keyOf)));
  lines.push(...ttftQueueingVerdict(closed, ev.rows, keys[0]?.keyOf ?? ((r) => r.source)));
  return lines;
}
