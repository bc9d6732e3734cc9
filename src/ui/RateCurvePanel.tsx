/**
 * Under the results, with a request-rate load: the selected row's latency percentiles against the
 * rate (RateCurveChart), as the worker simulates them (capacityRunner.ts). Self-contained: reads the
 * store, draws nothing with a concurrency load or no selection. A row of several engine replicas
 * (dp) says which router its curve ran behind (the plan's: Serving shape → Replica routing).
 */
import { lazy, Suspense } from 'react';
import { candidateKey, targetLoadOf, visibleView } from '../state/selectors';
import { useAppStore } from '../state/useAppStore';
import { REPLICA_ROUTING_LABELS } from './inputs/optionLabels';
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
  const routingNote = useAppStore((s) => {
    const index = s.ui.selectedIndex;
    const c = index === null ? undefined : visibleView(s.results)?.result.candidates[index];
    if (c === undefined || c.layout.dp <= 1) return null;
    const routing = targetLoadOf(s.inputs)?.routing ?? 'random';
    return routing === 'random'
      ? `Its ${c.layout.dp} engine replicas each take 1 request in ${c.layout.dp}, at random (Replica routing: ${REPLICA_ROUTING_LABELS.random}).`
      : `Its ${c.layout.dp} engine replicas run behind one router (Replica routing: ${REPLICA_ROUTING_LABELS[routing]}), as the plan runs them.`;
  });
  const curve = useAppStore((s) => s.capacity.rateCurve);
  if (target === null || selected === null) return null;
  return (
    <section className="rate-curve-panel" aria-label="Latency against request rate">
      <h3>Latency against request rate: {title}</h3>
      {routingNote === null ? null : <p className="hint">{routingNote}</p>}
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
