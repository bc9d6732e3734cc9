import { describe, expect, it } from 'vitest';
import type { ConfigurationSimResult } from '../../src/engine/sim/simulateConfiguration';
import type { PerfValidationRow } from './perf';
import type { SimValidationRow } from './perfSim';
import {
  BURST_MIN_WAVES,
  BURST_OUTPUT_TOKEN_BUDGET,
  CLOSED_LOOP_MAX_REQUESTS,
  CLOSED_LOOP_MIN_MEASURED,
  benchmarkRequestsPerS,
  formatSideBySide,
  queues,
  sideBySide,
  simCvLine,
  simMetric,
  simRunFor,
  ttftQueueingVerdict,
} from './perfSim';

/** A simulated run with round figures (only the fields the mapping reads matter). */
const run = (over: Partial<ConfigurationSimResult> = {}): ConfigurationSimResult =>
  ({
    simulatedRequests: 500,
    busyReplicas: 2,
    durationMs: 99_000,
    requestOverheadMs: 1000,
    requestsPerS: 7,
    ttftMs: 120,
    ttftP50Ms: 100,
    ttftP90Ms: 200,
    ttftP99Ms: 400,
    itlMs: 11,
    itlP50Ms: 10,
    itlP90Ms: 20,
    itlP99Ms: 40,
    tpotMs: 12.5,
    tpotP50Ms: 12,
    tpotP90Ms: 13,
    tpotP99Ms: 14,
    e2eMs: 3000,
    e2eP50Ms: 2900,
    e2eP90Ms: 3500,
    e2eP99Ms: 4000,
    ttftQueueMs: 60,
    ...over,
  }) as ConfigurationSimResult;

describe('simRunFor: a row’s load → the simulator’s load and request count', () => {
  it('request-rate rows send the row’s N at its rate, Poisson', () => {
    expect(simRunFor({ kind: 'rate', perS: 4, n: 500 }, 256)).toEqual({ load: { kind: 'open-loop', ratePerS: 4, burstiness: 1 }, numRequests: 500 });
  });

  it('a burst with a latency row keeps its N; a throughput-only burst is cut to the token budget but keeps whole waves', () => {
    expect(simRunFor({ kind: 'burst', n: 30_000 }, 128, { throughputOnly: false, fullBatch: 2048 }).numRequests).toBe(30_000);
    const cut = simRunFor({ kind: 'burst', n: 30_000 }, 128, { throughputOnly: true, fullBatch: 2048 });
    expect(cut.load).toEqual({ kind: 'burst' });
    expect(cut.numRequests).toBe(Math.max(BURST_MIN_WAVES * 2048, Math.ceil(BURST_OUTPUT_TOKEN_BUDGET / 128)));
    expect(cut.numRequests).toBeLessThan(30_000);
    // Long outputs: the budget would leave less than the minimum waves.
    expect(simRunFor({ kind: 'burst', n: 1500 }, 4096, { throughputOnly: true, fullBatch: 600 }).numRequests).toBe(BURST_MIN_WAVES * 600);
    // Never more than the row sent.
    expect(simRunFor({ kind: 'burst', n: 100 }, 128, { throughputOnly: true, fullBatch: 64 }).numRequests).toBe(100);
  });

  it('a closed loop sends at most the cap, fewer for long outputs at low concurrency, always two waves and the measured margin', () => {
    expect(simRunFor({ kind: 'closed', concurrency: 64 }, 128)).toEqual({ load: { kind: 'closed-loop', concurrency: 64 }, numRequests: CLOSED_LOOP_MAX_REQUESTS });
    const batch1 = simRunFor({ kind: 'closed', concurrency: 1 }, 2048).numRequests;
    expect(batch1).toBeLessThan(CLOSED_LOOP_MAX_REQUESTS);
    expect(batch1).toBeGreaterThanOrEqual(2 + CLOSED_LOOP_MIN_MEASURED);
    expect(simRunFor({ kind: 'closed', concurrency: 3000 }, 128).numRequests).toBe(2 * 3000 + CLOSED_LOOP_MIN_MEASURED);
  });
});

