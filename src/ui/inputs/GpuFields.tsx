/** GPU budget, which GPU types (catalog and custom) to consider, and per-GPU price overrides. */
import { GPU_CATALOG, GPU_IDS } from '../../engine/catalog/gpus';
import type { GpuSpec } from '../../engine/types';
import { gpuIdsWithCustom } from '../../state/customGpus';
import { ok } from '../../engine/result';
import { isGpuConsidered, withGpuConsidered, withPriceOverride } from '../../state/gpuSelection';
import { parseMaxGpus, parsePriceUsdPerHour, type Parsed } from '../../state/inputRules';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';
import { formatUsd } from '../format';
import { ParsedField } from './ParsedField';

/** Empty = back to the catalog's reference price. */
function parsePriceOverride(text: string): Parsed<number | null> {
  return text.trim() === '' ? ok(null) : parsePriceUsdPerHour(text);
}

function GpuRow({ gpu }: { gpu: GpuSpec }) {
  const considered = useAppStore((s) => isGpuConsidered(s.inputs.gpuIds, gpu.id));
  const price = useAppStore((s) => s.inputs.priceOverridesUsdPerHour[gpu.id] ?? null);
  const api = useAppStoreApi();
  const onToggle = (checked: boolean): void => {
    const { inputs, setInput, customGpus } = api.getState();
    setInput('gpuIds', withGpuConsidered(inputs.gpuIds, gpu.id, checked, gpuIdsWithCustom(GPU_IDS, customGpus)));
  };
  const onPrice = (priceUsdPerHour: number | null): void => {
    const { inputs, setInput } = api.getState();
    setInput('priceOverridesUsdPerHour', withPriceOverride(inputs.priceOverridesUsdPerHour, gpu.id, priceUsdPerHour));
  };
  return (
    <li className="gpu-row">
      <label className="check">
        <input type="checkbox" checked={considered} onChange={(e) => onToggle(e.target.checked)} />
        <span title={gpu.name}>{gpu.id}</span>
      </label>
      <ParsedField
        className="compact"
        label={`${gpu.id} price, USD per GPU-hour`}
        value={price}
        parse={parsePriceOverride}
        placeholder={formatUsd(gpu.priceUsdPerHour)}
        inputMode="decimal"
        onCommit={onPrice}
      />
    </li>
  );
}

export function GpuFields() {
  const maxGpus = useAppStore((s) => s.inputs.maxGpus);
  const setInput = useAppStore((s) => s.setInput);
  const customGpus = useAppStore((s) => s.customGpus);
  return (
    <fieldset>
      <legend>Hardware</legend>
      <ParsedField label="Max GPUs per configuration" hint="All replicas together (TP × PP × DP), up to 64 here (the CLI plans more); beyond one node (8 GPUs, 72 on NVL72) layouts span nodes." value={maxGpus} parse={parseMaxGpus} onCommit={(v) => setInput('maxGpus', v)} />
      <details className="gpu-types">
        <summary>GPU types and prices</summary>
        <div className="row-buttons">
          <button type="button" onClick={() => setInput('gpuIds', null)}>
            All GPU types
          </button>
          <button type="button" onClick={() => setInput('gpuIds', [])}>
            None
          </button>
        </div>
        <p className="hint">Prices: USD per GPU-hour; empty = the catalog's on-demand reference price (shown greyed).</p>
        <ul className="gpu-list" aria-label="GPU types considered">
          {[...GPU_CATALOG, ...customGpus].map((gpu) => (
            <GpuRow key={gpu.id} gpu={gpu} />
          ))}
        </ul>
      </details>
    </fieldset>
  );
}
