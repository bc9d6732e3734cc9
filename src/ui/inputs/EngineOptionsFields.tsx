/**
 * The chosen engine's own memory and batch options (issue 13): vLLM's release (its memory
 * accounting), SGLang's and TensorRT-LLM's flags — only the chosen engine's are shown — and the
 * memory other processes already hold on each GPU. Empty fields keep the engine's default.
 */
import { VLLM_VERSIONS, type SglangServingOptions, type TrtllmServingOptions } from '../../engine/types';
import { parseOptionalCount, parseOptionalFraction, parseOtherMemoryGiB } from '../../state/inputRules';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';
import { ParsedField } from './ParsedField';
import { SelectField } from './SelectField';
import { VLLM_VERSION_LABELS } from './optionLabels';

const DEFAULT_PLACEHOLDER = 'default';

function SglangFields() {
  const sglang = useAppStore((s) => s.inputs.sglang);
  const api = useAppStoreApi();
  const set = (patch: Partial<SglangServingOptions>): void => {
    const { inputs, setInput } = api.getState();
    setInput('sglang', { ...inputs.sglang, ...patch });
  };
  return (
    <>
      <ParsedField
        label="SGLang --mem-fraction-static"
        hint="Share of the free memory for weights + KV pool (0–1]; empty = SGLang's default for the GPU and TP."
        value={sglang.memFractionStatic}
        parse={parseOptionalFraction}
        inputMode="decimal"
        placeholder={DEFAULT_PLACEHOLDER}
        onCommit={(v) => set({ memFractionStatic: v })}
      />
      <ParsedField
        label="SGLang --chunked-prefill-size"
        hint="Most prompt tokens in one prefill chunk; empty = SGLang's default for the GPU."
        value={sglang.chunkedPrefillSizeTokens}
        parse={parseOptionalCount}
        placeholder={DEFAULT_PLACEHOLDER}
        onCommit={(v) => set({ chunkedPrefillSizeTokens: v })}
      />
      <ParsedField
        label="SGLang --max-running-requests"
        hint="Most requests decoding at once; empty = from SGLang's token pool."
        value={sglang.maxRunningRequests}
        parse={parseOptionalCount}
        placeholder={DEFAULT_PLACEHOLDER}
        onCommit={(v) => set({ maxRunningRequests: v })}
      />
      <ParsedField
        label="SGLang --cuda-graph-max-bs"
        hint="Largest decode batch captured as a CUDA graph; empty = SGLang's default for the GPU and TP."
        value={sglang.cudaGraphMaxBs}
        parse={parseOptionalCount}
        placeholder={DEFAULT_PLACEHOLDER}
        onCommit={(v) => set({ cudaGraphMaxBs: v })}
      />
    </>
  );
}

function TrtllmFields() {
  const trtllm = useAppStore((s) => s.inputs.trtllm);
  const api = useAppStoreApi();
  const set = (patch: Partial<TrtllmServingOptions>): void => {
    const { inputs, setInput } = api.getState();
    setInput('trtllm', { ...inputs.trtllm, ...patch });
  };
  return (
    <>
      <ParsedField
        label="TensorRT-LLM --kv_cache_free_gpu_memory_fraction"
        hint="Share of the memory left after the weights given to the KV cache (0–1]; empty = TensorRT-LLM's default."
        value={trtllm.kvCacheFreeGpuMemoryFraction}
        parse={parseOptionalFraction}
        inputMode="decimal"
        placeholder={DEFAULT_PLACEHOLDER}
        onCommit={(v) => set({ kvCacheFreeGpuMemoryFraction: v })}
      />
      <ParsedField
        label="TensorRT-LLM --max_batch_size"
        hint="Most requests scheduled at once; empty = TensorRT-LLM's default."
        value={trtllm.maxBatchSize}
        parse={parseOptionalCount}
        placeholder={DEFAULT_PLACEHOLDER}
        onCommit={(v) => set({ maxBatchSize: v })}
      />
      <ParsedField
        label="TensorRT-LLM --max_num_tokens"
        hint="Most batched tokens per iteration; empty = TensorRT-LLM's default."
        value={trtllm.maxNumTokens}
        parse={parseOptionalCount}
        placeholder={DEFAULT_PLACEHOLDER}
        onCommit={(v) => set({ maxNumTokens: v })}
      />
    </>
  );
}

export function EngineOptionsFields() {
  const engine = useAppStore((s) => s.inputs.engine);
  const vllmVersion = useAppStore((s) => s.inputs.vllmVersion);
  const otherMemoryGiB = useAppStore((s) => s.inputs.otherMemoryGiB);
  const setInput = useAppStore((s) => s.setInput);
  return (
    <>
      {engine === 'vllm' ? (
        <SelectField
          label="vLLM version"
          hint="The release whose start-up memory accounting is planned: higher activation peak before 0.17, less non-torch memory before 0.18, CUDA graphs inside the budget from 0.21."
          value={vllmVersion}
          options={VLLM_VERSIONS}
          optionLabels={VLLM_VERSION_LABELS}
          onChange={(v) => setInput('vllmVersion', v)}
        />
      ) : null}
      {engine === 'sglang' ? <SglangFields /> : null}
      {engine === 'trtllm' ? <TrtllmFields /> : null}
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
