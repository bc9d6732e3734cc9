/**
 * Every vendored Hub config (fixtures/hf) parses into the right architecture. Expected values are
 * hand-checked from the config fields; a few totals carry their arithmetic in a comment.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelArch, QuantMethod } from '../types';
import { parseConfig } from './parseConfig';
import { parseConfigJson } from './parseConfigJson';

const ROOT = 'fixtures/hf';

function loadFixture(dir: string): ModelArch {
  const parsed = parseConfigJson(readFileSync(`${ROOT}/${dir}/config.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${dir}: ${JSON.stringify(parsed.error)}`);
  const hqPath = `${ROOT}/${dir}/hf_quant_config.json`;
  const hfQuantConfig: unknown = existsSync(hqPath) ? JSON.parse(readFileSync(hqPath, 'utf8')) : undefined;
  const r = parseConfig(parsed.value, { modelId: dir.replace('__', '/'), hfQuantConfig });
  if (!r.ok) throw new Error(`${dir}: ${JSON.stringify(r.error)}`);
  return r.value;
}

interface Expected {
  layers: number;
  /** Layers per mixer kind / ffn kind, e.g. { 'attention/dense': 32 }. */
  kinds: Record<string, number>;
  /** KV heads and head_dim of the first full-attention layer (null for MLA-only). */
  kvHeads: number | null;
  headDim: number | null;
  experts: [number, number] | null;
  /** Sliding-window layers and their window. */
  sliding: [number, number] | null;
  quant: QuantMethod;
  /** Billions, config arithmetic (incl. vision estimate). */
  totalB: number;
  activeB: number;
}

