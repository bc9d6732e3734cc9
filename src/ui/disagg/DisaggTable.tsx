/**
 * [disagg] The P/D candidates (issue 12 item 5): one row per (prefill GPU, decode GPU) pair — each
 * pool's GPU × TP × replicas, the KV transfer per request, TTFT and ITL at the SLO percentile, GPUs,
 * $/h, $/M tokens — with aggregated serving of the same rate beside it at the same GPU count and at
 * its own cheapest plan (engine/disagg/disaggRows.ts). Formatting only. A row's button selects it
 * (its launch commands below; the link keeps it).
 */
import type { ReactNode } from 'react';
import type { DisaggRow } from '../../engine/disagg/disaggRows';
import { disaggPairKey } from '../../engine/disagg/disaggRows';
import { DASH, formatCount, formatMs, formatUsd } from '../format';
import Term from '../Term';
import { DISAGG_TERMS } from './disaggTerms';
import { DISAGG_STATUS_TEXT, poolText } from './disaggVerdictText';

export interface DisaggTableProps {
  rows: readonly DisaggRow[];
  percentile: number;
  maxGpus: number;
  selectedKey: string | null;
  onSelect: (key: string | null) => void;
}

export default function DisaggTable({ rows, percentile, maxGpus, selectedKey, onSelect }: DisaggTableProps): ReactNode {
  const p = `p${percentile}`;
  return (
    <div className="disagg-table-wrap">
      <table className="disagg-table" aria-label="P/D candidates">
        <caption>
          P/D candidates at the same GPU budget as the aggregated rows (at most {formatCount(maxGpus)} GPUs, both pools together)
        </caption>
        <thead>
          <tr>
            <th scope="col">Prefill pool</th>
            <th scope="col">Decode pool</th>
            <th scope="col">
              KV transfer (ms/request) <Term entry={DISAGG_TERMS.kvTransfer} />
            </th>
            <th scope="col">{p} TTFT (ms)</th>
            <th scope="col">{p} ITL (ms)</th>
            <th scope="col">GPUs</th>
            <th scope="col">$/h</th>
            <th scope="col">$/M tokens</th>
            <th scope="col">Plan</th>
            <th scope="col">
              Aggregated, same GPUs <Term entry={DISAGG_TERMS.atEqualGpus} />
            </th>
            <th scope="col">
              Cheapest aggregated <Term entry={DISAGG_TERMS.cheapestAggregated} />
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const key = disaggPairKey(r.prefillGpuId, r.decodeGpuId);
            const plan = r.plan;
            const eq = r.aggregated?.atEqualGpus ?? null;
            const cheap = r.aggregated?.cheapest ?? null;
            const selected = key === selectedKey;
            return (
              <tr key={key} className={selected ? 'selected' : undefined} data-pair={key}>
                <td>
                  <button type="button" className="link-button" aria-pressed={selected} onClick={() => onSelect(selected ? null : key)} aria-label={`Select P/D ${r.prefillGpuId} → ${r.decodeGpuId}`}>
                    {plan === null ? r.prefillGpuId : poolText(plan.prefill)}
                  </button>
                </td>
                <td>{plan === null ? r.decodeGpuId : poolText(plan.decode)}</td>
                <td>{plan === null ? DASH : `${formatMs(plan.kvTransferMsPerRequest)} (${plan.kvTransferLink.kind})`}</td>
                <td>{plan === null ? DASH : formatMs(plan.ttftAtPercentileMs)}</td>
                <td>{plan === null ? DASH : formatMs(plan.itlAtPercentileMs)}</td>
                <td>{plan === null ? DASH : formatCount(plan.totalGpus)}</td>
                <td>{plan === null ? DASH : formatUsd(plan.costUsdPerHour)}</td>
                <td>{plan?.usdPerMillionOutputTokens == null ? DASH : formatUsd(plan.usdPerMillionOutputTokens)}</td>
                <td className={r.status === 'planned' ? 'ok' : 'bad'}>{DISAGG_STATUS_TEXT[r.status]}</td>
                <td>
                  {eq === null
                    ? DASH
                    : `${eq.meetsSlo ? 'meets' : 'misses'}: ${formatCount(eq.totalGpus)} GPUs, p${eq.percentileShown} TTFT ${formatMs(eq.ttftAtPercentileMs)}, ITL ${formatMs(eq.itlAtPercentileMs)}`}
                </td>
                <td>
                  {cheap === null || cheap.status !== 'planned' || cheap.totalGpus === null || cheap.costUsdPerHour === null
                    ? cheap === null
                      ? DASH
                      : 'none meets the limits'
                    : `${formatCount(cheap.totalGpus)} GPUs, ${formatUsd(cheap.costUsdPerHour)}/h`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
