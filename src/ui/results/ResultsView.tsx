/**
 * The results area, best first: the summary, the engine's warnings, the three best picks beside the
 * latency-vs-cost chart, then the table (one page, best layout per GPU type × count by default),
 * the concurrency chart for ticked rows, the selected row's detail and the replica-vs-TP trade-off.
 * Presentational: everything arrives in ResultsViewProps; the app shell owns the state.
 *
 * Speed (issue 5: input change → updated table under 100 ms): the table draws one page of rows;
 * the charts and the trade-off read their props one painted frame late (useAfterPaint), so the
 * table is committed and painted first and the charts render afterwards in a transition; charts
 * load lazily so the first paint does not wait for recharts.
 */
import { lazy, memo, Suspense, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { candidateKey } from '../../state/selectors';
import { useAfterPaint } from './useAfterPaint';
import { formatErrorBand, formatPct } from '../format';
import type { TableFilters } from '../../state/tableState';
import type { ResultsViewProps } from './contract';
import BestPicks from './BestPicks';
import ColumnChooser from './ColumnChooser';
import CopyButton from './CopyButton';

/** The page's address: the URL fragment carries every input and the selected row (state/urlCodec.ts). */
const pageLink = (): string => window.location.href;
import { DEFAULT_VISIBLE_COLUMNS, SIMULATED_COLUMNS, type ResultColumnId } from '../../state/tableState';
import VerdictLine from './VerdictLine';
import ExportButtons from './ExportButtons';
import ReplicaTradeoff from './ReplicaTradeoff';
import ResultsFilters from './ResultsFilters';
import ResultsTable from './ResultsTable';
import RowDetail from './RowDetail';
import { selectCompactRows } from './compactRows';
import { selectPrices } from './priceNotes';
import { selectMeasuredLatencyCostPoints } from './latencyCostPoints';
import { nextPageSize, PAGE_ROWS, selectPage } from './paging';
import { selectSummary, selectVisibleRows } from './tableRows';
import { useLatestCallback } from './useLatestCallback';
import './results.css';

const LatencyCostChart = lazy(() => import('./LatencyCostChart'));
const ConcurrencyChart = lazy(() => import('./ConcurrencyChart'));

function ResultsView(props: ResultsViewProps): ReactNode {
  const { arch, request, result, sort, filters, selectedIndex, compareIndices } = props;
  const { measurements, errorBand, memoryEngineNote, customGpus } = props;
  // Stable identities for the memoized children, whatever the shell passes on each render.
  const onSortChange = useLatestCallback(props.onSortChange);
  const onFiltersChange = useLatestCallback(props.onFiltersChange);
  // A user's selection (a click in the table, a card or the verdict) moves focus to the row's detail;
  // a selection carried into a new result does not (focusToken changes only on the former).
  const [focusToken, setFocusToken] = useState(0);
  const onSelect = useLatestCallback((index: number | null) => {
    if (index !== null) setFocusToken((t) => t + 1);
    props.onSelect(index);
  });
  // Escape in the detail returns focus to the selected row (when it is on the shown page), else to the table.
  const tableWrapRef = useRef<HTMLDivElement>(null);
  const returnToRow = useLatestCallback(() => {
    const wrap = tableWrapRef.current;
    const row = wrap?.querySelector<HTMLElement>(`tbody tr[data-row-index="${String(selectedIndex)}"]`) ?? wrap?.querySelector<HTMLElement>('tbody tr[tabindex="0"]');
    row?.focus();
    row?.scrollIntoView({ block: 'nearest' });
  });
  const onCompareChange = useLatestCallback(props.onCompareChange);
  const onApplyFixProp = props.onApplyFix;
  const applyFix = useLatestCallback(onApplyFixProp ?? (() => undefined));
  const onApplyFix = onApplyFixProp === undefined ? undefined : applyFix;

  // The compact view is the shell's when it passes both props, else this view's own (default on).
  const [ownCompact, setOwnCompact] = useState(true);
  const [visibleColumns, setVisibleColumns] = useState<readonly ResultColumnId[]>(DEFAULT_VISIBLE_COLUMNS);
  const compact = props.compact ?? ownCompact;
  const onCompactChange = useLatestCallback(props.onCompactChange ?? setOwnCompact);

  const rows = useMemo(() => selectVisibleRows(result, filters, sort), [result, filters, sort]);
  const tableRows = useMemo(() => (compact ? selectCompactRows(rows, result.best, selectedIndex) : rows), [compact, rows, result.best, selectedIndex]);
  const summary = useMemo(() => selectSummary(result), [result]);
  const selected = selectedIndex === null ? undefined : result.candidates[selectedIndex];
  // Under a request-rate load the simulated columns (p99 TTFT / ITL, replicas) join whatever the chooser shows.
  const simulated = useMemo(() => result.candidates.some((c) => c.capacity !== undefined), [result]);
  const shownColumns = useMemo(
    () => (simulated ? [...visibleColumns, ...SIMULATED_COLUMNS.filter((id) => !visibleColumns.includes(id))] : visibleColumns),
    [simulated, visibleColumns],
  );

  // Paging: back to one page when the filters or the view change (a new result keeps the length).
  const [shownRows, setShownRows] = useState(PAGE_ROWS);
  const [pagedFor, setPagedFor] = useState<{ filters: TableFilters; compact: boolean }>({ filters, compact });
  if (pagedFor.filters !== filters || pagedFor.compact !== compact) {
    setPagedFor({ filters, compact });
    setShownRows(PAGE_ROWS);
  }
  const page = useMemo(() => selectPage(tableRows, shownRows), [tableRows, shownRows]);
  const onVisibleRowsChange = props.onVisibleRowsChange;
  const visibleKeys = useMemo(() => page.rows.map((r) => candidateKey(r.candidate)).join('\n'), [page.rows]);
  useEffect(() => {
    onVisibleRowsChange?.(visibleKeys === '' ? [] : visibleKeys.split('\n'));
  }, [onVisibleRowsChange, visibleKeys]);

  // Everything drawn after the table: one deferred snapshot, so charts never mix two results.
  const later = useAfterPaint(
    useMemo(() => ({ arch, request, result, rows, compareIndices, selectedIndex }), [arch, request, result, rows, compareIndices, selectedIndex]),
  );
  const measuredCost = useMemo(
    () => selectMeasuredLatencyCostPoints(measurements ?? [], later.arch.modelId, later.rows, later.request),
    [measurements, later.arch.modelId, later.rows, later.request],
  );
  const warnings = result.warnings ?? [];
  const prices = useMemo(() => selectPrices(result, request, customGpus), [result, request, customGpus]);
  const pickPrice = result.verdict?.kind === 'pick' ? prices.get(result.verdict.pick.gpuId) : undefined;

  return (
    <section className="results-view" aria-label="Results">
      <VerdictLine verdict={result.verdict} modelId={arch.modelId} onSelect={onSelect} onApplyFix={onApplyFix} pickPrice={pickPrice} />
      {props.verdictExtra}

      <header className="results-header">
        <p>
          {summary.total} configurations for {arch.modelId}: {summary.fitting} fit, {summary.meetingSlo} meet the SLO.
        </p>
        <details className="accuracy-details">
            <summary>How accurate?</summary>
            <p className="note">
              Memory figures in GiB (2^30 bytes) as vLLM logs them{memoryEngineNote === undefined ? '' : `; they follow ${memoryEngineNote}`}. Hover a
              figure to see how it was computed.
              {errorBand === undefined
                ? ' Latency and throughput are estimates.'
                : ` Latency and throughput are estimates: ${formatErrorBand(errorBand)} against published measurements (median)${
                    errorBand.heldOut === undefined ? '.' : `; on a setup the calibration was not fitted on (each benchmark source held out in turn), ${formatErrorBand(errorBand.heldOut)}.`
                  } Costs within ±${formatPct(errorBand.throughputPct)} of each other are called a tie.`}
            </p>
          </details>
      </header>

      {warnings.length === 0 ? null : (
        <ul className="result-warnings">
          {warnings.map((warning, position) => (
            <li key={`${warning.kind}-${position}`}>{warning.message}</li>
          ))}
        </ul>
      )}

      <div className="results-overview">
        <BestPicks result={result} selectedIndex={selectedIndex} onSelect={onSelect} />
        <div className="chart-slot latency-cost-slot">
          <Suspense fallback={<p className="chart-loading">Loading chart…</p>}>
            <LatencyCostChart
              result={later.result}
              rows={later.rows}
              selectedIndex={later.selectedIndex}
              onSelect={onSelect}
              measured={measuredCost}
              errorBand={errorBand}
            />
          </Suspense>
        </div>
      </div>

      <div className="results-toolbar">
        <ResultsFilters filters={filters} onFiltersChange={onFiltersChange} compact={compact} onCompactChange={onCompactChange} />
        <ColumnChooser visible={visibleColumns} onChange={setVisibleColumns} />
        <CopyButton text={pageLink} label="Copy a link to these results (inputs, sort and selected row)" caption="Copy link" />
        <ExportButtons arch={arch} request={request} result={result} rows={tableRows} />
        {props.exportExtra}
      </div>

      <div className="results-table-wrap" ref={tableWrapRef}>
        <ResultsTable
          result={result}
          rows={page.rows}
          sort={sort}
          onSortChange={onSortChange}
          selectedIndex={selectedIndex}
          onSelect={onSelect}
          compareIndices={compareIndices}
          onCompareChange={onCompareChange}
          onApplyFix={onApplyFix}
          visibleColumns={shownColumns}
          prices={prices}
        />
        <p className="table-pager" aria-live="polite">
          {page.rows.length} of {page.total} {compact ? `rows (best layout per GPU type and count, replica copies folded; of ${rows.length} configurations)` : 'configurations'}.
          {page.hasMore ? (
            <>
              {' '}
              <button type="button" onClick={() => setShownRows(nextPageSize(shownRows))}>
                Show more
              </button>{' '}
              <button type="button" onClick={() => setShownRows(page.total)}>
                Show all
              </button>
            </>
          ) : null}
          {page.rows.length > PAGE_ROWS ? (
            <>
              {' '}
              <button type="button" onClick={() => setShownRows(PAGE_ROWS)}>
                Show fewer
              </button>
            </>
          ) : null}
        </p>
      </div>

      {selected === undefined ? (
        <p className="hint">Select a row to see its memory arithmetic and launch commands.</p>
      ) : (
        <RowDetail
          arch={arch}
          request={request}
          candidate={selected}
          measurements={measurements}
          errorBand={errorBand}
          memoryEngineNote={memoryEngineNote}
          focusToken={focusToken}
          onEscape={returnToRow}
          customGpus={customGpus}
        />
      )}

      <Suspense fallback={<p className="chart-loading">Loading chart…</p>}>
        <ConcurrencyChart
          result={later.result}
          compareIndices={later.compareIndices}
          modelId={later.arch.modelId}
          request={later.request}
          measurements={measurements}
          errorBand={errorBand}
        />
      </Suspense>


      <ReplicaTradeoff result={later.result} selectedIndex={later.selectedIndex} onSelect={onSelect} />
    </section>
  );
}

/** Memoized: the store's "computing" state keeps the previous results, which need no re-render. */
export default memo(ResultsView);
