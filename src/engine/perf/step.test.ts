import { describe, expect, it } from 'vitest';
import {
  ENGINE_EFFICIENCY,
  GEMM_EFFICIENCY,
  GEMM_TOKEN_TILE_ROWS,
  GENERATION_EFFICIENCY,
  GROUPED_GEMM,
  INTRA_NODE_COLLECTIVE,
  LINK_BANDWIDTH_FRACTION,
  STATE_LAYER_KERNEL_FLOOR_MS,
} from '../calibration';
import { allReduceSegmentFor, allReduceTimeMs, linkFor } from './comm';
import { buildModelCost } from './modelCost';
import { GEMMA2_9B, H100, LLAMA_31_8B, MIXTRAL, NO_QUANT } from '../testArchs';
import type { StepContext } from './step';
import { addClippedContextTokens, addPrefillChunkContextTokens, hardwareRates, stepContext, stepTime } from './step';
import type { StepBatch } from './stepBatch';
import { meanPrefillContextTokens } from './flops';

/** A batch of `decodes` requests at `contextTokens` each and one prompt chunk [start, start + chunk), as the simulator builds it. */
function batchOf(ctx: StepContext, decodes: number, contextTokens: number, prefill: { start: number; chunk: number; finishing: number } | null): StepBatch {
  const n = ctx.windowsTokens.length;
  const decodeContextTokens = new Float64Array(n);
  const prefillContextTokens = new Float64Array(n);
  for (let r = 0; r < decodes; r += 1) addClippedContextTokens(ctx.windowsTokens, contextTokens, decodeContextTokens);
  if (prefill !== null) addPrefillChunkContextTokens(ctx.windowsTokens, prefill.start, prefill.chunk, prefillContextTokens);
  return { decodeRequests: decodes, decodeContextTokens, prefillTokens: prefill?.chunk ?? 0, prefillContextTokens, finishingPrefills: prefill?.finishing ?? 0 };
}

// Llama-3.1-8B KV: 2 (K,V) × 8 heads × 128 × 2 B = 4,096 B per token per layer, 32 layers.
const KV_GROUPS = [{ kind: 'full-attention' as const, numLayers: 32, bytesPerTokenPerLayer: 4096, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null }];

