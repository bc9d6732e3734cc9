/**
 * Token-mixer shapes: standard attention (MHA / GQA / MQA), MLA, Mamba-1/2 and Gated DeltaNet, per
 * layer slot from hybrid.ts.
 */
import type { AttentionMixer, LinearAttentionMixer, MambaMixer, Mixer, MlaMixer } from '../types';
import { type Cfg, has, invalid, missing, optBool, optInt, optStr, reqInt } from './fields';
import type { LayerPattern } from './hybrid';

/** Families whose q/k/v projections carry a bias although the config has no `attention_bias` (HF Qwen2Attention `bias=True`). */
const QKV_BIAS_FAMILIES = ['qwen2', 'qwen2_moe', 'qwen2_vl', 'qwen2_5_vl', 'phi'];
/** Per-head q_norm / k_norm RMSNorm weights (HF Qwen3Attention, Gemma3Attention, Olmo2 uses whole-projection norms). */
const PER_HEAD_QK_NORM_PREFIXES = ['qwen3', 'gemma3', 'gemma4'];
/** Qwen3-Next always gates the attention output (HF Qwen3NextAttention: q_proj is 2 × heads × head_dim). */
const OUTPUT_GATE_FAMILIES = ['qwen3_next'];

export interface AttentionShape {
  numHeads: number;
  numKvHeads: number;
  headDim: number;
}

/** Heads, KV heads and head_dim; head_dim derived as hidden / heads only when that divides. */
export function attentionShape(cfg: Cfg, hiddenSize: number): AttentionShape {
  const numHeads = reqInt(cfg, ['num_attention_heads', 'n_head', 'num_heads']);
  const numKvHeads = optInt(cfg, ['num_key_value_heads', 'num_kv_heads', 'n_head_kv']) ?? numHeads; // HF default: MHA
  let headDim = optInt(cfg, ['head_dim', 'attention_head_dim']);
  if (headDim === undefined) {
    if (hiddenSize % numHeads !== 0) {
      invalid(cfg, 'num_attention_heads', numHeads, `head_dim is absent and hidden_size ${hiddenSize} is not divisible by ${numHeads} heads`);
    }
    headDim = hiddenSize / numHeads;
  }
  if (numKvHeads > numHeads || numHeads % numKvHeads !== 0) {
    invalid(cfg, 'num_key_value_heads', numKvHeads, `must divide num_attention_heads (${numHeads})`);
  }
  return { numHeads, numKvHeads, headDim };
}

export function buildMixers(cfg: Cfg, modelType: string, hiddenSize: number, pattern: LayerPattern): Mixer[] {
  const kinds = new Set(pattern.slots.map((s) => s.mixer));
  const needsAttention = kinds.has('full') || kinds.has('sliding') || kinds.has('chunked');
  const isMla = has(cfg, 'kv_lora_rank');
  const mla = needsAttention && isMla ? mlaMixer(cfg) : null;
  const attn = needsAttention && !isMla ? attentionParts(cfg, modelType, hiddenSize) : null;
  const mamba = kinds.has('mamba') ? mambaMixer(cfg, modelType, hiddenSize) : null;
  const linear = kinds.has('linear') ? linearMixer(cfg) : null;

  return pattern.slots.map((slot): Mixer => {
    switch (slot.mixer) {
      case 'full':
      case 'sliding':
      case 'chunked': {
        if (mla) return mla;
        if (!attn) throw new Error('attention parts missing'); // invariant: built above when needed
        const window = slot.mixer === 'full' ? null : pattern.windowTokens;
        return slot.mixer === 'full' ? { ...attn.global, slidingWindowTokens: null } : { ...attn.local, slidingWindowTokens: window };
      }
      case 'mamba':
        if (!mamba) throw new Error('mamba mixer missing');
        return mamba;
      case 'linear':
        if (!linear) throw new Error('linear mixer missing');
        return linear;
      case 'none':
        return { kind: 'none' };
      default: {
        const _: never = slot.mixer;
        return _;
      }
    }
  });
}

function attentionParts(cfg: Cfg, modelType: string, hiddenSize: number): { local: AttentionMixer; global: AttentionMixer } {
  const shape = attentionShape(cfg, hiddenSize);
  const attentionBias = optBool(cfg, 'attention_bias');
  const qkvBias = optBool(cfg, 'qkv_bias') ?? (attentionBias ?? QKV_BIAS_FAMILIES.includes(modelType));
  const qkNormType = optStr(cfg, 'qk_norm_type');
  const useQkNorm = optBool(cfg, 'use_qk_norm');
  let qkNorm: AttentionMixer['qkNorm'] = 'none';
  if (qkNormType === 'per_layer') qkNorm = 'per-layer';
  else if (PER_HEAD_QK_NORM_PREFIXES.some((p) => modelType.startsWith(p))) qkNorm = 'per-head';
  // Llama 4 `use_qk_norm` is a weightless L2 norm (HF Llama4TextL2Norm): no parameters.
  else if (useQkNorm === true && !modelType.startsWith('llama4')) qkNorm = 'per-head';
  const local: AttentionMixer = {
    kind: 'attention',
    ...shape,
    qkvBias,
    slidingWindowTokens: null,
    outputGate: optBool(cfg, 'attn_output_gate') ?? OUTPUT_GATE_FAMILIES.includes(modelType),
    kEqV: false,
    outputBias: attentionBias === true && !QKV_BIAS_FAMILIES.includes(modelType),
    qkNorm,
    sinks: modelType === 'gpt_oss',
  };
  // Gemma 4 global layers: their own head_dim and KV heads, and K = V (HF Gemma4TextAttention).
  const globalHeadDim = optInt(cfg, 'global_head_dim');
  const globalKvHeads = optInt(cfg, 'num_global_key_value_heads');
  const kEqV = optBool(cfg, 'attention_k_eq_v') === true;
  const global: AttentionMixer = {
    ...local,
    headDim: globalHeadDim ?? local.headDim,
    numKvHeads: globalKvHeads ?? local.numKvHeads,
    kEqV,
  };
  if (global.numHeads % global.numKvHeads !== 0) invalid(cfg, 'num_global_key_value_heads', global.numKvHeads, 'must divide num_attention_heads');
  return { local, global };
}

