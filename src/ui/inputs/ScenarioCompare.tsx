/**
 * Two saved scenarios side by side (issue 14, item 10): each one's verdict and the key figures of its
 * row, as the engine computed them when the scenario was saved. Presentational; formatting only.
 */
import type { ReactNode } from 'react';
import type { SavedScenario, ScenarioSnapshotRow } from '../../state/savedWork';
import { formatCount, formatMs, formatTokensPerS, formatUsd } from '../format';
import { layoutName } from '../results/verdictText';

const FIGURES: readonly { label: string; text: (row: ScenarioSnapshotRow) => string }[] = [
  { label: 'Configuration', text: (r) => `${formatCount(r.gpuCount)} × ${r.gpuId}` },
  { label: 'Layout', text: (r) => layoutName(r.layout) },
  { label: 'Load', text: (r) => (r.concurrency === null ? 'saturation' : `${formatCount(r.concurrency)} concurrent`) },
  { label: 'TTFT', text: (r) => formatMs(r.ttftMs) },
  { label: 'ITL', text: (r) => formatMs(r.itlMs) },
  { label: '$/M output tokens', text: (r) => formatUsd(r.usdPerMillionOutputTokens) },
  { label: 'Output tok/s', text: (r) => formatTokensPerS(r.outputTokensPerS) },
  { label: '$/hour', text: (r) => formatUsd(r.costUsdPerHour) },
];

const NOT_KEPT = 'not kept (saved before results were kept: load it and save it again)';

export function ScenarioCompare({ scenarios }: { scenarios: readonly [SavedScenario, SavedScenario] }): ReactNode {
  const cell = (s: SavedScenario, text: (snapshot: NonNullable<SavedScenario['snapshot']>) => string) =>
    s.snapshot === undefined ? '—' : text(s.snapshot);
  return (
    <div className="table-scroll">
      <table className="scenario-compare">
        <caption>Side by side, as computed when saved</caption>
        <thead>
          <tr>
            <td />
            {scenarios.map((s) => (
              <th key={s.name} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Model</th>
            {scenarios.map((s) => (
              <td key={s.name}>{cell(s, (x) => x.modelId)}</td>
            ))}
          </tr>
          <tr>
            <th scope="row">Verdict</th>
            {scenarios.map((s) => (
              <td key={s.name} className={s.snapshot === undefined ? undefined : s.snapshot.passes ? 'passes' : 'misses'}>
                {s.snapshot === undefined ? NOT_KEPT : s.snapshot.headline}
              </td>
            ))}
          </tr>
          {FIGURES.map((f) => (
            <tr key={f.label}>
              <th scope="row">{f.label}</th>
              {scenarios.map((s) => (
                <td key={s.name}>{cell(s, (x) => (x.row === null ? '—' : f.text(x.row)))}</td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row">Saved</th>
            {scenarios.map((s) => (
              <td key={s.name}>{s.savedAtIso.slice(0, 10)}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
