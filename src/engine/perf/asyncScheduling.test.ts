import { describe, expect, it } from 'vitest';
import { ASYNC_SCHEDULING, ENGINE_EFFICIENCY, GENERATION_EFFICIENCY } from '../calibration';
import { asyncSchedulingActive, asyncSchedulingDefault, asyncSchedulingRequested } from './asyncScheduling';
import { buildModelCost } from './modelCost';
import type { StepContext } from './step';
import { addClippedContextTokens, hardwareRates, stepContext, stepTime } from './step';
import type { StepBatch } from './stepBatch';
import { H100, LLAMA_31_8B, NO_QUANT } from '../testArchs';

// Llama-3.1-8B KV: 2 (K,V) × 8 heads × 128 × 2 B = 4,096 B per token per layer, 32 layers.
const KV_GROUPS = [{ kind: 'full-attention' as const, numLayers: 32, bytesPerTokenPerLayer: 4096, stateBytesPerRequestPerLayer: 0, slidingWindowTokens: null }];

function decodeBatch(ctx: StepContext, decodes: number, contextTokens: number): StepBatch {
  const decodeContextTokens = new Float64Array(ctx.windowsTokens.length);
  for (let r = 0; r < decodes; r += 1) addClippedContextTokens(ctx.windowsTokens, contextTokens, decodeContextTokens);
  return { decodeRequests: decodes, decodeContextTokens, prefillTokens: 0, prefillContextTokens: new Float64Array(ctx.windowsTokens.length), finishingPrefills: 0 };
}

function contexts(): { sync: StepContext; overlapped: StepContext } {
  const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
  const rates = hardwareRates(H100, 'vllm', cost);
  return { sync: stepContext(cost, rates, KV_GROUPS, 0), overlapped: stepContext(cost, rates, KV_GROUPS, 0, true) };
}

describe('async scheduling in the step model (perf/step.ts stepTime)', () => {
  it('a step with async scheduling is never slower than without, at every batch', () => {
    const { sync, overlapped } = contexts();
    for (const decodes of [1, 8, 64, 512]) {
      const a = stepTime(overlapped, decodeBatch(overlapped, decodes, 2000));
      const s = stepTime(sync, decodeBatch(sync, decodes, 2000));
      expect(a.totalMs).toBeLessThanOrEqual(s.totalMs);
      expect(a.computeMs).toBe(s.computeMs);
      expect(a.memoryMs).toBe(s.memoryMs);
    }
  });

  it('hides the host part (the fitted step overhead) up to the GPU part, less the exposed fraction', () => {
    const { sync, overlapped } = contexts();
    const a = stepTime(overlapped, decodeBatch(overlapped, 8, 2000));
    const s = stepTime(sync, decodeBatch(sync, 8, 2000));
    const hostMs = GENERATION_EFFICIENCY.hopper.stepOverheadMs * ENGINE_EFFICIENCY.vllm.stepOverheadMultiplier;
    const gpuMs = s.totalMs - hostMs - ENGINE_EFFICIENCY.vllm.hostMsPerSampledToken * 8;
    // Batch 8 of an 8B model on H100: the GPU part (~6 ms of weight read) exceeds the host part, so all of it can hide.
    expect(gpuMs).toBeGreaterThan(hostMs);
    expect(s.totalMs - a.totalMs).toBeCloseTo((1 - ASYNC_SCHEDULING.exposedHostFraction) * hostMs, 9);
  });

  it('hides nothing when the step has no host part (equal steps)', () => {
    const { overlapped } = contexts();
    const noHost: StepContext = { ...overlapped, coefficients: { ...overlapped.coefficients, hostOverheadMs: 0, overheadMs: overlapped.coefficients.overheadMs - (overlapped.coefficients.hostOverheadMs ?? 0) } };
    const noHostSync: StepContext = { ...noHost, coefficients: { ...noHost.coefficients, hostHiddenFraction: 0 } };
    const a = stepTime(noHost, decodeBatch(noHost, 16, 1000));
    const s = stepTime(noHostSync, decodeBatch(noHostSync, 16, 1000));
    expect(a.totalMs).toBe(s.totalMs);
  });

  it('hides the host part only up to the GPU time: a host-bound step stays at least its host time', () => {
    const { overlapped } = contexts();
    // A host part far above the GPU's (e.g. a slow CPU): the step is ≈ max(GPU, host), never below the host.
    const hostMs = 1000;
    const slowHost: StepContext = {
      ...overlapped,
      coefficients: { ...overlapped.coefficients, hostOverheadMs: hostMs, overheadMs: overlapped.coefficients.overheadMs - (overlapped.coefficients.hostOverheadMs ?? 0) + hostMs },
    };
    const sync: StepContext = { ...slowHost, coefficients: { ...slowHost.coefficients, hostHiddenFraction: 0 } };
    const a = stepTime(slowHost, decodeBatch(slowHost, 4, 1000));
    const s = stepTime(sync, decodeBatch(sync, 4, 1000));
    const gpuMs = s.totalMs - hostMs - ENGINE_EFFICIENCY.vllm.hostMsPerSampledToken * 4;
    expect(a.totalMs).toBeGreaterThanOrEqual(hostMs);
    expect(s.totalMs - a.totalMs).toBeCloseTo((1 - ASYNC_SCHEDULING.exposedHostFraction) * gpuMs, 9);
  });

  it('an empty batch still costs nothing', () => {
    const { overlapped } = contexts();
    expect(stepTime(overlapped, decodeBatch(overlapped, 0, 0)).totalMs).toBe(0);
  });
});

