/**
 * Under the results, with a request-rate load: the selected row's latency percentiles against the
 * rate (RateCurveChart), as the worker simulates them (capacityRunner.ts). Self-contained: reads the
 * store, draws nothing with a concurrency load or no selection.
 */
import { lazy, Suspense } from 'react';
import { candidateKey, targetLoadOf, visibleView } from '../state/selectors';
import { useAppStore } from '../state/useAppStore';
import { layoutLabel } from './results/tableRows';

const RateCurveChart = lazy(() => import('./results/RateCurveChart'));

export function RateCurvePanel() {
  const target = useAppStore((s) => targetLoadOf(s.inputs)?.ratePerS ?? null);
  const selected = useAppStore((s) => {
    const index = s.ui.selectedIndex;
    const c = index === null ? undefined : visibleView(s.results)?.result.candidates[index];
    return c === undefined ? null : candidateKey(c);
  });
  const title = useAppStore((s) => {
    const index = s.ui.selectedIndex;
    const c = index === null ? undefined : visibleView(s.results)?.result.candidates[index];
    return c === undefined ? '' : `${c.gpuId} × ${c.gpuCount}, ${layoutLabel(c.layout)}`;
  });
  const curve = useAppStore((s) => s.capacity.rateCurve);
  if (target === null || selected === null) return null;
  return (
    <section className="rate-curve-panel" aria-label="Latency against request rate">
      <h3>Latency against request rate: {title}</h3>
      {curve === null || curve.candidateKey !== selected ? (
        <p role="status" className="hint">
          Simulating latency against request rate…
        </p>
      ) : (
        <Suspense fallback={<p className="chart-loading">Loading chart…</p>}>
          <RateCurveChart points={curve.points} targetRequestsPerS={target} />
        </Suspense>
      )}
    </section>
  );
}
