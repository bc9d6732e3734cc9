import { describe, expect, it } from 'vitest';
import { disaggVerdictOf } from '../../engine/disagg/disaggVerdict';
import { pdRows, PD_TARGET } from './disaggFixture.testing';
import { disaggVerdictText, planText } from './disaggVerdictText';
import { selectDisaggChart } from './disaggChartPoints';
import { DISAGG_CSV_COLUMNS, toDisaggCsv, toDisaggJson } from './disaggExport';

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
