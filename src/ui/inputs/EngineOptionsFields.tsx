/**
 * The chosen engine's own memory and batch options (issue 13): vLLM's release (its memory
 * accounting), SGLang's and TensorRT-LLM's flags — only the chosen engine's are shown — and the
 * memory other processes already hold on each GPU. Empty fields keep the engine's default.
 */
import { VLLM_VERSIONS, type SglangServingOptions, type TrtllmServingOptions } from '../../engine/types';
import { parseOptionalCount, parseOptionalFraction, parseOtherMemoryGiB } from '../../state/inputRules';
import type { Inputs } from '../../state/inputs';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';
import { asyncSchedulingInput, asyncSchedulingOn } from '../../state/selectors';
import { ParsedField } from './ParsedField';
import { SelectField } from './SelectField';
import { CheckboxField } from './CheckboxField';
import { VLLM_VERSION_LABELS } from './optionLabels';

const DEFAULT_PLACEHOLDER = 'default';

/** One engine flag the page offers: empty keeps the engine's default. */
interface FlagField<K extends string> {
  key: K;
  label: string;
  hint: string;
  /** A fraction in (0, 1] (decimal keypad), else a whole count. */
  fraction?: boolean;
}

const SGLANG_FIELDS: readonly FlagField<keyof SglangServingOptions>[] = [
  {
    key: 'memFractionStatic',
    label: 'SGLang --mem-fraction-static',
    hint: "Share of the free memory for weights + KV pool (0–1]; empty = SGLang's default for the GPU and TP.",
    fraction: true,
  },
  { key: 'chunkedPrefillSizeTokens', label: 'SGLang --chunked-prefill-size', hint: "Most prompt tokens in one prefill chunk; empty = SGLang's default for the GPU." },
  { key: 'maxRunningRequests', label: 'SGLang --max-running-requests', hint: "Most requests decoding at once; empty = from SGLang's token pool." },
  {
    key: 'cudaGraphMaxBs',
    label: 'SGLang --cuda-graph-max-bs',
    hint: "Largest decode batch captured as a CUDA graph; empty = SGLang's default for the GPU and TP.",
  },
];

const TRTLLM_FIELDS: readonly FlagField<keyof TrtllmServingOptions>[] = [
  {
    key: 'kvCacheFreeGpuMemoryFraction',
    label: 'TensorRT-LLM --kv_cache_free_gpu_memory_fraction',
    hint: "Share of the memory left after the weights given to the KV cache (0–1]; empty = TensorRT-LLM's default.",
    fraction: true,
  },
  { key: 'maxBatchSize', label: 'TensorRT-LLM --max_batch_size', hint: "Most requests scheduled at once; empty = TensorRT-LLM's default." },
  { key: 'maxNumTokens', label: 'TensorRT-LLM --max_num_tokens', hint: "Most batched tokens per iteration; empty = TensorRT-LLM's default." },
];

/** The fields of one engine's options (`inputs.sglang` or `inputs.trtllm`), each committed on its own. */
function EngineFlagFields<E extends 'sglang' | 'trtllm'>({ engine, fields }: { engine: E; fields: readonly FlagField<keyof Inputs[E] & string>[] }) {
  const options = useAppStore((s) => s.inputs[engine]);
  const api = useAppStoreApi();
  const set = (key: keyof Inputs[E], value: number | null): void => {
    const { inputs, setInput } = api.getState();
    setInput(engine, { ...inputs[engine], [key]: value });
  };
  return (
    <>
      {fields.map((field) => (
        <ParsedField
          key={field.key}
          label={field.label}
          hint={field.hint}
          value={options[field.key] as number | null}
          parse={field.fraction === true ? parseOptionalFraction : parseOptionalCount}
          {...(field.fraction === true ? { inputMode: 'decimal' as const } : {})}
          placeholder={DEFAULT_PLACEHOLDER}
          onCommit={(v) => set(field.key, v)}
        />
      ))}
    </>
  );
}

export function EngineOptionsFields() {
  const engine = useAppStore((s) => s.inputs.engine);
  const vllmVersion = useAppStore((s) => s.inputs.vllmVersion);
  const asyncOn = useAppStore((s) => asyncSchedulingOn(s.inputs));
  const otherMemoryGiB = useAppStore((s) => s.inputs.otherMemoryGiB);
  const setInput = useAppStore((s) => s.setInput);
  return (
    <>
      {engine === 'vllm' ? (
        <SelectField
          label="vLLM version"
          hint="The release whose start-up memory accounting is planned: higher activation peak on 0.12–0.16 (its sampler sorts the logits; 0.10–0.11 on NVIDIA sample with FlashInfer), less non-torch memory before 0.18, CUDA graphs inside the budget from 0.21."
          value={vllmVersion}
          options={VLLM_VERSIONS}
          optionLabels={VLLM_VERSION_LABELS}
          onChange={(v) => setInput('vllmVersion', v)}
        />
      ) : null}
      {engine === 'vllm' ? (
        <CheckboxField
          label="Async scheduling"
          checked={asyncOn}
          onChange={(on) => setInput('asyncScheduling', asyncSchedulingInput(vllmVersion, on))}
          hint="--async-scheduling: vLLM schedules the next step while the GPU runs this one, so its per-step host overhead hides under the GPU's time, and a request joining a busy engine waits one step more for its first token (on by default from vLLM 0.14; unchecked = --no-async-scheduling). Approximation: not applied with pipeline parallelism before 0.15, nor with a draft-model speculator."
        />
      ) : null}
      {engine === 'sglang' ? <EngineFlagFields engine="sglang" fields={SGLANG_FIELDS} /> : null}
      {engine === 'trtllm' ? <EngineFlagFields engine="trtllm" fields={TRTLLM_FIELDS} /> : null}
      <ParsedField
        label="Memory used by other processes (GiB per GPU)"
        hint="Already held on each GPU when the server starts (another server, a desktop). vLLM refuses to start unless total × utilization is free; SGLang and TensorRT-LLM size their pools from what is free."
        value={otherMemoryGiB}
        parse={parseOtherMemoryGiB}
        inputMode="decimal"
        onCommit={(v) => setInput('otherMemoryGiB', v)}
      />
    </>
  );
}