describe('stepTime', () => {
  it('is memory-bound at batch 1: weights + KV at context + activations over achievable bandwidth (dense, H100)', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const rates = hardwareRates(H100, 'vllm', cost);
    const ctx = stepContext(cost, rates, KV_GROUPS, 0);
    const t = stepTime(ctx, batchOf(ctx, 1, 1000, null));
    // bytes = 15,009,316,864 (weights) + 1000 × 131,072 (KV read) + 131,072 (KV write)
    //       + 32 × 2 × (12 × 4096 + 6 × 14336) = 8,650,752 (activations) = 15,149,170,688 B.
    const bytes = 15_009_316_864 + 131_072_000 + 131_072 + 8_650_752;
    const bw = 3.35e12 * GENERATION_EFFICIENCY.hopper.bandwidthFraction * ENGINE_EFFICIENCY.vllm.kernelMultiplier;
    expect(t.memoryMs).toBeCloseTo((bytes / bw) * 1000, 9);
    expect(t.memoryMs).toBeGreaterThan(t.computeMs);
    expect(t.communicationMs).toBe(0);
    // Plus the exposed share of the GEMMs' MMAs at one 16-row tile (linear layers + LM head), the
    // smaller side of min(MMA, weight stream) (calibration.ts GEMM_EFFICIENCY).
    const mmaMs = (ctx.coefficients.linearMsPerToken + ctx.coefficients.lmHeadMsPerSample) * GEMM_TOKEN_TILE_ROWS;
    // Overhead: the fixed step cost and one sampled token's host cost (calibration.ts hostMsPerSampledToken).
    const overheadMs = GENERATION_EFFICIENCY.hopper.stepOverheadMs + ENGINE_EFFICIENCY.vllm.hostMsPerSampledToken;
    expect(t.totalMs).toBeCloseTo(t.memoryMs + GEMM_EFFICIENCY.weightStreamExposedFraction * mmaMs + overheadMs, 9);
  });

  it('charges the host cost per request that samples in the step, not per prompt token', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const rates = hardwareRates(H100, 'trtllm', cost);
    expect(rates.hostMsPerSampledToken).toBe(ENGINE_EFFICIENCY.trtllm.hostMsPerSampledToken);
    const ctx = stepContext(cost, rates, KV_GROUPS, 0);
    const one = stepTime(ctx, batchOf(ctx, 1, 1000, null));
    const many = stepTime(ctx, batchOf(ctx, 257, 1000, null));
    expect(many.overheadMs - one.overheadMs).toBeCloseTo(256 * rates.hostMsPerSampledToken, 12);
    // A prompt chunk that does not finish samples nothing: the same overhead as its decodes alone.
    const withChunk = stepTime(ctx, batchOf(ctx, 1, 1000, { start: 0, chunk: 2048, finishing: 0 }));
    expect(withChunk.overheadMs).toBeCloseTo(one.overheadMs, 12);
    const finishing = stepTime(ctx, batchOf(ctx, 1, 1000, { start: 0, chunk: 2048, finishing: 1 }));
    expect(finishing.overheadMs - one.overheadMs).toBeCloseTo(rates.hostMsPerSampledToken, 12);
  });

  it('turns compute-bound for a full prefill chunk', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const ctx = stepContext(cost, hardwareRates(H100, 'vllm', cost), KV_GROUPS, 0);
    const t = stepTime(ctx, batchOf(ctx, 0, 0, { start: 0, chunk: 8192, finishing: 1 }));
    expect(t.computeMs).toBeGreaterThan(t.memoryMs);
  });

  it('adds two all-reduces per layer at TP = 8, a decode-sized one run as vLLM\'s one-shot kernel (H100 NVLink)', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 8, pp: 1, dp: 1, ep: false });
    const rates = hardwareRates(H100, 'vllm', cost);
    const ctx = stepContext(cost, rates, KV_GROUPS, 0);
    const t = stepTime(ctx, batchOf(ctx, 1, 1000, null));
    // One token: 4096 × 2 B = 8,192 B per all-reduce, below vLLM's 256 KiB one-shot limit at 8 ranks:
    // each GPU reads its 7 peers' 8,192 B and pays one barrier.
    const link = linkFor(H100, 8);
    expect(link.bytesPerS).toBe(450e9 * LINK_BANDWIDTH_FRACTION);
    expect(allReduceSegmentFor(rates.tpAllReduce, 8192)?.algorithm).toBe('one-shot');
    const one = INTRA_NODE_COLLECTIVE.customStageLatencyMs + ((7 * 8192) / link.bytesPerS) * 1000;
    expect(allReduceTimeMs(rates.tpAllReduce, 8192)).toBeCloseTo(one, 12);
    expect(t.communicationMs).toBeCloseTo(64 * one, 12);
    // Without the custom kernel (--disable-custom-all-reduce) NCCL's ring: dearer at this size.
    const nccl = stepTime(stepContext(cost, hardwareRates(H100, 'vllm', cost, { disableCustomAllReduce: true }), KV_GROUPS, 0), batchOf(ctx, 1, 1000, null));
    expect(nccl.communicationMs).toBeGreaterThan(t.communicationMs);
  });

  it('is zero for an empty step', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const ctx = stepContext(cost, hardwareRates(H100, 'vllm', cost), KV_GROUPS, 0);
    expect(stepTime(ctx, batchOf(ctx, 0, 100, null)).totalMs).toBe(0);
  });

  it('never gets faster when prompt tokens join a decode step (regression: the LM head was charged at the whole step\'s GEMM row efficiency)', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const ctx = stepContext(cost, hardwareRates(H100, 'vllm', cost), KV_GROUPS, 0);
    let previous = 0;
    for (const prefill of [0, 1, 4, 64, 512, 4096]) {
      const t = stepTime(ctx, batchOf(ctx, 1, 2250, { start: 0, chunk: prefill, finishing: prefill / 2000 }));
      expect(t.computeMs).toBeGreaterThanOrEqual(previous);
      previous = t.computeMs;
    }
  });

  it('charges a sliding-window layer only its window: attention and KV reads come from the per-window context sums (Gemma-2, window 4096)', () => {
    const cost = buildModelCost(GEMMA2_9B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    // Gemma-2-9B KV: 2 × 8 heads × 256 × 2 B = 8,192 B per token per layer; 21 sliding + 21 global layers.
    const groups = [
      { kind: 'sliding-window' as const, numLayers: 21, bytesPerTokenPerLayer: 8192, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: 4096 },
      { kind: 'full-attention' as const, numLayers: 21, bytesPerTokenPerLayer: 8192, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null },
    ];
    const ctx = stepContext(cost, hardwareRates(H100, 'vllm', cost), groups, 0);
    expect(ctx.windowsTokens).toEqual([4096, Infinity]);
    const c = ctx.coefficients;
    // Past the window, 1,000 more tokens of context cost only the global layers: the sliding
    // layers' sum stays at 4,096 per request.
    const at = (contextTokens: number) => stepTime(ctx, batchOf(ctx, 4, contextTokens, null));
    const memoryDeltaMs = at(9000).memoryMs - at(8000).memoryMs;
    expect(memoryDeltaMs).toBeCloseTo(4 * 1000 * (c.kvReadMsPerContextToken[1] ?? 0), 12);
    // Below the window both groups grow.
    expect(at(3000).memoryMs - at(2000).memoryMs).toBeCloseTo(4 * 1000 * ((c.kvReadMsPerContextToken[0] ?? 0) + (c.kvReadMsPerContextToken[1] ?? 0)), 12);
  });
});