function mlaMixer(cfg: Cfg): MlaMixer {
  const numHeads = reqInt(cfg, 'num_attention_heads');
  const kvLoraRank = reqInt(cfg, 'kv_lora_rank');
  const qLoraRank = optInt(cfg, 'q_lora_rank') ?? null; // null: DeepSeek-V2-Lite projects queries directly
  const qkRopeHeadDim = reqInt(cfg, 'qk_rope_head_dim');
  const qkNopeHeadDim = reqInt(cfg, 'qk_nope_head_dim');
  const vHeadDim = reqInt(cfg, 'v_head_dim');
  const mixer: MlaMixer = { kind: 'mla', numHeads, qLoraRank, kvLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim };
  if (has(cfg, 'index_n_heads')) {
    mixer.indexer = {
      numHeads: reqInt(cfg, 'index_n_heads'),
      headDim: reqInt(cfg, 'index_head_dim'),
      topKTokens: reqInt(cfg, 'index_topk'),
    };
  }
  return mixer;
}

/** DeltaNet / Mamba conv kernel default in HF Mamba2Config and Qwen3NextConfig. */
const CONV_KERNEL_DEFAULT = 4;

function mambaMixer(cfg: Cfg, modelType: string, hiddenSize: number): MambaMixer {
  const heads = optInt(cfg, ['mamba_num_heads', 'mamba_n_heads']);
  const stateSize = reqInt(cfg, ['ssm_state_size', 'mamba_d_state', 'state_size']);
  const convKernel = optInt(cfg, ['conv_kernel', 'mamba_d_conv']) ?? CONV_KERNEL_DEFAULT;
  const expand = optInt(cfg, ['expand', 'mamba_expand']);
  const convBias = optBool(cfg, ['use_conv_bias', 'mamba_conv_bias']) ?? true;
  const projBias = optBool(cfg, ['mamba_proj_bias', 'use_bias']) ?? false;
  if (heads === undefined || modelType === 'jamba') {
    // Mamba-1 (Jamba): inner = expand × hidden; dt_rank default ceil(hidden / 16) (HF JambaConfig).
    if (expand === undefined) return missing(cfg, 'mamba_expand');
    const innerDim = expand * hiddenSize;
    const dtRank = optInt(cfg, 'mamba_dt_rank') ?? Math.ceil(hiddenSize / 16);
    return { kind: 'mamba', version: 1, innerDim, numHeads: 1, headDim: innerDim, stateSize, numGroups: 1, convKernel, dtRank, convBias, projBias };
  }
  let headDim = optInt(cfg, ['mamba_head_dim', 'mamba_d_head']);
  if (headDim === undefined) {
    if (expand === undefined) return missing(cfg, 'mamba_head_dim');
    if ((expand * hiddenSize) % heads !== 0) invalid(cfg, 'mamba_n_heads', heads, 'does not divide mamba_expand × hidden_size');
    headDim = (expand * hiddenSize) / heads;
  }
  const numGroups = optInt(cfg, ['n_groups', 'mamba_n_groups']) ?? 1;
  if (heads % numGroups !== 0) invalid(cfg, 'n_groups', numGroups, 'must divide the Mamba head count');
  return { kind: 'mamba', version: 2, innerDim: heads * headDim, numHeads: heads, headDim, stateSize, numGroups, convKernel, dtRank: 0, convBias, projBias };
}

function linearMixer(cfg: Cfg): LinearAttentionMixer {
  const m: LinearAttentionMixer = {
    kind: 'linear-attention',
    numKeyHeads: reqInt(cfg, 'linear_num_key_heads'),
    numValueHeads: reqInt(cfg, 'linear_num_value_heads'),
    keyHeadDim: reqInt(cfg, 'linear_key_head_dim'),
    valueHeadDim: reqInt(cfg, 'linear_value_head_dim'),
    convKernel: optInt(cfg, 'linear_conv_kernel_dim') ?? CONV_KERNEL_DEFAULT,
  };
  if (m.numValueHeads % m.numKeyHeads !== 0) invalid(cfg, 'linear_num_value_heads', m.numValueHeads, 'must be a multiple of linear_num_key_heads');
  return m;
}
