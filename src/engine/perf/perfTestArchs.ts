/**
 * Hand-built models for the perf model's unit tests (independent of arch/parseConfig). Test-only:
 * nothing in the engine imports this file. Shapes from the published config.json files.
 */
import type { AttentionMixer, GpuSpec, KvGroupPlan, LayerSpec, MemoryPlan, ModelArch, QuantizationInfo, ServingOptions } from '../types';

export const BF16: QuantizationInfo = {
  method: 'none',
  weightBits: 16,
  computeDtype: 'bf16',
  groupSize: 0,
  scaleBytes: 0,
  unquantized: [],
  label: 'BF16',
  runtime: false,
};

const gqa = (heads: number, kv: number, headDim: number): AttentionMixer => ({
  kind: 'attention',
  numHeads: heads,
  numKvHeads: kv,
  headDim,
  qkvBias: false,
  slidingWindowTokens: null,
  outputGate: false,
  kEqV: false,
});

function arch(modelId: string, hidden: number, vocab: number, layers: LayerSpec[]): ModelArch {
  return {
    modelId,
    modelType: 'test',
    architecture: 'Test',
    hiddenSize: hidden,
    vocabSize: vocab,
    numLayers: layers.length,
    layers,
    tiedEmbeddings: false,
    maxPositionTokens: 131072,
    checkpointDtype: 'bf16',
    quantization: BF16,
    params: { embedding: 0, lmHead: 0, mixer: 0, denseFfn: 0, routedExperts: 0, sharedExperts: 0, router: 0, norms: 0, vision: 0, total: 0, activePerToken: 0 },
    paramSource: 'config',
    mtpLayers: 0,
    assumptions: [],
  };
}

/** Llama-3.1-8B: 32 layers, hidden 4096, 32/8 heads × 128, SwiGLU 14336, vocab 128256. */
export const LLAMA_8B = arch(
  'test/llama-3.1-8b',
  4096,
  128256,
  Array.from({ length: 32 }, () => ({ mixer: gqa(32, 8, 128), ffn: { kind: 'dense', intermediateSize: 14336, gated: true, bias: false } })),
);

/** Mixtral-8x7B: 32 layers, hidden 4096, 32/8 heads × 128, 8 experts top-2 of SwiGLU 14336, vocab 32000. */
export const MIXTRAL = arch(
  'test/mixtral-8x7b',
  4096,
  32000,
  Array.from({ length: 32 }, () => ({
    mixer: gqa(32, 8, 128),
    ffn: {
      kind: 'moe',
      numExperts: 8,
      topK: 2,
      expertIntermediateSize: 14336,
      numSharedExperts: 0,
      sharedIntermediateSize: 0,
      gated: true,
      bias: false,
      parallelDenseIntermediateSize: 0,
    },
  })),
);

/** DeepSeek-V3 attention: MLA, 128 heads, q_lora 1536, kv_lora 512, nope 128, rope 64, v 128 (one layer). */
export const DEEPSEEK_MLA_LAYER: LayerSpec = {
  mixer: { kind: 'mla', numHeads: 128, qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 },
  ffn: { kind: 'dense', intermediateSize: 18432, gated: true, bias: false },
};
export const DEEPSEEK_MLA_1L = arch('test/deepseek-mla-1-layer', 7168, 129280, [DEEPSEEK_MLA_LAYER]);

export const H100: GpuSpec = {
  id: 'test-h100',
  name: 'Test H100',
  vendor: 'nvidia',
  generation: 'hopper',
  aliases: [],
  memoryBytes: 85_029_158_912,
  memBandwidthBytesPerS: 3.35e12,
  denseTflops: { bf16: 989.4, fp16: 989.4, fp8: 1978.9 },
  interconnect: { kind: 'nvlink', bytesPerS: 450e9, gpusPerNode: 8 },
  tdpWatts: 700,
  priceUsdPerHour: 3,
  source: { url: 'https://example.invalid/test', retrieved: '2026-01-01' },
  priceSource: { url: 'https://example.invalid/test', retrieved: '2026-01-01' },
};

export function serving(overrides: Partial<ServingOptions> = {}): ServingOptions {
  return {
    maxModelLenTokens: 8192,
    gpuMemoryUtilization: 0.9,
    weightPrecision: 'auto',
    kvCacheDtype: 'auto',
    blockSizeTokens: null,
    maxNumBatchedTokens: 8192,
    maxNumSeqs: 256,
    enforceEager: false,
    ...overrides,
  };
}

/** A fitting memory plan with a KV pool of `kvBytes` and full-attention layers of `bytesPerTokenPerLayer`. */
export function memoryPlan(numLayers: number, bytesPerTokenPerLayer: number, kvBytes: number): MemoryPlan {
  const group: KvGroupPlan = { kind: 'full-attention', numLayers, bytesPerTokenPerLayer, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null };
  return {
    fits: true,
    reason: null,
    message: null,
    gpuMemoryBytes: 80e9,
    budgetBytes: 72e9,
    weightsBytesPerGpu: 16e9,
    activationPeakBytesPerGpu: 1e9,
    nonTorchBytesPerGpu: 0.25e9,
    cudaGraphBytesPerGpu: 0.5e9,
    kvCacheBytesPerGpu: kvBytes,
    kvGroups: [group],
    kvBytesPerTokenPerGpu: numLayers * bytesPerTokenPerLayer,
    stateBytesPerRequestPerGpu: 0,
    blockSizeTokens: 16,
    pageBytes: 16 * numLayers * bytesPerTokenPerLayer,
    numGpuBlocks: Math.floor(kvBytes / (16 * numLayers * bytesPerTokenPerLayer)),
    kvCacheTokens: Math.floor(kvBytes / (numLayers * bytesPerTokenPerLayer)),
    maxConcurrency: kvBytes / (numLayers * bytesPerTokenPerLayer * 8192),
    maxModelLenTokens: 8192,
    maxFittingModelLenTokens: 8192,
    headroomBytesPerGpu: 1e9,
    validTp: [1, 2, 4, 8],
    maxPp: 32,
    gpuMemoryUtilization: 0.9,
    explainText: null,
  };
}
