/**
 * The engine's shared input and output types. UI, worker, CLI and tests import these; nothing here
 * computes. Every number carries its unit in its name (STYLE.md §4): Bytes, Tokens, Ms, S, PerS, Usd.
 * All outputs are plain serialisable objects (they cross the worker boundary).
 */
import type { LengthDistribution } from './sim/load';

export type { Result } from './result';

// ---------------------------------------------------------------------------------------------
// Closed sets
// ---------------------------------------------------------------------------------------------

/** Storage / compute dtypes the engine knows. `fp4` is NVFP4 or MXFP4 compute on Blackwell. */
export const DTYPES = ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4', 'fp4'] as const;
export type Dtype = (typeof DTYPES)[number];

/** Bytes per element of a dense tensor of that dtype (int4/fp4 packed two per byte). */
export const DTYPE_BYTES: Record<Dtype, number> = {
  fp32: 4,
  bf16: 2,
  fp16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
  fp4: 0.5,
};

/** Checkpoint quantization methods read from `quantization_config.quant_method` (or hf_quant_config). */
export const QUANT_METHODS = [
  'none',
  'fp8', // per-tensor, per-channel (FBGEMM, Meta's FP8 Llama) or block-wise FP8 (DeepSeek-V3, Qwen3-FP8)
  'compressed-tensors', // RedHat/neuralmagic: fp8 dynamic, w8a8 int8, w4a16
  'awq',
  'gptq',
  'mxfp4', // gpt-oss experts
  'nvfp4', // ModelOpt FP4
  'modelopt-fp8',
  'bitsandbytes',
] as const;
export type QuantMethod = (typeof QUANT_METHODS)[number];

/** What the user asks vLLM for: `--quantization` for a 16-bit checkpoint, or the checkpoint as is. */
export const WEIGHT_PRECISIONS = ['auto', 'bf16', 'fp8', 'int8', 'int4', 'fp4'] as const;
export type WeightPrecision = (typeof WEIGHT_PRECISIONS)[number];

export const KV_CACHE_DTYPES = ['auto', 'fp8'] as const;
export type KvCacheDtype = (typeof KV_CACHE_DTYPES)[number];

export const SERVING_ENGINES = ['vllm', 'sglang', 'trtllm'] as const;
export type ServingEngine = (typeof SERVING_ENGINES)[number];

/**
 * The request front end before the engine: 'openai' = the engine's own OpenAI-compatible HTTP server
 * (vllm serve, sglang.launch_server, trtllm-serve; what the page and the CLI plan for), 'triton' =
 * Triton Inference Server's C++ front end with the TensorRT-LLM backend's ensemble (tokenizer models).
 * Only the per-request fixed cost of TTFT depends on it (calibration.ts requestOverheadMs).
 */
/** The GEMM kernel family of quantized linear layers on one GPU (perf/gemmKernel.ts says which runs when). */
export const GEMM_KERNELS = ['fp8-tensor', 'fp8-block', 'fp4', 'int8', 'dequant'] as const;
export type GemmKernel = (typeof GEMM_KERNELS)[number];

export const API_FRONTENDS = ['openai', 'triton'] as const;
export type ApiFrontend = (typeof API_FRONTENDS)[number];

// ---------------------------------------------------------------------------------------------
// Model architecture (normalized from config.json; see arch/parseConfig.ts)
// ---------------------------------------------------------------------------------------------

/** Standard attention. MHA: kv = q heads; GQA: 1 < kv < q; MQA: kv = 1. */
export interface AttentionMixer {
  kind: 'attention';
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  /** Width of q/k/v/o projections with bias? (Qwen2 qkv bias, gpt-oss). */
  qkvBias: boolean;
  /** null = full attention; else the layer attends to at most this many previous tokens. */
  slidingWindowTokens: number | null;
  /** Extra output gate (Qwen3-Next/3.5 `attn_output_gate`): q_proj is 2× wide. */
  outputGate: boolean;
  /** K and V share one projection (Gemma 4 `attention_k_eq_v` on global layers). */
  kEqV: boolean;
  /** [arch] o_proj has a bias (`attention_bias` in Llama/gpt-oss; Qwen2 has q/k/v bias only). Absent = false. */
  outputBias?: boolean;
  /** [arch] q/k RMSNorm weights: per head (Qwen3, Gemma 3: 2 × headDim) or over the whole projection (MiniMax `qk_norm_type: per_layer`). Absent = none. */
  qkNorm?: 'none' | 'per-head' | 'per-layer';
  /** [arch] Learned attention sinks, one scalar per head (gpt-oss). Absent = false. */
  sinks?: boolean;
}

/** Multi-head latent attention (DeepSeek-V2/V3, Kimi-K2). The cache holds one latent per token. */
export interface MlaMixer {
  kind: 'mla';
  numHeads: number;
  /** null when queries are projected directly (DeepSeek-V2-Lite). */
  qLoraRank: number | null;
  kvLoraRank: number;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
  /** [arch] DeepSeek Sparse Attention lightning indexer (DeepSeek-V3.2, GLM-5): its own small K cache. Absent/null = none. */
  indexer?: { numHeads: number; headDim: number; topKTokens: number } | null;
}

/** Mamba-2 selective state-space layer (Nemotron-H, Granite-4.0-H, Jamba uses Mamba-1 shapes). */
export interface MambaMixer {
  kind: 'mamba';
  /** Inner width = expand × hidden (= mamba heads × head dim for Mamba-2). */
  innerDim: number;
  numHeads: number;
  headDim: number;
  stateSize: number;
  numGroups: number;
  convKernel: number;
  version: 1 | 2;
  /** dt_rank for Mamba-1 (Jamba); 0 for Mamba-2. */
  dtRank: number;
  /** [arch] conv1d has a bias (`use_conv_bias` / `mamba_conv_bias`). Absent = true. */
  convBias?: boolean;
  /** [arch] in_proj / out_proj have biases (`mamba_proj_bias` / `use_bias`). Absent = false. */
  projBias?: boolean;
}

/** Gated DeltaNet linear attention (Qwen3-Next, Qwen3.5): constant state per request. */
export interface LinearAttentionMixer {
  kind: 'linear-attention';
  numKeyHeads: number;
  numValueHeads: number;
  keyHeadDim: number;
  valueHeadDim: number;
  convKernel: number;
}

/** [arch] A layer with no token mixer: Nemotron-H `-` layers are an MLP block only. No KV cache, no state. */
export interface NoMixer {
  kind: 'none';
}

export type Mixer = AttentionMixer | MlaMixer | MambaMixer | LinearAttentionMixer | NoMixer;
export type MixerKind = Mixer['kind'];

export interface DenseFfn {
  kind: 'dense';
  intermediateSize: number;
  /** SwiGLU / GeGLU: gate, up and down (3 matrices); plain MLP: up and down (2). */
  gated: boolean;
  bias: boolean;
}

