import { describe, expect, it } from 'vitest';
import { ENGINE_EFFICIENCY, GENERATION_EFFICIENCY, LINK_BANDWIDTH_FRACTION } from '../calibration';
import { allReduceMs, linkFor } from './comm';
import { buildModelCost } from './modelCost';
import { H100, LLAMA_31_8B, NO_QUANT } from '../testArchs';
import { hardwareRates, stepContext, stepTime } from './step';

// Llama-3.1-8B KV: 2 (K,V) × 8 heads × 128 × 2 B = 4,096 B per token per layer, 32 layers.
const KV_GROUPS = [{ kind: 'full-attention' as const, numLayers: 32, bytesPerTokenPerLayer: 4096, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null }];

describe('stepTime', () => {
  it('is memory-bound at batch 1: weights + KV at context + activations over achievable bandwidth (dense, H100)', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const rates = hardwareRates(H100, 'vllm', cost);
    const ctx = stepContext(cost, rates, KV_GROUPS, 1000, 1000, 0);
    const t = stepTime(ctx, { decodeTokens: 1, prefillTokens: 0, promptTokens: 1000 });
    // bytes = 15,009,316,864 (weights) + 1000 × 131,072 (KV read) + 131,072 (KV write)
    //       + 32 × 2 × (12 × 4096 + 6 × 14336) = 8,650,752 (activations) = 15,149,170,688 B.
    const bytes = 15_009_316_864 + 131_072_000 + 131_072 + 8_650_752;
    const bw = 3.35e12 * GENERATION_EFFICIENCY.hopper.bandwidthFraction * ENGINE_EFFICIENCY.vllm.kernelMultiplier;
    expect(t.memoryMs).toBeCloseTo((bytes / bw) * 1000, 9);
    expect(t.memoryMs).toBeGreaterThan(t.computeMs);
    expect(t.communicationMs).toBe(0);
    expect(t.totalMs).toBeCloseTo(t.memoryMs + GENERATION_EFFICIENCY.hopper.stepOverheadMs, 9);
  });

  it('turns compute-bound for a full prefill chunk', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const ctx = stepContext(cost, hardwareRates(H100, 'vllm', cost), KV_GROUPS, 8192, 8192, 0);
    const t = stepTime(ctx, { decodeTokens: 0, prefillTokens: 8192, promptTokens: 8192 });
    expect(t.computeMs).toBeGreaterThan(t.memoryMs);
  });

  it('adds two ring all-reduces per layer at TP = 8 (alpha-beta cost, H100 NVLink)', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 8, pp: 1, dp: 1, ep: false });
    const rates = hardwareRates(H100, 'vllm', cost);
    const ctx = stepContext(cost, rates, KV_GROUPS, 1000, 1000, 0);
    const t = stepTime(ctx, { decodeTokens: 1, prefillTokens: 0, promptTokens: 1000 });
    // One token: 4096 × 2 B = 8,192 B per all-reduce; ring moves 2·7/8 × 8,192 = 14,336 B per GPU.
    const link = linkFor(H100, 8);
    expect(link.bytesPerS).toBe(450e9 * LINK_BANDWIDTH_FRACTION);
    const one = allReduceMs(8192, 8, link);
    expect(one).toBeCloseTo(link.baseLatencyMs + 7 * link.hopLatencyMs + (14_336 / link.bytesPerS) * 1000, 12);
    expect(t.communicationMs).toBeCloseTo(64 * one, 12);
  });

  it('is zero for an empty step', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const ctx = stepContext(cost, hardwareRates(H100, 'vllm', cost), KV_GROUPS, 100, 100, 0);
    expect(stepTime(ctx, { decodeTokens: 0, prefillTokens: 0, promptTokens: 100 }).totalMs).toBe(0);
  });

  it('never gets faster when prompt tokens join a decode step (regression: the LM head was charged at the whole step\'s GEMM row efficiency)', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const ctx = stepContext(cost, hardwareRates(H100, 'vllm', cost), KV_GROUPS, 2000, 2250, 0);
    let previous = 0;
    for (const prefill of [0, 1, 4, 64, 512, 4096]) {
      const t = stepTime(ctx, { decodeTokens: 0.8, prefillTokens: prefill, promptTokens: 2000 });
      expect(t.computeMs).toBeGreaterThanOrEqual(previous);
      previous = t.computeMs;
    }
  });
});