describe('simMetric: a row’s metric from a simulated run', () => {
  it('a burst or request-rate run’s throughput is all its requests over the time to the last response', () => {
    // 500 requests × 2 replicas over 99 s + 1 s.
    expect(benchmarkRequestsPerS(run(), { kind: 'burst', n: 1000 })).toBeCloseTo(10, 12);
    expect(simMetric('output_throughput', run(), { kind: 'rate', perS: 9, n: 1000 }, 1000, 200)?.value).toBeCloseTo(2000, 9);
    expect(simMetric('total_throughput', run(), { kind: 'burst', n: 1000 }, 1000, 200)?.value).toBeCloseTo(12_000, 9);
    // A closed loop is read at its steady state.
    expect(simMetric('request_throughput', run(), { kind: 'closed', concurrency: 8 }, 1000, 200)?.value).toBe(7);
  });

  it('means, TPOT, per-user speed and a static batch’s latency map to the run’s figures', () => {
    const closed = { kind: 'closed', concurrency: 8 } as const;
    expect(simMetric('mean_ttft', run(), closed, 1, 1)).toEqual({ value: 120, group: 'ttft', sense: 'time', statistic: 'mean' });
    expect(simMetric('mean_itl', run(), closed, 1, 1)?.value).toBe(11);
    expect(simMetric('mean_tpot', run(), closed, 1, 1)?.value).toBe(12.5);
    expect(simMetric('per_user_output_tokens_s', run(), closed, 1, 1)).toEqual({ value: 80, group: 'itl', sense: 'rate', statistic: 'mean' });
    expect(simMetric('batch_e2e_latency', run(), { kind: 'burst', n: 8 }, 1, 1)?.value).toBe(100);
    expect(simMetric('batch_e2e_latency', run(), closed, 1, 1)).toBeNull();
    expect(simMetric('unknown_metric', run(), closed, 1, 1)).toBeNull();
  });

  it('medians and percentiles (vllm bench serve names) read the simulator’s percentiles', () => {
    const closed = { kind: 'closed', concurrency: 8 } as const;
    expect(simMetric('median_ttft', run(), closed, 1, 1)).toEqual({ value: 100, group: 'ttft', sense: 'time', statistic: 'p50' });
    expect(simMetric('p99_itl', run(), closed, 1, 1)).toEqual({ value: 40, group: 'itl', sense: 'time', statistic: 'p99' });
    expect(simMetric('p90_tpot', run(), closed, 1, 1)?.value).toBe(13);
    expect(simMetric('p99_e2el', run(), closed, 1, 1)).toEqual({ value: 4000, group: 'latency', sense: 'time', statistic: 'p99' });
  });
});

const row = (line: number, group: PerfValidationRow['group'], errorPct: number, source = 'a/b x.md'): PerfValidationRow => ({
  line,
  source,
  modelId: 'm',
  gpu: 'H100',
  generation: 'hopper',
  engine: 'vllm',
  precision: 'bf16',
  isl: 1000,
  osl: 100,
  load: 'c=8',
  metric: group === 'ttft' ? 'mean_ttft' : 'output_throughput',
  group,
  sense: group === 'ttft' ? 'time' : 'rate',
  measured: 100,
  predicted: 100 + errorPct,
  unit: 'ms',
  errorPct,
});
const simRow = (r: PerfValidationRow, queueMs: number, prefillMs: number, overheadMs = 10): SimValidationRow => ({
  ...r,
  statistic: 'mean',
  ttftQueueMs: queueMs,
  ttftPrefillMs: prefillMs,
  ttftOverheadMs: overheadMs,
  simulatedRequests: 100,
  preemptions: 0,
});

