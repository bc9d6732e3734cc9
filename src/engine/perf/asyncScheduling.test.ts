import { describe, expect, it } from 'vitest';
import { ASYNC_SCHEDULING, ENGINE_EFFICIENCY, GENERATION_EFFICIENCY } from '../calibration';
import { asyncSchedulingActive, asyncSchedulingDefault, asyncSchedulingRequested } from './asyncScheduling';
import { buildModelCost } from './modelCost';
import type { StepContext } from './step';
import { addClippedContextTokens, hardwareRates, stepContext, stepTime } from './step';
import type { StepBatch } from './stepBatch';
import { H100, LLAMA_31_8B, NO_QUANT, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import { replicaModel, runReplica } from './estimatePerf';
import { admissionLagSteps } from './serving';

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

  it('with a share of the per-sampled-token host cost overlapped too (ASYNC_SCHEDULING.sampledHostOverlapFraction), hides that share as well, never more than the GPU time', () => {
    const { sync, overlapped } = contexts();
    const share: StepContext = { ...overlapped, coefficients: { ...overlapped.coefficients, sampledHostOverlapFraction: 0.5 } };
    for (const decodes of [1, 64, 512]) {
      const s = stepTime(sync, decodeBatch(sync, decodes, 2000));
      const a = stepTime(overlapped, decodeBatch(overlapped, decodes, 2000));
      const b = stepTime(share, decodeBatch(share, decodes, 2000));
      expect(b.totalMs).toBeLessThanOrEqual(a.totalMs);
      const fixedMs = overlapped.coefficients.hostOverheadMs ?? 0;
      const sampledMs = overlapped.coefficients.hostMsPerSample * decodes;
      const gpuMs = s.totalMs - fixedMs - sampledMs;
      expect(s.totalMs - b.totalMs).toBeCloseTo(Math.min(fixedMs + 0.5 * sampledMs, gpuMs), 9);
      // Never below the GPU's part plus the serial half of the per-token host cost.
      expect(b.totalMs).toBeGreaterThanOrEqual(gpuMs + 0.5 * sampledMs - 1e-9);
    }
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

describe("async scheduling's admission one step later in the closed form (perf/serving.ts admissionLagSteps)", () => {
  const cost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
  const plan = memoryPlan(32, 4096, 50e9);
  const model = (asyncScheduling: boolean) =>
    replicaModel({ gpu: H100, serving: testServing({ ...PERF_SERVING, maxNumBatchedTokens: 8192, maxNumSeqs: 256, asyncScheduling }), engine: 'vllm', memory: plan }, cost, 1000, 200);

  it('is one step under async scheduling with other requests running, none for a lone request or without it', () => {
    expect(admissionLagSteps(model(true), 8)).toBe(1);
    expect(admissionLagSteps(model(true), 1)).toBe(0);
    expect(admissionLagSteps(model(false), 8)).toBe(0);
    expect(model(false).schedulesOneStepAhead).toBeUndefined();
  });

  it('adds one mean step to the closed loop TTFT at concurrency ≥ 2, nothing at concurrency 1 (same step model)', () => {
    const on = model(true);
    const off = { ...on, schedulesOneStepAhead: false };
    expect(runReplica(on, 'closed-loop', 1).ttftMs).toBe(runReplica(off, 'closed-loop', 1).ttftMs);
    for (const c of [4, 32]) {
      const a = runReplica(on, 'closed-loop', c);
      const s = runReplica(off, 'closed-loop', c);
      // One step: the mean step (the ITL without speculation), within the solve's shift of λ.
      expect(a.ttftMs - s.ttftMs).toBeGreaterThan(0.9 * a.itlMs);
      expect(a.ttftMs - s.ttftMs).toBeLessThan(1.1 * a.itlMs);
      // Never a faster step: the lag only lowers the admissions per step.
      expect(a.requestsPerS).toBeLessThanOrEqual(s.requestsPerS);
    }
  });

  it('leaves a burst that fits at once without the lag (its requests were queued before the first step)', () => {
    const on = model(true);
    const off = { ...on, schedulesOneStepAhead: false };
    const a = runReplica(on, 'burst', 16);
    const s = runReplica(off, 'burst', 16);
    expect(Math.abs(a.ttftMs / s.ttftMs - 1)).toBeLessThan(0.01);
  });
});
