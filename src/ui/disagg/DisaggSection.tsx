/**
 * [disagg] The P/D results (issue 12 item 5), below the aggregated table when P/D is chosen: the
 * progress as the worker sizes each GPU pair (state/disaggRunner.ts), what the P/D pools leave out,
 * the P/D candidates table, the cost vs TTFT chart of both shapes, the selected row's launch commands
 * and the P/D exports. Self-contained: reads the store; `candidates` are the aggregated rows with their
 * simulated plans (ResultsPane's resultWithCapacity), for the chart.
 */
import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import type { Candidate } from '../../engine/types';
import { useAppStore } from '../../state/useAppStore';
import { formatCount, formatRequestsPerS } from '../format';
import { exportFileName } from '../results/exportData';
import { selectDisaggChart } from './disaggChartPoints';
import { toDisaggCsv, toDisaggJson } from './disaggExport';
import { DISAGG_EXPORT_ID, DISAGG_SECTION_ID } from './DisaggExportNote';
import DisaggLaunch from './DisaggLaunch';
import DisaggTable from './DisaggTable';
import { useDisagg } from './useDisagg';
import './disagg.css';
import { downloadText } from '../download';

const DisaggCostChart = lazy(() => import('./DisaggCostChart'));

const SOURCE_TEXT = {
  chosen: 'chosen',
  filter: "the GPU filter's",
  ranking: 'the cheapest in the aggregated ranking',
} as const;

export default function DisaggSection({ candidates, modelId }: { candidates: readonly Candidate[]; modelId: string }): ReactNode {
  const { ask, rows, verdict, state } = useDisagg();
  const selectedKey = useAppStore((s) => s.inputs.selectedDisaggPair);
  const setInput = useAppStore((s) => s.setInput);
  const percentile = ask.status === 'ready' ? ask.target.slo.percentile : 99;
  const chart = useMemo(() => selectDisaggChart(rows, candidates, percentile), [rows, candidates, percentile]);
  if (ask.status === 'off') return null;
  if (ask.status !== 'ready') {
    return (
      <section className="disagg-section" aria-label="Disaggregated prefill/decode" id={DISAGG_SECTION_ID} tabIndex={-1}>
        <h3>Disaggregated prefill/decode (P/D)</h3>
        <p role="status" className="hint">
          {ask.status === 'needs-rate' ? 'P/D is sized for a request rate with percentile latency limits: set Load to a request rate.' : 'Waiting for the aggregated results…'}
        </p>
      </section>
    );
  }
  const done = rows.length + Object.keys(state.failed).length >= ask.pairs.length;
  const simulating = ask.pairs.find((p) => p.key === state.simulating);
  const selected = rows.find((r) => `${r.prefillGpuId}>${r.decodeGpuId}` === selectedKey);
  const selectPair = (key: string | null): void => setInput('selectedDisaggPair', key);
  const gpuNote = (role: string, ids: readonly string[], source: keyof typeof SOURCE_TEXT): string => `${role}: ${ids.join(', ')} (${SOURCE_TEXT[source]})`;
  return (
    <section className="disagg-section" aria-label="Disaggregated prefill/decode" id={DISAGG_SECTION_ID} tabIndex={-1}>
      <h3>Disaggregated prefill/decode (P/D) at {formatRequestsPerS(ask.target.ratePerS)}</h3>
      <p className="note">
        {gpuNote('Prefill GPUs', ask.prefillGpuIds, ask.prefillSource)}; {gpuNote('decode GPUs', ask.decodeGpuIds, ask.decodeSource)}
        {ask.prefillSource === 'ranking' || ask.decodeSource === 'ranking'
          ? `. The GPU filter has ${formatCount(ask.filterGpuCount)} types; every prefill × decode pair is simulated (up to about a second each), so a pool pairs at most 4: choose them under Serving shape.`
          : '.'}{' '}
        Pools: TP 1–8 within one NVLink domain, and for MoE models DP 2/4/8 with expert parallelism; no PP (an approximation: models that need it are left to the CLI's estimate --disagg).
      </p>
      {ask.ignored.length === 0 ? null : (
        <p role="note" className="field-warning">
          Left out of the P/D plans (the aggregated rows include them): {ask.ignored.join('; ')}.
        </p>
      )}
      <p role="status" className="hint disagg-progress">
        {done
          ? `${formatCount(rows.length)} of ${formatCount(ask.pairs.length)} GPU pairs simulated.`
          : `Simulating GPU pair ${formatCount(rows.length + 1)} of ${formatCount(ask.pairs.length)}${simulating === undefined ? '' : ` (${simulating.prefillGpuId} → ${simulating.decodeGpuId})`}…`}
        {Object.entries(state.failed).map(([key, message]) => ` ${key} failed: ${message}.`)}
      </p>
      {rows.length === 0 ? null : (
        <>
          <DisaggTable rows={rows} percentile={percentile} maxGpus={ask.request.maxGpus} selectedKey={selectedKey} onSelect={selectPair} />
          <div className="export-buttons" role="group" aria-label="Export P/D" id={DISAGG_EXPORT_ID}>
            <button type="button" onClick={() => downloadText(toDisaggCsv(rows), exportFileName(modelId, 'csv').replace(/\.csv$/, '-pd.csv'), 'text/csv;charset=utf-8')}>
              Download P/D CSV ({rows.length} rows)
            </button>
            {verdict === null ? null : (
              <button type="button" onClick={() => downloadText(toDisaggJson({ modelId, target: ask.target, rows, verdict }), exportFileName(modelId, 'json').replace(/\.json$/, '-pd.json'), 'application/json')}>
                Download P/D JSON
              </button>
            )}
          </div>
        </>
      )}
      <div className="chart-slot disagg-chart-slot">
        <Suspense fallback={<p className="chart-loading">Loading chart…</p>}>
          <DisaggCostChart chart={chart} ttftLimitMs={ask.target.slo.maxTtftMs} onSelectPair={selectPair} />
        </Suspense>
      </div>
      {selected === undefined ? <p className="hint">Select a P/D row to see its launch commands.</p> : <DisaggLaunch row={selected} />}
    </section>
  );
}
