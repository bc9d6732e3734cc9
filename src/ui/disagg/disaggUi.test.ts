import { describe, expect, it } from 'vitest';
import { disaggVerdictOf } from '../../engine/disagg/disaggVerdict';
import { pdRows, PD_TARGET } from './disaggFixture.testing';
import { disaggVerdictText, planText } from './disaggVerdictText';
import { selectDisaggChart } from './disaggChartPoints';
import { DISAGG_CSV_COLUMNS, disaggCandidatesJson, toCsvWithPd, toDisaggCsv, toDisaggJson } from './disaggExport';
import { CSV_COLUMNS, toCsv, toResultJson } from '../results/exportData';
import { makeArch, makeRequest, makeResult } from '../results/testData';
import { selectVisibleRows } from '../results/tableRows';

describe('P/D verdict text', () => {
  it('names the best plan’s pools, its p99 latencies, and the engine’s comparison with aggregated serving', () => {
    const rows = pdRows();
    const v = disaggVerdictOf(rows);
    expect(v.kind).not.toBe('no-plan');
    const text = disaggVerdictText(v);
    expect(text).toMatch(/^P\/D: prefill \d+ × (H100|A100-80GB).* \+ decode \d+ × H100.*p99 TTFT [\d.,]+ m?s, p99 ITL [\d.,]+ m?s\./);
    expect(text).toMatch(/(Worth it|Not worth it|A tie|Aggregated serving on these GPU types)/);
    if (v.kind !== 'no-plan' && v.differencePct !== null && v.kind !== 'tie') expect(text).toContain(`${v.differencePct.toFixed(1)} %`);
    // While pairs are still simulated the sentence says it is partial.
    expect(disaggVerdictText(v, 'P/D so far (simulating GPU pair 2 of 4…)')).toMatch(/^P\/D so far \(simulating GPU pair 2 of 4…\): prefill/);
  });

  it('no plan: says none meets the limits and how many pairs were simulated', () => {
    const none = pdRows().filter((r) => r.status !== 'planned');
    expect(disaggVerdictText(disaggVerdictOf(none))).toMatch(/no prefill\/decode plan .* meets the latency limits .*\(1 GPU pair simulated\)/);
    expect(planText(none[0] ?? pdRows()[0]!)).toMatch(/no plan/);
  });
});

describe('P/D chart points', () => {
  it('plots each P/D plan at its $/M tokens and p99 TTFT, aggregated at the same GPUs beside it, on a log cost axis holding them all', () => {
    const rows = pdRows();
    const chart = selectDisaggChart(rows, [], 99);
    const withPlan = rows.filter((r) => r.plan?.usdPerMillionOutputTokens != null);
    expect(chart.points.pd).toHaveLength(withPlan.length);
    for (const [i, p] of chart.points.pd.entries()) {
      expect(p.usdPerMillionOutputTokens).toBe(withPlan[i]?.plan?.usdPerMillionOutputTokens);
      expect(p.ttftMs).toBe(withPlan[i]?.plan?.ttftAtPercentileMs);
      expect(p.pairKey).toBe(`${withPlan[i]?.prefillGpuId}>${withPlan[i]?.decodeGpuId}`);
    }
    expect(chart.points.aggregatedEqual.every((p) => p.pairKey === null)).toBe(true);
    const all = [...chart.points.pd, ...chart.points.aggregatedEqual];
    for (const p of all) {
      expect(p.x).toBeGreaterThanOrEqual(chart.axis.domain[0]);
      expect(p.x).toBeLessThanOrEqual(chart.axis.domain[1]);
    }
  });
});

describe('P/D exports', () => {
  it('CSV: one line per pair with the prefill and decode pools’ fields', () => {
    const rows = pdRows();
    const lines = toDisaggCsv(rows).trim().split('\r\n');
    expect(lines).toHaveLength(rows.length + 1);
    const header = lines[0]?.split(',') ?? [];
    for (const h of ['Prefill GPU', 'Prefill TP', 'Prefill replicas', 'Decode GPU', 'Decode TP', 'Decode replicas', 'KV transfer (ms/request)']) expect(header).toContain(h);
    const first = lines[1]?.split(',') ?? [];
    const col = (h: string) => first[header.indexOf(h)];
    expect(col('Prefill replicas')).toBe(String(rows[0]?.plan?.prefill.replicas));
    expect(col('Decode replicas')).toBe(String(rows[0]?.plan?.decode.replicas));
    expect(header).toHaveLength(DISAGG_CSV_COLUMNS.length);
  });

  it('JSON: the CLI’s field names for a disaggregated candidate (prefill/decode {gpu, tp, pp, replicas}, kvTransferMsPerRequest)', () => {
    const rows = pdRows();
    const parsed = JSON.parse(toDisaggJson({ modelId: 'meta-llama/Llama-3.1-8B', target: PD_TARGET, rows, verdict: disaggVerdictOf(rows) })) as { candidates: Record<string, unknown>[]; rate: number };
    expect(parsed.rate).toBe(10);
    expect(parsed.candidates[0]).toMatchObject({
      shape: 'disaggregated',
      prefill: { gpu: 'H100', tp: rows[0]?.plan?.prefill.tp, pp: 1, replicas: rows[0]?.plan?.prefill.replicas },
      decode: { gpu: 'H100', replicas: rows[0]?.plan?.decode.replicas },
      kvTransferMsPerRequest: rows[0]?.plan?.kvTransferMsPerRequest,
    });
    expect(parsed.candidates[2]).toMatchObject({ status: 'over-gpu-budget', prefill: null, decode: null });
  });
});

