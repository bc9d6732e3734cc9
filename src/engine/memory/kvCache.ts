/**
 * What each decoder layer caches per token (attention, MLA) or per request (Mamba, DeltaNet) on one
 * TP rank, as vLLM's KV cache specs describe it (vllm/v1/kv_cache_interface.py), and the default
 * block size.
 */
import type { Dtype, GpuSpec, KvCacheDtype, KvGroupPlan, LayerSpec, Mixer, ModelArch } from '../types';
import { DTYPE_BYTES } from '../types';

/** vllm/config/cache.py: block_size defaults to 16 on CUDA. */
export const DEFAULT_BLOCK_SIZE_TOKENS = 16;

/**
 * MLA backends' block size. Hopper / Ampere logs (vLLM 0.19, DeepSeek-V2-Lite and Kimi-VL on H100:
 * tokens = blocks × 16) show the FlashAttention-MLA / Triton-MLA backends keep 16. On Blackwell
 * vLLM picks FlashInfer-MLA / CUTLASS-MLA, which need 64 or more (vllm/platforms/cuda.py
 * get_attn_backend_cls; FlashMLA too requires 64). APPROXIMATION: by GPU generation.
 */
export const MLA_BLOCK_SIZE_BLACKWELL_TOKENS = 64;

/**
 * vllm/model_executor/models/config.py HybridAttentionMambaModelConfig: the attention block size
 * of a hybrid model is a multiple of the kernel alignment (16) large enough that one attention page
 * holds one Mamba state.
 */
export const HYBRID_BLOCK_ALIGNMENT_TOKENS = 16;

/** One layer's cache spec on one rank. */
export interface LayerKvSpec {
  kind: KvGroupPlan['kind'];
  /** Bytes per token per layer on this rank (0 for constant-state layers). */
  bytesPerToken: number;
  /** Constant state per request per layer on this rank (Mamba / DeltaNet), before page padding. */
  stateBytes: number;
  slidingWindowTokens: number | null;
}

/** KV element size: `--kv-cache-dtype auto` follows the model dtype; fp8 is 1 byte (e4m3). */
export function kvDtypeBytes(kvCacheDtype: KvCacheDtype, modelDtype: Dtype): number {
  return kvCacheDtype === 'fp8' ? 1 : DTYPE_BYTES[modelDtype];
}

/** KV heads one TP rank stores: split when tp ≤ kv heads, one replicated head otherwise. */
export function kvHeadsPerRank(numKvHeads: number, tp: number): number {
  return Math.max(1, Math.ceil(numKvHeads / tp));
}

/** Cache spec of one layer on one TP rank. */
export function layerKvSpec(mixer: Mixer, tp: number, kvBytes: number, stateDtypeBytes: number): LayerKvSpec | null {
  switch (mixer.kind) {
    case 'none':
      // An MLP-only block (Nemotron-H '-') has no KV cache spec.
      return null;
    case 'attention': {
      // kv_cache_interface.py AttentionSpec.real_page_size_bytes: 2 (K and V) × heads × head_size ×
      // dtype per token. K = V (Gemma 4 attention_k_eq_v) is still cached as two tensors by vLLM's
      // attention layer (APPROXIMATION, not confirmed in source).
      const bytesPerToken = 2 * kvHeadsPerRank(mixer.numKvHeads, tp) * mixer.headDim * kvBytes;
      const sliding = mixer.slidingWindowTokens !== null;
      return {
        kind: sliding ? 'sliding-window' : 'full-attention',
        bytesPerToken,
        stateBytes: 0,
        slidingWindowTokens: mixer.slidingWindowTokens,
      };
    }
    case 'mla':
      // MLAAttentionSpec.real_page_size_bytes: one latent (kv_lora_rank + qk_rope_head_dim) per token,
      // num_kv_heads = 1, no factor 2, identical on every TP rank (the latent is not split).
      return {
        kind: 'mla',
        bytesPerToken: (mixer.kvLoraRank + mixer.qkRopeHeadDim) * kvBytes,
        stateBytes: 0,
        slidingWindowTokens: null,
      };
    case 'mamba': {
      // MambaSpec.page_size_bytes = conv state + SSM state (vllm/model_executor/layers/mamba/
      // mamba_utils.py MambaStateShapeCalculator), both split over TP; dtype = model dtype
      // (mamba_ssm_cache_dtype auto).
      const groupsPerRank = Math.max(1, mixer.numGroups / tp);
      if (mixer.version === 2) {
        const convChannels = mixer.innerDim / tp + 2 * groupsPerRank * mixer.stateSize;
        const conv = convChannels * (mixer.convKernel - 1);
        const ssm = (mixer.numHeads / tp) * mixer.headDim * mixer.stateSize;
        return { kind: 'mamba', bytesPerToken: 0, stateBytes: (conv + ssm) * stateDtypeBytes, slidingWindowTokens: null };
      }
      const conv = (mixer.innerDim / tp) * (mixer.convKernel - 1);
      const ssm = (mixer.innerDim / tp) * mixer.stateSize;
      return { kind: 'mamba', bytesPerToken: 0, stateBytes: (conv + ssm) * stateDtypeBytes, slidingWindowTokens: null };
    }
    case 'linear-attention': {
      // Gated DeltaNet (MambaStateShapeCalculator.gated_delta_net_state_shape): conv state over
      // q, k, v channels × (kernel − 1) and a recurrent state value_heads × key_dim × value_dim.
      const convChannels = (2 * mixer.numKeyHeads * mixer.keyHeadDim + mixer.numValueHeads * mixer.valueHeadDim) / tp;
      const conv = convChannels * (mixer.convKernel - 1);
      const recurrent = (mixer.numValueHeads / tp) * mixer.keyHeadDim * mixer.valueHeadDim;
      return {
        kind: 'linear-attention',
        bytesPerToken: 0,
        stateBytes: (conv + recurrent) * stateDtypeBytes,
        slidingWindowTokens: null,
      };
    }
    default: {
      const _exhaustive: never = mixer;
      return _exhaustive;
    }
  }
}

