/**
 * Calibration constants: the few physical parameters the engine fits to measurements.
 * Each names the data set and the script that checks it (STYLE.md §5). No per-model constants.
 */
import { GiB, MiB } from './units';

// =============================================================================================
// memory — owner "memory"; data: fixtures/truth/vllm_memory_calibration.csv (vLLM 0.19.0 on
// H100 80GB rows); check: `npx tsx scripts/validate/memory.ts`.
// =============================================================================================

/**
 * CUDA context-external ("non-torch") memory per GPU at TP = 1 and PP = 1: cuBLAS/cuDNN workspaces
 * and allocator slack that torch does not track. vLLM 0.19 logs 0.24–0.26 GiB on every TP=1 H100 row
 * (0.13 GiB before 0.18). Measured by vllm/v1/worker/gpu_worker.py determine_available_memory
 * (non_torch_increase in vllm/utils/mem_utils.py memory_profiling).
 */
export const NON_TORCH_TP1_BYTES = 0.25 * GiB;

/**
 * Non-torch memory on the first stage of a PP-only layout (TP = 1, PP ≥ 2): 0.07 GiB on both the
 * Llama-3.1-8B PP=2 and PP=4 rows (vLLM 0.19, H100).
 */
export const NON_TORCH_PP_ONLY_BYTES = 0.07 * GiB;

/**
 * Non-torch memory at TP ≥ 2: NCCL communicator buffers plus vLLM's custom all-reduce IPC buffers
 * (vllm/distributed/device_communicators/custom_all_reduce.py), which grow with the number of peers.
 * Fit on the TP=2 rows (2.03–2.11 GiB) and TP=4 rows (2.13–2.21 GiB) of the calibration CSV:
 * base + perRank × tp.
 */
export const NON_TORCH_TP_BASE_BYTES = 1.98 * GiB;
export const NON_TORCH_TP_PER_RANK_BYTES = 0.045 * GiB;

/**
 * Non-torch memory at TP ≥ 2 without vLLM's custom all-reduce (PCIe-only GPUs, or
 * --disable-custom-all-reduce): NCCL's communicator buffers only. An 8 × L40S TP=8 start-up logs
 * 0.21 GiB (published run cited in issue 11; one data point, not in the calibration CSV).
 */
export const NON_TORCH_TP_NCCL_ONLY_BYTES = 0.21 * GiB;

/**
 * Sampler dummy run (vllm/v1/worker/gpu_model_runner.py profile_run → _dummy_sampler_run): logits
 * for min(max_num_seqs, max_num_batched_tokens) requests × vocab, first in the model dtype
 * (compute_logits), then three float32 tensors of the same shape inside the V1 sampler
 * (vllm/v1/sample/sampler.py: logits.to(float32), softmax probs, the exponential noise q of
 * random sampling). Bytes per logit = model dtype bytes + this constant. 3 × 4 B from the source;
 * the fit over the 0.19 rows (vocab 49k–256k) gives 14.4 B per logit at bf16, i.e. 12.4 + 2.
 */
export const SAMPLER_FP32_BYTES_PER_LOGIT = 12;

/**
 * Tensors that live through the whole profile run, in units of [max_num_batched_tokens × hidden]
 * in the model dtype: the final hidden_states and the residual stream. Fit on the 0.19 rows.
 */
export const PROFILE_PERSISTENT_HIDDEN_COPIES = 2;

/** Fixed profiling scratch (input ids, positions, attention metadata, logits indices); fit, median of the 0.19 rows. */
export const PROFILE_FIXED_SCRATCH_BYTES = 64 * MiB;

/**
 * CUDA graph capture estimate (vLLM 0.19 logs it but does not subtract it by default; it comes out of
 * the 1 − utilization headroom). APPROXIMATION: base + per decoder layer on this rank, least squares
 * over the 0.19 H100 rows (0.64–1.84 GiB logged). Graph pools hold the per-batch-size activation
 * outputs of each captured layer, so cost grows with the layer count.
 */
