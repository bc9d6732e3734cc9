/**
 * The main column: the engine's state (computing, config error with Retry for a Hub config,
 * failure) and the results views, fed from the store through ResultsViewProps (src/ui/results/contract.ts).
 */
import { rejectedConfigOrigin, resultWithCapacity, targetLoadOf, visibleView } from '../state/selectors';
import { RateCurvePanel } from './RateCurvePanel';
import { useAppStore } from '../state/useAppStore';
import { describeComputeFailure, describeConfigError } from './errorMessages';
import ResultsView from './results/ResultsView';
import { formatMs } from './format';
import { MEASUREMENTS } from '../engine/catalog/measurements';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { HELD_OUT_ERROR_PCT, VALIDATION_ERROR_PCT } from '../engine/calibration';
import type { PublishedMeasurementView, ResultsViewProps } from './results/contract';
import { lazy, Suspense, useCallback, useMemo } from 'react';
import DisaggVerdictLine from './disagg/DisaggVerdictLine';
import DisaggExportNote from './disagg/DisaggExportNote';

const DisaggSection = lazy(() => import('./disagg/DisaggSection'));
/** One element for ResultsView's verdict slot (stable, so its memo holds): it reads the store itself. */
const DISAGG_VERDICT = <DisaggVerdictLine />;
/** Beside the main export buttons: says the P/D rows are in the P/D downloads (stable, as above). */
const DISAGG_EXPORT_NOTE = <DisaggExportNote />;

/** The ± band the results quote: in-sample medians of the validation, and the held-out ones. */
const ERROR_BAND = { ...VALIDATION_ERROR_PCT, heldOut: HELD_OUT_ERROR_PCT };

/** Published closed-loop and offline measurements (open-loop rate runs have no concurrency to plot). */
const MEASURED: readonly PublishedMeasurementView[] = MEASUREMENTS.flatMap((m) =>
  m.concurrency === null ? [] : [{ ...m, engine: m.engineLabel, concurrency: m.concurrency }],
);

/** The memory planner follows vLLM's V1 start-up accounting (src/engine/memory/planMemory.ts). */
const MEMORY_ENGINE_NOTE = "vLLM 0.19+ (V1 engine) start-up memory accounting";

function ComputedResults() {
  const view = useAppStore((s) => visibleView(s.results));
  const sort = useAppStore((s) => s.inputs.sort);
  const filters = useAppStore((s) => s.inputs.filters);
  const selectedIndex = useAppStore((s) => s.ui.selectedIndex);
  const compareIndices = useAppStore((s) => s.ui.compareIndices);
  const setInput = useAppStore((s) => s.setInput);
  const select = useAppStore((s) => s.select);
  const setCompare = useAppStore((s) => s.setCompare);
  const customGpus = useAppStore((s) => s.customGpus);
  // Stable callbacks: ResultsView is memoized, so an input change (the store's "computing" state
  // with the previous results) does not re-render the table before the new results arrive.
  const onSortChange = useCallback((next: ResultsViewProps['sort']) => setInput('sort', next), [setInput]);
  const onFiltersChange = useCallback((next: ResultsViewProps['filters']) => setInput('filters', next), [setInput]);
  // Issue 10: the simulated figures at the target rate, on the rows as the worker fills them in.
  const capacity = useAppStore((s) => s.capacity);
  const visibleRowKeys = useAppStore((s) => s.ui.visibleRowKeys);
  const setVisibleRowKeys = useAppStore((s) => s.setVisibleRowKeys);
  const inputs = useAppStore((s) => s.inputs);
  const target = useMemo(() => targetLoadOf(inputs), [inputs]);
  const gpus = useMemo(() => [...GPU_CATALOG, ...customGpus], [customGpus]);
  const result = useMemo(
    () => (view === null ? null : resultWithCapacity(view.result, capacity, visibleRowKeys, target, view.request, gpus)),
    [view, capacity, visibleRowKeys, target, gpus],
  );
  const onApplyFix = useAppStore((s) => s.applyFix);
  const servingShape = useAppStore((s) => s.inputs.servingShape);
  if (view === null || result === null) return null;
  return (
    <>
      <ResultsView
        arch={view.arch}
        request={view.request}
        result={result}
        onVisibleRowsChange={setVisibleRowKeys}
        sort={sort}
        onSortChange={onSortChange}
        filters={filters}
        onFiltersChange={onFiltersChange}
        selectedIndex={selectedIndex}
        onSelect={select}
        compareIndices={compareIndices}
        onCompareChange={setCompare}
        memoryEngineNote={MEMORY_ENGINE_NOTE}
        customGpus={customGpus}
        measurements={MEASURED}
        errorBand={ERROR_BAND}
        onApplyFix={onApplyFix}
        verdictExtra={DISAGG_VERDICT}
        exportExtra={DISAGG_EXPORT_NOTE}
      />
      <p className="muted compute-time">Computed in {formatMs(view.computeMs)} (in a Web Worker).</p>
      <RateCurvePanel />
      {servingShape === 'pd' ? (
        <Suspense fallback={<p className="chart-loading">Loading P/D…</p>}>
          <DisaggSection candidates={result.candidates} modelId={view.arch.modelId} />
        </Suspense>
      ) : null}
    </>
  );
}

export function ResultsPane() {
  const results = useAppStore((s) => s.results);
  const modelStatus = useAppStore((s) => s.model.status);
  const rejectedOrigin = useAppStore(rejectedConfigOrigin);
  const retryModel = useAppStore((s) => s.retryModel);

  let status: React.ReactNode = null;
  if (results.status === 'computing') {
    status = (
      <p role="status" className="computing">
        Computing…
      </p>
    );
  } else if (results.status === 'config-error') {
    const message = describeConfigError(results.error, rejectedOrigin);
    status = (
      <div role="alert" className="error-box">
        <p>
          {message.field !== null ? (
            <>
              Config field <code>{message.field}</code>:{' '}
            </>
          ) : null}
          {message.text}
        </p>
        {message.retryable ? (
          <button type="button" onClick={retryModel}>
            Retry
          </button>
        ) : null}
      </div>
    );
  } else if (results.status === 'failed') {
    status = (
      <div role="alert" className="error-box">
        <p>{describeComputeFailure(results.message).text}</p>
      </div>
    );
  } else if (results.status === 'idle' && modelStatus !== 'ready') {
    status = <p className="muted">Results appear once the model is loaded.</p>;
  }

  return (
    <section className="results-pane" aria-busy={results.status === 'computing'}>
      <div className="results-status">{status}</div>
      <ComputedResults />
    </section>
  );
}