describe('the main exports with the P/D serving shape', () => {
  const result = makeResult();
  const rows = selectVisibleRows(result, { fitsOnly: false, meetsSloOnly: false }, { column: 'costPerMTokens', descending: false });
  const request = makeRequest();
  const pd = pdRows();

  it('CSV: the aggregated lines keep every column as before, then a Shape column and the pools\' fields; one P/D line per pair', () => {
    const plain = toCsv(rows, result.best, request).trim().split('\r\n');
    const lines = toCsvWithPd(rows, result.best, request, pd).trim().split('\r\n');
    expect(lines).toHaveLength(1 + rows.length + pd.length);
    // The existing columns, in order, then the new ones.
    expect(lines[0]?.startsWith(plain[0] ?? '?')).toBe(true);
    const header = lines[0]?.split(',') ?? [];
    const at = (h: string) => header.indexOf(h);
    expect(header.slice(plain[0]?.split(',').length)).toEqual(['Shape', ...DISAGG_CSV_COLUMNS.filter((c) => c.header !== 'Shape').map((c) => c.header)]);
    // Aggregated rows: the same cells as the plain CSV, shape 'aggregated', P/D fields empty.
    const agg = lines[1]?.split(',') ?? [];
    expect(agg.slice(0, plain[1]?.split(',').length).join(',')).toBe(plain[1]);
    expect(agg[at('Shape')]).toBe('aggregated');
    expect(agg[at('Prefill replicas')]).toBe('');
    // A P/D row: its pair as the GPU, its GPUs, cost and pools.
    const first = lines[1 + rows.length]?.split(',') ?? [];
    expect(first[at('Shape')]).toBe('P/D');
    expect(first[at(CSV_COLUMNS[1]?.header ?? '')]).toBe(`${pd[0]?.prefillGpuId}>${pd[0]?.decodeGpuId}`);
    expect(first[at(CSV_COLUMNS[2]?.header ?? '')]).toBe(String(pd[0]?.plan?.totalGpus));
    expect(first[at('Prefill replicas')]).toBe(String(pd[0]?.plan?.prefill.replicas));
    expect(first[at('Decode replicas')]).toBe(String(pd[0]?.plan?.decode.replicas));
    expect(first[at('Rank')]).toBe('');
  });

  it('CSV at a target rate: the aggregated lines carry the rate columns as the plain CSV does; P/D lines leave them empty', () => {
    const target = { ratePerS: 40, burstiness: 1, slo: { percentile: 99 as const, maxTtftMs: 2000, maxItlMs: null, maxE2eMs: null } };
    const waiting = { status: 'not-simulated' as const, targetRequestsPerS: 40, boundUsdPerHour: null };
    const rateRows = rows.map((r) => ({ ...r, candidate: { ...r.candidate, capacity: r.candidate.perf === null ? null : waiting } }));
    const plain = toCsv(rateRows, result.best, request, target).trim().split('\r\n');
    const lines = toCsvWithPd(rateRows, result.best, request, pd, target).trim().split('\r\n');
    expect(lines[0]?.startsWith(`${plain[0] ?? '?'},Shape,`)).toBe(true);
    expect(lines[1]?.startsWith(`${plain[1] ?? '?'},aggregated,`)).toBe(true);
    const header = lines[0]?.split(',') ?? [];
    const pdLine = lines[1 + rows.length]?.split(',') ?? [];
    expect(pdLine[header.indexOf('Shape')]).toBe('P/D');
    expect(pdLine[header.indexOf('Plan at target')]).toBe('');
    expect(lines[1]?.split(',')[header.indexOf('Plan at target')]).toBe('not simulated yet');
  });

  it('JSON: `disaggregated` holds the P/D candidates with the CLI\'s field names; absent for aggregated serving', () => {
    const withPd = JSON.parse(toResultJson({ arch: makeArch(), request, result, disaggregated: disaggCandidatesJson(pd) })) as Record<string, unknown>;
    expect(withPd.disaggregated).toEqual(JSON.parse(JSON.stringify(disaggCandidatesJson(pd))));
    expect((withPd.disaggregated as unknown[])[0]).toMatchObject({ shape: 'disaggregated', prefill: { replicas: pd[0]?.plan?.prefill.replicas } });
    expect(JSON.parse(toResultJson({ arch: makeArch(), request, result }))).not.toHaveProperty('disaggregated');
  });
});
