/**
 * The recommendation table: one row per configuration (GPU × count × TP × PP × DP). Presentational:
 * sort, filters, selection and comparison ticks are props; rows come from selectVisibleRows (and, in
 * the compact view, selectCompactRows, then one page of them) so the CSV export matches what is on
 * screen. TanStack Table v9 holds the column model and the sorting state (manualSorting: the rows
 * arrive already sorted). The <table> carries `data-result-stamp` (resultStamp.ts) so scripts and
 * tests can tell when it shows a new result.
 */
import { memo, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
} from '@tanstack/react-table';
import type { Candidate, FixChange, LatencyLimit, RecommendResult } from '../../engine/types';
import type { ReplicaCopy } from '../../engine/compactCandidates';
import type { PriceProvenance } from '../../engine/priceSource';
import { PRICE_MARKS, priceSentence } from './priceNotes';
import { formatCount } from '../format';
import { PINNED_COLUMNS, RESULT_COLUMNS, type ResultColumnId, type SortState } from '../../state/tableState';
import type { CandidateRow } from './contract';
import Term from '../Term';
import { CARD_ROWS_QUERY, useMediaQuery } from '../useMediaQuery';
import { COLUMN_TERMS, type GlossaryEntry, type TermColumnId } from '../glossary';
import { COLUMN_INFO, NO_FIT_LABELS, latencyText, cellErrorExplain, cellExplain, cellText, gpuName, headerWithUnit, needsGpusText } from './columns';
import { CLOSED_FORM_FIX_NOTE, fixText, LIMIT_NAMES, SIMULATING_FIX_NOTE } from './verdictText';
import { resultStamp } from './resultStamp';
import { BEST_PICK_LABELS, bestPicksOf, configKey, layoutLabel, nextSort, sortValue, toggleMember } from './tableRows';

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, CandidateRow>();

export interface ResultsTableProps {
  result: RecommendResult;
  /** Visible rows in display order (selectVisibleRows). */
  rows: readonly CandidateRow[];
  sort: SortState;
  onSortChange: (sort: SortState) => void;
  selectedIndex: number | null;
  onSelect: (index: number | null) => void;
  compareIndices: readonly number[];
  onCompareChange: (indices: readonly number[]) => void;
  /** Applies a row's fix to the inputs (the "How to pass" column's button); absent: the fix is text only. */
  onApplyFix?: (fix: FixChange, index: number | null) => void;
  /** Result columns to show, in any order (shown in RESULT_COLUMNS order); absent = all. */
  visibleColumns?: readonly ResultColumnId[];
  /** Each GPU type's price and where it comes from (priceNotes.ts selectPrices), shown on the $/hour cells; absent = no source shown. */
  prices?: ReadonlyMap<string, PriceProvenance>;
}

function isResultColumn(id: string): id is ResultColumnId {
  return (RESULT_COLUMNS as readonly string[]).includes(id);
}

function ariaSort(sorted: false | 'asc' | 'desc'): 'ascending' | 'descending' | 'none' {
  if (sorted === 'asc') return 'ascending';
  if (sorted === 'desc') return 'descending';
  return 'none';
}

