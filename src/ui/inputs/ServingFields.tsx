/** vLLM serving options the recommendation depends on; the rest keep vLLM's defaults (engine/defaults.ts). */
import { KV_CACHE_DTYPES, SERVING_ENGINES, WEIGHT_PRECISIONS } from '../../engine/types';
import { parseGpuMemoryUtilization, parseTokens } from '../../state/inputRules';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';
import { effectiveMaxModelLen } from '../../state/selectors';
import { EngineOptionsFields } from './EngineOptionsFields';
import { ParsedField } from './ParsedField';
import { SelectField } from './SelectField';
import { CheckboxField } from './CheckboxField';
import { ENGINE_LABELS, KV_CACHE_DTYPE_LABELS, WEIGHT_PRECISION_LABELS } from './optionLabels';

export function ServingFields() {
  const maxModelLenTokens = useAppStore((s) => effectiveMaxModelLen(s.inputs));
  const maxModelLenAuto = useAppStore((s) => s.inputs.maxModelLenAuto);
  const replaceInputs = useAppStore((s) => s.replaceInputs);
  const store = useAppStoreApi();
  const weightPrecision = useAppStore((s) => s.inputs.weightPrecision);
  const kvCacheDtype = useAppStore((s) => s.inputs.kvCacheDtype);
  const gpuMemoryUtilization = useAppStore((s) => s.inputs.gpuMemoryUtilization);
  const engine = useAppStore((s) => s.inputs.engine);
  const disableCustomAllReduce = useAppStore((s) => s.inputs.disableCustomAllReduce);
  const setInput = useAppStore((s) => s.setInput);

  return (
    <fieldset>
      <legend>Serving</legend>
      <SelectField label="Serving engine" value={engine} options={SERVING_ENGINES} optionLabels={ENGINE_LABELS} onChange={(v) => setInput('engine', v)} />
      <EngineOptionsFields />
      <ParsedField
        label="Max model length (tokens)"
        hint={
          maxModelLenAuto
            ? '--max-model-len: the longest prompt + output one request may have; follows the request size (at least 8192) until you set it.'
            : '--max-model-len: the longest prompt + output one request may have.'
        }
        value={maxModelLenTokens}
        parse={parseTokens}
        onCommit={(v) => replaceInputs({ ...store.getState().inputs, maxModelLenTokens: v, maxModelLenAuto: false })}
      />
      {maxModelLenAuto ? null : (
        <button type="button" onClick={() => setInput('maxModelLenAuto', true)}>
          Follow the request size
        </button>
      )}
      <SelectField
        label="Weight precision"
        value={weightPrecision}
        options={WEIGHT_PRECISIONS}
        optionLabels={WEIGHT_PRECISION_LABELS}
        onChange={(v) => setInput('weightPrecision', v)}
      />
      <SelectField label="KV-cache dtype" value={kvCacheDtype} options={KV_CACHE_DTYPES} optionLabels={KV_CACHE_DTYPE_LABELS} onChange={(v) => setInput('kvCacheDtype', v)} />
      <ParsedField
        label="GPU memory utilization"
        hint="--gpu-memory-utilization: fraction of each GPU's memory vLLM may use (0–1]."
        value={gpuMemoryUtilization}
        parse={parseGpuMemoryUtilization}
        inputMode="decimal"
        onCommit={(v) => setInput('gpuMemoryUtilization', v)}
      />
      <CheckboxField
        label="Disable custom all-reduce"
        checked={disableCustomAllReduce}
        onChange={(on) => setInput('disableCustomAllReduce', on)}
        hint="--disable-custom-all-reduce: tensor-parallel all-reduces through NCCL only, which frees ~2 GiB per GPU for the KV cache. vLLM already does this on PCIe-only GPUs."
      />
    </fieldset>
  );
}
