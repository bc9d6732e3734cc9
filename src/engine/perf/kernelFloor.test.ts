import { describe, expect, it } from 'vitest';
import { KERNEL_FLOOR, KERNELS_PER_LAYER } from '../calibration';
import type { LayerSpec } from '../types';
import { DEEPSEEK_MLA_LAYER, DEEPSEEK_V3_MLA, H100, LLAMA_31_8B, MIXTRAL, NO_QUANT } from '../testArchs';
import { kernelFloorMs, kernelsOfLayer } from './kernelFloor';
import { buildModelCost } from './modelCost';
import { hardwareRates, stepContext, stepTime } from './step';
import type { StepBatch } from './stepBatch';

const moeLayer = (sharedIntermediateSize: number): LayerSpec => ({
  mixer: DEEPSEEK_MLA_LAYER.mixer,
  ffn: {
    kind: 'moe',
    numExperts: 256,
    topK: 8,
    expertIntermediateSize: 2048,
    numSharedExperts: sharedIntermediateSize > 0 ? 1 : 0,
    sharedIntermediateSize,
    gated: true,
    bias: false,
    parallelDenseIntermediateSize: 0,
  },
});

/** One decode per request at `contextTokens`, no prompt tokens (full attention only). */
function decodeBatch(requests: number, contextTokens: number): StepBatch {
  return {
    decodeRequests: requests,
    decodeContextTokens: new Float64Array([requests * contextTokens]),
    prefillTokens: 0,
    prefillContextTokens: new Float64Array(1),
    finishingPrefills: 0,
  };
}

describe('kernelsOfLayer', () => {
  it('counts a layer by its mixer and FFN (calibration.ts KERNELS_PER_LAYER)', () => {
    const k = KERNELS_PER_LAYER;
    const llamaLayer = LLAMA_31_8B.layers[0];
    if (llamaLayer === undefined) throw new Error('no layer');
    expect(kernelsOfLayer(llamaLayer)).toBe(k.attention + k.denseFfn);
    expect(kernelsOfLayer(DEEPSEEK_MLA_LAYER)).toBe(k.mla + k.denseFfn);
    // MoE routing and the grouped GEMMs; shared experts only where the layer has them.
    expect(kernelsOfLayer(moeLayer(0))).toBe(k.mla + k.moe);
    expect(kernelsOfLayer(moeLayer(2048))).toBe(k.mla + k.moe + k.sharedExperts);
    // MLA's absorbed decode runs more small kernels than a GQA layer (three norms, two bmm, the latent cache write).
    expect(k.mla).toBeGreaterThan(k.attention);
  });
});

describe('model cost kernels per stage', () => {
  it('sums every layer and splits them over pipeline stages', () => {
    const one = buildModelCost(MIXTRAL, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    expect(one.kernelsPerStage).toBe(32 * (KERNELS_PER_LAYER.attention + KERNELS_PER_LAYER.moe));
    const two = buildModelCost(MIXTRAL, NO_QUANT, { tp: 2, pp: 2, dp: 1, ep: false });
    // TP does not change how many kernels a rank launches; PP halves the layers per stage.
    expect(two.kernelsPerStage).toBe((one.kernelsPerStage ?? 0) / 2);
  });
});

describe('kernel floor in the step', () => {
  it('is a floor, not a cost: a step whose bytes take longer than its kernels’ floors is unchanged', () => {
    const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
    const rates = hardwareRates(H100, 'vllm', cost);
    const kv = [{ kind: 'full-attention' as const, numLayers: 32, bytesPerTokenPerLayer: 4096, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null }];
    const withFloor = stepTime(stepContext(cost, rates, kv, 0), decodeBatch(1, 1000));
    const without = stepTime(stepContext({ ...cost, kernelsPerStage: 0 }, rates, kv, 0), decodeBatch(1, 1000));
    // 8B at batch 1 reads 15 GB (~6 ms on an H100) against 320 kernels × 3 µs ≈ 1 ms of floors.
    expect(kernelFloorMs(cost.kernelsPerStage ?? 0)).toBeLessThan(withFloor.memoryMs);
    expect(withFloor.totalMs).toBe(without.totalMs);
  });

  it('binds a batch-1 decode of a many-layer model with thin per-rank shards, and reports the excess as overhead', () => {
    // DeepSeek-V3's MLA shape (61 layers) at TP 16: ~1 GB of weights per rank, ~0.4 ms to read.
    const cost = buildModelCost(DEEPSEEK_V3_MLA, NO_QUANT, { tp: 16, pp: 1, dp: 1, ep: false });
    const rates = hardwareRates(H100, 'sglang', cost);
    const kv = [{ kind: 'mla' as const, numLayers: 61, bytesPerTokenPerLayer: 1152, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null }];
    const ctx = stepContext(cost, rates, kv, 0);
    const noFloor = stepContext({ ...cost, kernelsPerStage: 0 }, rates, kv, 0);
    const t = stepTime(ctx, decodeBatch(1, 128));
    const base = stepTime(noFloor, decodeBatch(1, 128));
    const floorMs = (cost.kernelsPerStage ?? 0) * KERNEL_FLOOR.msPerKernel;
    const rooflineMs = Math.max(t.computeMs, t.memoryMs);
    expect(floorMs).toBeGreaterThan(rooflineMs);
    // max(compute, memory, floor): the step grows by the floor's excess over the roofline, booked as overhead.
    expect(t.totalMs - base.totalMs).toBeCloseTo(floorMs - rooflineMs, 9);
    expect(t.overheadMs - base.overheadMs).toBeCloseTo(floorMs - rooflineMs, 9);
    expect(t.computeMs).toBe(base.computeMs);
    expect(t.memoryMs).toBe(base.memoryMs);
    // A large batch reads more than the floors take: the floor no longer binds.
    const big = stepTime(ctx, decodeBatch(512, 4000));
    const bigBase = stepTime(noFloor, decodeBatch(512, 4000));
    expect(big.totalMs).toBe(bigBase.totalMs);
  });
});