function ResultsTable(props: ResultsTableProps): ReactNode {
  const { result, rows, sort, onSortChange, selectedIndex, onSelect, compareIndices, onCompareChange, onApplyFix, visibleColumns, prices } = props;

  const columns = useMemo(
    () =>
      helper.columns([
        helper.display({
          id: 'compare',
          header: 'Compare',
          cell: ({ row }) => {
            const { index, candidate } = row.original;
            return (
              <input
                type="checkbox"
                aria-label={`Compare ${candidate.gpuId} ${cellText('layout', candidate)} in the concurrency chart`}
                checked={compareIndices.includes(index)}
                disabled={candidate.sweep.length === 0}
                title={candidate.sweepOmitted === true ? 'The engine computes concurrency curves for the best-ranked rows only' : undefined}
                onClick={(event) => event.stopPropagation()}
                onChange={() => onCompareChange(toggleMember(compareIndices, index))}
              />
            );
          },
        }),
        ...RESULT_COLUMNS.filter((id) => visibleColumns === undefined || visibleColumns.includes(id) || PINNED_COLUMNS.includes(id)).map((id) =>
          helper.accessor((row: CandidateRow) => sortValue(id, row.candidate), {
            id,
            header: COLUMN_INFO[id].label,
            cell: ({ row }) => <Cell column={id} row={row.original} best={result.best} onSelect={onSelect} onApplyFix={onApplyFix} prices={prices} />,
          }),
        ),
      ]),
    [compareIndices, onCompareChange, onSelect, onApplyFix, result.best, visibleColumns, prices],
  );

  const sorting = useMemo<SortingState>(() => [{ id: sort.column, desc: sort.descending }], [sort]);
  const table = useTable({
    features,
    columns,
    data: rows,
    // Keyed by configuration, not by rank: a new result updates the same rows' text instead of
    // moving or rebuilding <tr> elements whose configuration changed rank.
    getRowId: (row) => configKey(row.candidate),
    manualSorting: true,
    enableMultiSort: false,
    state: { sorting },
    onSortingChange: () => {
      // Sorting is owned by the app state: the header buttons call onSortChange directly.
    },
  });

  // Keyboard (issue 14, item 9): the rows are one Tab stop (a roving tabindex: the last row moved to,
  // else the selected row, else the first); Up / Down / Home / End move between rows, Enter or Space
  // selects the row (its detail then takes focus, ResultsView).
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [movedTo, setMovedTo] = useState<string | null>(null);
  // Phones (issue 14): the card rows hide the headers, so each card field's label carries its term's "?".
  const cards = useMediaQuery(CARD_ROWS_QUERY);
  const modelRows = table.getRowModel().rows;
  const selectedRow = modelRows.find((row) => row.original.index === selectedIndex);
  const tabStop = modelRows.some((row) => row.id === movedTo) ? movedTo : (selectedRow ?? modelRows[0])?.id;
  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, position: number, index: number): void => {
    if (event.target !== event.currentTarget) return; // keys inside a cell's button or checkbox are theirs
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(index);
      return;
    }
    const target = rowKeyTarget(event.key, position, modelRows.length);
    if (target === null) return;
    event.preventDefault();
    const id = modelRows[target]?.id;
    if (id === undefined) return;
    setMovedTo(id);
    bodyRef.current?.querySelectorAll<HTMLTableRowElement>(':scope > tr')[target]?.focus();
  };

  return (
    <table className="results-table" data-result-stamp={resultStamp(result)}>
      <caption>
        Configurations: {rows.length} of {result.candidates.length} shown
      </caption>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const id = header.column.id;
              if (!isResultColumn(id)) {
                return (
                  <th key={header.id} scope="col" className="pin pin-compare">
                    <table.FlexRender header={header} />
                  </th>
                );
              }
              const info = COLUMN_INFO[id];
              return (
                <th key={header.id} scope="col" className={pinClass(id)} aria-sort={ariaSort(header.column.getIsSorted())} title={info.description}>
                  <button type="button" className="sort-button" aria-label={headerWithUnit(id)} onClick={() => onSortChange(nextSort(sort, id))}>
                    <table.FlexRender header={header} />
                    {info.unit === null ? null : <span className="unit">{` (${info.unit})`}</span>}
                    <span aria-hidden="true" className="sort-indicator">
                      {sortArrow(header.column.getIsSorted())}
                    </span>
                  </button>
                  {isTermColumn(id) ? <Term entry={COLUMN_TERMS[id]} /> : null}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody ref={bodyRef}>
        {modelRows.map((row, position) => {
          const { index, candidate } = row.original;
          const missesSlo = candidate.perf !== null && !candidate.meetsSlo;
          const classes = ['result-row', candidate.memory.fits ? 'fits' : 'no-fit', missesSlo ? 'misses-slo' : '', index === selectedIndex ? 'selected' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <tr
              key={row.id}
              className={classes}
              aria-current={index === selectedIndex ? true : undefined}
              data-row-index={index}
              tabIndex={row.id === tabStop ? 0 : -1}
              onClick={() => {
                setMovedTo(row.id);
                onSelect(index);
              }}
              onKeyDown={(event) => onRowKeyDown(event, position, index)}
            >
              {row.getAllCells().map((cell) => {
                const id = cell.column.id;
                const label = isResultColumn(id) ? COLUMN_INFO[id].label : 'Compare';
                const cardTerm = cards && isResultColumn(id) && isTermColumn(id);
                return (
                  <td
                    key={cell.id}
                    className={[isResultColumn(id) ? pinClass(id) : 'pin pin-compare', cardTerm ? 'card-labelled' : undefined].filter(Boolean).join(' ')}
                    data-label={label}
                  >
                    {cardTerm ? <CardLabel label={label} entry={COLUMN_TERMS[id]} /> : null}
                    <table.FlexRender cell={cell} />
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export default memo(ResultsTable);

/** Pinned columns stay at the left edge while the table scrolls sideways (results.css .pin-*). */
function pinClass(id: ResultColumnId): string | undefined {
  return PINNED_COLUMNS.includes(id) ? `pin pin-${id}` : undefined;
}

/** The row position a navigation key moves to, kept inside the rows (null: not a navigation key). */
export function rowKeyTarget(key: string, position: number, count: number): number | null {
  if (key === 'ArrowDown') return Math.min(position + 1, count - 1);
  if (key === 'ArrowUp') return Math.max(position - 1, 0);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

/**
 * A card field's label with its term's "?" (phones: the headers, and their "?", are hidden). The
 * label text is hidden from screen readers, which already read the column header for the cell.
 */
function CardLabel({ label, entry }: { label: string; entry: GlossaryEntry }): ReactNode {
  return (
    <span className="card-label">
      <span aria-hidden="true">{label}</span>
      <Term entry={entry} />
    </span>
  );
}

/** Columns whose header names a term: they get a "?" popover beside the sort button. */
function isTermColumn(id: ResultColumnId): id is TermColumnId {
  return Object.hasOwn(COLUMN_TERMS, id);
}

function sortArrow(sorted: false | 'asc' | 'desc'): string {
  if (sorted === 'asc') return ' ▲';
  if (sorted === 'desc') return ' ▼';
  return '';
}

interface CellProps {
  column: ResultColumnId;
  row: CandidateRow;
  best: RecommendResult['best'];
  onSelect: (index: number | null) => void;
  onApplyFix: ((fix: FixChange, index: number | null) => void) | undefined;
  prices: ReadonlyMap<string, PriceProvenance> | undefined;
}

/** The latency columns an SLO limits, by the limit's name. */
const LIMIT_COLUMNS: Partial<Record<ResultColumnId, LatencyLimit>> = { ttft: 'ttft', itl: 'itl', e2e: 'e2e' };

function Cell({ column, row, best, onSelect, onApplyFix, prices }: CellProps): ReactNode {
  const { candidate, index, advice } = row;
  const text = cellText(column, candidate, advice);
  const limit = LIMIT_COLUMNS[column];
  const missed = limit === undefined ? undefined : advice?.missed.find((m) => m.limit === limit);
  if (missed !== undefined) {
    // The failing limit in red beside the best figure this row achieves (the rest of the row is greyed).
    return (
      <span className="missed-limit" title={`Misses the ${LIMIT_NAMES[missed.limit]} limit: ${text} achieved at best`}>
        {text} <span className="limit-note">{`> ${latencyText(missed.limit, missed.limitMs)}`}</span>
      </span>
    );
  }
  if (column === 'howToPass' && advice !== undefined && advice.fix !== null) {
    const fix = advice.fix;
    return onApplyFix === undefined ? (
      text
    ) : (
      <button
        type="button"
        className="apply-fix"
        aria-label={`Apply: ${fixText(fix)} (for ${candidate.gpuCount} × ${candidate.gpuId})`}
        title={advice.fixCheckedOn === 'closed-form' ? CLOSED_FORM_FIX_NOTE : advice.fixCheckedOn === 'simulating' ? SIMULATING_FIX_NOTE : undefined}
        onClick={(event) => {
          event.stopPropagation();
          onApplyFix(fix, index);
        }}
      >
        {text}
      </button>
    );
  }
  const explain = cellExplain(column, candidate.memory) ?? cellErrorExplain(column, candidate);
  if (column === 'gpu') {
    const picks = bestPicksOf(best, index);
    return (
      <>
        <button
          type="button"
          className="row-select"
          title={`${gpuName(candidate.gpuId)}: show details`}
          onClick={(event) => {
            event.stopPropagation();
            onSelect(index);
          }}
        >
          {text}
        </button>
        {picks.map((pick) => (
          <span key={pick} className={`badge badge-${pick}`}>
            {BEST_PICK_LABELS[pick]}
          </span>
        ))}
      </>
    );
  }
  if (column === 'layout' && ((row.otherLayouts !== undefined && row.otherLayouts > 0) || row.replicaCopies !== undefined)) {
    return (
      <>
        {text}
        {row.otherLayouts !== undefined && row.otherLayouts > 0 ? (
          <span className="other-layouts" title={`${row.otherLayouts} other layouts of ${candidate.gpuCount} × ${candidate.gpuId}: untick “Best layout only” to list them`}>
            {` +${row.otherLayouts} more`}
          </span>
        ) : null}
        {row.replicaCopies === undefined ? null : <ReplicaCopies copies={row.replicaCopies} candidate={candidate} index={index} onSelect={onSelect} />}
      </>
    );
  }
  const price = column === 'costPerHour' && candidate.perf !== null ? prices?.get(candidate.gpuId) : undefined;
  if (price !== undefined) {
    // Where the price comes from (issue 14): its page and date on hover, a short mark when it is not a sourced rental price.
    const mark = PRICE_MARKS[price.status];
    return (
      <span className={`explained price price-${price.status}`} title={priceSentence(price)}>
        {text}
        {mark === '' ? null : <span className="price-mark">{` ${mark}`}</span>}
      </span>
    );
  }
  if (column === 'fits' && !candidate.memory.fits) {
    // One line: the reason's short label and the GPUs it needs; the engine's full sentence on hover.
    const short = candidate.memory.reason === null ? 'No' : `No: ${NO_FIT_LABELS[candidate.memory.reason]}`;
    const needs = needsGpusText(advice, candidate.gpuId);
    return (
      <span className="no-fit-reason" title={[text, explain].filter((s) => s !== null && s !== '').join('\n')}>
        {short}
        {needs === null ? null : <span className="badge badge-needs">{needs}</span>}
      </span>
    );
  }
  if (explain !== null) {
    return (
      <span className="explained" title={explain}>
        {text}
      </span>
    );
  }
  return text;
}

interface ReplicaCopiesProps {
  copies: readonly ReplicaCopy[];
  candidate: Candidate;
  index: number;
  onSelect: (index: number | null) => void;
}

/**
 * The copy counts a folded row stands for (engine collapseReplicaCopies): a count in the summary,
 * opened to a list that selects a copy's own row.
 */
function ReplicaCopies({ copies, candidate, index, onSelect }: ReplicaCopiesProps): ReactNode {
  const others = copies.filter((c) => c.index !== index);
  return (
    <details className="replica-copies">
      <summary title={`This layout also runs as ${others.map((c) => `${formatCount(c.copies)} copies`).join(', ')} (data-parallel replicas): each copy serves the same per-user latency at its share of the load`}>
        {`${formatCount(copies[0]?.copies ?? 1)}–${formatCount(copies[copies.length - 1]?.copies ?? 1)} copies`}
      </summary>
      <ul aria-label={`Copies of ${candidate.gpuId} ${layoutLabel({ ...candidate.layout, dp: 1 })}`}>
        {copies.map((copy) => (
          <li key={copy.index}>
            <button
              type="button"
              aria-current={copy.index === index ? true : undefined}
              onClick={(event) => {
                // The row's own click would select the row this list sits in.
                event.stopPropagation();
                onSelect(copy.index);
              }}
            >
              {`${formatCount(copy.gpuCount)} × ${candidate.gpuId} (${formatCount(copy.copies)} ${copy.copies === 1 ? 'copy' : 'copies'})`}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
