/**
 * Hand-built models, GPU and serving options for the engine's unit tests (independent of
 * arch/parseConfig). Test-only: nothing in the engine imports this file. Shapes from the models'
 * published config.json files; parameter counts by hand from those shapes.
 */
import type { AttentionMixer, GpuSpec, KvGroupPlan, LayerSpec, MemoryPlan, MlaMixer, ModelArch, ParamCountsByComponent, QuantizationInfo, ResolvedServingOptions } from './types';
import { GiB } from './units';

/** An unquantized 16-bit checkpoint (method 'none', bf16 compute). */
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

/**
 * An H100 SXM-like GPU. vLLM 0.19 on H100 80GB sees 79.19 GiB (vllm_memory_calibration.csv); dense
 * TFLOPS from the datasheet. The perf suite reads the TFLOPS, the memory suite the memory size.
 */
export function testGpu(memoryGiB = 79.19, generation: GpuSpec['generation'] = 'hopper'): GpuSpec {
  return {
    id: 'test-gpu',
    name: 'Test GPU',
    vendor: 'nvidia',
    generation,
    aliases: [],
    memoryBytes: memoryGiB * GiB,
    memBandwidthBytesPerS: 3.35e12,
    denseTflops: { bf16: 989.4, fp16: 989.4, fp8: 1978.9 },
    interconnect: { kind: 'nvlink', bytesPerS: 450e9, gpusPerNode: 8 },
    tdpWatts: 700,
    priceUsdPerHour: 3,
    source: { url: 'https://example.invalid/test', retrieved: '2026-01-01' },
    priceSource: { url: 'https://example.invalid/test', retrieved: '2026-01-01' },
  };
}

/** One shared testGpu() object, for suites that pass the same GPU around (memo keys use its identity). */
export const H100: GpuSpec = testGpu();

/** vLLM 0.19 `vllm serve` on an H100 as in the calibration rows: mnbt 8192, max_num_seqs 1024, util 0.95. */
export function testServing(overrides: Partial<ResolvedServingOptions> = {}): ResolvedServingOptions {
  return {
    maxModelLenTokens: 8192,
    gpuMemoryUtilization: 0.95,
    weightPrecision: 'auto',
    kvCacheDtype: 'auto',
    blockSizeTokens: null,
    maxNumBatchedTokens: 8192,
    maxNumSeqs: 1024,
    enforceEager: false,
    // The calibration logs are vLLM 0.19 starts: tests that reproduce them plan that release's accounting.
    vllmVersion: '0.19',
    ...overrides,
  };
}

/**
 * The perf suite's overrides for testServing(): util 0.9 and max_num_seqs 256. Its step, batch-cap
 * and bottleneck cases were written against these (the two suites had separate builders until
 * they were merged); pass them to keep those numbers.
 */
export const PERF_SERVING: Partial<ResolvedServingOptions> = { gpuMemoryUtilization: 0.9, maxNumSeqs: 256 };

function attention(numHeads: number, numKvHeads: number, headDim: number, slidingWindowTokens: number | null = null): AttentionMixer {
  return { kind: 'attention', numHeads, numKvHeads, headDim, qkvBias: false, slidingWindowTokens, outputGate: false, kEqV: false };
}

const NO_PARAMS: ParamCountsByComponent = { embedding: 0, lmHead: 0, mixer: 0, denseFfn: 0, routedExperts: 0, sharedExperts: 0, router: 0, norms: 0, vision: 0, total: 0, activePerToken: 0 };

/** The ModelArch fields every test model shares: a bf16 checkpoint, unquantized, no MTP layers. */
function baseArch(o: { modelId: string; modelType: string; architecture: string; hidden: number; vocab: number; layers: LayerSpec[]; tied: boolean; maxPos: number; params: ParamCountsByComponent }): ModelArch {
  return {
    modelId: o.modelId,
    modelType: o.modelType,
    architecture: o.architecture,
    hiddenSize: o.hidden,
    vocabSize: o.vocab,
    numLayers: o.layers.length,
    layers: o.layers,
    tiedEmbeddings: o.tied,
    maxPositionTokens: o.maxPos,
    checkpointDtype: 'bf16',
    quantization: NO_QUANT,
    params: o.params,
    paramSource: 'config',
    mtpLayers: 0,
    assumptions: [],
  };
}

/**
 * A model from its layer shapes alone: parameter counts stay zero. Enough for the perf model, which
 * reads shapes; not for the memory planner, which sizes weights from `params`.
 */
function shapeOnlyArch(modelId: string, hidden: number, vocab: number, layers: LayerSpec[]): ModelArch {
  return baseArch({ modelId, modelType: 'test', architecture: 'Test', hidden, vocab, layers, tied: false, maxPos: 131072, params: NO_PARAMS });
}

/** A Llama-like dense model, parameter counts by hand from the shapes. */
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
  return baseArch({
    modelId: o.modelId,
    modelType: 'llama',
    architecture: 'LlamaForCausalLM',
    hidden: o.hidden,
    vocab: o.vocab,
    layers,
    tied: o.tied,
    maxPos: o.maxPos,
    params: { embedding, lmHead, mixer, denseFfn, routedExperts: 0, sharedExperts: 0, router: 0, norms, vision: 0, total, activePerToken: total },
  });
}

/** meta-llama/Llama-3.1-8B-Instruct config.json: 32 layers, hidden 4096, 32 heads, 8 KV heads × 128, SwiGLU 14336, vocab 128256. */
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

/** Mixtral-8x7B: 32 layers, hidden 4096, 32/8 heads × 128, 8 experts top-2 of SwiGLU 14336, vocab 32000 (shapes only). */
export const MIXTRAL = shapeOnlyArch(
  'test/mixtral-8x7b',
  4096,
  32000,
  Array.from({ length: 32 }, () => ({
    mixer: attention(32, 8, 128),
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

/** deepseek-ai/DeepSeek-V3 attention: MLA, 128 heads, q_lora 1536, kv_lora 512, nope 128, rope 64, v 128. */
const DEEPSEEK_V3_MLA_MIXER: MlaMixer = {
  kind: 'mla',
  numHeads: 128,
  qLoraRank: 1536,
  kvLoraRank: 512,
  qkNopeHeadDim: 128,
  qkRopeHeadDim: 64,
  vHeadDim: 128,
};

/** One DeepSeek-V3 layer: its MLA attention over a dense FFN stand-in (intermediate 18432). */
export const DEEPSEEK_MLA_LAYER: LayerSpec = {
  mixer: DEEPSEEK_V3_MLA_MIXER,
  ffn: { kind: 'dense', intermediateSize: 18432, gated: true, bias: false },
};

/** DEEPSEEK_MLA_LAYER as a one-layer model, hidden 7168, vocab 129280 (shapes only). */
export const DEEPSEEK_MLA_1L = shapeOnlyArch('test/deepseek-mla-1-layer', 7168, 129280, [DEEPSEEK_MLA_LAYER]);

/** deepseek-ai/DeepSeek-V3 MLA shape, dense FFN stand-in, 61 layers; params counted as if the attention were 128 × 128 MHA. */
export const DEEPSEEK_V3_MLA: ModelArch = (() => {
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
  return { ...base, layers: base.layers.map((l) => ({ ...l, mixer: DEEPSEEK_V3_MLA_MIXER })) };
})();

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
