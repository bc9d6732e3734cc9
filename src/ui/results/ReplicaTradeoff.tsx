/**
 * At a fixed GPU budget, the replica-versus-TP trade-off side by side: aggregate throughput against
 * per-user latency for every way the same GPUs are split (1 × TP8, 2 × TP4, 4 × TP2, 8 × TP1).
 */
import { lazy, Suspense, memo, useMemo, useState, type ReactNode } from 'react';
import type { RecommendResult } from '../../engine/types';
import { DASH, formatConcurrency, formatMs, formatTokensPerS, formatUsd } from '../format';
import { defaultTradeoffGroup, selectTradeoff, selectTradeoffGroups } from './replicaTradeoff';

const ReplicaTradeoffChart = lazy(() => import('./ReplicaTradeoffChart'));

export interface ReplicaTradeoffProps {
  result: RecommendResult;
  selectedIndex: number | null;
  onSelect: (index: number | null) => void;
}

const orDash = (value: number | null, format: (v: number) => string): string => (value === null ? DASH : format(value));

function ReplicaTradeoff({ result, selectedIndex, onSelect }: ReplicaTradeoffProps): ReactNode {
  const groups = useMemo(() => selectTradeoffGroups(result), [result]);
  const fallback = useMemo(() => defaultTradeoffGroup(result, selectedIndex), [result, selectedIndex]);
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const groupKey = groups.some((g) => g.key === chosenKey) ? chosenKey : (fallback?.key ?? null);
  const options = useMemo(() => (groupKey === null ? [] : selectTradeoff(result, groupKey)), [result, groupKey]);

  return (
    <section className="replica-tradeoff" aria-labelledby="replica-tradeoff-title">
      <h3 id="replica-tradeoff-title">Replicas or tensor parallelism, same GPUs</h3>
      {groups.length === 0 || groupKey === null ? (
        <p>No GPU budget in these results is split more than one way. Raise the GPU budget to compare layouts.</p>
      ) : (
        <>
          <label>
            GPU budget{' '}
            <select value={groupKey} onChange={(event) => setChosenKey(event.target.value)}>
              {groups.map((g) => (
                <option key={g.key} value={g.key}>
                  {g.gpuCount} × {g.gpuId} ({g.size} layouts)
                </option>
              ))}
            </select>
          </label>
          <p className="note">More replicas serve more users in total; wider tensor parallelism serves each user faster.</p>
          <div className="table-scroll">
<table className="tradeoff-table">
            <thead>
              <tr>
                <th scope="col">Layout</th>
                <th scope="col">Replicas × GPUs each</th>
                <th scope="col">Aggregate output (tokens/s)</th>
                <th scope="col">Per-user ITL (ms)</th>
                <th scope="col">TTFT (ms)</th>
                <th scope="col">E2E (ms)</th>
                <th scope="col">Concurrency (requests)</th>
                <th scope="col">$/M output tokens (USD)</th>
                <th scope="col">Meets SLO</th>
              </tr>
            </thead>
            <tbody>
              {options.map((o) => (
                <tr key={o.index} className={o.index === selectedIndex ? 'selected' : undefined} aria-current={o.index === selectedIndex ? true : undefined}>
                  <th scope="row">
                    <button type="button" className="row-select" onClick={() => onSelect(o.index)}>
                      {o.layoutLabel}
                    </button>
                  </th>
                  <td>
                    {o.replicas} × {o.gpusPerReplica}
                  </td>
                  {o.fits ? (
                    <>
                      <td>{orDash(o.outputTokensPerS, formatTokensPerS)}</td>
                      <td>{orDash(o.itlMs, formatMs)}</td>
                      <td>{orDash(o.ttftMs, formatMs)}</td>
                      <td>{orDash(o.e2eMs, formatMs)}</td>
                      <td>{orDash(o.concurrency, formatConcurrency)}</td>
                      <td>{orDash(o.usdPerMillionOutputTokens, formatUsd)}</td>
                      <td>{o.meetsSlo ? 'Yes' : 'No'}</td>
                    </>
                  ) : (
                    <td colSpan={7}>Does not fit{o.noFitMessage === null ? '' : `: ${o.noFitMessage}`}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
</div>
          <Suspense fallback={null}>
            <ReplicaTradeoffChart options={options} />
          </Suspense>
        </>
      )}
    </section>
  );
}

export default memo(ReplicaTradeoff);