describe('asyncSchedulingActive (which configurations overlap)', () => {
  it("is vLLM's release default when not set: off before 0.14, on from 0.14 (v0.14.0 release notes) and for the current release", () => {
    expect(asyncSchedulingDefault('0.11')).toBe(false);
    expect(asyncSchedulingDefault('0.13')).toBe(false);
    expect(asyncSchedulingDefault('0.14')).toBe(true);
    expect(asyncSchedulingDefault(undefined)).toBe(true);
    expect(asyncSchedulingRequested({ vllmVersion: '0.11' })).toBe(false);
    expect(asyncSchedulingRequested({ asyncScheduling: null, vllmVersion: '0.11' })).toBe(false);
    expect(asyncSchedulingRequested({ asyncScheduling: true, vllmVersion: '0.11' })).toBe(true);
    expect(asyncSchedulingRequested({ asyncScheduling: false })).toBe(false);
  });

  it('applies to vLLM only, with PP only from 0.15, with speculative decoding only for EAGLE / MTP from 0.14', () => {
    expect(asyncSchedulingActive({}, 'vllm', 1, null)).toBe(true);
    expect(asyncSchedulingActive({}, 'sglang', 1, null)).toBe(false);
    expect(asyncSchedulingActive({}, 'trtllm', 1, null)).toBe(false);
    expect(asyncSchedulingActive({ asyncScheduling: true, vllmVersion: '0.11' }, 'vllm', 2, null)).toBe(false);
    expect(asyncSchedulingActive({ asyncScheduling: true, vllmVersion: '0.15' }, 'vllm', 2, null)).toBe(true);
    expect(asyncSchedulingActive({ asyncScheduling: false }, 'vllm', 1, null)).toBe(false);
    expect(asyncSchedulingActive({}, 'vllm', 1, 'eagle3')).toBe(true);
    expect(asyncSchedulingActive({}, 'vllm', 1, 'mtp')).toBe(true);
    expect(asyncSchedulingActive({}, 'vllm', 1, 'draft')).toBe(false);
    expect(asyncSchedulingActive({ asyncScheduling: true, vllmVersion: '0.11' }, 'vllm', 1, 'eagle')).toBe(false);
  });
});