export const CUDA_GRAPH_BASE_BYTES = 0.45 * GiB;
export const CUDA_GRAPH_PER_LAYER_BYTES = 0.016 * GiB;
// ====================================== end memory ===========================================

// =============================================================================================
// performance — owner "perf"; data: fixtures/truth/perf_calibration.csv (1,222 measured rows:
// TensorRT-LLM perf-overview tables, GPUStack performance-lab vLLM/SGLang/TRT-LLM runs, ROCm vLLM
// MI300X README). Fit and check: `npx tsx scripts/validate/perf.ts` (prints per-row error and the
// median absolute % error per metric). Physical parameters only: nothing here is keyed by model.
// =============================================================================================

import type { GpuGeneration, ServingEngine } from './types';

/**
 * Achievable fraction of datasheet peaks, per GPU generation (the kernels, not the silicon):
 * - `computeFraction`: dense GEMM throughput reached in prefill-sized matmuls (thousands of tokens),
 *   as a fraction of the dense peak of the compute dtype. cuBLAS/CUTLASS reach 60–75 % on large
 *   GEMMs; smaller per-GPU shards (TP) and fused epilogues land lower.
 * - `attentionFraction`: FlashAttention forward over a long context, fraction of the bf16 peak
 *   (FlashAttention-2/3 papers report 50–75 % on A100/H100 for head dim 128).
 * - `bandwidthFraction`: fraction of the HBM datasheet bandwidth a decode step's weight and KV
 *   streams reach (memcpy-class kernels reach ~90 %; GEMV-shaped decode GEMMs and paged-KV reads less).
 * - `stepOverheadMs`: fixed CPU/launch cost per engine step (scheduler, input prep, sampling,
 *   CUDA-graph replay); what a batch-1 decode takes beyond its bytes ÷ bandwidth.
 * Fit by scripts/validate/perfFit.ts (coordinate descent, robust log loss) on perf_calibration.csv
 * with the bounds stated there; generations without rows (volta, turing, cdna4) copy the nearest
 * generation and are marked ASSUMED. Check: scripts/validate/perf.ts.
 */
export interface GenerationEfficiency {
  computeFraction: number;
  attentionFraction: number;
  bandwidthFraction: number;
  stepOverheadMs: number;
}

export const GENERATION_EFFICIENCY: Record<GpuGeneration, GenerationEfficiency> = {
  // A100-SXM4-80GB rows (GPUStack vLLM 0.11 / TRT-LLM 1.2, TRT-LLM 0.17 offline): 66 rows.
  ampere: { computeFraction: 0.62, attentionFraction: 0.15, bandwidthFraction: 0.92, stepOverheadMs: 15.0 },
  // L40S rows (TRT-LLM 0.17 offline, FP8): 54 rows; ASSUMED bandwidth like Hopper's.
  ada: { computeFraction: 0.25, attentionFraction: 0.302, bandwidthFraction: 0.61, stepOverheadMs: 4.3 },
  // H100 / H200 / GH200 rows (all sources): ~800 rows.
  hopper: { computeFraction: 0.46, attentionFraction: 0.27, bandwidthFraction: 0.59, stepOverheadMs: 0.349 },
  // B200 / GB200 / RTX PRO 6000 rows (TRT-LLM ~1.0 PyTorch backend, mostly FP4): ~110 rows. The fit
  // puts bandwidth at the top of its allowed range (0.92) and attention is weakly constrained (it
  // moved from 0.75 to 0.19 when the KV pools of the TensorRT-LLM runs were corrected): few long-context rows.
  blackwell: { computeFraction: 0.35, attentionFraction: 0.15, bandwidthFraction: 0.92, stepOverheadMs: 4.23 },
  // MI300X rows (ROCm vLLM 0.10 README, FP8): 20 rows.
  cdna3: { computeFraction: 0.109, attentionFraction: 0.318, bandwidthFraction: 0.45, stepOverheadMs: 0.661 },
  // ASSUMED: no rows; MI355X taken equal to MI300X.
  cdna4: { computeFraction: 0.109, attentionFraction: 0.318, bandwidthFraction: 0.45, stepOverheadMs: 0.661 },
  // ASSUMED: no rows; V100 / T4 taken equal to Ampere.
  volta: { computeFraction: 0.5, attentionFraction: 0.3, bandwidthFraction: 0.58, stepOverheadMs: 3.4 },
  turing: { computeFraction: 0.5, attentionFraction: 0.3, bandwidthFraction: 0.58, stepOverheadMs: 3.4 },
};

