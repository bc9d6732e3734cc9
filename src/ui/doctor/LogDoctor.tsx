/**
 * The start-up-log doctor: paste a vLLM start-up log, see each figure it printed beside the plan of
 * the same setup and the setting that explains a gap (engine/startupLog). Formatting only: parsing,
 * the plan and the comparison are the engine's. One plan of one configuration takes a few ms, so it
 * runs here rather than through the worker. The log never leaves the page.
 */
import { useId, useMemo, useState } from 'react';
import { GPU_CATALOG } from '../../engine/catalog/gpus';
import { createEngineSession } from '../../engine/session';
import type { DoctorRow } from '../../engine/startupLog/diagnose';
import { runLogDoctor } from '../../engine/startupLog/diagnose';
import { visibleView } from '../../state/selectors';
import { useAppStore } from '../../state/useAppStore';
import { formatConcurrency, formatCount, formatPct, gibNumber } from '../format';

function formatFigure(r: DoctorRow, value: number): string {
  switch (r.unit) {
    case 'bytes':
      // Two decimals, as vLLM prints GiB (format_gib).
      return `${gibNumber(value)} GiB`;
    case 'tokens':
      return `${formatCount(value)} tokens`;
    case 'blocks':
      return `${formatCount(value)} blocks`;
    case 'requests':
      return `${formatConcurrency(value)}×`;
  }
}

const signedPct = (pct: number): string => `${pct > 0 ? '+' : pct < 0 ? '−' : ''}${formatPct(Math.abs(pct))}`;

export function LogDoctor() {
  const view = useAppStore((s) => visibleView(s.results));
  const customGpus = useAppStore((s) => s.customGpus);
  const setInput = useAppStore((s) => s.setInput);
  const [text, setText] = useState('');
  const [gpuId, setGpuId] = useState<string | null>(null);
  const textId = useId();
  const gpuSelectId = useId();
  const arch = view?.arch ?? null;
  const session = useMemo(() => (arch === null ? null : createEngineSession(arch)), [arch]);
  const gpus = useMemo(() => [...GPU_CATALOG, ...customGpus], [customGpus]);
  const outcome = useMemo(
    () => (session === null || text.trim() === '' ? null : runLogDoctor(text, session.arch, gpus, gpuId, session.plan)),
    [session, text, gpus, gpuId],
  );
  const diagnosis = outcome?.diagnosis ?? null;
  const loggedModel = outcome?.log.modelId ?? null;
  const otherModel = loggedModel !== null && arch !== null && loggedModel.toLowerCase() !== arch.modelId.toLowerCase();

  return (
    <details className="log-doctor">
      <summary>
        <h2>Check a vLLM start-up log</h2>
      </summary>
      <p className="muted">
        Paste the log of a <code>vllm serve</code> start (INFO or DEBUG level). The page reads its setup and memory lines, plans the same setup
        and shows each logged figure beside the plan. The log stays in this page.
      </p>
      <label htmlFor={textId}>vLLM start-up log</label>
      <textarea id={textId} className="log-doctor-input" rows={6} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      {outcome !== null && diagnosis === null ? <p role="status">No vLLM start-up lines found in this text.</p> : null}
      {otherModel && loggedModel !== null ? (
        <p role="status" className="log-doctor-model">
          This log ran <strong>{loggedModel}</strong>.{' '}
          <button type="button" onClick={() => setInput('modelId', loggedModel)}>
            Load {loggedModel}
          </button>
        </p>
      ) : null}
      {diagnosis !== null ? (
        <>
          <div className="log-doctor-setup">
            <label htmlFor={gpuSelectId}>GPU the log ran on</label>{' '}
            <select id={gpuSelectId} value={diagnosis.setup.gpu.id} onChange={(e) => setGpuId(e.target.value)}>
              {gpus.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                  {outcome?.gpuCandidates.some((c) => c.id === g.id) === true ? ' (matches the log)' : ''}
                </option>
              ))}
            </select>{' '}
            <span className="muted">
              TP{diagnosis.setup.layout.tp} · PP{diagnosis.setup.layout.pp} · max_model_len {formatCount(diagnosis.setup.serving.maxModelLenTokens)} · utilization{' '}
              {diagnosis.setup.serving.gpuMemoryUtilization} · KV {diagnosis.setup.serving.kvCacheDtype} · vLLM {outcome?.log.vllmVersion ?? 'version not logged'}
            </span>
          </div>
          {diagnosis.rows.length > 0 ? (
            <div className="table-scroll">
              <table className="log-doctor-table" aria-label="Logged figures beside the plan">
                <thead>
                  <tr>
                    <th scope="col">Figure</th>
                    <th scope="col">Log</th>
                    <th scope="col">Plan</th>
                    <th scope="col">Gap</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {diagnosis.rows.map((r) => (
                    <tr key={r.subject} className={r.matches ? 'doctor-match' : 'doctor-gap'}>
                      <th scope="row">{r.label}</th>
                      <td>{formatFigure(r, r.logged)}</td>
                      <td>{formatFigure(r, r.planned)}</td>
                      <td>{signedPct(r.gapPct)}</td>
                      <td>{r.matches ? 'matches' : r.explanation}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {diagnosis.notes.length > 0 ? (
            <ul className="log-doctor-notes">
              {diagnosis.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </details>
  );
}
