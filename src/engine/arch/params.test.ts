import { describe, expect, it } from 'vitest';
import type { AttentionMixer, LinearAttentionMixer, MambaMixer, MlaMixer, MoeFfn } from '../types';
import { ffnParams, ffnTensors, mixerParams, mixerTensors, mtpLayerParams, paramBreakdown } from './params';

const llama8bAttn: AttentionMixer = {
  kind: 'attention', numHeads: 32, numKvHeads: 8, headDim: 128, qkvBias: false, slidingWindowTokens: null, outputGate: false, kEqV: false,
};

describe('mixerParams', () => {
  it('counts GQA q/k/v/o for Llama-3.1-8B: 4096·4096 + 2·4096·1024 + 4096·4096 = 41,943,040', () => {
    expect(mixerParams(llama8bAttn, 4096)).toBe(41_943_040);
  });

  it('adds Qwen2 q/k/v biases (3584 + 2·512) but no o_proj bias', () => {
    const qwen25: AttentionMixer = { ...llama8bAttn, numHeads: 28, numKvHeads: 4, qkvBias: true };
    // q 3584·3584, k,v 3584·512 each, o 3584·3584, biases 3584 + 512 + 512
    expect(mixerParams(qwen25, 3584)).toBe(3584 * 3584 * 2 + 2 * 3584 * 512 + 3584 + 1024);
  });

  it('doubles q_proj for the Qwen3-Next output gate and adds per-head q/k norms', () => {
    const m: AttentionMixer = { ...llama8bAttn, numHeads: 16, numKvHeads: 2, headDim: 256, outputGate: true, qkNorm: 'per-head' };
    // q 2048·(16·256·2), k,v 2048·512 each, o 4096·2048, norms 2·256
    expect(mixerParams(m, 2048)).toBe(2048 * 8192 + 2 * 2048 * 512 + 4096 * 2048 + 512);
  });

  it('drops v_proj when K = V (Gemma 4 global layers)', () => {
    const m: AttentionMixer = { ...llama8bAttn, numHeads: 16, numKvHeads: 2, headDim: 512, kEqV: true };
    expect(mixerParams(m, 2816)).toBe(2816 * 8192 + 2816 * 1024 + 8192 * 2816);
  });

  it('counts gpt-oss biases on q/k/v/o and one sink per head', () => {
    const m: AttentionMixer = { ...llama8bAttn, numHeads: 64, numKvHeads: 8, headDim: 64, qkvBias: true, outputBias: true, sinks: true };
    expect(mixerParams(m, 2880)).toBe(2880 * 4096 + 2 * 2880 * 512 + 4096 * 2880 + (4096 + 1024) + 2880 + 64);
  });

  it('counts DeepSeek-V3 MLA incl. q_a/kv_a layernorms: 187,107,328', () => {
    const mla: MlaMixer = { kind: 'mla', numHeads: 128, qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 };
    // q_a 7168·1536 + 1536 + q_b 1536·128·192 + kv_a 7168·576 + 512 + kv_b 512·128·256 + o 16384·7168
    const expected = 7168 * 1536 + 1536 + 1536 * 128 * 192 + 7168 * 576 + 512 + 512 * 128 * 256 + 16384 * 7168;
    expect(expected).toBe(187_107_328);
    expect(mixerParams(mla, 7168)).toBe(expected);
  });

  it('projects MLA queries directly when q_lora_rank is null (DeepSeek-V2-Lite)', () => {
    const mla: MlaMixer = { kind: 'mla', numHeads: 16, qLoraRank: null, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 };
    expect(mixerTensors(mla, 2048).map((t) => t.name)).toContain('self_attn.q_proj.weight');
    expect(mixerParams(mla, 2048)).toBe(2048 * 16 * 192 + 2048 * 576 + 512 + 512 * 16 * 256 + 2048 * 2048);
  });

  it('counts Mamba-2 in_proj/conv1d/dt/A/D/norm/out_proj (Nemotron-H-56B)', () => {
    const m: MambaMixer = { kind: 'mamba', version: 2, innerDim: 16384, numHeads: 256, headDim: 64, stateSize: 256, numGroups: 8, convKernel: 4, dtRank: 0, convBias: true, projBias: false };
    const conv = 16384 + 2 * 8 * 256; // x, B, C
    const expected = 8192 * (2 * 16384 + 2 * 8 * 256 + 256) + conv * 4 + conv + 3 * 256 + 16384 + 16384 * 8192;
    expect(mixerParams(m, 8192)).toBe(expected);
  });

  it('counts Mamba-1 with x_proj and dt_proj (Jamba)', () => {
    const m: MambaMixer = { kind: 'mamba', version: 1, innerDim: 8192, numHeads: 1, headDim: 8192, stateSize: 16, numGroups: 1, convKernel: 4, dtRank: 256, convBias: true, projBias: false };
    const expected = 4096 * 16384 + 8192 * 4 + 8192 + 8192 * (256 + 32) + 256 * 8192 + 8192 + 8192 * 16 + 8192 + 256 + 32 + 8192 * 4096;
    expect(mixerParams(m, 4096)).toBe(expected);
  });

  it('counts Gated DeltaNet projections (Qwen3-Next)', () => {
    const m: LinearAttentionMixer = { kind: 'linear-attention', numKeyHeads: 16, numValueHeads: 32, keyHeadDim: 128, valueHeadDim: 128, convKernel: 4 };
    const expected = 2048 * (2 * 2048 + 2 * 4096) + 2048 * 64 + (2 * 2048 + 4096) * 4 + 32 + 32 + 128 + 4096 * 2048;
    expect(mixerParams(m, 2048)).toBe(expected);
  });

  it('has no parameters for a mixer-less layer', () => {
    expect(mixerParams({ kind: 'none' }, 4096)).toBe(0);
  });
});