describe('side-by-side error tables', () => {
  it('sets each group’s closed-form median beside the simulator’s on the same rows, and counts simulator-only rows', () => {
    const closed = [row(1, 'ttft', 40), row(2, 'ttft', -60), row(3, 'throughput', 10)];
    const sim = [row(1, 'ttft', 10), row(2, 'ttft', -20), row(3, 'throughput', 5), row(4, 'throughput', -7)];
    const groups = sideBySide(closed, sim, (r) => r.group);
    expect(groups).toEqual([
      { key: 'throughput', rows: 2, closedMedianAbsErrorPct: 10, simMedianAbsErrorPct: 6, simOnlyRows: 1 },
      { key: 'ttft', rows: 2, closedMedianAbsErrorPct: 50, simMedianAbsErrorPct: 15, simOnlyRows: 0 },
    ]);
    const lines = formatSideBySide('by metric group', groups);
    expect(lines[0]).toMatch(/by metric group\s+rows\s+closed form\s+simulator/);
    expect(lines[1]).toMatch(/throughput\s+2\s+10\.0%\s+6\.0%\s+\(1 rows simulator only\)/);
    expect(lines[2]).toMatch(/ttft\s+2\s+50\.0%\s+15\.0%$/);
  });

  it('the sim cv line has cvLine’s form with the simulator’s medians', () => {
    expect(simCvLine('source', [row(1, 'ttft', 30), row(2, 'throughput', -4), row(3, 'throughput', 6), row(4, 'itl', 12)])).toBe(
      'sim cv by source: throughput 5.0 %, ITL 12.0 %, TTFT 30.0 %',
    );
    expect(simCvLine('model', [])).toBe('sim cv by model: throughput — %, ITL — %, TTFT — %');
  });
});

describe('the TTFT verdict on rows that queue', () => {
  it('a row queues when its simulated queue wait is at least 30 % of its TTFT', () => {
    expect(queues(simRow(row(1, 'ttft', 0), 30, 60, 10))).toBe(true);
    expect(queues(simRow(row(1, 'ttft', 0), 29, 61, 10))).toBe(false);
  });

  it('says HALVED when the simulator’s median is half the closed form’s or less, and otherwise why per group', () => {
    const closed = [row(1, 'ttft', 80, 's/x one.md'), row(2, 'ttft', 40, 's/x two.md'), row(3, 'ttft', 90, 's/x one.md')];
    const sim = [simRow(row(1, 'ttft', 10, 's/x one.md'), 80, 10), simRow(row(2, 'ttft', -35, 's/x two.md'), 70, 20), simRow(row(3, 'ttft', 20, 's/x one.md'), 1, 90)];
    const lines = ttftQueueingVerdict(closed, sim, (r) => r.source);
    // Rows 1 and 2 queue (row 3 waits 1 ms of 101): closed 80 / 40 → median 60; simulator 10 / 35 → 22.5.
    expect(lines[0]).toMatch(/2 rows that queue .*closed form 60\.0%, simulator 22\.5% — HALVED or better/);
    expect(lines[1]).toMatch(/s\/x one\.md: 1 rows, closed form 80\.0%, simulator 10\.0% — halved/);
    expect(lines[2]).toMatch(/s\/x two\.md: 1 rows, closed form 40\.0%, simulator 35\.0% — not halved: simulated TTFT is 70% queue wait, 20% the prompt’s own steps, 10% client overhead/);
    // −35 %: the simulated TTFT is shorter than measured (a speed bias of +54 %).
    expect(lines[2]).toMatch(/speed bias \+53\.8% \(simulated TTFT shorter\)/);
  });

  it('says NOT halved when it is not', () => {
    const lines = ttftQueueingVerdict([row(1, 'ttft', 50)], [simRow(row(1, 'ttft', 40), 90, 5)], (r) => r.source);
    expect(lines[0]).toMatch(/NOT halved/);
  });
});