/**
 * The serving engine as an efficiency choice, not different physics: a multiplier on the kernel
 * efficiencies above (TensorRT-LLM's fused/compiled kernels beat vLLM's on the same GPU in the
 * GPUStack engine-choice runs), a multiplier on the per-step host overhead, and the fixed
 * per-request latency of the HTTP/tokenizer path that every TTFT pays. Fit by scripts/validate/perfFit.ts.
 */
export interface EngineEfficiency {
  kernelMultiplier: number;
  stepOverheadMultiplier: number;
  requestOverheadMs: number;
}

export const ENGINE_EFFICIENCY: Record<ServingEngine, EngineEfficiency> = {
  // Reference engine (multipliers 1). 46 ms per request: API server + tokenizer + detokenizer path
  // (GPUStack Qwen3-8B H100 batch-1 TTFT 59 ms for a ~10 ms prefill).
  vllm: { kernelMultiplier: 1, stepOverheadMultiplier: 1, requestOverheadMs: 46 },
  // Fit on 36 GPUStack SGLang 0.5 rows (Qwen3-14B-FP8 H100, DeepSeek-R1 H200, Qwen3-8B H100); the
  // kernel multiplier sits at its lower bound 0.8, driven by the DeepSeek-R1 DP-attention runs.
  sglang: { kernelMultiplier: 0.8, stepOverheadMultiplier: 0.3, requestOverheadMs: 4.82 },
  // Fit on ~900 TensorRT-LLM rows (0.14 Triton online, 0.17 and ~1.0 trtllm-bench offline, 1.2 serve).
  trtllm: { kernelMultiplier: 1.1, stepOverheadMultiplier: 1.26, requestOverheadMs: 4.32 },
};

/**
 * Token tile of the linear layers' GEMMs at small batch: a GEMM computes its rows (tokens) rounded
 * up to this tile (flops.ts tiledRows). vLLM's CUTLASS FP8 GEMMs on Hopper run M ≤ 16 with
 * TileShape 64×16×256 and swap-AB, the tokens on the 16-wide side
 * (csrc/quantization/cutlass_w8a8/c3x/scaled_mm_sm90_fp8_dispatch.cuh, sm90_fp8_config_M16_*);
 * cuBLAS's bf16 kernels likewise put the batch on the narrow N side (mma.sync m16n8k16 on Ampere,
 * wgmma m64nNk16 with N a multiple of 8 on Hopper: PTX ISA). A batch-1 decode thus pays 16 rows of
 * MMA work, not ~174 (the fitted M / (M + 173) form this replaces, issue 11).
 */
export const GEMM_TOKEN_TILE_ROWS = 16;

/**
 * Token tile of the routed experts' grouped GEMM: vLLM's fused_moe pads each expert's tokens to
 * BLOCK_SIZE_M (moe_align_block_size), 16 in its default config for batches up to the expert count
 * and in the tuned configs' small-batch entries (vllm/model_executor/layers/fused_moe/fused_moe.py
 * get_default_config, fused_moe/configs/*.json).
 */
export const MOE_TOKEN_TILE_ROWS = 16;