describe('ffnParams', () => {
  it('counts SwiGLU gate+up+down for Llama-3.1-8B: 3·4096·14336', () => {
    expect(ffnParams({ kind: 'dense', intermediateSize: 14336, gated: true, bias: false }, 4096).total).toBe(3 * 4096 * 14336);
  });

  it('counts an ungated relu2 MLP as up+down (Nemotron-H)', () => {
    expect(ffnParams({ kind: 'dense', intermediateSize: 32768, gated: false, bias: false }, 8192).total).toBe(2 * 8192 * 32768);
  });

  it('counts DeepSeek-V3 MoE: 256 routed + 1 shared + router with correction bias; active = 8/256 of routed', () => {
    const ffn: MoeFfn = {
      kind: 'moe', numExperts: 256, topK: 8, expertIntermediateSize: 2048, numSharedExperts: 1, sharedIntermediateSize: 2048,
      gated: true, bias: false, parallelDenseIntermediateSize: 0, routerBias: true,
    };
    const p = ffnParams(ffn, 7168);
    const expert = 3 * 7168 * 2048;
    expect(p.routedExperts).toBe(256 * expert);
    expect(p.sharedExperts).toBe(expert);
    expect(p.router).toBe(7168 * 256 + 256);
    expect(p.activePerToken).toBe(8 * expert + expert + 7168 * 256 + 256);
  });

  it('counts a Gemma 4 parallel dense MLP beside the experts as denseFfn', () => {
    const ffn: MoeFfn = {
      kind: 'moe', numExperts: 128, topK: 8, expertIntermediateSize: 704, numSharedExperts: 0, sharedIntermediateSize: 0,
      gated: true, bias: false, parallelDenseIntermediateSize: 2112,
    };
    const p = ffnParams(ffn, 2816);
    expect(p.denseFfn).toBe(3 * 2816 * 2112);
    expect(p.activePerToken).toBe(3 * 2816 * 2112 + 8 * 3 * 2816 * 704 + 2816 * 128);
  });

  it('shards experts column/row and keeps the router replicated', () => {
    const ffn: MoeFfn = {
      kind: 'moe', numExperts: 8, topK: 2, expertIntermediateSize: 14336, numSharedExperts: 0, sharedIntermediateSize: 0,
      gated: true, bias: false, parallelDenseIntermediateSize: 0,
    };
    const ts = ffnTensors(ffn, 4096);
    expect(ts.routedExperts.map((t) => t.tp)).toEqual(['column', 'row']);
    expect(ts.router.every((t) => t.tp === 'replicated')).toBe(true);
  });
});

describe('paramBreakdown', () => {
  it('reproduces Llama-3.1-8B exactly: 8,030,261,248 (Hub safetensors total)', () => {
    const layers = Array.from({ length: 32 }, () => ({ mixer: llama8bAttn, ffn: { kind: 'dense' as const, intermediateSize: 14336, gated: true, bias: false } }));
    const p = paramBreakdown({ hiddenSize: 4096, vocabSize: 128256, tiedEmbeddings: false, layers, normsPerLayer: layers.map(() => 2), extraEmbeddingParams: 0, visionParams: 0 });
    expect(p.total).toBe(8_030_261_248);
    // Active = everything but the input embedding row lookup.
    expect(p.activePerToken).toBe(p.total - p.embedding);
  });

  it('counts the tied embedding once, and as the lm_head in active params', () => {
    const layers = [{ mixer: llama8bAttn, ffn: { kind: 'none' as const } }];
    const p = paramBreakdown({ hiddenSize: 4096, vocabSize: 1000, tiedEmbeddings: true, layers, normsPerLayer: [1], extraEmbeddingParams: 0, visionParams: 0 });
    expect(p.lmHead).toBe(0);
    expect(p.total).toBe(1000 * 4096 + 41_943_040 + 4096 + 4096);
    expect(p.activePerToken).toBe(p.total);
  });

  it('mtpLayerParams adds eh_proj, three norms and, for DeepSeek, its own embed and head', () => {
    const layer = { mixer: llama8bAttn, ffn: { kind: 'none' as const } };
    const base = mtpLayerParams(layer, 4096, 1000, false);
    expect(base).toBe(41_943_040 + 2 * 4096 + 2 * 4096 + 2 * 4096 * 4096 + 4096);
    expect(mtpLayerParams(layer, 4096, 1000, true) - base).toBe(2 * 1000 * 4096);
  });
});
