/**
 * [disagg] The P/D candidates (issue 12 item 5): one row per (prefill GPU, decode GPU) pair — each
 * pool's GPU × TP × replicas, the KV transfer per request, TTFT and ITL at the SLO percentile, GPUs,
 * $/h, $/M tokens — with aggregated serving of the same rate beside it at the same GPU count and at
 * its own cheapest plan (engine/disagg/disaggRows.ts). Formatting only. A row's button selects it
 * (its launch commands below; the link keeps it).
 *
 * Keyboard and phones (issue 14 item 9), as the main results table: the rows are one Tab stop (a
 * roving tabindex), Up / Down / Home / End move between them, Enter or Space selects; below 600 px
 * each row is a card (disagg.css) whose fields carry their labels (data-label) and, where the label
 * is a term, its "?" (the hidden headers' "?" cannot be reached there).
 */
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { DisaggRow } from '../../engine/disagg/disaggRows';
import { disaggPairKey } from '../../engine/disagg/disaggRows';
import { DASH, formatCount, formatMs, formatUsd } from '../format';
import type { GlossaryEntry } from '../glossary';
import { rowKeyTarget } from '../results/ResultsTable';
import Term from '../Term';
import { CARD_ROWS_QUERY, useMediaQuery } from '../useMediaQuery';
import { DISAGG_TERMS } from './disaggTerms';
import { DISAGG_STATUS_TEXT, poolText } from './disaggVerdictText';

export interface DisaggTableProps {
  rows: readonly DisaggRow[];
  percentile: number;
  maxGpus: number;
  selectedKey: string | null;
  onSelect: (key: string | null) => void;
}

/** The columns, in order: the header text (also each card field's label) and the term it names, if any. */
function columnsOf(percentile: number): readonly { label: string; term?: GlossaryEntry }[] {
  const p = `p${percentile}`;
  return [
    { label: 'Prefill pool' },
    { label: 'Decode pool' },
    { label: 'KV transfer (ms/request)', term: DISAGG_TERMS.kvTransfer },
    { label: `${p} TTFT (ms)` },
    { label: `${p} ITL (ms)` },
    { label: 'GPUs' },
    { label: '$/h' },
    { label: '$/M tokens' },
    { label: 'Plan' },
    { label: 'Aggregated, same GPUs', term: DISAGG_TERMS.atEqualGpus },
    { label: 'Cheapest aggregated', term: DISAGG_TERMS.cheapestAggregated },
  ];
}

/** One row's cells as text, in columnsOf's order after the first (the first is the select button). */
function cellTexts(r: DisaggRow): string[] {
  const plan = r.plan;
  const eq = r.aggregated?.atEqualGpus ?? null;
  const cheap = r.aggregated?.cheapest ?? null;
  return [
    plan === null ? r.decodeGpuId : poolText(plan.decode),
    plan === null ? DASH : `${formatMs(plan.kvTransferMsPerRequest)} (${plan.kvTransferLink.kind})`,
    plan === null ? DASH : formatMs(plan.ttftAtPercentileMs),
    plan === null ? DASH : formatMs(plan.itlAtPercentileMs),
    plan === null ? DASH : formatCount(plan.totalGpus),
    plan === null ? DASH : formatUsd(plan.costUsdPerHour),
    plan?.usdPerMillionOutputTokens == null ? DASH : formatUsd(plan.usdPerMillionOutputTokens),
    DISAGG_STATUS_TEXT[r.status],
    eq === null
      ? DASH
      : `${eq.meetsSlo ? 'meets' : 'misses'}: ${formatCount(eq.totalGpus)} GPUs, p${eq.percentileShown} TTFT ${formatMs(eq.ttftAtPercentileMs)}, ITL ${formatMs(eq.itlAtPercentileMs)}`,
    cheap === null
      ? DASH
      : cheap.status !== 'planned' || cheap.totalGpus === null || cheap.costUsdPerHour === null
        ? 'none meets the limits'
        : `${formatCount(cheap.totalGpus)} GPUs, ${formatUsd(cheap.costUsdPerHour)}/h`,
  ];
}

export default function DisaggTable({ rows, percentile, maxGpus, selectedKey, onSelect }: DisaggTableProps): ReactNode {
  const columns = columnsOf(percentile);
  const cards = useMediaQuery(CARD_ROWS_QUERY);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [movedTo, setMovedTo] = useState<string | null>(null);
  const keys = rows.map((r) => disaggPairKey(r.prefillGpuId, r.decodeGpuId));
  const tabStop = movedTo !== null && keys.includes(movedTo) ? movedTo : selectedKey !== null && keys.includes(selectedKey) ? selectedKey : keys[0];
  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, position: number, key: string): void => {
    if (event.target !== event.currentTarget) return; // keys on the row's own buttons are theirs
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setMovedTo(key);
      onSelect(key);
      return;
    }
    const target = rowKeyTarget(event.key, position, rows.length);
    if (target === null) return;
    event.preventDefault();
    setMovedTo(keys[target] ?? null);
    bodyRef.current?.querySelectorAll<HTMLTableRowElement>(':scope > tr')[target]?.focus();
  };
  return (
    <div className="disagg-table-wrap">
      <table className="disagg-table" aria-label="P/D candidates">
        <caption>
          P/D candidates at the same GPU budget as the aggregated rows (at most {formatCount(maxGpus)} GPUs, both pools together)
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
                {c.term === undefined ? null : (
                  <>
                    {' '}
                    <Term entry={c.term} />
                  </>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {rows.map((r, position) => {
            const key = keys[position] ?? '';
            const selected = key === selectedKey;
            const texts = cellTexts(r);
            return (
              <tr
                key={key}
                className={selected ? 'selected' : undefined}
                aria-current={selected ? true : undefined}
                data-pair={key}
                tabIndex={key === tabStop ? 0 : -1}
                onClick={() => {
                  setMovedTo(key);
                  onSelect(key);
                }}
                onKeyDown={(event) => onRowKeyDown(event, position, key)}
              >
                <td data-label={columns[0]?.label} className="disagg-pool">
                  <button
                    type="button"
                    className="link-button"
                    aria-pressed={selected}
                    onClick={(event) => {
                      event.stopPropagation(); // the button toggles; a click elsewhere on the row selects
                      setMovedTo(key);
                      onSelect(selected ? null : key);
                    }}
                    aria-label={`Select P/D ${r.prefillGpuId} → ${r.decodeGpuId}`}
                  >
                    {r.plan === null ? r.prefillGpuId : poolText(r.plan.prefill)}
                  </button>
                </td>
                {texts.map((text, i) => {
                  const column = columns[i + 1];
                  const term = cards ? column?.term : undefined;
                  const classes = [i === 7 ? (r.status === 'planned' ? 'ok' : 'bad') : undefined, i === 0 ? 'disagg-pool' : undefined, i >= 8 ? 'disagg-aggregated' : undefined, term === undefined ? undefined : 'card-labelled']
                    .filter(Boolean)
                    .join(' ');
                  return (
                    <td key={column?.label ?? i} data-label={column?.label} className={classes === '' ? undefined : classes}>
                      {term === undefined ? null : (
                        <span className="card-label">
                          <span aria-hidden="true">{column?.label}</span>
                          <Term entry={term} />
                        </span>
                      )}
                      {text}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
