/**
 * The results area: filters and exports, the recommendation table, the latency-vs-cost and
 * concurrency charts, the selected row's detail and the replica-vs-TP trade-off. Presentational:
 * everything arrives in ResultsViewProps; the app shell owns the state. Charts load lazily so the
 * first paint does not wait for recharts.
 */
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { formatPct } from '../format';
import type { ResultsViewProps } from './contract';
import ExportButtons from './ExportButtons';
import ReplicaTradeoff from './ReplicaTradeoff';
import ResultsFilters from './ResultsFilters';
import ResultsTable from './ResultsTable';
import RowDetail from './RowDetail';
import { selectMeasuredLatencyCostPoints } from './latencyCostPoints';
import { selectGpuIds, selectSummary, selectVisibleRows } from './tableRows';
import './results.css';

const LatencyCostChart = lazy(() => import('./LatencyCostChart'));
/** Rows drawn at first: a model yields hundreds of configurations; drawing them all blocks the main thread. */
const PAGE_ROWS = 25;
const ConcurrencyChart = lazy(() => import('./ConcurrencyChart'));

export default function ResultsView(props: ResultsViewProps): ReactNode {
  const { arch, request, result, sort, onSortChange, filters, onFiltersChange, selectedIndex, onSelect, compareIndices, onCompareChange } = props;
  const { measurements, errorBand, memoryEngineNote } = props;

  const rows = useMemo(() => selectVisibleRows(result, filters, sort), [result, filters, sort]);
  const gpuIds = useMemo(() => selectGpuIds(result), [result]);
  const summary = useMemo(() => selectSummary(result), [result]);
  const measuredCost = useMemo(
    () => selectMeasuredLatencyCostPoints(measurements ?? [], arch.modelId, rows, request),
    [measurements, arch.modelId, rows, request],
  );
  const selected = selectedIndex === null ? undefined : result.candidates[selectedIndex];
  const [shownRows, setShownRows] = useState(PAGE_ROWS);
  const pageRows = useMemo(() => rows.slice(0, shownRows), [rows, shownRows]);

  return (
    <section className="results-view" aria-label="Results">
      <header className="results-header">
        <p>
          {summary.total} configurations for {arch.modelId}: {summary.fitting} fit, {summary.meetingSlo} meet the SLO.
        </p>
        <p className="note">
          Memory figures in GiB (2^30 bytes) as vLLM logs them{memoryEngineNote === undefined ? '' : `; they follow ${memoryEngineNote}`}. Hover a
          figure to see how it was computed.
          {errorBand === undefined
            ? ' Latency and throughput are estimates.'
            : ` Latency and throughput are estimates: TTFT ±${formatPct(errorBand.ttftPct)}, ITL ±${formatPct(errorBand.itlPct)}, throughput ±${formatPct(errorBand.throughputPct)} against published measurements.`}
        </p>
      </header>

      <div className="results-toolbar">
        <ResultsFilters filters={filters} onFiltersChange={onFiltersChange} gpuIds={gpuIds} />
        <ExportButtons arch={arch} request={request} result={result} rows={rows} />
      </div>

      <div className="results-table-wrap">
        <ResultsTable
          result={result}
          rows={pageRows}
          sort={sort}
          onSortChange={onSortChange}
          selectedIndex={selectedIndex}
          onSelect={onSelect}
          compareIndices={compareIndices}
          onCompareChange={onCompareChange}
        />
        <p className="table-pager" aria-live="polite">
          Showing {pageRows.length} of {rows.length} configurations.
          {pageRows.length < rows.length && (
            <>
              {' '}
              <button type="button" onClick={() => setShownRows(shownRows + PAGE_ROWS)}>
                Show more
              </button>{' '}
              <button type="button" onClick={() => setShownRows(rows.length)}>
                Show all
              </button>
            </>
          )}
        </p>
      </div>

      <Suspense fallback={<p className="chart-loading">Loading charts…</p>}>
        <div className="results-charts">
          <LatencyCostChart result={result} rows={rows} selectedIndex={selectedIndex} onSelect={onSelect} measured={measuredCost} errorBand={errorBand} />
          <ConcurrencyChart
            result={result}
            compareIndices={compareIndices}
            modelId={arch.modelId}
            request={request}
            measurements={measurements}
            errorBand={errorBand}
          />
        </div>
      </Suspense>

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
        />
      )}

      <ReplicaTradeoff result={result} selectedIndex={selectedIndex} onSelect={onSelect} />
    </section>
  );
}