/** Specs of all layers of the model (global index, every stage), on one TP rank; null = no cache. */
export function modelKvSpecs(arch: ModelArch, tp: number, kvBytes: number, modelDtype: Dtype): (LayerKvSpec | null)[] {
  return arch.layers.map((layer: LayerSpec) => layerKvSpec(layer.mixer, tp, kvBytes, DTYPE_BYTES[modelDtype]));
}

/** Layers grouped by what they cache, for the plan's `kvGroups` (not vLLM's block-table groups). */
export function summarizeKvGroups(specs: readonly (LayerKvSpec | null)[]): KvGroupPlan[] {
  const groups: KvGroupPlan[] = [];
  for (const spec of specs) {
    if (spec === null) continue;
    const existing = groups.find(
      (g) =>
        g.kind === spec.kind &&
        g.bytesPerTokenPerLayer === spec.bytesPerToken &&
        g.stateBytesPerRequestPerLayer === spec.stateBytes &&
        g.slidingWindowTokens === spec.slidingWindowTokens,
    );
    if (existing) existing.numLayers += 1;
    else
      groups.push({
        kind: spec.kind,
        numLayers: 1,
        bytesPerTokenPerLayer: spec.bytesPerToken,
        stateBytesPerRequestPerLayer: spec.stateBytes,
        slidingWindowTokens: spec.slidingWindowTokens,
      });
  }
  return groups;
}

/**
 * Block size vLLM uses: the user's `--block-size`, else 16, else the MLA backend's on Blackwell;
 * hybrid attention + Mamba/DeltaNet models raise it until one attention page holds one state
 * (HybridAttentionMambaModelConfig.verify_and_update_config: 16 × cdiv(state, 16 × attn bytes/token)).
 */
export function blockSizeTokens(
  allSpecs: readonly (LayerKvSpec | null)[],
  gpu: Pick<GpuSpec, 'generation'>,
  requested: number | null,
): number {
  const specs = allSpecs.filter((s): s is LayerKvSpec => s !== null);
  const hasMla = specs.some((s) => s.kind === 'mla');
  let blockSize = requested ?? (hasMla && gpu.generation === 'blackwell' ? MLA_BLOCK_SIZE_BLACKWELL_TOKENS : DEFAULT_BLOCK_SIZE_TOKENS);
  const maxState = Math.max(0, ...specs.map((s) => s.stateBytes));
  const attnBytesPerToken = Math.max(0, ...specs.map((s) => s.bytesPerToken));
  if (maxState > 0 && attnBytesPerToken > 0) {
    const align = HYBRID_BLOCK_ALIGNMENT_TOKENS;
    const needed = align * Math.ceil(maxState / (align * attnBytesPerToken));
    if (blockSize < needed) blockSize = needed;
  }
  return blockSize;
}
