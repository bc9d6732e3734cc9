/**
 * parseConfig rules and errors. Configs typed inline below copy the shape fields of the named Hub
 * config.json files (no vendored fixture exists for them); expected totals cite the arithmetic or
 * the published count.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelArch } from '../types';
import { parseConfig } from './parseConfig';
import { parseConfigJson } from './parseConfigJson';

function fixtureJson(dir: string): Record<string, unknown> {
  const r = parseConfigJson(readFileSync(`fixtures/hf/${dir}/config.json`, 'utf8'));
  if (!r.ok) throw new Error('fixture does not parse');
  return r.value as Record<string, unknown>;
}

function parse(raw: unknown, safetensors?: Record<string, number>): ModelArch {
  const r = parseConfig(raw, { modelId: 'test', safetensors });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const count = (a: ModelArch, pred: (l: ModelArch['layers'][number]) => boolean) => a.layers.filter(pred).length;
const windowOf = (l: ModelArch['layers'][number]) => (l.mixer.kind === 'attention' ? l.mixer.slidingWindowTokens : undefined);

describe('dense decoders', () => {
  it('Mistral-7B-v0.1: sliding_window 4096 on every layer; 7,241,732,096 params', () => {
    const a = parse({
      architectures: ['MistralForCausalLM'], model_type: 'mistral', hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32,
      num_hidden_layers: 32, num_key_value_heads: 8, vocab_size: 32000, max_position_embeddings: 32768, sliding_window: 4096,
      rope_theta: 10000.0, tie_word_embeddings: false, torch_dtype: 'bfloat16', hidden_act: 'silu',
    });
    expect(a.layers.every((l) => windowOf(l) === 4096)).toBe(true);
    // 32·(41,943,040 + 176,160,768 + 8192) + 2·32000·4096 + 4096
    expect(a.params.total).toBe(7_241_732_096);
  });

  it('Phi-3-mini-4k: MHA (kv = heads), sliding_window 2047; = Hub 3,821,079,552', () => {
    const a = parse({
      architectures: ['Phi3ForCausalLM'], model_type: 'phi3', hidden_size: 3072, intermediate_size: 8192, num_attention_heads: 32,
      num_hidden_layers: 32, num_key_value_heads: 32, vocab_size: 32064, max_position_embeddings: 4096, sliding_window: 2047,
      tie_word_embeddings: false, torch_dtype: 'bfloat16',
    });
    expect(a.layers[0]?.mixer).toMatchObject({ kind: 'attention', numHeads: 32, numKvHeads: 32, headDim: 96, slidingWindowTokens: 2047 });
    expect(a.params.total).toBe(3_821_079_552);
  });

  it('Granite-3.3-8B: tied embeddings (given), head_dim derived 4096/32', () => {
    const a = parse({
      architectures: ['GraniteForCausalLM'], model_type: 'granite', hidden_size: 4096, intermediate_size: 12800, num_attention_heads: 32,
      num_hidden_layers: 40, num_key_value_heads: 8, vocab_size: 49159, max_position_embeddings: 131072, tie_word_embeddings: true,
      attention_bias: false, mlp_bias: false, torch_dtype: 'bfloat16', embedding_multiplier: 12.0, residual_multiplier: 0.22,
    });
    expect(a.tiedEmbeddings).toBe(true);
    expect(a.params.lmHead).toBe(0);
    // 40·(41,943,040 + 157,286,400 + 8192) + 49159·4096 + 4096 = 8,170,864,640
    expect(a.params.total).toBe(8_170_864_640);
  });

  it('an MQA config (1 KV head) parses as attention with numKvHeads 1', () => {
    const a = parse({ model_type: 'llama', hidden_size: 2048, intermediate_size: 8192, num_attention_heads: 16, num_key_value_heads: 1, num_hidden_layers: 2, vocab_size: 1000, max_position_embeddings: 2048, tie_word_embeddings: false, torch_dtype: 'bfloat16' });
    expect(a.layers[0]?.mixer).toMatchObject({ numHeads: 16, numKvHeads: 1, headDim: 128 });
  });
});

describe('interleaved local/global attention and multimodal wrappers', () => {
  // google/gemma-3-27b-it config.json (text_config relies on Gemma3TextConfig defaults for vocab_size and the pattern)
  const gemma3 = {
    architectures: ['Gemma3ForConditionalGeneration'], model_type: 'gemma3', mm_tokens_per_image: 256, torch_dtype: 'bfloat16',
    text_config: { head_dim: 128, hidden_size: 5376, intermediate_size: 21504, model_type: 'gemma3_text', num_attention_heads: 32, num_hidden_layers: 62, num_key_value_heads: 16, query_pre_attn_scalar: 168, rope_scaling: { factor: 8.0, rope_type: 'linear' }, sliding_window: 1024 },
    vision_config: { hidden_size: 1152, image_size: 896, intermediate_size: 4304, model_type: 'siglip_vision_model', num_attention_heads: 16, num_hidden_layers: 27, patch_size: 14, vision_use_head: false },
  };

  it('Gemma 3: sliding_window_pattern 6 → 52 sliding (1024) + 10 global layers; class defaults named in assumptions', () => {
    const a = parse(gemma3);
    expect(count(a, (l) => windowOf(l) === 1024)).toBe(52);
    expect(count(a, (l) => windowOf(l) === null)).toBe(10);
    expect(windowOf(a.layers[5]!)).toBeNull();
    expect(a.vocabSize).toBe(262208);
    expect(a.tiedEmbeddings).toBe(true);
    expect(a.assumptions.some((s) => s.includes('vocab_size = 262208'))).toBe(true);
  });

  it('Gemma 3 27B incl. the SigLIP tower estimate is within 1 % of the Hub count 27,432,406,640', () => {
    const a = parse(gemma3);
    expect(Math.abs(a.params.total - 27_432_406_640) / 27_432_406_640).toBeLessThan(0.01);
    expect(a.params.vision / 1e6).toBeGreaterThan(380);
    expect(a.params.vision / 1e6).toBeLessThan(460);
  });

  it('Mistral-Small-3.1 (mistral3 wrapper): language-model numbers from text_config plus a Pixtral estimate', () => {
    const a = parse({
      architectures: ['Mistral3ForConditionalGeneration'], model_type: 'mistral3', spatial_merge_size: 2, torch_dtype: 'bfloat16', projector_hidden_act: 'gelu',
      text_config: { head_dim: 128, hidden_size: 5120, intermediate_size: 32768, max_position_embeddings: 131072, model_type: 'mistral', num_attention_heads: 32, num_hidden_layers: 40, num_key_value_heads: 8, rope_theta: 1000000000.0, sliding_window: null, vocab_size: 131072 },
      vision_config: { head_dim: 64, hidden_act: 'silu', hidden_size: 1024, image_size: 1540, intermediate_size: 4096, model_type: 'pixtral', num_attention_heads: 16, num_hidden_layers: 24, patch_size: 14 },
    });
    expect(a.hiddenSize).toBe(5120);
    expect(a.layers.every((l) => windowOf(l) === null)).toBe(true);
    expect(a.tiedEmbeddings).toBe(false); // MistralConfig default
    expect((a.params.total - a.params.vision) / 1e9).toBeCloseTo(23.57, 1);
    expect(a.params.vision / 1e6).toBeGreaterThan(300);
    expect(a.params.total / 1e9).toBeCloseTo(24.0, 0);
  });

  it('Llama-4-Scout: MoE every layer (16 experts top-1 + shared), chunked attention on 3 of 4 layers, ≈ 17B active', () => {
    const a = parse({
      architectures: ['Llama4ForConditionalGeneration'], model_type: 'llama4', tie_word_embeddings: false, torch_dtype: 'bfloat16',
      text_config: {
        attention_bias: false, attention_chunk_size: 8192, head_dim: 128, hidden_act: 'silu', hidden_size: 5120, interleave_moe_layer_step: 1,
        intermediate_size: 8192, intermediate_size_mlp: 16384, max_position_embeddings: 10485760, model_type: 'llama4_text', no_rope_layers: [],
        num_attention_heads: 40, num_experts_per_tok: 1, num_hidden_layers: 48, num_key_value_heads: 8, num_local_experts: 16, use_qk_norm: true, vocab_size: 202048,
      },
      vision_config: { hidden_size: 1408, image_size: 336, intermediate_size: 5632, model_type: 'llama4_vision_model', num_attention_heads: 16, num_hidden_layers: 34, patch_size: 14, projector_output_dim: 4096 },
    });
    expect(count(a, (l) => l.ffn.kind === 'moe')).toBe(48);
    expect(a.layers[0]?.ffn).toMatchObject({ numExperts: 16, topK: 1, numSharedExperts: 1, sharedIntermediateSize: 8192 });
    expect(count(a, (l) => windowOf(l) === 8192)).toBe(36);
    expect(windowOf(a.layers[3]!)).toBeNull();
    expect(a.layers[0]?.mixer).toMatchObject({ qkNorm: 'none' }); // weightless L2 norm
    expect((a.params.activePerToken + a.params.embedding) / 1e9).toBeCloseTo(17.2, 0);
    expect((a.params.total - a.params.vision) / 1e9).toBeCloseTo(107.8, 0);
  });

  it('Qwen2 use_sliding_window=false means no window at all (Qwen2.5-7B has sliding_window 131072)', () => {
    const a = parse(fixtureJson('Qwen__Qwen2.5-7B-Instruct'));
    expect(a.layers.every((l) => windowOf(l) === null)).toBe(true);
    const b = parse({ ...fixtureJson('Qwen__Qwen2.5-7B-Instruct'), use_sliding_window: true, max_window_layers: 20, sliding_window: 4096 });
    expect(count(b, (l) => windowOf(l) === 4096)).toBe(8);
  });
});

describe('hybrids', () => {
  it('Jamba-1.5-Mini: attention where i % 8 == 4, MoE where i % 2 == 1; Mamba-1 shapes; ≈ 52B total, 12B active', () => {
    const a = parse({
      architectures: ['JambaForCausalLM'], attn_layer_offset: 4, attn_layer_period: 8, expert_layer_offset: 1, expert_layer_period: 2, hidden_act: 'silu',
      hidden_size: 4096, intermediate_size: 14336, mamba_conv_bias: true, mamba_d_conv: 4, mamba_d_state: 16, mamba_dt_rank: 256, mamba_expand: 2,
      mamba_proj_bias: false, max_position_embeddings: 262144, model_type: 'jamba', num_attention_heads: 32, num_experts: 16, num_experts_per_tok: 2,
      num_hidden_layers: 32, num_key_value_heads: 8, rms_norm_eps: 1e-6, sliding_window: null, tie_word_embeddings: false, torch_dtype: 'bfloat16', vocab_size: 65536,
    });
    expect(a.layers.map((l, i) => (l.mixer.kind === 'attention' ? i : -1)).filter((i) => i >= 0)).toEqual([4, 12, 20, 28]);
    expect(count(a, (l) => l.ffn.kind === 'moe')).toBe(16);
    expect(a.layers[0]?.mixer).toMatchObject({ kind: 'mamba', version: 1, innerDim: 8192, stateSize: 16, dtRank: 256, convKernel: 4 });
    expect(a.params.total / 1e9).toBeCloseTo(51.6, 0);
    expect(a.params.activePerToken / 1e9).toBeCloseTo(11.9, 0);
  });

  it('Granite-4.0-H-Small: 36 Mamba-2 + 4 attention layers, every layer MoE (72 experts top-10) + shared MLP; ≈ 32B / 9B active', () => {
    // Shape fields of ibm-granite/granite-4.0-h-small; attention positions reconstructed (they do not change counts).
    const layer_types = Array.from({ length: 40 }, (_, i) => (i % 10 === 5 ? 'attention' : 'mamba'));
    const a = parse({
      architectures: ['GraniteMoeHybridForCausalLM'], model_type: 'granitemoehybrid', hidden_size: 4096, num_hidden_layers: 40, num_attention_heads: 32,
      num_key_value_heads: 8, num_local_experts: 72, num_experts_per_tok: 10, shared_intermediate_size: 1536, intermediate_size: 768, mamba_d_state: 128,
      mamba_d_conv: 4, mamba_expand: 2, mamba_n_heads: 128, mamba_d_head: 64, mamba_n_groups: 1, mamba_conv_bias: true, mamba_proj_bias: false,
      layer_types, tie_word_embeddings: true, vocab_size: 100352, max_position_embeddings: 131072, position_embedding_type: 'nope', torch_dtype: 'bfloat16',
    });
    expect(count(a, (l) => l.mixer.kind === 'mamba')).toBe(36);
    expect(count(a, (l) => l.mixer.kind === 'attention')).toBe(4);
    expect(a.layers.every((l) => l.ffn.kind === 'moe')).toBe(true);
    expect(a.layers[0]?.mixer).toMatchObject({ kind: 'mamba', version: 2, innerDim: 8192, numHeads: 128, headDim: 64, numGroups: 1 });
    expect(a.params.total / 1e9).toBeCloseTo(32.2, 0);
    expect(a.params.activePerToken / 1e9).toBeCloseTo(8.8, 0);
  });

  it('Qwen3-Next without layer_types uses full_attention_interval', () => {
    const a = parse(fixtureJson('Qwen__Qwen3-Next-80B-A3B-Thinking'));
    expect(a.layers.map((l) => l.mixer.kind).slice(0, 8)).toEqual(['linear-attention', 'linear-attention', 'linear-attention', 'attention', 'linear-attention', 'linear-attention', 'linear-attention', 'attention']);
  });
});

describe('MoE layer selection', () => {
  it('Qwen3-MoE mlp_only_layers and decoder_sparse_step make dense layers', () => {
    const base = fixtureJson('Qwen__Qwen3-30B-A3B');
    const a = parse({ ...base, mlp_only_layers: [0, 1], decoder_sparse_step: 2 });
    // MoE where i ∉ {0,1} and (i + 1) % 2 == 0 → layers 3, 5, …, 47 = 23 layers
    expect(count(a, (l) => l.ffn.kind === 'moe')).toBe(23);
    expect(a.layers[0]?.ffn).toEqual({ kind: 'dense', intermediateSize: 6144, gated: true, bias: false });
  });

  it('DeepSeek-V2-Lite: q_lora_rank null, 2 shared experts, first layer dense; ≈ 15.7B total', () => {
    const a = parse({
      architectures: ['DeepseekV2ForCausalLM'], model_type: 'deepseek_v2', hidden_size: 2048, intermediate_size: 10944, moe_intermediate_size: 1408,
      num_hidden_layers: 27, num_attention_heads: 16, num_key_value_heads: 16, n_routed_experts: 64, n_shared_experts: 2, num_experts_per_tok: 6,
      first_k_dense_replace: 1, moe_layer_freq: 1, kv_lora_rank: 512, q_lora_rank: null, qk_nope_head_dim: 128, qk_rope_head_dim: 64, v_head_dim: 128,
      vocab_size: 102400, max_position_embeddings: 163840, tie_word_embeddings: false, torch_dtype: 'bfloat16', topk_method: 'greedy',
    });
    expect(a.layers[0]?.mixer).toMatchObject({ kind: 'mla', qLoraRank: null, kvLoraRank: 512 });
    expect(a.layers[0]?.ffn.kind).toBe('dense');
    expect(a.layers[1]?.ffn).toMatchObject({ kind: 'moe', numSharedExperts: 2, sharedIntermediateSize: 2816 });
    expect(a.params.total / 1e9).toBeCloseTo(15.7, 1);
  });
});

describe('errors name the field', () => {
  const llama = () => fixtureJson('meta-llama__Llama-3.1-8B');
  const errorOf = (raw: unknown) => {
    const r = parseConfig(raw, { modelId: 't' });
    return r.ok ? null : r.error;
  };

  it('heads not dividing hidden when head_dim is absent', () => {
    expect(errorOf({ ...llama(), hidden_size: 4000, num_attention_heads: 48 })).toMatchObject({ kind: 'invalid-value', field: 'num_attention_heads' });
  });
  it('zero layers', () => {
    expect(errorOf({ ...llama(), num_hidden_layers: 0 })).toMatchObject({ kind: 'invalid-value', field: 'num_hidden_layers', value: 0 });
  });
  it('negative sizes', () => {
    expect(errorOf({ ...llama(), intermediate_size: -1 })).toMatchObject({ kind: 'invalid-value', field: 'intermediate_size' });
  });
  it('non-integer sizes', () => {
    expect(errorOf({ ...llama(), hidden_size: 4096.5 })).toMatchObject({ kind: 'invalid-value', field: 'hidden_size' });
    expect(errorOf({ ...llama(), hidden_size: '4096' })).toMatchObject({ kind: 'invalid-value', field: 'hidden_size' });
  });
  it('num_experts_per_tok > num_experts', () => {
    expect(errorOf({ ...fixtureJson('mistralai__Mixtral-8x7B-v0.1'), num_experts_per_tok: 9 })).toMatchObject({ kind: 'invalid-value', field: 'num_experts_per_tok' });
  });
  it('KV heads not dividing heads', () => {
    expect(errorOf({ ...llama(), num_key_value_heads: 5 })).toMatchObject({ kind: 'invalid-value', field: 'num_key_value_heads' });
  });
  it('missing hidden_size', () => {
    const { hidden_size: _, ...rest } = llama();
    expect(errorOf(rest)).toMatchObject({ kind: 'missing-field', field: 'hidden_size' });
  });
  it('layer_types of the wrong length, with the text_config prefix', () => {
    const raw = fixtureJson('Qwen__Qwen3.5-27B');
    const text = raw.text_config as Record<string, unknown>;
    expect(errorOf({ ...raw, text_config: { ...text, layer_types: ['full_attention'] } })).toMatchObject({ kind: 'invalid-value', field: 'text_config.layer_types' });
  });
  it('hybrid_override_pattern with an unknown char', () => {
    const raw = fixtureJson('nvidia__Nemotron-H-56B-Base-8K');
    const p = raw.hybrid_override_pattern as string;
    expect(errorOf({ ...raw, hybrid_override_pattern: `X${p.slice(1)}` })).toMatchObject({ kind: 'invalid-value', field: 'hybrid_override_pattern[0]' });
  });
  it('a config with nothing usable is unsupported-architecture', () => {
    expect(errorOf({ architectures: ['CLIPModel'], model_type: 'clip', projection_dim: 512 })).toEqual({ kind: 'unsupported-architecture', architecture: 'CLIPModel' });
    expect(errorOf([1, 2])).toMatchObject({ kind: 'unsupported-architecture' });
    expect(errorOf({ ...llama(), is_encoder_decoder: true })).toMatchObject({ kind: 'unsupported-architecture' });
  });
  it('an unknown model_type with Llama-like fields parses as a generic decoder, with an assumption note', () => {
    const r = parseConfig({ ...llama(), model_type: 'my_new_llama', architectures: ['MyNewForCausalLM'] }, { modelId: 't' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.params.total).toBe(8_030_261_248);
    expect(r.value.assumptions.some((s) => s.includes('my_new_llama'))).toBe(true);
  });
});

describe('safetensors counts', () => {
  it('sum per-dtype counts into params.total (paramSource safetensors), breakdown unscaled', () => {
    const a = parse(fixtureJson('meta-llama__Llama-3.1-8B'), { BF16: 8_030_261_248 });
    expect(a.paramSource).toBe('safetensors');
    expect(a.params.total).toBe(8_030_261_248);
    expect(a.params.mixer).toBe(32 * 41_943_040);
    expect(a.safetensorsParams).toEqual({ BF16: 8_030_261_248 });
  });

  it('take the MTP layer out of a DeepSeek-V3 count (FP8 + BF16 + F32 scales)', () => {
    // Split of the Hub total 684,531,386,000 across dtypes (the split itself does not matter to the sum).
    const a = parse(fixtureJson('deepseek-ai__DeepSeek-V3'), { BF16: 3_711_110_000, F8_E4M3: 680_778_000_000, F32: 42_276_000 });
    expect(a.paramSource).toBe('safetensors');
    expect((a.params.total - 671_026_000_000) / 1e9).toBeCloseTo(0.04, 1); // main model + its FP8 block scales
  });

  it('drop an lm_head a tied checkpoint stores anyway (Qwen3-0.6B: Hub 751,632,384 = 596,049,920 + 151936·1024)', () => {
    const a = parse(fixtureJson('Qwen__Qwen3-0.6B'), { BF16: 751_632_384 });
    expect(a.params.total).toBe(596_049_920);
    expect(a.assumptions.some((s) => s.includes('lm_head'))).toBe(true);
  });

  it('keep config arithmetic for packed 4-bit formats (gpt-oss U8 blocks are not parameters)', () => {
    const a = parse(fixtureJson('openai__gpt-oss-120b'), { BF16: 2_167_371_072, U8: 61_000_000_000 });
    expect(a.paramSource).toBe('config');
    expect(a.params.total / 1e9).toBeCloseTo(116.83, 2);
  });
});