describe('per-window context sums', () => {
  it('addPrefillChunkContextTokens is Σ min(pos + 1, w) over the chunk, by brute force', () => {
    const windows = [3, 100, Infinity];
    for (const [start, chunk] of [
      [0, 1],
      [0, 10],
      [2, 5],
      [97, 9],
      [250, 300],
    ] as const) {
      const out = new Float64Array(windows.length);
      addPrefillChunkContextTokens(windows, start, chunk, out);
      windows.forEach((w, i) => {
        let brute = 0;
        for (let pos = start; pos < start + chunk; pos += 1) brute += Math.min(pos + 1, w);
        expect(out[i]).toBe(brute);
      });
    }
  });

  it('chunks of a prompt add up to the whole prompt, L × meanPrefillContextTokens (flops.ts), whatever the chunking', () => {
    const windows = [512, Infinity];
    const whole = new Float64Array(2);
    addPrefillChunkContextTokens(windows, 0, 3000, whole);
    const chunked = new Float64Array(2);
    for (let start = 0; start < 3000; start += 700) addPrefillChunkContextTokens(windows, start, Math.min(700, 3000 - start), chunked);
    windows.forEach((w, i) => {
      expect(chunked[i]).toBe(whole[i]);
      expect(whole[i]).toBeCloseTo(3000 * meanPrefillContextTokens(3000, w), 6);
    });
  });

  it('addClippedContextTokens adds min(context, w) per window', () => {
    const out = new Float64Array([1, 1]);
    addClippedContextTokens([4096, Infinity], 10_000, out);
    expect([...out]).toEqual([4097, 10_001]);
  });
});

