/**
 * [disagg] "Serving shape: aggregated | disaggregated P/D" under Serving (issue 12 item 5). P/D is
 * sized for a request rate with percentile SLOs (engine/disagg): with a concurrency load the page says
 * so and offers the switch, and computes no P/D plan. Optional prefill / decode GPU types (at most
 * MAX_PAGE_DISAGG_GPUS_PER_ROLE each; default the GPU filter's set, state/disagg.ts). At a request
 * rate, the router over the aggregated rows' copies (inputs.replicaRouting, engine sim/routedRun.ts).
 */
import { useId, useMemo, useState } from 'react';
import { GPU_CATALOG } from '../../engine/catalog/gpus';
import { DISAGG_ROUTINGS, type DisaggRouting } from '../../engine/disagg/routing';
import { REPLICA_ROUTINGS } from '../../engine/types';
import { MAX_PAGE_DISAGG_GPUS_PER_ROLE } from '../../state/disagg';
import { SERVING_SHAPES, type ServingShape } from '../../state/inputs';
import { useAppStore } from '../../state/useAppStore';
import Term from '../Term';
import { DISAGG_TERMS } from '../disagg/disaggTerms';
import { REPLICA_ROUTING_LABELS } from './optionLabels';
import { SelectField } from './SelectField';

export const SERVING_SHAPE_LABELS: Readonly<Record<ServingShape, string>> = {
  aggregated: 'Aggregated',
  pd: 'Disaggregated prefill/decode (P/D)',
};

function PoolGpuPicker({ role, options }: { role: 'prefill' | 'decode'; options: readonly { id: string; name: string }[] }) {
  const id = useId();
  const field = role === 'prefill' ? 'prefillGpuIds' : 'decodeGpuIds';
  const chosen = useAppStore((s) => s.inputs[field]);
  const setInput = useAppStore((s) => s.setInput);
  const [error, setError] = useState<string | null>(null);
  const label = role === 'prefill' ? 'Prefill GPUs' : 'Decode GPUs';
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        multiple
        size={Math.min(6, Math.max(2, options.length))}
        value={chosen === null ? [] : [...chosen]}
        aria-describedby={`${id}-hint`}
        aria-invalid={error !== null}
        onChange={(e) => {
          const picked = [...e.target.selectedOptions].map((o) => o.value);
          if (picked.length > MAX_PAGE_DISAGG_GPUS_PER_ROLE) {
            setError(`At most ${MAX_PAGE_DISAGG_GPUS_PER_ROLE} GPU types per pool (every prefill × decode pair is simulated); the previous choice is kept.`);
            return;
          }
          setError(null);
          setInput(field, picked.length === 0 ? null : picked);
        }}
      >
        {options.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
      {error === null ? null : (
        <p role="alert" className="field-warning">
          {error}
        </p>
      )}
      <small id={`${id}-hint`} className="hint">
        {chosen === null ? `None chosen: the GPU filter's types (at most ${MAX_PAGE_DISAGG_GPUS_PER_ROLE}, the cheapest in the aggregated ranking).` : `${chosen.length} chosen.`}{' '}
        {chosen === null ? null : (
          <button type="button" className="link-button" onClick={() => setInput(field, null)}>
            Use the GPU filter&apos;s
          </button>
        )}
      </small>
    </div>
  );
}

const DISAGG_ROUTING_LABELS: Readonly<Record<DisaggRouting, string>> = { 'round-robin': 'Round-robin (vLLM proxy)', 'least-loaded': 'Least-loaded (≈ llm-d)' };

export function ServingShapeChoice() {
  const shape = useAppStore((s) => s.inputs.servingShape);
  const loadKind = useAppStore((s) => s.inputs.loadKind);
  const gpuIds = useAppStore((s) => s.inputs.gpuIds);
  const prefill = useAppStore((s) => s.inputs.prefillGpuIds);
  const decode = useAppStore((s) => s.inputs.decodeGpuIds);
  const routing = useAppStore((s) => s.inputs.disaggRouting);
  const replicaRouting = useAppStore((s) => s.inputs.replicaRouting);
  const customGpus = useAppStore((s) => s.customGpus);
  const setInput = useAppStore((s) => s.setInput);
  // The GPU filter's set (and any type a link already chose for a pool).
  const options = useMemo(() => {
    const keep = new Set([...(gpuIds ?? []), ...(prefill ?? []), ...(decode ?? [])]);
    return [...GPU_CATALOG, ...customGpus].filter((g) => gpuIds === null || keep.has(g.id)).map((g) => ({ id: g.id, name: g.name }));
  }, [gpuIds, prefill, decode, customGpus]);
  return (
    <fieldset className="serving-shape">
      <legend>
        Serving shape <Term entry={DISAGG_TERMS.servingShape} />
      </legend>
      <SelectField
        label="Serving shape"
        value={shape}
        options={SERVING_SHAPES}
        optionLabels={SERVING_SHAPE_LABELS}
        hint="P/D: a prefill pool and a decode pool, sized for the request rate within the percentile limits, shown beside the aggregated rows."
        onChange={(v) => setInput('servingShape', v)}
      />
      {loadKind === 'rate' ? (
        <SelectField
          label="Replica routing"
          value={replicaRouting}
          options={REPLICA_ROUTINGS}
          optionLabels={REPLICA_ROUTING_LABELS}
          hint="How a load balancer spreads the request rate over an aggregated row's copies; the copies needed are searched under it. Random: each request to a copy at random (an even Poisson split). Round-robin: request i to copy i mod n. Least-loaded: to the copy where the prompt starts first, then the one with the fewest requests in flight, by the router's own estimate — an approximation of llm-d's scorer-based router (its prefix-cache scorer is not modelled)."
          onChange={(v) => setInput('replicaRouting', v)}
        />
      ) : null}
      {shape === 'pd' && loadKind !== 'rate' ? (
        <div role="alert" className="field-warning">
          <p>
            P/D is sized for a request rate with percentile latency limits; the load is a concurrency, so no P/D plan is computed.
          </p>
          <button type="button" onClick={() => setInput('loadKind', 'rate')}>
            Use a request rate
          </button>
        </div>
      ) : null}
      {shape === 'pd' ? (
        <>
          <PoolGpuPicker role="prefill" options={options} />
          <PoolGpuPicker role="decode" options={options} />
          <SelectField
            label="Routing"
            value={routing}
            options={DISAGG_ROUTINGS}
            optionLabels={DISAGG_ROUTING_LABELS}
            hint="How the proxy picks each pool's replica. Round-robin is vLLM's P/D proxy. Least-loaded sends a prompt to the prefill replica whose queue empties first and a decode to the replica with the fewest requests: closest to llm-d's scorer-based router (its prefix-cache scorer is not modelled)."
            onChange={(v) => setInput('disaggRouting', v)}
          />
        </>
      ) : null}
    </fieldset>
  );
}