// prettier-ignore
const TABLE: Record<string, Expected> = {
  // 32·(41,943,040 attn + 176,160,768 mlp + 8192 norms) + 2·128256·4096 + 4096 = 8,030,261,248
  'meta-llama__Llama-3.1-8B': { layers: 32, kinds: { 'attention/dense': 32 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 8.030261248, activeB: 7.505 },
  'meta-llama__Llama-3.1-8B-Instruct': { layers: 32, kinds: { 'attention/dense': 32 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 8.030261248, activeB: 7.505 },
  'meta-llama__Llama-3.1-70B': { layers: 80, kinds: { 'attention/dense': 80 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 70.553706496, activeB: 69.503 },
  'meta-llama__Llama-3.1-70B-Instruct': { layers: 80, kinds: { 'attention/dense': 80 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 70.553706496, activeB: 69.503 },
  'meta-llama__Llama-3.1-405B': { layers: 126, kinds: { 'attention/dense': 126 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 405.8533888, activeB: 403.752 },
  'nvidia__Llama-3.1-70B-Instruct-FP8': { layers: 80, kinds: { 'attention/dense': 80 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'modelopt-fp8', totalB: 70.553706496, activeB: 69.503 },
  // head_dim derived: 3584 / 28 = 128; use_sliding_window false → no window despite sliding_window 131072
  'Qwen__Qwen2.5-7B-Instruct': { layers: 28, kinds: { 'attention/dense': 28 }, kvHeads: 4, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 7.615616512, activeB: 7.071 },
  // tied: 28·(q 1024·2048 + k,v 1024·1024·2 + o 2048·1024 + qk norms 256 + mlp 3·1024·3072 + 2048) + 151936·1024 + 1024 = 596,049,920
  'Qwen__Qwen3-0.6B': { layers: 28, kinds: { 'attention/dense': 28 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 0.59604992, activeB: 0.59604992 },
  'Qwen__Qwen3-8B': { layers: 36, kinds: { 'attention/dense': 36 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 8.19073536, activeB: 7.568 },
  'Qwen__Qwen3-32B': { layers: 64, kinds: { 'attention/dense': 64 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 32.762, activeB: 31.984 },
  'Qwen__Qwen3-32B-FP8': { layers: 64, kinds: { 'attention/dense': 64 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'fp8', totalB: 32.762, activeB: 31.984 },
  // phi-4: MHA-ish GQA 40/10, head_dim 5120/40 = 128
  'microsoft__phi-4': { layers: 40, kinds: { 'attention/dense': 40 }, kvHeads: 10, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 14.6595, activeB: 14.146 },
  // Gemma 2: sliding on even layers (21 of 42), window 4096; tied (GemmaConfig default); = Hub 9,241,705,984
  'google__gemma-2-9b-it': { layers: 42, kinds: { 'attention/dense': 42 }, kvHeads: 8, headDim: 256, experts: null, sliding: [21, 4096], quant: 'none', totalB: 9.241705984, activeB: 9.2417 },
  // Mixtral: 32·(41.9M attn + 8·176.2M experts + 32768 router + 8192) + 2·131M; active 2 of 8 experts
  'mistralai__Mixtral-8x7B-v0.1': { layers: 32, kinds: { 'attention/moe': 32 }, kvHeads: 8, headDim: 128, experts: [8, 2], sliding: null, quant: 'none', totalB: 46.702792704, activeB: 12.749 },
  'mistralai__Mixtral-8x22B-v0.1': { layers: 56, kinds: { 'attention/moe': 56 }, kvHeads: 8, headDim: 128, experts: [8, 2], sliding: null, quant: 'none', totalB: 140.6206, activeB: 38.955 },
  'Qwen__Qwen3-30B-A3B': { layers: 48, kinds: { 'attention/moe': 48 }, kvHeads: 4, headDim: 128, experts: [128, 8], sliding: null, quant: 'none', totalB: 30.5321, activeB: 3.042 },
  'Qwen__Qwen3-30B-A3B-FP8': { layers: 48, kinds: { 'attention/moe': 48 }, kvHeads: 4, headDim: 128, experts: [128, 8], sliding: null, quant: 'fp8', totalB: 30.5321, activeB: 3.042 },
  'Qwen__Qwen3-235B-A22B': { layers: 94, kinds: { 'attention/moe': 94 }, kvHeads: 4, headDim: 128, experts: [128, 8], sliding: null, quant: 'none', totalB: 235.09363456, activeB: 21.568 },
  'Qwen__Qwen3-235B-A22B-FP8': { layers: 94, kinds: { 'attention/moe': 94 }, kvHeads: 4, headDim: 128, experts: [128, 8], sliding: null, quant: 'fp8', totalB: 235.09363456, activeB: 21.568 },
  'Qwen__Qwen3-Coder-480B-A35B-Instruct': { layers: 62, kinds: { 'attention/moe': 62 }, kvHeads: 8, headDim: 128, experts: [160, 8], sliding: null, quant: 'none', totalB: 480.1549, activeB: 34.541 },
  // Qwen3-Next: full attention every 4th layer (12 of 48), Gated DeltaNet elsewhere; 512 experts top-10 + gated shared expert
  'Qwen__Qwen3-Next-80B-A3B-Thinking': { layers: 48, kinds: { 'linear-attention/moe': 36, 'attention/moe': 12 }, kvHeads: 2, headDim: 256, experts: [512, 10], sliding: null, quant: 'none', totalB: 79.6744, activeB: 3.564 },
  // Qwen3-VL: text = Qwen3-8B shapes (8.1907B) + vision estimate 576M
  'Qwen__Qwen3-VL-8B-Instruct': { layers: 36, kinds: { 'attention/dense': 36 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 8.7671, activeB: 7.568 },
  'Qwen__Qwen3.5-27B': { layers: 64, kinds: { 'linear-attention/dense': 48, 'attention/dense': 16 }, kvHeads: 4, headDim: 256, experts: null, sliding: null, quant: 'none', totalB: 27.3567, activeB: 25.625 },
  'Qwen__Qwen3.5-35B-A3B': { layers: 40, kinds: { 'linear-attention/moe': 30, 'attention/moe': 10 }, kvHeads: 2, headDim: 256, experts: [256, 8], sliding: null, quant: 'none', totalB: 35.1072, activeB: 2.946 },
  // DeepSeek-V3: 3 dense + 58 MoE layers; 671.03B main model (the published "671B"), MTP layer separate
  'deepseek-ai__DeepSeek-V3': { layers: 61, kinds: { 'mla/dense': 3, 'mla/moe': 58 }, kvHeads: null, headDim: null, experts: [256, 8], sliding: null, quant: 'fp8', totalB: 671.0264, activeB: 36.626 },
  'deepseek-ai__DeepSeek-R1': { layers: 61, kinds: { 'mla/dense': 3, 'mla/moe': 58 }, kvHeads: null, headDim: null, experts: [256, 8], sliding: null, quant: 'fp8', totalB: 671.0264, activeB: 36.626 },
  // V3.2 adds the lightning indexer (wq_b 1536·8192 + wk 7168·128 + k_norm 256 + weights_proj 7168·64 per layer)
  'deepseek-ai__DeepSeek-V3.2': { layers: 61, kinds: { 'mla/dense': 3, 'mla/moe': 58 }, kvHeads: null, headDim: null, experts: [256, 8], sliding: null, quant: 'fp8', totalB: 671.8779, activeB: 37.477 },
  'nvidia__DeepSeek-V3.1-NVFP4': { layers: 61, kinds: { 'mla/dense': 3, 'mla/moe': 58 }, kvHeads: null, headDim: null, experts: [256, 8], sliding: null, quant: 'nvfp4', totalB: 671.0264, activeB: 36.626 },
  'moonshotai__Kimi-K2-Instruct': { layers: 61, kinds: { 'mla/dense': 1, 'mla/moe': 60 }, kvHeads: null, headDim: null, experts: [384, 8], sliding: null, quant: 'fp8', totalB: 1026.4082, activeB: 31.687 },
  'moonshotai__Kimi-K2.5': { layers: 61, kinds: { 'mla/dense': 1, 'mla/moe': 60 }, kvHeads: null, headDim: null, experts: [384, 8], sliding: null, quant: 'compressed-tensors', totalB: 1026.8747, activeB: 31.687 },
  'zai-org__GLM-5-FP8': { layers: 78, kinds: { 'mla/dense': 3, 'mla/moe': 75 }, kvHeads: null, headDim: null, experts: [256, 8], sliding: null, quant: 'fp8', totalB: 743.9112, activeB: 40.833 },
  'MiniMaxAI__MiniMax-M2.5': { layers: 62, kinds: { 'attention/moe': 62 }, kvHeads: 8, headDim: 128, experts: [256, 8], sliding: null, quant: 'fp8', totalB: 228.6898, activeB: 10.416 },
  // gpt-oss: layer_types alternate sliding (128) / full; 116.83B total, 5.13B active (OpenAI model card: 116.83B / 5.13B)
  'openai__gpt-oss-120b': { layers: 36, kinds: { 'attention/moe': 36 }, kvHeads: 8, headDim: 64, experts: [128, 4], sliding: [18, 128], quant: 'mxfp4', totalB: 116.8292, activeB: 5.133 },
  'openai__gpt-oss-20b': { layers: 24, kinds: { 'attention/moe': 24 }, kvHeads: 8, headDim: 64, experts: [32, 4], sliding: [12, 128], quant: 'mxfp4', totalB: 20.9148, activeB: 3.608 },
  // Gemma 4 26B-A4B: 25 sliding (1024) + 5 global layers (head_dim 512, 2 KV heads, K=V); 25.23B text + 427M vision estimate
  'google__gemma-4-26B-A4B': { layers: 30, kinds: { 'attention/moe': 30 }, kvHeads: 2, headDim: 512, experts: [128, 8], sliding: [25, 1024], quant: 'none', totalB: 25.6602, activeB: 3.822 },
  // Nemotron-H: one layer per pattern char; M and * have no FFN, - is an MLP-only layer
  'nvidia__Nemotron-H-56B-Base-8K': { layers: 118, kinds: { 'mamba/none': 54, 'none/dense': 54, 'attention/none': 10 }, kvHeads: 8, headDim: 128, experts: null, sliding: null, quant: 'none', totalB: 56.3244, activeB: 55.251 },
  'nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B-BF16': { layers: 52, kinds: { 'mamba/none': 23, 'none/moe': 23, 'attention/none': 6 }, kvHeads: 2, headDim: 128, experts: [128, 6], sliding: null, quant: 'none', totalB: 31.5779, activeB: 3.228 },
};

const dirs = readdirSync(ROOT).filter((d) => existsSync(`${ROOT}/${d}/config.json`));

describe('every fixture parses into the right architecture', () => {
  it('the table covers every fixture directory', () => {
    expect(dirs.filter((d) => !(d in TABLE))).toEqual([]);
  });

  for (const dir of dirs) {
    const want = TABLE[dir];
    if (!want) continue;
    it(`parseConfig reads ${dir}`, () => {
      const a = loadFixture(dir);
      expect(a.numLayers).toBe(want.layers);
      expect(a.layers).toHaveLength(want.layers);
      const kinds: Record<string, number> = {};
      for (const l of a.layers) kinds[`${l.mixer.kind}/${l.ffn.kind}`] = (kinds[`${l.mixer.kind}/${l.ffn.kind}`] ?? 0) + 1;
      expect(kinds).toEqual(want.kinds);
      const full = a.layers.map((l) => l.mixer).find((m) => m.kind === 'attention' && m.slidingWindowTokens === null);
      expect(full && full.kind === 'attention' ? full.numKvHeads : null).toBe(want.kvHeads);
      expect(full && full.kind === 'attention' ? full.headDim : null).toBe(want.headDim);
      const moe = a.layers.map((l) => l.ffn).find((f) => f.kind === 'moe');
      expect(moe && moe.kind === 'moe' ? [moe.numExperts, moe.topK] : null).toEqual(want.experts);
      const sliding = a.layers.filter((l) => l.mixer.kind === 'attention' && l.mixer.slidingWindowTokens !== null);
      const first = sliding[0]?.mixer;
      expect(sliding.length > 0 && first?.kind === 'attention' ? [sliding.length, first.slidingWindowTokens] : null).toEqual(want.sliding);
      expect(a.quantization.method).toBe(want.quant);
      expect(a.params.total / 1e9).toBeCloseTo(want.totalB, 3);
      expect(a.params.activePerToken / 1e9).toBeCloseTo(want.activeB, 2);
      expect(a.paramSource).toBe('config');
      for (const v of Object.values(a.params)) expect(Number.isFinite(v)).toBe(true);
    });
  }
});

describe('active parameters per token match the published figures', () => {
  // activePerToken excludes the input-embedding lookup (OpenAI's convention); Qwen and Mistral
  // count the embedding table too, so for their figures we add params.embedding.
  const active = (dir: string, withEmbedding: boolean) => {
    const a = loadFixture(dir);
    return (a.params.activePerToken + (withEmbedding ? a.params.embedding : 0)) / 1e9;
  };
  it('DeepSeek-V3 ≈ 37B (36.6B + 0.93B embedding = 37.6B)', () => {
    expect(active('deepseek-ai__DeepSeek-V3', false)).toBeGreaterThan(36);
    expect(active('deepseek-ai__DeepSeek-V3', true)).toBeLessThan(38);
  });
  it('Qwen3-30B-A3B ≈ 3.3B counting the embedding (Qwen convention)', () => {
    expect(active('Qwen__Qwen3-30B-A3B', true)).toBeCloseTo(3.35, 1);
  });
  it('Mixtral-8x7B ≈ 12.9B counting the embedding', () => {
    expect(active('mistralai__Mixtral-8x7B-v0.1', true)).toBeCloseTo(12.88, 1);
  });
  it('gpt-oss-120b ≈ 5.1B (OpenAI counts the unembedding, not the embedding)', () => {
    expect(active('openai__gpt-oss-120b', false)).toBeCloseTo(5.13, 1);
  });
  it('Qwen3-235B-A22B ≈ 22B', () => {
    expect(active('Qwen__Qwen3-235B-A22B', true)).toBeCloseTo(22.2, 0);
  });
});

describe('fixture details', () => {
  it('Gemma 4 global layers use global_head_dim, num_global_key_value_heads and K = V; sliding layers do not', () => {
    const a = loadFixture('google__gemma-4-26B-A4B');
    const m5 = a.layers[5]?.mixer;
    const m0 = a.layers[0]?.mixer;
    expect(m5).toMatchObject({ kind: 'attention', headDim: 512, numKvHeads: 2, kEqV: true, slidingWindowTokens: null });
    expect(m0).toMatchObject({ kind: 'attention', headDim: 256, numKvHeads: 8, kEqV: false, slidingWindowTokens: 1024 });
    expect(a.layers[0]?.ffn).toMatchObject({ kind: 'moe', parallelDenseIntermediateSize: 2112, expertIntermediateSize: 704 });
    expect(a.tiedEmbeddings).toBe(true);
  });

  it('Gemma 2 slides on even layers', () => {
    const a = loadFixture('google__gemma-2-9b-it');
    expect(a.layers.slice(0, 4).map((l) => (l.mixer.kind === 'attention' ? l.mixer.slidingWindowTokens : -1))).toEqual([4096, null, 4096, null]);
  });

  it('MLA: DeepSeek-V3 latent shapes, V3.2 indexer, Kimi-K2 1 dense layer', () => {
    const v3 = loadFixture('deepseek-ai__DeepSeek-V3');
    expect(v3.layers[0]?.mixer).toEqual({ kind: 'mla', numHeads: 128, qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 });
    expect(v3.mtpLayers).toBe(1);
    expect(v3.layers[3]?.ffn).toMatchObject({ kind: 'moe', numSharedExperts: 1, sharedIntermediateSize: 2048 });
    const v32 = loadFixture('deepseek-ai__DeepSeek-V3.2');
    expect(v32.layers[0]?.mixer).toMatchObject({ kind: 'mla', indexer: { numHeads: 64, headDim: 128, topKTokens: 2048 } });
  });

  it('Qwen3-Next: DeltaNet shapes, gated attention output, shared expert with gate', () => {
    const a = loadFixture('Qwen__Qwen3-Next-80B-A3B-Thinking');
    expect(a.layers[0]?.mixer).toEqual({ kind: 'linear-attention', numKeyHeads: 16, numValueHeads: 32, keyHeadDim: 128, valueHeadDim: 128, convKernel: 4 });
    expect(a.layers[3]?.mixer).toMatchObject({ kind: 'attention', outputGate: true, qkNorm: 'per-head' });
    expect(a.layers[0]?.ffn).toMatchObject({ kind: 'moe', sharedIntermediateSize: 512, sharedExpertGate: true });
  });

  it('Nemotron-H: Mamba-2 shapes from mamba_num_heads × mamba_head_dim', () => {
    const a = loadFixture('nvidia__Nemotron-H-56B-Base-8K');
    expect(a.layers[0]?.mixer).toMatchObject({ kind: 'mamba', version: 2, innerDim: 16384, numHeads: 256, headDim: 64, stateSize: 256, numGroups: 8, convKernel: 4 });
    expect(a.layers[1]).toEqual({ mixer: { kind: 'none' }, ffn: { kind: 'dense', intermediateSize: 32768, gated: false, bias: false } });
    const nano = loadFixture('nvidia__NVIDIA-Nemotron-3-Nano-30B-A3B-BF16');
    expect(nano.layers[1]?.ffn).toMatchObject({ kind: 'moe', numExperts: 128, topK: 6, sharedIntermediateSize: 3712, gated: false });
  });

  it('multimodal wrappers: language-model numbers from text_config, vision counted separately with an estimate note', () => {
    const a = loadFixture('Qwen__Qwen3-VL-8B-Instruct');
    expect(a.hiddenSize).toBe(4096);
    expect(a.tiedEmbeddings).toBe(false); // top-level tie_word_embeddings
    expect(a.params.vision / 1e6).toBeCloseTo(576, -1);
    expect(a.params.total - a.params.vision).toBe(loadFixture('Qwen__Qwen3-8B').params.total);
    expect(a.assumptions.some((s) => s.includes('estimate'))).toBe(true);
  });
});
