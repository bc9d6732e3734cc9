/**
 * Peak activation memory of vLLM's profiling run: one dummy forward of max_num_batched_tokens tokens
 * followed, on the last pipeline stage, by a dummy sampler run over max_num_seqs requests
 * (vllm/v1/worker/gpu_model_runner.py profile_run, _dummy_run, _dummy_sampler_run). The figure is
 * what gpu_worker.py determine_available_memory subtracts as "torch peak increase".
 *
 * The rule (fitted on the vLLM 0.19 rows of vllm_memory_calibration.csv; activation fell ~60 % in
 * 0.17: before it the sampler's bytes per logit are larger, memory/vllmVersion.ts):
 *   persistent = 2 × tokens × hidden × dtype (final hidden states + residual) + fixed scratch
 *                + fused-MoE workspace (kept by the MoE kernels between calls)
 *   last stage:  persistent + max(forward transient, sampler)
 *   other stages: persistent + forward transient + PP intermediate tensors
 * The forward transient (widest layer output: gate_up + activation of the MLP) and the sampler
 * (logits × 14 B at bf16) do not overlap in time, so the peak is their max, which is why the logged
 * activation does not change with TP (the sampler dominates and logits are gathered to full vocab).
 */
import { PROFILE_FIXED_SCRATCH_BYTES, PROFILE_PERSISTENT_HIDDEN_COPIES, SAMPLER_FP32_BYTES_PER_LOGIT } from '../calibration';
import type { Dtype, Layout, LayerSpec, ModelArch, QuantizationInfo } from '../types';
import { DTYPE_BYTES } from '../types';

/** Quantization methods whose MoE layers run vLLM's modular fused-MoE kernels with a cached workspace. */
const MOE_WORKSPACE_METHODS: ReadonlySet<QuantizationInfo['method']> = new Set(['none', 'fp8', 'compressed-tensors', 'modelopt-fp8']);

export interface ActivationInput {
  arch: ModelArch;
  quant: QuantizationInfo;
  layout: Layout;
  modelDtype: Dtype;
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  /** Layers [start, end) of this stage. */
  start: number;
  end: number;
  isFirstStage: boolean;
  isLastStage: boolean;
  /**
   * Float32 bytes per logit of the dummy sampler: the release's (memory/vllmVersion.ts); absent =
   * 0.17+'s SAMPLER_FP32_BYTES_PER_LOGIT.
   */
  samplerFp32BytesPerLogit?: number;
}

export interface ActivationBreakdownBytes {
  persistent: number;
  moeWorkspace: number;
  forwardTransient: number;
  sampler: number;
  ppIntermediate: number;
  peak: number;
}

/** Widest per-token intermediate of one layer on one TP rank, in elements. */
function layerTransientWidth(layer: LayerSpec, hiddenSize: number, tp: number): number {
  const m = layer.mixer;
  let mixerWidth = 0;
  if (m.kind === 'attention') mixerWidth = ((m.numHeads * 2 + 2 * m.numKvHeads) * m.headDim) / tp;
  else if (m.kind === 'mla') mixerWidth = (m.numHeads * (m.qkNopeHeadDim + m.qkRopeHeadDim + m.vHeadDim)) / tp;
  else if (m.kind === 'mamba') mixerWidth = (2 * m.innerDim + 2 * m.numGroups * m.stateSize + m.numHeads) / tp;
  else if (m.kind === 'linear-attention') mixerWidth = (2 * m.numKeyHeads * m.keyHeadDim + 2 * m.numValueHeads * m.valueHeadDim) / tp;
  const f = layer.ffn;
  let ffnWidth = 0;
  // gate_up output (2 × inter) and the activation output (inter) are alive together.
  const mlpWidth = (inter: number, gated: boolean): number => ((gated ? 3 : 2) * inter) / tp;
  if (f.kind === 'dense') ffnWidth = mlpWidth(f.intermediateSize, f.gated);
  else if (f.kind === 'moe')
    ffnWidth = Math.max(mlpWidth(f.sharedIntermediateSize, f.gated), mlpWidth(f.parallelDenseIntermediateSize, f.gated));
  return Math.max(mixerWidth, ffnWidth, hiddenSize);
}

/**
 * Fused-MoE workspace (vllm/model_executor/layers/fused_moe/fused_moe.py, modular kernel
 * workspace): intermediate_cache13 of M × topk × max(2N, K) and intermediate_cache2 of M × topk × N,
 * N = expert intermediate on this rank, K = hidden. Checked on DeepSeek-V2-Lite (+0.39 GiB) and
 * Qwen1.5-MoE-A2.7B (+0.26 GiB) against the dense rule. Not seen for mxfp4 (gpt-oss), so other
 * quantized MoE kernels are assumed not to keep a workspace (APPROXIMATION).
 */
export function moeWorkspaceBytes(input: ActivationInput): number {
  const { arch, quant, layout, modelDtype, maxNumBatchedTokens } = input;
  if (!MOE_WORKSPACE_METHODS.has(quant.method)) return 0;
  let widest = 0;
  for (let i = input.start; i < input.end; i += 1) {
    const f = arch.layers[i]?.ffn;
    if (f?.kind !== 'moe') continue;
    const n = layout.ep ? f.expertIntermediateSize : f.expertIntermediateSize / layout.tp;
    const gateUp = (f.gated ? 2 : 1) * n;
    widest = Math.max(widest, f.topK * (Math.max(gateUp, arch.hiddenSize) + n));
  }
  return maxNumBatchedTokens * widest * DTYPE_BYTES[modelDtype];
}

export function activationPeakBytes(input: ActivationInput): ActivationBreakdownBytes {
  const { arch, layout, modelDtype, maxNumBatchedTokens, maxNumSeqs } = input;
  const dtypeBytes = DTYPE_BYTES[modelDtype];
  const tokens = maxNumBatchedTokens;
  const hiddenStateBytes = tokens * arch.hiddenSize * dtypeBytes;
  const moeWorkspace = moeWorkspaceBytes(input);
  const persistent = PROFILE_PERSISTENT_HIDDEN_COPIES * hiddenStateBytes + PROFILE_FIXED_SCRATCH_BYTES + moeWorkspace;
  let widest = 0;
  for (let i = input.start; i < input.end; i += 1) {
    const layer = arch.layers[i];
    if (layer !== undefined) widest = Math.max(widest, layerTransientWidth(layer, arch.hiddenSize, layout.tp));
  }
  const forwardTransient = tokens * widest * dtypeBytes;
  // _dummy_run schedules min(max_num_tokens, max_num_seqs) requests; the sampler sees one row each.
  const sampledRows = Math.min(maxNumSeqs, tokens);
  const sampler = input.isLastStage ? sampledRows * arch.vocabSize * (dtypeBytes + (input.samplerFp32BytesPerLogit ?? SAMPLER_FP32_BYTES_PER_LOGIT)) : 0;
  // IntermediateTensors (hidden_states + residual) sent to / received from the neighbouring stage.
  const ppIntermediate = layout.pp > 1 ? 2 * hiddenStateBytes : 0;
  const peak = input.isLastStage
    ? persistent + Math.max(forwardTransient, sampler) + (input.isFirstStage ? 0 : ppIntermediate)
    : persistent + forwardTransient + ppIntermediate;
  return { persistent, moeWorkspace, forwardTransient, sampler, ppIntermediate, peak };
}
