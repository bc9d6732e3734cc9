/**
 * One configuration in detail: how its memory was computed (explainMemoryPlan), the per-GPU memory
 * bar, what limits its decode step, ready-to-copy vLLM, SGLang, Docker and Kubernetes launch commands
 * (engine/launchCommands.ts), each with its copy button, and the published
 * measurements of the same model on the same GPU.
 */
import { lazy, memo, Suspense, useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { Bottleneck, Candidate, GpuSpec, ModelArch, RecommendRequest } from '../../engine/types';
import { GPU_CATALOG } from '../../engine/catalog/gpus';
import { resolveServing } from '../../engine/defaults';
import { explainMemoryPlan } from '../../engine/memory/explain';
import { placementNote } from '../../engine/nodes';
import { formatConcurrency, formatCount, formatErrorBand, formatJoulesPerToken, formatMs } from '../format';
import type { ErrorBandPct, PublishedMeasurementView } from './contract';
import { noFitText, perfErrorText } from './columns';
import CopyButton from './CopyButton';
import { buildLaunchCommands } from '../../engine/launchCommands';
import { candidateLabel } from './latencyCostPoints';
import { measurementsFor } from './measuredPoints';
import Term from '../Term';
import { BOTTLENECK_TERMS, PERF_FACT_TERMS } from '../glossary';

const MemoryBreakdown = lazy(() => import('./MemoryBreakdown'));

export const BOTTLENECK_LABELS: Record<Bottleneck, string> = {
  compute: 'Compute-bound: the decode step waits on matrix-multiply throughput (FLOPS).',
  memory: 'Memory-bandwidth-bound: the decode step waits on reading weights and KV cache from HBM.',
  communication: 'Communication-bound: tensor/pipeline-parallel all-reduce or send/recv dominates the step.',
  'kv-capacity': 'KV-capacity-bound: the KV pool caps how many requests run at once.',
};

export interface RowDetailProps {
  arch: ModelArch;
  request: RecommendRequest;
  candidate: Candidate;
  measurements?: readonly PublishedMeasurementView[];
  errorBand?: ErrorBandPct;
  /** Changes when the user selects a row: the detail then takes focus (and scrolls into view). */
  focusToken?: number;
  memoryEngineNote?: string;
  customGpus?: readonly GpuSpec[];
  /** Escape inside the detail: focus goes back to where the user came from (the table's row). */
  onEscape?: () => void;
}

function RowDetail({ arch, request, candidate, measurements, errorBand, memoryEngineNote, customGpus, focusToken, onEscape }: RowDetailProps): ReactNode {
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focusToken === undefined || focusToken === 0) return;
    sectionRef.current?.focus();
  }, [focusToken]);
  const commands = useMemo(() => {
    const gpu = [...GPU_CATALOG, ...(customGpus ?? [])].find((g) => g.id === candidate.gpuId);
    // The limits the estimate ran with on this GPU (vLLM's per-GPU defaults where the user set none).
    const serving = gpu === undefined ? request.serving : resolveServing(request.serving, gpu);
    return buildLaunchCommands(arch, candidate, serving, gpu?.vendor ?? 'nvidia');
  }, [arch, candidate, request.serving, customGpus]);
  const published = useMemo(
    () => measurementsFor(measurements ?? [], arch.modelId, candidate.gpuId),
    [measurements, arch.modelId, candidate.gpuId],
  );
  const { memory, perf } = candidate;

  return (
    <section className="row-detail" aria-label={`Details of ${candidateLabel(candidate)}`} ref={sectionRef}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || onEscape === undefined) return;
        event.preventDefault();
        onEscape();
      }}
    >
      <h3>{candidateLabel(candidate)}</h3>
      <p className={memory.fits ? 'status fits' : 'status no-fit'}>
        {memory.fits ? 'Fits.' : `Does not fit: ${noFitText(memory)}`}
        {memory.fits && memory.message !== null ? ` ${memory.message}` : ''}
        {memory.fits ? (candidate.meetsSlo ? ' Meets the SLO.' : ' Misses the SLO.') : ''}
      </p>
      {candidate.placement === undefined || placementNote(candidate.placement) === null ? null : (
        <p className="note">{placementNote(candidate.placement)}</p>
      )}

      <h4>Memory per GPU, step by step</h4>
      {memoryEngineNote === undefined ? null : <p className="note">Follows {memoryEngineNote}.</p>}
      <ol className="explain">
        {explainMemoryPlan(memory).map((line, position) => (
          <li key={position}>{line}</li>
        ))}
      </ol>
      <Suspense fallback={<p>Loading memory chart…</p>}>
        <MemoryBreakdown memory={memory} />
      </Suspense>

      {perf === null ? null : perf.perfError !== null ? (
        <p role="alert">{perfErrorText(perf.perfError)}</p>
      ) : (
        <>
          <h4>What limits it</h4>
          <p>
            {BOTTLENECK_LABELS[perf.bottleneck]}
            <Term entry={BOTTLENECK_TERMS[perf.bottleneck]} />
          </p>
          <dl className="perf-facts">
            <dt>
              Decode step
              <Term entry={PERF_FACT_TERMS.decodeStep} />
            </dt>
            <dd>
              compute {formatMs(perf.decodeStep.computeMs)} · memory {formatMs(perf.decodeStep.memoryMs)} · communication{' '}
              {formatMs(perf.decodeStep.communicationMs)} · overhead {formatMs(perf.decodeStep.overheadMs)}
            </dd>
            <dt>
              Prefill
              <Term entry={PERF_FACT_TERMS.prefill} />
            </dt>
            <dd>{formatMs(perf.prefillMs)}</dd>
            <dt>
              Queueing
              <Term entry={PERF_FACT_TERMS.queueing} />
            </dt>
            <dd>{formatMs(perf.queueMs)}</dd>
            <dt>
              Requests in flight
              <Term entry={PERF_FACT_TERMS.requestsInFlight} />
            </dt>
            <dd>{formatConcurrency(perf.effectiveConcurrency)}</dd>
            <dt>
              Energy
              <Term entry={PERF_FACT_TERMS.energy} />
            </dt>
            <dd>{formatJoulesPerToken(perf.joulesPerOutputToken)}</dd>
          </dl>
          {errorBand === undefined ? null : (
            <p className="note">
              Estimates against published measurements (median): {formatErrorBand(errorBand)}
              {errorBand.heldOut === undefined ? '.' : `; on setups held out of the fit: ${formatErrorBand(errorBand.heldOut)}.`}
            </p>
          )}
        </>
      )}

      <h4>Launch commands</h4>
      <LaunchCommand title="vLLM" text={commands.vllm} />
      <LaunchCommand title="SGLang" text={commands.sglang} />
      <LaunchCommand title={commands.image === 'rocm' ? 'Docker (vLLM ROCm image, AMD)' : 'Docker (vLLM CUDA image)'} text={commands.docker} />
      {commands.kubernetes === null ? null : <LaunchCommand title="Kubernetes (Deployment + Service)" text={commands.kubernetes} />}
      <ul className="notes">
        {commands.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>

      <h4>Published measurements ({arch.modelId} on {candidate.gpuId})</h4>
      {published.length === 0 ? (
        <p>None in the bundled calibration data.</p>
      ) : (
        <div className="table-scroll">
<table className="measurements">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Value</th>
              <th scope="col">TP</th>
              <th scope="col">Input / output tokens</th>
              <th scope="col">Concurrency</th>
              <th scope="col">Precision</th>
              <th scope="col">Engine</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {published.map((m, position) => (
              <tr key={position}>
                <td>{m.metric}</td>
                <td>
                  {m.value} {m.unit}
                </td>
                <td>{m.tp}</td>
                <td>
                  {formatCount(m.inputTokens)} / {formatCount(m.outputTokens)}
                </td>
                <td>{m.concurrency === 'max' ? 'offline (all at once)' : m.concurrency}</td>
                <td>{m.precision}</td>
                <td>{m.engine}</td>
                <td>{m.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
</div>
      )}
    </section>
  );
}

export default memo(RowDetail);

function LaunchCommand({ title, text }: { title: string; text: string }): ReactNode {
  return (
    <div className="launch-command">
      <div className="launch-command-header">
        <span>{title}</span>
        <CopyButton text={text} label={`Copy ${title} command`} />
      </div>
      <pre>
        <code>{text}</code>
      </pre>
    </div>
  );
}