export interface MoeFfn {
  kind: 'moe';
  numExperts: number;
  topK: number;
  expertIntermediateSize: number;
  numSharedExperts: number;
  /** Total intermediate width of the shared expert(s) (0 when none). */
  sharedIntermediateSize: number;
  gated: boolean;
  bias: boolean;
  /** Gemma 4 style: a dense MLP runs beside the experts in the same layer. */
  parallelDenseIntermediateSize: number;
  /** [arch] Sigmoid gate (hidden → 1) on the shared expert output (Qwen2-MoE, Qwen3-Next/3.5). Absent = false. */
  sharedExpertGate?: boolean;
  /** [arch] Router has a per-expert bias (gpt-oss bias; DeepSeek/MiniMax/GLM `e_score_correction_bias`). Absent = false. */
  routerBias?: boolean;
}

/** Layers with no FFN (Nemotron-H mamba-only and attention-only blocks). */
export interface NoFfn {
  kind: 'none';
}

export type Ffn = DenseFfn | MoeFfn | NoFfn;

export interface LayerSpec {
  mixer: Mixer;
  ffn: Ffn;
}

/** Parameter counts by component, whole model (before any sharding). Elements, not bytes. */
export interface ParamCountsByComponent {
  embedding: number;
  /** 0 when tied to the embedding. */
  lmHead: number;
  /** q/k/v/o (or MLA, Mamba, DeltaNet) projections of all layers, incl. their norms and biases. */
  mixer: number;
  /** Dense FFN matrices of all layers (incl. a MoE layer's parallel dense MLP). */
  denseFfn: number;
  /** All routed experts of all layers. */
  routedExperts: number;
  sharedExperts: number;
  router: number;
  /** Layer norms and final norm. */
  norms: number;
  /** Vision / audio towers and projectors of multimodal wrappers. */
  vision: number;
  total: number;
  /** Parameters touched per token: routed experts counted topK / numExperts. Excludes vision. */
  activePerToken: number;
  /** [arch] Multi-token-prediction layers stored in the checkpoint (not in `total`: vLLM skips them unless speculative decoding). Absent = 0. */
  mtp?: number;
}

export interface QuantizationInfo {
  method: QuantMethod;
  /** Bits per stored weight element of quantized linear layers (16 when not quantized). */
  weightBits: number;
  /** Dtype the quantized matmuls run in: fp8 for w8a8-fp8, int8 for w8a8-int8, bf16 for w4a16. */
  computeDtype: Dtype;
  /** Elements per scale group (0 = per-tensor or per-channel: scales negligible). */
  groupSize: number;
  /** Bytes of one scale (plus zero point where stored). */
  scaleBytes: number;
  /** Components kept at the checkpoint's 16-bit dtype. */
  unquantized: readonly QuantizedComponent[];
  /**
   * [arch] Components of which only some matrices stay 16-bit: fraction (0–1) of that component's
   * parameters kept unquantized (e.g. NVFP4 DeepSeek excludes q/kv projections but quantizes o_proj).
   * Components listed in `unquantized` are wholly 16-bit and do not appear here. Absent = none.
   */
  unquantizedFraction?: Partial<Record<QuantizedComponent, number>>;
  /** Human-readable summary, e.g. "FP8 e4m3, 128×128 blocks". */
  label: string;
  /** Quantization was applied at load time (`--quantization fp8`), not stored in the checkpoint. */
  runtime: boolean;
}

export const QUANTIZABLE_COMPONENTS = [
  'embedding',
  'lmHead',
  'mixer',
  'denseFfn',
  'routedExperts',
  'sharedExperts',
  'router',
  'vision',
] as const;
export type QuantizedComponent = (typeof QUANTIZABLE_COMPONENTS)[number];

/** One normalized model: everything the planner and the perf model read. */
export interface ModelArch {
  /** Hub id or a name given by the user. */
  modelId: string;
  modelType: string;
  architecture: string;
  hiddenSize: number;
  vocabSize: number;
  numLayers: number;
  layers: readonly LayerSpec[];
  tiedEmbeddings: boolean;
  /** `max_position_embeddings` (text config). */
  maxPositionTokens: number;
  /** Dtype of the unquantized tensors (`torch_dtype` / `dtype`), bf16 when the config says nothing. */
  checkpointDtype: Dtype;
  quantization: QuantizationInfo;
  params: ParamCountsByComponent;
  /** Where `params.total` came from: the Hub's safetensors metadata or arithmetic on the config. */
  paramSource: 'safetensors' | 'config';
  /** Multi-token-prediction layers in the checkpoint (DeepSeek `num_nextn_predict_layers`); vLLM skips them unless speculative decoding. */
  mtpLayers: number;
  /** Things the parser assumed or ignored, shown in the UI's model summary. */
  assumptions: readonly string[];
  /** [arch] The Hub's per-dtype safetensors counts when they were given (stored elements: incl. scales, MTP, vision). */
  safetensorsParams?: SafetensorsParamCounts;
}

/** Per-dtype safetensors parameter counts from the Hub (`safetensors.parameters`). */
export type SafetensorsParamCounts = Partial<Record<string, number>>;

export type ConfigError =
  | { kind: 'missing-field'; field: string }
  | { kind: 'unsupported-architecture'; architecture: string }
  | { kind: 'invalid-value'; field: string; value: unknown; reason?: string }
  | { kind: 'malformed-json'; detail: string; line?: number; column?: number };

// ---------------------------------------------------------------------------------------------
// Hardware (catalog/gpus.ts)
// ---------------------------------------------------------------------------------------------

export type GpuVendor = 'nvidia' | 'amd';
/** Architecture generation: efficiency factors are set per generation (calibration.ts). */
export const GPU_GENERATIONS = ['volta', 'turing', 'ampere', 'ada', 'hopper', 'blackwell', 'cdna3', 'cdna4'] as const;
export type GpuGeneration = (typeof GPU_GENERATIONS)[number];

export type InterconnectKind = 'nvlink' | 'pcie' | 'xgmi';

