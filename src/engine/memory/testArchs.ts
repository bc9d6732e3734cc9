/**
 * Hand-built ModelArch objects for the memory planner's unit tests (independent of arch/parseConfig).
 * Shapes from the models' published config.json; parameter counts by hand from those shapes.
 * Test-only: nothing in the engine imports this file.
 */
import type { AttentionMixer, GpuSpec, LayerSpec, MlaMixer, ModelArch, QuantizationInfo, ServingOptions } from '../types';
import { GiB } from '../units';

export const NO_QUANT: QuantizationInfo = {
  method: 'none',
  weightBits: 16,
  computeDtype: 'bf16',
  groupSize: 0,
  scaleBytes: 0,
  unquantized: [],
  label: 'BF16',
  runtime: false,
};

/** vLLM 0.19 on H100 80GB sees 79.19 GiB (vllm_memory_calibration.csv). */
export function testGpu(memoryGiB = 79.19, generation: GpuSpec['generation'] = 'hopper'): GpuSpec {
  return {
    id: 'test-gpu',
    name: 'Test GPU',
    vendor: 'nvidia',
    generation,
    aliases: [],
    memoryBytes: memoryGiB * GiB,
    memBandwidthBytesPerS: 3.35e12,
    denseTflops: { bf16: 989 },
    interconnect: { kind: 'nvlink', bytesPerS: 450e9, gpusPerNode: 8 },
    tdpWatts: 700,
    priceUsdPerHour: 3,
    source: { url: 'https://example.invalid/test', retrieved: '2026-01-01' },
    priceSource: { url: 'https://example.invalid/test', retrieved: '2026-01-01' },
  };
}

/** vLLM 0.19 `vllm serve` on an H100 as in the calibration rows: mnbt 8192, max_num_seqs 1024, util 0.95. */
export function testServing(overrides: Partial<ServingOptions> = {}): ServingOptions {
  return {
    maxModelLenTokens: 8192,
    gpuMemoryUtilization: 0.95,
    weightPrecision: 'auto',
    kvCacheDtype: 'auto',
    blockSizeTokens: null,
    maxNumBatchedTokens: 8192,
    maxNumSeqs: 1024,
    enforceEager: false,
    ...overrides,
  };
}

function attention(numHeads: number, numKvHeads: number, headDim: number, slidingWindowTokens: number | null = null): AttentionMixer {
  return { kind: 'attention', numHeads, numKvHeads, headDim, qkvBias: false, slidingWindowTokens, outputGate: false, kEqV: false };
}

function denseArch(o: {
  modelId: string;
  hidden: number;
  vocab: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  inter: number;
  tied: boolean;
  maxPos: number;
  slidingEvery?: number;
  window?: number;
}): ModelArch {
  const layers: LayerSpec[] = [];
  for (let i = 0; i < o.layers; i += 1) {
    const sliding = o.slidingEvery !== undefined && i % o.slidingEvery === 0 ? (o.window ?? null) : null;
    layers.push({
      mixer: attention(o.heads, o.kvHeads, o.headDim, sliding),
      ffn: { kind: 'dense', intermediateSize: o.inter, gated: true, bias: false },
    });
  }
  const embedding = o.vocab * o.hidden;
  const mixer = o.layers * (2 * o.hidden * o.heads * o.headDim + 2 * o.hidden * o.kvHeads * o.headDim);
  const denseFfn = o.layers * 3 * o.hidden * o.inter;
  const norms = (2 * o.layers + 1) * o.hidden;
  const lmHead = o.tied ? 0 : embedding;
  const total = embedding + lmHead + mixer + denseFfn + norms;
  return {
    modelId: o.modelId,
    modelType: 'llama',
    architecture: 'LlamaForCausalLM',
    hiddenSize: o.hidden,
    vocabSize: o.vocab,
    numLayers: o.layers,
    layers,
    tiedEmbeddings: o.tied,
    maxPositionTokens: o.maxPos,
    checkpointDtype: 'bf16',
    quantization: NO_QUANT,
    params: {
      embedding,
      lmHead,
      mixer,
      denseFfn,
      routedExperts: 0,
      sharedExperts: 0,
      router: 0,
      norms,
      vision: 0,
      total,
      activePerToken: total,
    },
    paramSource: 'config',
    mtpLayers: 0,
    assumptions: [],
  };
}

/** meta-llama/Llama-3.1-8B-Instruct config.json: 32 layers, hidden 4096, 32 heads, 8 KV heads, inter 14336. */
export const LLAMA_31_8B = denseArch({
  modelId: 'meta-llama/Llama-3.1-8B-Instruct',
  hidden: 4096,
  vocab: 128256,
  layers: 32,
  heads: 32,
  kvHeads: 8,
  headDim: 128,
  inter: 14336,
  tied: false,
  maxPos: 131072,
});

/** google/gemma-2-9b-it-like: 42 layers alternating sliding (4096) and global attention, 8 KV heads × 256. */
export const GEMMA2_9B = denseArch({
  modelId: 'google/gemma-2-9b-it',
  hidden: 3584,
  vocab: 256000,
  layers: 42,
  heads: 16,
  kvHeads: 8,
  headDim: 256,
  inter: 14336,
  tied: true,
  maxPos: 8192,
  slidingEvery: 2,
  window: 4096,
});

/** deepseek-ai/DeepSeek-V3 MLA shape (kv_lora_rank 512, rope 64, 128 heads), dense FFN stand-in, 61 layers. */
export const DEEPSEEK_V3_MLA: ModelArch = (() => {
  const mla: MlaMixer = {
    kind: 'mla',
    numHeads: 128,
    qLoraRank: 1536,
    kvLoraRank: 512,
    qkNopeHeadDim: 128,
    qkRopeHeadDim: 64,
    vHeadDim: 128,
  };
  const base = denseArch({
    modelId: 'deepseek-ai/DeepSeek-V3 (MLA shape)',
    hidden: 7168,
    vocab: 129280,
    layers: 61,
    heads: 128,
    kvHeads: 128,
    headDim: 128,
    inter: 18432,
    tied: false,
    maxPos: 163840,
  });
  return { ...base, layers: base.layers.map((l) => ({ ...l, mixer: mla })) };
})();
