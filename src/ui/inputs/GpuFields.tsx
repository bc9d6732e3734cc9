/**
 * GPU budget, which GPU types (catalog and custom) to consider, and per-GPU price overrides. The GPU
 * types are the page's one GPU selection (issue 14): grouped by vendor and generation in a fixed
 * order (state/gpuSelection.ts), with a checkbox per group; it decides what is computed, so the table,
 * the cards and the charts all follow it.
 */
import { GPU_CATALOG, GPU_IDS } from '../../engine/catalog/gpus';
import type { GpuSpec } from '../../engine/types';
import { gpuIdsWithCustom } from '../../state/customGpus';
import { ok } from '../../engine/result';
import {
  consideredCount,
  groupConsidered,
  isGpuConsidered,
  selectGpuGroups,
  withGpuConsidered,
  withGroupConsidered,
  withPriceOverride,
  type GpuGroup,
} from '../../state/gpuSelection';
import { parseMaxGpus, parsePriceUsdPerHour, type Parsed } from '../../state/inputRules';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';
import { useEffect, useMemo, useRef } from 'react';
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

/** One vendor × generation: a checkbox for the whole group (mixed when some are considered), then its GPUs. */
function GpuGroupItem({ group }: { group: GpuGroup }) {
  const ids = useMemo(() => group.gpus.map((g) => g.id), [group]);
  const state = useAppStore((s) => groupConsidered(s.inputs.gpuIds, ids));
  const api = useAppStoreApi();
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current !== null) box.current.indeterminate = state === 'some';
  }, [state]);
  const onToggle = (checked: boolean): void => {
    const { inputs, setInput, customGpus } = api.getState();
    setInput('gpuIds', withGroupConsidered(inputs.gpuIds, ids, checked, gpuIdsWithCustom(GPU_IDS, customGpus)));
  };
  return (
    <li className="gpu-group">
      <label className="check gpu-group-check">
        <input ref={box} type="checkbox" checked={state === 'all'} onChange={(e) => onToggle(e.target.checked)} />
        <span>
          {group.label} ({group.gpus.length})
        </span>
      </label>
      <ul className="gpu-list-inner" aria-label={`GPU types: ${group.label}`}>
        {group.gpus.map((gpu) => (
          <GpuRow key={gpu.id} gpu={gpu} />
        ))}
      </ul>
    </li>
  );
}

export function GpuFields() {
  const maxGpus = useAppStore((s) => s.inputs.maxGpus);
  const setInput = useAppStore((s) => s.setInput);
  const customGpus = useAppStore((s) => s.customGpus);
  const groups = useMemo(() => selectGpuGroups<GpuSpec>(GPU_CATALOG, customGpus), [customGpus]);
  const allIds = useMemo(() => gpuIdsWithCustom(GPU_IDS, customGpus), [customGpus]);
  const considered = useAppStore((s) => consideredCount(s.inputs.gpuIds, allIds));
  return (
    <fieldset>
      <legend>Hardware</legend>
      <ParsedField label="Max GPUs per configuration" hint="All replicas together (TP × PP × DP), up to 64 here (the CLI plans more); beyond one node (8 GPUs, 72 on NVL72) layouts span nodes." value={maxGpus} parse={parseMaxGpus} onCommit={(v) => setInput('maxGpus', v)} />
      <details className="gpu-types">
        <summary>
          GPU types and prices ({considered === allIds.length ? `all ${allIds.length}` : `${considered} of ${allIds.length}`})
        </summary>
        <div className="row-buttons">
          <button type="button" onClick={() => setInput('gpuIds', null)}>
            All GPU types
          </button>
          <button type="button" onClick={() => setInput('gpuIds', [])}>
            None
          </button>
        </div>
        <p className="hint">Prices: USD per GPU-hour; empty = the catalog's on-demand reference price (shown greyed).</p>
        <p className="hint">One selection for everything: only these GPU types are computed and shown in the table, the cards and the charts.</p>
        <ul className="gpu-list" aria-label="GPU types considered">
          {groups.map((group) => (
            <GpuGroupItem key={group.key} group={group} />
          ))}
        </ul>
      </details>
    </fieldset>
  );
}