/** [multinode] The network between nodes: InfiniBand (NDR/XDR), RoCE or plain Ethernet. */
export const NETWORK_KINDS = ['infiniband', 'roce', 'ethernet'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/** [multinode] The scale-out network of one GPU: its NIC(s) between nodes, one direction. */
export interface NetworkSpec {
  kind: NetworkKind;
  /** Unidirectional NIC bandwidth per GPU between nodes, bytes/s (400 Gb/s NDR = 50 GB/s). */
  bytesPerS: number;
  source: { url: string; note?: string };
}

export interface GpuSpec {
  id: string;
  name: string;
  vendor: GpuVendor;
  generation: GpuGeneration;
  aliases: readonly string[];
  /** Memory as the runtime reports it (torch.cuda.mem_get_info total), bytes. */
  memoryBytes: number;
  memBandwidthBytesPerS: number;
  /** Dense (no sparsity) peak TFLOPS per compute dtype; absent = not supported in hardware. */
  denseTflops: Partial<Record<Dtype, number>>;
  interconnect: {
    kind: InterconnectKind;
    /** Unidirectional bandwidth per GPU, bytes/s. */
    bytesPerS: number;
    /** GPUs connected by this fabric in one node (TP beyond this crosses nodes). */
    gpusPerNode: number;
  };
  /**
   * [multinode] The network between nodes (what PP hand-offs, EP all-to-alls and cross-node TP run
   * over). Absent = perf/crossNode.ts DEFAULT_NETWORK (one 400 Gb/s NDR NIC per GPU).
   */
  network?: NetworkSpec;
  tdpWatts: number;
  /** Reference on-demand cloud price, USD per GPU-hour. */
  priceUsdPerHour: number;
  source: { url: string; retrieved: string; note?: string };
  priceSource: { url: string; retrieved: string; note?: string };
}

// ---------------------------------------------------------------------------------------------
// Layout and serving options
// ---------------------------------------------------------------------------------------------

export interface Layout {
  tp: number;
  pp: number;
  /** Data-parallel replicas, each tp × pp GPUs. */
  dp: number;
  /** Expert parallel: MoE experts are split over tp × dp ranks instead of sharded by TP. */
  ep: boolean;
}

/**
 * The serving options one GPU's plan and estimate run with: every scheduler limit resolved (the
 * user's ServingSettings with vLLM's per-GPU defaults filled in by defaults.ts resolveServing).
 */
export interface ResolvedServingOptions {
  maxModelLenTokens: number;
  gpuMemoryUtilization: number;
  weightPrecision: WeightPrecision;
  kvCacheDtype: KvCacheDtype;
  /** vLLM `--block-size`; null = vLLM's default (16 on CUDA, 64 for MLA backends). */
  blockSizeTokens: number | null;
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  /** vLLM `--enforce-eager`: no CUDA graphs. */
  enforceEager: boolean;
  /**
   * vLLM `--dtype` for the unquantized tensors, activations and the `auto` KV cache; absent or 'auto' =
   * the checkpoint dtype (float32 checkpoints load as bf16). Added by "memory" (optional, backward-compatible).
   */
  modelDtype?: ModelDtypeOption;
  /**
   * vLLM `--disable-custom-all-reduce`: TP all-reduces go through NCCL only, without the custom
   * all-reduce's IPC buffers (~2 GiB per rank). vLLM also turns it off by itself on more than two
   * PCIe-only GPUs (memory/overheads.ts customAllReduceActive). Absent = false.
   */
  disableCustomAllReduce?: boolean;
  /**
   * Which vLLM release's memory accounting plans this configuration (memory/vllmVersion.ts): the
   * activation peak before 0.17, non-torch memory before 0.18, CUDA graphs inside the budget from
   * 0.21. Read only for vLLM plans. Absent = DEFAULT_VLLM_VERSION (the current release).
   */
  vllmVersion?: VllmVersion;
  /**
   * vLLM `--async-scheduling` (true) / `--no-async-scheduling` (false): the host schedules step n+1
   * while the GPU runs step n (perf/asyncScheduling.ts). Absent or null = the release's default: on
   * from vLLM 0.14 (so on for the current release), off before. Read only for vLLM estimates.
   */
  asyncScheduling?: boolean | null;
  /**
   * [engines] Which engine's start-up memory accounting plans this configuration
   * (memory/engines/planEngineMemory.ts). Absent = 'vllm' (vLLM's plan, memory/planMemory.ts).
   */
  engine?: ServingEngine;
  /**
   * [setup] Memory other processes already hold on each GPU when the server starts (another server, a
   * desktop session, the OS on a unified-memory DGX Spark), bytes. vLLM sizes its budget from the
   * device total but refuses to start unless total × gpu_memory_utilization is FREE
   * (memory/planMemory.ts). Absent = 0.
   */
  usedByOtherProcessesBytes?: number;
  /** [engines] SGLang's memory and scheduler flags; read only when `engine` is 'sglang'. Absent = every SGLang default. */
  sglang?: SglangServingOptions;
  /** [engines] TensorRT-LLM's memory and scheduler flags; read only when `engine` is 'trtllm'. Absent = every default. */
  trtllm?: TrtllmServingOptions;
  /**
   * [prefix] Automatic prefix caching (on by default in vLLM V1 and SGLang) and how much the workload
   * hits it (perf/prefixCache.ts). Absent = on with nothing shared and hit rate 0 (no effect).
   */
  prefixCache?: PrefixCacheOptions;
}

/** [prefix] What the workload's prompts share with the engine's prefix cache (perf/prefixCache.ts). */
export interface PrefixCacheOptions {
  /** Tokens every prompt starts with (system prompt, few-shot examples), ≤ the prompt length. */
  sharedPrefixTokens: number;
  /** Fraction (0–1) of each prompt's tokens found in the cache. */
  hitRate: number;
}

/**
 * [engines] SGLang `launch_server` flags that shape its memory plan; null = SGLang's default, which
 * depends on the GPU's memory and the TP size (memory/engines/sglangDefaults.ts, from
 * python/sglang/srt/server_args.py _handle_gpu_memory_settings).
 */
export interface SglangServingOptions {
  /** `--mem-fraction-static` (0–1): share of the free memory at start given to weights + KV pool. */
  memFractionStatic: number | null;
  /** `--chunked-prefill-size`: most prompt tokens in one prefill chunk. */
  chunkedPrefillSizeTokens: number | null;
  /** `--max-running-requests`: most requests decoding at once. */
  maxRunningRequests: number | null;
  /** `--cuda-graph-max-bs`: largest decode batch captured as a CUDA graph. */
  cudaGraphMaxBs: number | null;
}

/**
 * [engines] `trtllm-serve` flags that shape TensorRT-LLM's memory plan (PyTorch backend); null = its
 * default (memory/engines/trtllmDefaults.ts, from tensorrt_llm/commands/serve.py and llmapi/llm_args.py).
 */
export interface TrtllmServingOptions {
  /** `--kv_cache_free_gpu_memory_fraction` (0–1): share of the memory left after weights and buffers given to the KV cache. */
  kvCacheFreeGpuMemoryFraction: number | null;
  /** `--max_batch_size`: most requests scheduled at once. */
  maxBatchSize: number | null;
  /** `--max_num_tokens`: most batched tokens per iteration (also the profiling forward's size). */
  maxNumTokens: number | null;
}

/**
 * vLLM releases whose start-up memory accounting the engine tells apart (memory/vllmVersion.ts):
 * the activation peak fell at 0.17, non-torch memory rose at 0.18, and from 0.21 the estimated CUDA
 * graph pool is reserved inside the budget. '0.21+' is every release from 0.21 on (the current one).
 */
export const VLLM_VERSIONS = ['0.10', '0.11', '0.12', '0.13', '0.14', '0.15', '0.16', '0.17', '0.18', '0.19', '0.20', '0.21+'] as const;
export type VllmVersion = (typeof VLLM_VERSIONS)[number];

/** Values of vLLM `--dtype` the engine models. */
export const MODEL_DTYPE_OPTIONS = ['auto', 'bf16', 'fp16', 'fp32'] as const;
export type ModelDtypeOption = (typeof MODEL_DTYPE_OPTIONS)[number];

/**
 * What the user sets: the scheduler limits may be left to vLLM, whose defaults depend on the GPU
 * (defaults.ts resolveServing). The engine's per-GPU functions take ResolvedServingOptions.
 */
export interface ServingSettings extends Omit<ResolvedServingOptions, 'maxNumSeqs' | 'maxNumBatchedTokens'> {
  /** null = vLLM's default for the GPU (1024 on ≥ 70 GiB non-A100 devices, else 256). */
  maxNumSeqs: number | null;
  /** null = vLLM's default for the GPU (8192 on ≥ 70 GiB non-A100 devices, else 2048). */
  maxNumBatchedTokens: number | null;
}

// ---------------------------------------------------------------------------------------------
// Memory plan (memory/planMemory.ts): what vLLM computes at start-up, per GPU (rank 0)
// ---------------------------------------------------------------------------------------------

export type NoFitReason =
  | 'invalid-layout'
  | 'weights-exceed-memory'
  | 'no-kv-memory'
  | 'context-exceeds-kv'
  /** [setup] Less memory free at start than total × gpu_memory_utilization (other processes hold the rest). */
  | 'insufficient-free-memory'
  | 'precision-unsupported';

export interface KvGroupPlan {
  /** What this group of layers caches. */
  kind: 'full-attention' | 'sliding-window' | 'mla' | 'mamba' | 'linear-attention';
  numLayers: number;
  /** Cache bytes per token per layer on this rank (0 for constant-state layers). */
  bytesPerTokenPerLayer: number;
  /** Constant state bytes per request per layer on this rank (Mamba / DeltaNet). */
  stateBytesPerRequestPerLayer: number;
  slidingWindowTokens: number | null;
}

export interface MemoryPlan {
  fits: boolean;
  reason: NoFitReason | null;
  /** One sentence for the user when it does not fit (or a warning when it does). */
  message: string | null;
  gpuMemoryBytes: number;
  /** total × gpu_memory_utilization. */
  budgetBytes: number;
  weightsBytesPerGpu: number;
  activationPeakBytesPerGpu: number;
  nonTorchBytesPerGpu: number;
  /**
   * Captured after the KV cache is allocated: before vLLM 0.21 it comes out of the (1 − utilization)
   * headroom; from 0.21 vLLM reserves it inside the budget (cudaGraphsInBudget).
   */
  cudaGraphBytesPerGpu: number;
  /** True when the CUDA graphs were taken out of the budget, before the KV pool (vLLM 0.21+); absent = headroom. */
  cudaGraphsInBudget?: boolean;
  kvCacheBytesPerGpu: number;
  kvGroups: readonly KvGroupPlan[];
  /** KV bytes one token of context costs on this rank, summed over this rank's attention layers. */
  kvBytesPerTokenPerGpu: number;
  /** Constant per-request state on this rank (Mamba / linear attention). */
  stateBytesPerRequestPerGpu: number;
  blockSizeTokens: number;
  /** Bytes of one block (page) across the layers sharing it. */
  pageBytes: number;
  numGpuBlocks: number;
  /** vLLM's "GPU KV cache size: N tokens". */
  kvCacheTokens: number;
  /** vLLM's "Maximum concurrency for N tokens per request: X". */
  maxConcurrency: number;
  maxModelLenTokens: number;
  /** Largest max_model_len for which one request fits in the KV pool (capped at the model's limit). */
  maxFittingModelLenTokens: number;
  /** Free memory above the budget's use (1 − utilization) × total minus CUDA graphs; may be negative. */
  headroomBytesPerGpu: number;
  validTp: readonly number[];
  maxPp: number;
  /** The gpu_memory_utilization the budget was taken at. */
  gpuMemoryUtilization: number;
  /**
   * The GPU-independent sentences of the plan's explanation (shared by every plan of one layout);
   * null when no layout could be prepared. `explainMemoryPlan` (memory/explain.ts) turns them and
   * the figures above into the lines shown on hover, in the detail pane and by the CLI: built on
   * demand because a recommendation plans ~700 configurations and shows 25.
   */
  explainText: MemoryExplainText | null;
  /** [engines] The engine whose accounting produced this plan; absent = vLLM (so vLLM's plans stay byte-identical). */
  engine?: ServingEngine;
  /**
   * [engines] The engine's own flags as resolved for this GPU and the figures its accounting adds
   * (memory/engines/). Absent for vLLM, whose caps are ResolvedServingOptions.maxNumSeqs / maxNumBatchedTokens.
   */
  engineDetail?: EngineMemoryDetail;
}

/**
 * [engines] What an SGLang or TensorRT-LLM plan adds to MemoryPlan. Both carry the engine's request
 * cap (`maxRunningRequests`: SGLang max_running_requests, TensorRT-LLM max_batch_size) and token
 * budget per step (`maxBatchedTokens`: SGLang chunked_prefill_size, TensorRT-LLM max_num_tokens),
 * the limits the step model reads in place of vLLM's max_num_seqs / max_num_batched_tokens.
 */
export type EngineMemoryDetail = SglangMemoryDetail | TrtllmMemoryDetail;

export interface SglangMemoryDetail {
  engine: 'sglang';
  maxRunningRequests: number;
  maxBatchedTokens: number;
  memFractionStatic: number;
  cudaGraphMaxBs: number;
  /** Free memory when weight loading begins (total − CUDA context − distributed init): SGLang's "Load weight begin. avail mem". */
  freeBeforeLoadBytes: number;
  /** mem_fraction_static × free − weights on rank 0 (rest_memory of profile_max_num_token; may be negative). */
  restBytes: number;
  /** max_total_num_tokens: the token pool (page size 1), minimum over pipeline stages. */
  poolTokens: number;
}

export interface TrtllmMemoryDetail {
  engine: 'trtllm';
  maxRunningRequests: number;
  maxBatchedTokens: number;
  kvCacheFreeGpuMemoryFraction: number;
  /** Memory free after weights, the profiling forward's peak and memory outside torch (CUDA context, NCCL, CUDA graphs), on rank 0 (may be negative). */
  freeAfterProfilingBytes: number;
  tokensPerBlock: number;
  /** Requests of the profiling run (max_num_tokens split into prompts of ≤ max_seq_len − 1). */
  profilingRequests: number;
}

/** Fragments of a memory plan's explanation that do not depend on the GPU (memory/prepareLayout.ts). */
export interface MemoryExplainText {
  weights: string;
  activation: string;
  nonTorch: string;
  /** `KV pool: <budget>` + kvPoolTail + `<available>.` */
  kvPoolTail: string;
  kvPerToken: string;
  /** `Blocks: <available>` + blocksMid + `<blocks>` + blocksTail */
  blocksMid: string;
  blocksTail: string;
}

// ---------------------------------------------------------------------------------------------
// Performance (perf/): one operating point
// ---------------------------------------------------------------------------------------------

export interface Workload {
  inputTokens: number;
  outputTokens: number;
  /** Closed-loop concurrency limit; 'max' = every request submitted at once (offline throughput). */
  concurrency: number | 'max';
  /**
   * [perf] Requests in a finite 'max' run (`vllm bench serve --num-prompts`): with every request
   * submitted at once, the mean TTFT is mostly queueing and grows with the run's size. Absent = 1000
   * (vLLM's default). Ignored for a numeric concurrency.
   */
  numRequests?: number;
  /**
   * [perf] How answers vary in length around outputTokens (the simulator's LengthDistribution): a
   * finite 'max' run whose requests all run at once ends with its longest answer (perf/burstTail.ts).
   * Absent = every answer outputTokens long.
   */
  outputLengths?: LengthDistribution;
}

export const BOTTLENECKS = ['compute', 'memory', 'communication', 'kv-capacity'] as const;
export type Bottleneck = (typeof BOTTLENECKS)[number];

export interface PerfEstimate {
  /** Requests actually in flight (limited by concurrency, max_num_seqs and the KV pool). */
  effectiveConcurrency: number;
  ttftMs: number;
  itlMs: number;
  /**
   * Mean time per output token counted once per request (vllm bench's mean TPOT), where it differs
   * from itlMs: an all-at-once burst whose answers vary in length, where the short answers see only
   * the full batch's slow steps (perf/burstTail.ts). Absent = itlMs.
   */
  tpotMs?: number;
  e2eMs: number;
  outputTokensPerS: number;
  totalTokensPerS: number;
  requestsPerS: number;
  outputTokensPerSPerGpu: number;
  /** What limits the decode step. */
  bottleneck: Bottleneck;
  /** Time of one decode step split by cause, ms. */
  decodeStep: { computeMs: number; memoryMs: number; communicationMs: number; overheadMs: number };
  prefillMs: number;
  queueMs: number;
  costUsdPerHour: number;
  usdPerMillionOutputTokens: number;
  joulesPerOutputToken: number;
  /**
   * null when every figure above is finite and ≥ 0 (the contract). Otherwise the engine broke (a
   * division by zero, a GPU with no bandwidth, a corrupt model cost): the figures are left as
   * computed, and UI and CLI show this error instead of them; recommend ranks the row last and
   * never picks it. The bug this guards: NaN or negative figures read 0, a broken estimate shown
   * as $0/M tokens.
   */
  perfError: PerfError | null;
}

/** The number-valued figures of a PerfEstimate, by name. */
/** Number-valued figures, optional ones (tpotMs) included. */
export type PerfNumberField = { [K in keyof PerfEstimate]-?: NonNullable<PerfEstimate[K]> extends number ? K : never }[keyof PerfEstimate];
/** A figure a PerfError can name: a top-level number or one of the decode step's parts. */
export type PerfFigureField = PerfNumberField | `decodeStep.${keyof PerfEstimate['decodeStep']}`;

/** What is wrong with a figure: the contract is finite and ≥ 0. */
export const INVALID_FIGURE_REASONS = ['not-a-number', 'infinite', 'negative'] as const;
export type InvalidFigureReason = (typeof INVALID_FIGURE_REASONS)[number];

/**
 * A typed engine error in a performance estimate (STYLE.md §3: errors are values with a `kind`).
 * `value` is the offending number (JSON writes NaN and ±Infinity as null: `reason` still says which).
 */
export type PerfError = { kind: 'invalid-figure'; field: PerfFigureField; reason: InvalidFigureReason; value: number };

/** Percentiles a latency SLO can apply at (--slo-percentile; sim/maxRate.ts). */
export const SLO_PERCENTILES = [50, 90, 95, 99] as const;
export type SloPercentile = (typeof SLO_PERCENTILES)[number];

export interface SloLimits {
  maxTtftMs: number | null;
  maxItlMs: number | null;
  maxE2eMs: number | null;
}

/** One configuration the recommender ranks: GPU × layout at its best concurrency. */
export interface Candidate {
  gpuId: string;
  gpuCount: number;
  layout: Layout;
  memory: MemoryPlan;
  /** null when the model does not fit. */
  perf: PerfEstimate | null;
  /** Concurrency chosen (the highest that meets the SLO, else the lowest-latency point). */
  concurrency: number | null;
  meetsSlo: boolean;
  /** Sweep over concurrency for charts (empty when it does not fit, or when `sweepOmitted`). */
  sweep: readonly ({ concurrency: number } & PerfEstimate)[];
  /**
   * [perf] True when the configuration fits but its sweep was left out of the result to keep it small
   * (recommend.ts keeps sweeps for the Pareto frontier, the best picks, the best row per GPU type and
   * the top-ranked rows); `sweepFor` in recommend.ts computes it on demand. Absent = false.
   */
  sweepOmitted?: boolean;
  /** [perf] Why vLLM would reject this workload's requests on this configuration (perf is then null). Absent = none. */
  workloadRejection?: WorkloadRejection;
  /** [capacity] With a target load: what serving it takes (null when the configuration does not fit). Absent = no target load. */
  capacity?: CapacityPlan | null;
  /**
   * [capacity] Under a target rate (sloJudgement.ts): what `meetsSlo` rests on — the simulated
   * percentiles at the target ('simulated'), or still the closed form's mean latencies against the
   * percentile limits, an estimate until the simulator reaches the row ('closed-form-estimate').
   * Absent = no target rate (the closed form at the row's concurrency is the answer).
   */
  sloBasis?: SloBasis;
  /** [multinode] How the layout's GPUs sit on nodes (nodes.ts nodePlacement). Absent on results from before multi-node. */
  placement?: NodePlacement;
}

/**
 * [multinode] Where a layout's GPUs sit (nodes.ts nodePlacement): whole TP groups per node, a replica's
 * pipeline stages on consecutive slots, replicas packed. What crosses the network is flagged.
 */
export interface NodePlacement {
  /** GPUs one NVLink / xGMI domain holds (GpuSpec.interconnect.gpusPerNode). */
  gpusPerNode: number;
  /** Nodes (NVLink domains) the whole configuration occupies. */
  nodes: number;
  /** Nodes one replica (tp × pp GPUs, with EP the whole tp × pp × dp group) spans. */
  nodesPerReplica: number;
  /** DP ranks (tp × pp GPUs each) one node holds: vLLM `--data-parallel-size-local`; 0 when one rank spans nodes. */
  dpRanksPerNode: number;
  /** TP group larger than a node: every all-reduce crosses the network (allowed, penalised, flagged). */
  tpCrossesNodes: boolean;
  /** Pipeline hand-offs of one token's pass that cross the network (0 … pp − 1). */
  ppCrossNodeHops: number;
  /** Expert-parallel group (tp × dp) larger than a node: dispatch/combine all-to-alls cross the network. */
  epCrossesNodes: boolean;
}

/** [perf] A workload vLLM's server refuses although the model loads (HTTP 400 from the OpenAI server). */
export type WorkloadRejection = {
  kind: 'request-exceeds-max-model-len';
  /** inputTokens + outputTokens of one request. */
  requestTokens: number;
  maxModelLenTokens: number;
};

// ---------------------------------------------------------------------------------------------
// Recommendation (recommend.ts)
// ---------------------------------------------------------------------------------------------

export interface RecommendRequest {
  inputTokens: number;
  outputTokens: number;
  /** A fixed closed-loop concurrency, 'max' (saturate), or 'sweep' (pick the best point per config). */
  concurrency: number | 'max' | 'sweep';
  serving: ServingSettings;
  slo: SloLimits;
  /** GPU budget: most GPUs per configuration (all replicas together). */
  maxGpus: number;
  /**
   * The largest budget a row's fix may ask for (fixes.ts): the page's budget input stops at
   * MAX_PAGE_GPU_BUDGET, so a fix beyond it could not be applied there. Absent: MAX_GPU_BUDGET (CLI).
   */
  maxBudgetGpus?: number;
  /** Catalog ids to consider; null = all. */
  gpuIds: readonly string[] | null;
  /** USD per GPU-hour overriding the catalog's reference price. */
  priceOverridesUsdPerHour: Readonly<Record<string, number>>;
  engine: ServingEngine;
  /**
   * [capacity] A target request rate with percentile SLOs (issue 10 part 4). Given, the
   * recommendation is a capacity plan: candidates ranked by the cost of the copies that serve the
   * rate within the SLOs, simulated (recommendAtRate.ts; through an engine session). Absent or null
   * = the closed-form ranking above.
   */
  load?: TargetLoad | null;
  /**
   * [speculative] Speculative decoding for every candidate (perf/speculative.ts, resolved against the
   * model): the closed form's ITL, the simulator's verify steps (with `load`) and the KV pool with the
   * draft loaded. Absent = none.
   */
  speculative?: SpeculativeModel;
  /**
   * [speculative] The same asked for by method, tokens and acceptance (null = the method's published
   * default), resolved against the session's model (session.ts, perf/speculative.ts resolveSpeculative)
   * when `speculative` is absent: what the page sends, which has no parsed model on its thread. A
   * method the model cannot run (MTP without MTP layers, a draft model without its config) is an
   * invalid request. Absent = none.
   */
  speculativeSettings?: SpeculativeRequestSettings;
}

/** [speculative] Speculative decoding as a request asks for it (no draft config: draft models are CLI-only). */
export interface SpeculativeRequestSettings {
  method: SpecMethod;
  tokens: number;
  acceptance: number | null;
  /** [tree] SGLang --speculative-eagle-topk (absent = 1, a chain). */
  topk?: number;
  /** [tree] SGLang --speculative-num-draft-tokens (absent = tokens + 1). */
  draftTokens?: number;
}

/** [speculative] Speculative decoding methods (perf/speculative.ts): a draft model, EAGLE / EAGLE-3 heads, MTP layers. */
export const SPEC_METHODS = ['draft', 'eagle', 'eagle3', 'mtp'] as const;
export type SpecMethod = (typeof SPEC_METHODS)[number];

/** [speculative] What the step model needs, resolved against the target model. */
export interface SpeculativeModel {
  method: SpecMethod;
  /** k: tokens proposed per verify step. */
  tokens: number;
  /** α used. */
  acceptance: number;
  /** E: expected tokens one verify step emits per request. */
  expectedTokensPerStep: number;
  /** A draft step's cost as a share of the target's decode step at the same batch. */
  draftStepFraction: number;
  /** Draft / head parameters (weights loaded beside the target's). */
  draftParams: number;
  /** Draft KV bytes per token as a share of the target's (vLLM allocates KV for the draft layers too). */
  draftKvShare: number;
  /**
   * A draft forward's LM head as a share of the target's (weights read and logit rows): 1 where the
   * head is the target's (EAGLE, MTP), draft vocab ÷ vocab for EAGLE-3's own head, 0 for a draft
   * model (its head is inside draftStepFraction). Absent (hand-built objects) = 0.
   */
  draftLmHeadShare?: number;
  /** The draft's decoder layers as a share of the target's: its share of the step's per-layer kernel floors. Absent = draftStepFraction. */
  draftLayerShare?: number;
  /**
   * Draft forwards per step the engine launches from the host, each paying the step's fixed host
   * overhead (perf/speculative.ts draftHostForwards: vLLM k, SGLang 1, TensorRT-LLM 0). Absent = k
   * (vLLM's, the planner's default engine; perf/estimatePerf.ts replicaModel sets it per engine).
   */
  draftHostForwards?: number;
  /**
   * [tree] Candidates drafted per depth (SGLang --speculative-eagle-topk): > 1 drafts a token tree
   * whose `draftTokens` best nodes are verified (perf/speculative.ts treeAcceptedSurvival). Absent or
   * 1 = a chain of `tokens` drafts. `tokens` is then the tree's depth (--speculative-num-steps).
   */
  topk?: number;
  /** [tree] Tokens verified per request per step, the root included (SGLang --speculative-num-draft-tokens). Absent = tokens + 1 (a chain). */
  draftTokens?: number;
}

/** [capacity] The load a deployment must serve: an open-loop rate (Poisson, or gamma with burstiness ≠ 1) and percentile SLOs. */
/**
 * [capacity] How a router in front of several copies of an aggregated configuration spreads the
 * request stream over their engine replicas (sim/routedRun.ts):
 * - random: each request to a replica at random, independently — the even Poisson split the rate
 *   mode always had (one engine replica simulated at rate ÷ replicas; the default);
 * - round-robin: request i to replica i mod n (a balancer cycling its servers: smoother than Poisson);
 * - least-loaded: to the replica with the fewest outstanding requests by the router's own estimate
 *   (sim/router.ts routeFewestOutstanding), an APPROXIMATION of llm-d's inference scheduler's
 *   queue / KV-cache scorers.
 */
export const REPLICA_ROUTINGS = ['random', 'round-robin', 'least-loaded'] as const;
export type ReplicaRouting = (typeof REPLICA_ROUTINGS)[number];
export const DEFAULT_REPLICA_ROUTING: ReplicaRouting = 'random';

export interface TargetLoad {
  ratePerS: number;
  /** Gamma shape of the arrivals (vllm bench serve --burstiness): 1 = Poisson. */
  burstiness: number;
  /** Limits on the `percentile` of TTFT, ITL and E2E (null = no limit). */
  slo: SloLimits & { percentile: SloPercentile };
  /** Requests per simulated run; default CAPACITY_NUM_REQUESTS (sim/capacity.ts). */
  numRequests?: number;
  /** Seed of the simulated arrivals and lengths; default 1. */
  seed?: number;
  /** How the copies' engine replicas share the stream (REPLICA_ROUTINGS); absent = 'random'. */
  routing?: ReplicaRouting;
}

/** Mean and percentiles of TTFT, ITL and E2E, as sim/summarize.ts SimResult names them. */
export interface LatencyPercentiles {
  ttftMs: number;
  ttftP50Ms: number;
  ttftP90Ms: number;
  ttftP95Ms: number;
  ttftP99Ms: number;
  itlMs: number;
  itlP50Ms: number;
  itlP90Ms: number;
  itlP95Ms: number;
  itlP99Ms: number;
  e2eMs: number;
  e2eP50Ms: number;
  e2eP90Ms: number;
  e2eP95Ms: number;
  e2eP99Ms: number;
}

/** [capacity] The simulated latencies of a capacity plan's operating point (the target split over its copies). */
export interface CapacityLatency extends LatencyPercentiles {
  preemptions: number;
  simulatedRequests: number;
}

/** [capacity] What a row's SLO judgement under a target rate rests on (Candidate.sloBasis). */
export const SLO_BASES = ['simulated', 'closed-form-estimate'] as const;
export type SloBasis = (typeof SLO_BASES)[number];

/**
 * [capacity] What serving a target load on one configuration takes (sim/capacity.ts). A "replica"
 * is a copy of the configuration as laid out (its tp × pp × dp GPUs); each copy gets an equal share
 * of the requests (a load balancer splitting the stream).
 * - planned: `replicasNeeded` copies, each below the largest rate it sustains within the SLOs;
 * - slo-unreachable: no rate, however low, meets the SLOs on this configuration (e.g. a TTFT limit
 *   below one prefill);
 * - not-simulated: left out by the recommendation's pruning (its closed-form bound was no cheaper
 *   than a simulated plan; `boundUsdPerHour`).
 */
export type CapacityPlan =
  | {
      status: 'planned';
      targetRequestsPerS: number;
      /** Largest rate one copy sustains within the SLOs (simulated search, maxRate.ts). */
      maxRatePerReplicaRequestsPerS: number;
      replicasNeeded: number;
      totalGpus: number;
      costUsdPerHour: number;
      /** At the target rate: cost per hour ÷ (target × mean output tokens). */
      usdPerMillionOutputTokens: number;
      /** The simulated latencies with the target split over `replicasNeeded` copies: the run the plan is judged on (within every limit). */
      atTarget: CapacityLatency;
      simulations: number;
      /**
       * Copies beyond ⌈target ÷ maxRatePerReplicaRequestsPerS⌉, added because the run at the split
       * target missed a limit (a p99 at the searched boundary moves by a few % with the rate;
       * sim/capacity.ts planFromReplicaRate). 0 or absent: none.
       */
      replicasAdded?: number;
      /** The routing the copies were planned under (TargetLoad.routing); absent = 'random'. */
      routing?: ReplicaRouting;
      /**
       * Copies fewer than ⌈target ÷ maxRatePerReplicaRequestsPerS⌉ (the random split's count) because
       * the routed run with fewer still met every limit (round-robin / least-loaded only). 0 or absent: none.
       */
      replicasSavedByRouting?: number;
    }
  | {
      status: 'slo-unreachable';
      targetRequestsPerS: number;
      maxRatePerReplicaRequestsPerS: 0;
      replicasNeeded: null;
      totalGpus: null;
      costUsdPerHour: null;
      usdPerMillionOutputTokens: null;
      atTarget: null;
      simulations: number;
    }
  | {
      status: 'not-simulated';
      targetRequestsPerS: number;
      /** The closed form's optimistic cost of the target (copies at its SLO-meeting point), USD/h; null when it meets no point. */
      boundUsdPerHour: number | null;
    };

/** [capacity] How a recommendation at a target rate was planned: what was simulated and what the closed form pruned. */
export interface CapacitySummary {
  targetRequestsPerS: number;
  /** Candidates with a simulated plan (planned or slo-unreachable). */
  simulatedCandidates: number;
  /** Distinct replica shapes (GPU, tp, pp) whose max rate was searched: dp variants share one. */
  searchedReplicaShapes: number;
  /** Fitting candidates the closed form's bound left out (status not-simulated). */
  prunedCandidates: number;
  /** Simulated runs in all (searches and operating points). */
  simulations: number;
}

export interface RecommendResult {
  /** Ranked: fitting configs meeting the SLO first, cheapest per million output tokens first. */
  candidates: readonly Candidate[];
  /**
   * Indices into `candidates`. `lowestLatency` is judged at the lightest load (one request in flight),
   * not at each row's operating point; its figures there are `lowestLatencyPoint`.
   */
  best: { cheapestMeetingSlo: number | null; lowestLatency: number | null; highestThroughput: number | null };
  /** [perf] The lowest-latency row's figures with one request in flight (concurrency 1). Absent = no row fits. */
  lowestLatencyPoint?: { concurrency: number } & PerfEstimate;
  /** Indices of the latency-vs-cost Pareto frontier, by ascending cost. */
  pareto: readonly number[];
  computeMs: number;
  /** [perf] Problems with the request as a whole (shown above the table). Absent = none. */
  warnings?: readonly RecommendWarning[];
  /** [capacity] Present when the request had a target load: how the plan was simulated. */
  capacity?: CapacitySummary;
  /** [advice] Per row, aligned with `candidates`: what it misses and how to pass (fixes.ts). Absent = not computed. */
  advice?: readonly RowAdvice[];
  /** [advice] The one-sentence answer (verdict.ts). Absent = not computed. */
  verdict?: Verdict;
}

/** [perf] A request field recommend() cannot work with (validateRecommendRequest in recommend.ts). */
export interface RequestError {
  kind: 'invalid-request';
  /** Dotted path of the field, e.g. "inputTokens", "serving.maxNumSeqs". */
  field: string;
  value: unknown;
  reason: string;
}

/** [perf] Warnings on a RecommendResult; `message` is one sentence for the user. */
export type RecommendWarning =
  | (WorkloadRejection & { message: string })
  | { kind: 'invalid-request'; error: RequestError; message: string };

// ---------------------------------------------------------------------------------------------
// Advice: how a failing row passes (fixes.ts) and the verdict (verdict.ts)
// ---------------------------------------------------------------------------------------------

export const LATENCY_LIMITS = ['ttft', 'itl', 'e2e'] as const;
export type LatencyLimit = (typeof LATENCY_LIMITS)[number];

/** One limit a row misses: the limit and what the row achieves at its operating point. */
export interface MissedLimit {
  limit: LatencyLimit;
  limitMs: number;
  achievedMs: number;
}

/** A change to the request, typed so the page can apply it with one click. */
export type FixChange =
  | { kind: 'max-model-len'; maxModelLenTokens: number }
  | { kind: 'kv-cache-dtype'; kvCacheDtype: KvCacheDtype }
  | { kind: 'weight-precision'; weightPrecision: WeightPrecision }
  /** Another layout of the same GPU; `maxGpus` is set when the budget must grow for it. */
  | { kind: 'layout'; gpuId: string; layout: Layout; gpuCount: number; maxGpus: number | null }
  | { kind: 'concurrency'; concurrency: number }
  /** Looser latency limits: only the limits that change are named. */
  | { kind: 'slo'; limits: Partial<SloLimits> };

export interface RowAdvice {
  /** The limits the row misses at its operating point (empty when it fits and passes, or does not fit). */
  missed: readonly MissedLimit[];
  /** GPUs of this type the model needs at the least (a lower bound: weights alone), for a row that does not fit; null otherwise. */
  needsGpus: number | null;
  /** The smallest single change that makes the row pass; null when none was found or the row passes. */
  fix: FixChange | null;
  /**
   * [capacity] Under a target rate (RecommendRequest.load), for a fix of a row that misses a latency
   * limit: 'simulated' when the fix is another layout whose row in the same result has been
   * simulated at the target and meets the limits there (its plan, sloJudgement.ts; no extra run);
   * 'closed-form' otherwise — the fix (next TP, looser limit) is checked on the closed form's mean
   * latencies at its best closed-loop point, not simulated at the rate as the row is judged — an
   * APPROXIMATION the page states. Absent: checked the way the row is judged (no target rate, or a
   * fix for a row that does not fit: memory plans only, exact). 'simulating': the fix's own run at the
   * target has been asked for and is not back (fixCapacity with status 'not-simulated'); until it is,
   * the fix stands on the closed form's check, as 'closed-form'.
   */
  fixCheckedOn?: 'closed-form' | 'simulating' | 'simulated';
  /**
   * [capacity] The row with its fix applied, simulated at the target (sloJudgement.ts fixCheckAtTarget:
   * the fix's request, limits and layout through the session's capacity plan; null when it does not
   * fit): set by the page for the selected row once its worker has run it. When present it decides a
   * fix that its own row does not (a 'layout' fix whose row is simulated is decided by that row):
   * planned within the fix's limits → 'simulated', otherwise the fix is withdrawn. For a looser limit
   * it is the row's run at the target with the limits the fix loosens lifted, and the judged advice
   * offers the limit at that run's percentile, rounded up (the closed form's mean-based value until then).
   */
  fixCapacity?: CapacityPlan | null;
  /**
   * How far from passing, for the "closest to passing" sort: 0 passes; 1–2 misses a limit (1 + the
   * largest achieved / limit − 1, capped); 2 + needed / configured GPUs for a row that does not fit.
   */
  passDistance: number;
}

/** One row as the verdict quotes it: configuration, operating point and the figures that decide. */
export interface VerdictRow {
  index: number;
  gpuId: string;
  gpuCount: number;
  layout: Layout;
  /** Concurrent requests at the operating point; null = every request at once (saturation, 'max'). */
  concurrency: number | null;
  ttftMs: number;
  itlMs: number;
  e2eMs: number;
  usdPerMillionOutputTokens: number;
  outputTokensPerS: number;
  costUsdPerHour: number;
  /** [capacity] Under a target rate, a simulated row's plan: its percentile latencies at the target and the copies. Absent = not simulated / no target rate. */
  atTarget?: VerdictAtTarget;
}

/** [capacity] A simulated row at the target rate, as the verdict quotes it. */
export interface VerdictAtTarget {
  percentile: SloPercentile;
  targetRequestsPerS: number;
  replicasNeeded: number;
  ttftMs: number;
  itlMs: number;
  e2eMs: number;
  costUsdPerHour: number;
}

/**
 * [capacity] Under a target rate: what the verdict's judgement rests on. `decidingRowSimulated`:
 * the pick's (or closest row's) SLO judgement is the simulator's; otherwise the verdict is an
 * interim estimate from the closed form's means. Counts are over the rows that fit.
 */
export interface VerdictBasis {
  percentile: SloPercentile;
  targetRequestsPerS: number;
  simulatedRows: number;
  estimatedRows: number;
  decidingRowSimulated: boolean;
}

/** Why the pick won: the cheapest meeting every limit; the cheapest (no limit set); or the simpler of a tie. */
export type PickReason = 'cheapest-meeting-slo' | 'cheapest-no-slo' | 'simpler-in-tie';

/** What makes a deployment simpler, in the order ties are broken. */
export type Simplicity = 'fewer-gpus' | 'no-pp' | 'sourced-price';

/** Why the nearest competitor loses. */
export type CompetitorLoss =
  /** Cheaper, but misses these limits at its best point. */
  | { kind: 'misses-slo'; missed: readonly MissedLimit[] }
  /** Costs more per token (beyond the tie band). */
  | { kind: 'costs-more' }
  /** Within the tie band; the pick is simpler in these respects (empty: equally simple, the pick is cheaper). */
  | { kind: 'tie'; pickSimplerBy: readonly Simplicity[] };

export interface VerdictCompetitor {
  row: VerdictRow;
  /** Competitor's cost per output token relative to the pick's, % (negative = cheaper). */
  costDiffPct: number;
  loss: CompetitorLoss;
}

/** How the load was set: the recommender's pick per row ('sweep'), the user's count, or saturation. */
export type VerdictLoad = 'sweep' | 'fixed' | 'saturation';

export type Verdict =
  | { kind: 'pick'; pick: VerdictRow; reason: PickReason; load: VerdictLoad; tieBandPct: number; competitor: VerdictCompetitor | null; basis?: VerdictBasis }
  /** Configurations fit but none meets the limits: the closest, what it misses and the smallest fix. */
  | {
      kind: 'none-meets-slo';
      closest: VerdictRow;
      missed: readonly MissedLimit[];
      fix: FixChange | null;
      load: VerdictLoad;
      basis?: VerdictBasis;
      /** As RowAdvice.fixCheckedOn: 'closed-form' when `fix` was checked on the closed form under a target rate (an approximation), 'simulating' while its own run is under way. */
      fixCheckedOn?: 'closed-form' | 'simulating' | 'simulated';
    }
  /** Nothing fits: the nearest fix (the row closest to fitting). */
  | { kind: 'none-fits'; closestIndex: number | null; gpuId: string | null; needsGpus: number | null; fix: FixChange | null }
  /** The request was invalid or rejected (the warnings say why). */
  | { kind: 'no-result' };