describe('stepTime: constant-state (Mamba / linear-attention) layers in decode (issue 11 defect)', () => {
  // A hybrid stage: 8 attention layers with a KV cache, 24 Mamba layers with 1 MiB of state each per request.
  const stateBytesPerLayer = 1 << 20;
  const hybrid = [
    { kind: 'full-attention' as const, numLayers: 8, bytesPerTokenPerLayer: 4096, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null },
    { kind: 'mamba' as const, numLayers: 24, bytesPerTokenPerLayer: 0, stateBytesPerRequestPerLayer: stateBytesPerLayer, slidingWindowTokens: null },
  ];
  const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
  const rates = hardwareRates(H100, 'vllm', cost);

  it('reads and writes back every decoding request’s state each step (the update is in place)', () => {
    const ctx = stepContext(cost, rates, hybrid, 0);
    const one = stepTime(ctx, batchOf(ctx, 1, 1000, null));
    const nine = stepTime(ctx, batchOf(ctx, 9, 1000, null));
    // Eight more decodes add their KV reads and writes, activations and 2 × 24 MiB of state each.
    const kvAndTraffic = 8 * (ctx.coefficients.kvReadMsPerContextToken[0] ?? 0) * 1000 + 8 * ctx.coefficients.trafficMsPerToken;
    const stateMs = (8 * 2 * 24 * stateBytesPerLayer * 1000) / rates.bandwidthBytesPerS;
    expect(nine.memoryMs - one.memoryMs).toBeCloseTo(kvAndTraffic + stateMs, 9);
  });

  it('pays a kernel floor per constant-state layer per step; attention-only stages do not', () => {
    const withState = stepTime(stepContext(cost, rates, hybrid, 0), batchOf(stepContext(cost, rates, hybrid, 0), 1, 1000, null));
    const attentionOnly = stepContext(cost, rates, KV_GROUPS, 0);
    const oneSampleMs = rates.hostMsPerSampledToken;
    expect(withState.overheadMs).toBeCloseTo(rates.stepOverheadMs + oneSampleMs + 24 * STATE_LAYER_KERNEL_FLOOR_MS, 12);
    expect(stepTime(attentionOnly, batchOf(attentionOnly, 1, 1000, null)).overheadMs).toBeCloseTo(rates.stepOverheadMs + oneSampleMs, 12);
  });
});

describe('grouped GEMM efficiency (calibration.ts GROUPED_GEMM)', () => {
  it('prices the routed experts’ GEMM rows at the dense rate × the grouped efficiency, and nothing else', () => {
    const cost = buildModelCost(MIXTRAL, NO_QUANT, { tp: 2, pp: 1, dp: 1, ep: false });
    const rates = hardwareRates(H100, 'vllm', cost);
    const kv = [{ kind: 'full-attention' as const, numLayers: 32, bytesPerTokenPerLayer: 2048, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null }];
    const shipped = GROUPED_GEMM.efficiency;
    try {
      GROUPED_GEMM.efficiency = 0.5;
      const half = stepContext(cost, rates, kv, 0);
      GROUPED_GEMM.efficiency = 1;
      const full = stepContext(cost, rates, kv, 0);
      const expertRowMs = (ctx: StepContext): number => ctx.coefficients.moe[0]?.msPerExpertRow ?? NaN;
      // One expert row = its FLOPs ÷ (dense 16-bit rate × efficiency): twice as long at half the efficiency.
      expect(expertRowMs(half)).toBeCloseTo(2 * expertRowMs(full), 12);
      const flops = cost.moe[0]?.flopsPerExpertRowPerGpu ?? NaN;
      expect(expertRowMs(full)).toBeCloseTo((flops / rates.unquantizedFlopsPerS) * 1000, 12);
      // The dense layers, the experts' weight read and attention do not depend on it.
      expect(half.coefficients.linearMsPerToken).toBe(full.coefficients.linearMsPerToken);
      expect(half.coefficients.moe[0]?.msPerExpert).toBe(full.coefficients.moe[0]?.msPerExpert);
      // A prefill chunk (compute-bound) is slower at the lower efficiency.
      const chunk = (ctx: StepContext): number => stepTime(ctx, batchOf(ctx, 0, 0, { start: 0, chunk: 8192, finishing: 1 })).totalMs;
      expect(chunk(half)).toBeGreaterThan(chunk(full));
    } finally {
      GROUPED_GEMM.efficiency = shipped;
    }
  });
});