/**
 * A GEMM streams its weights once per step while its MMAs run; neither hides the other completely
 * (pipeline fill and drain of every tile wave, the epilogue). `weightStreamExposedFraction` is the
 * share of the smaller of the two — the GEMMs' MMA time at their tiled rows, the weights' read
 * time — that adds to the roofline: step = max(compute, memory) + this × min(GEMM MMA, weights
 * read) + …. A batch-1 decode stays memory-bound (its MMAs are one tile); near the ridge the step
 * costs up to (1 + this) × the roofline. Fit by scripts/validate/perfFit.ts within [0.02, 0.95].
 */
export const GEMM_EFFICIENCY = { weightStreamExposedFraction: 0.675 };

/**
 * Collective latency: a fixed cost per all-reduce (kernel launch + barrier; vLLM's custom one-shot
 * all-reduce takes ~5–10 µs on NVLink for decode-sized messages, vllm/distributed/device_communicators/
 * custom_all_reduce.py) plus a per-hop term for ring algorithms on large messages. Link bandwidth
 * reaches `LINK_BANDWIDTH_FRACTION` of the catalog's one-way figure (NCCL bus bandwidth ~80 % of NVLink).
 */
export const ALLREDUCE_BASE_LATENCY_MS = 0.008;
export const ALLREDUCE_PER_HOP_LATENCY_MS = 0.002;
export const LINK_BANDWIDTH_FRACTION = 0.8;
/** Between nodes (TP/EP beyond `gpusPerNode`): one 400 Gb/s InfiniBand NIC per GPU = 50 GB/s one way. */
export const INTER_NODE_BYTES_PER_S = 50e9;
export const INTER_NODE_LATENCY_MS = 0.02;

/**
 * Activation traffic per token per layer in units of hidden-size vectors, read + written by the
 * norms, residual adds and linear-layer inputs/outputs (APPROXIMATION: fused kernels keep some in
 * cache; 12 ≈ six tensors of width hidden each read and written once).
 */
export const ACTIVATION_HIDDEN_VECTORS_PER_LAYER = 12;
/** …plus the MLP intermediate (gate/up output written, activation read+written, down input read). */
export const ACTIVATION_INTERMEDIATE_VECTORS_PER_LAYER = 6;

/**
 * `--enforce-eager` (no CUDA graphs): every kernel of every layer is launched from Python each step.
 * APPROXIMATION: ~8 kernels per layer × ~5 µs launch ≈ 0.04 ms per layer per step (vLLM docs:
 * CUDA graphs matter most for small-batch decode).
 */
export const EAGER_LAUNCH_OVERHEAD_PER_LAYER_MS = 0.04;

/** `vllm bench serve --num-prompts` default (vllm/benchmarks/serve.py): a finite 'max' run's size when unspecified. */
export const DEFAULT_BENCHMARK_NUM_REQUESTS = 1000;

/**
 * How far the estimates were from the measurements: the median absolute % error per metric group
 * printed by `npm run validate perf` over 1,114 evaluated rows of perf_calibration.csv (throughput
 * 799 rows, ITL 176, TTFT 123), run 2026-12-07 (TensorRT-LLM rows on its own memory plan and batch caps, issue 13). The UI draws it as the ± band around estimates.
 * scripts/validate/perf.test.ts fails when the validation no longer prints these figures.
 */
export const VALIDATION_ERROR_PCT = { ttftPct: 15.0, itlPct: 16.6, throughputPct: 13.8 } as const;

/**
 * The same medians on measurements the calibration was NOT fitted on: `npm run validate cv` (5-fold
 * cross-validation by model, each fold fitted from neutral values on the other models' rows), run
 * 2026-12-04. Held out by source (leave-one-source-out, same run): TTFT 56.8, ITL 28.4, throughput 23.4 %. What to expect for a model or source not in perf_calibration.csv; the UI states both.
 * Not re-checked by a test (the script takes minutes): re-run it when the perf model changes.
 */
export const HELD_OUT_ERROR_PCT = { ttftPct: 26.4, itlPct: 26.3, throughputPct: 19.7 } as const;
// ==================================== end performance ========================================
