/**
 * What the engine read from the model's config: parameters (total, active), layers, attention
 * kind(s), KV bytes per token, context length, quantization, and every assumption it made.
 * Formatting only; the figures come from the engine's ModelArch and a single-GPU memory plan.
 */
import { singleGpuKvFigures, summarizeMixers, visibleView } from '../../state/selectors';
import { useAppStore } from '../../state/useAppStore';
import { DASH, formatBytes, formatCount, formatParams } from '../format';

const PARAM_SOURCE_TEXT = { safetensors: "the Hub's safetensors metadata", config: 'counted from config.json' } as const;

export function ModelSummary() {
  const view = useAppStore((s) => visibleView(s.results));
  if (view === null) return null;
  const { arch } = view;
  const kv = singleGpuKvFigures(view.result.candidates);
  const mixers = summarizeMixers(arch);

  return (
    <section className="model-summary" aria-label="Model summary">
      <h2>
        <span className="model-id">{arch.modelId}</span>
      </h2>
      <dl>
        <dt>Parameters</dt>
        <dd>
          {formatParams(arch.params.total)} total, {formatParams(arch.params.activePerToken)} active per token{' '}
          <small className="muted">({PARAM_SOURCE_TEXT[arch.paramSource]})</small>
        </dd>
        <dt>Architecture</dt>
        <dd>
          {arch.architecture} ({arch.modelType}), {formatCount(arch.numLayers)} layers
        </dd>
        <dt>Attention</dt>
        <dd>
          <ul className="plain">
            {mixers.map((m) => (
              <li key={m.label}>
                {m.label} × {formatCount(m.numLayers)} layers
              </li>
            ))}
          </ul>
        </dd>
        <dt>KV cache per token</dt>
        <dd>
          {kv === null ? DASH : formatBytes(kv.kvBytesPerToken)}
          {kv !== null && kv.stateBytesPerRequest > 0 ? ` + ${formatBytes(kv.stateBytesPerRequest)} state per request` : ''}
          <small className="muted"> (whole model, one GPU, chosen KV dtype)</small>
        </dd>
        <dt>Context length</dt>
        <dd>{formatCount(arch.maxPositionTokens)} tokens</dd>
        <dt>Weights</dt>
        <dd>
          {arch.quantization.label} <small className="muted">(checkpoint dtype {arch.checkpointDtype})</small>
        </dd>
      </dl>
      {arch.assumptions.length > 0 ? (
        <details className="assumptions">
          <summary>What the engine assumed ({arch.assumptions.length})</summary>
          <ul>
            {arch.assumptions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
