import { describe, expect, it } from 'vitest';
import { ASYNC_SCHEDULING } from '../calibration';
import { replicaModel, runReplica } from './estimatePerf';
import { meanStepTime } from './serving';
import type { SpeculativeModel } from './speculative';
import {
  DEFAULT_SPEC_ACCEPTANCE,
  EAGLE3_DRAFT_VOCAB,
  TREE_DEFAULT_SOURCES,
  acceptanceForAcceptedLength,
  expectedTokensOf,
  treeDefaultSpecAcceptance,
  acceptedDraftTokens,
  draftHostForwards,
  expectedTokensPerStep,
  newSpeculativeStepScratch,
  resolveSpeculative,
  speculativeForEngine,
  speculativeMemoryPlan,
  speculativeStepTime,
} from './speculative';
import { newStepTime, stepTime } from './step';
import type { StepBatch } from './stepBatch';
import type { ServingEngine } from '../types';
import { DEEPSEEK_V3_MLA, H100, LLAMA_31_8B, NO_QUANT, PERF_SERVING, memoryPlan, testServing } from '../testArchs';
import { buildModelCost } from './modelCost';
import { specOf as spec, specTestCost as cost, specTestPlan as plan } from './testSpeculative';


// The draft pricing's algebra is checked without vLLM's async scheduling (its own test below hides the
// fixed host part once per step on top of it).
const model = (isl: number, osl: number, s?: SpeculativeModel, maxNumSeqs = 256, engine: ServingEngine = 'vllm', asyncScheduling = false) =>
  replicaModel(
    { gpu: H100, serving: testServing({ ...PERF_SERVING, maxNumSeqs, maxNumBatchedTokens: 65536, asyncScheduling }), engine, memory: plan, ...(s === undefined ? {} : { speculative: s }) },
    cost,
    isl,
    osl,
  );

describe('expectedTokensPerStep (Leviathan et al. 2023 eq. 1)', () => {
  it('is 1 at acceptance 0, k + 1 at acceptance 1, and the geometric sum between', () => {
    expect(expectedTokensPerStep(0, 4)).toBe(1);
    expect(expectedTokensPerStep(1, 4)).toBe(5);
    expect(expectedTokensPerStep(0.5, 2)).toBeCloseTo(1 + 0.5 + 0.25, 12);
  });
});

describe('speculative decoding in the closed form', () => {
  const isl = 1000;
  const osl = 500;

  it('never speeds up decoding at acceptance 0 (ITL with speculation ≥ without), at any load, on every engine', () => {
    for (const engine of ['vllm', 'sglang', 'trtllm'] as const) {
      for (const method of ['eagle', 'eagle3'] as const) {
        const s = spec({ method, tokens: 3, acceptance: 0 });
        for (const c of [1, 8, 64, 256]) {
          const base = runReplica(model(isl, osl, undefined, 256, engine), 'closed-loop', c);
          const withSpec = runReplica(model(isl, osl, s, 256, engine), 'closed-loop', c);
          expect(withSpec.itlMs).toBeGreaterThanOrEqual(base.itlMs);
        }
      }
    }
  });

  it('at acceptance 1 and batch 1 gives ITL ≈ (verify over k + 1 tokens + k draft steps) / (k + 1)', () => {
    const k = 4;
    const s = spec({ method: 'eagle', tokens: k, acceptance: 1 });
    const m = model(isl, osl, s);
    const r = runReplica(m, 'closed-loop', 1);
    // At batch 1 the verify + drafts step is meanStepTime at one decode (no prompt in the mean step but the admitted share).
    const step = meanStepTime(m, r.admittedPerStep * ((osl - 1) / (k + 1)), r.admittedPerStep * isl);
    expect(Math.abs(r.itlMs - step.totalMs / (k + 1)) / r.itlMs).toBeLessThan(1e-6);
    // And well below the plain decode's ITL: a memory-bound batch-1 step costs about the same over 5 rows as over 1.
    const base = runReplica(model(isl, osl), 'closed-loop', 1);
    expect(r.itlMs).toBeLessThan(0.5 * base.itlMs);
  });

  it('gains less as the batch grows toward compute-bound steps (speed-up monotone non-increasing in batch)', () => {
    const s = spec({ method: 'eagle3', tokens: 4, acceptance: null });
    let prev = Infinity;
    const gains: number[] = [];
    for (const c of [1, 4, 16, 64, 256, 1024]) {
      const base = runReplica(model(isl, osl, undefined, 1024), 'closed-loop', c);
      const withSpec = runReplica(model(isl, osl, s, 1024), 'closed-loop', c);
      const gain = base.itlMs / withSpec.itlMs;
      gains.push(gain);
      expect(gain).toBeLessThanOrEqual(prev * (1 + 1e-9));
      prev = gain;
    }
    expect(gains[0]).toBeGreaterThan(1.5);
    expect(gains[gains.length - 1]).toBeLessThan(gains[0] ?? 0);
  });

  it('with no speculative tokens gives exactly the plain decoding figures', () => {
    const s = spec({ method: 'eagle', tokens: 0, acceptance: 0.9 });
    for (const c of [1, 32, 256]) {
      const a = runReplica(model(isl, osl), 'closed-loop', c);
      const b = runReplica(model(isl, osl, s), 'closed-loop', c);
      expect(b.itlMs).toBeCloseTo(a.itlMs, 9);
      expect(b.requestsPerS).toBeCloseTo(a.requestsPerS, 9);
    }
  });
});

describe('resolveSpeculative and the memory plan with the draft', () => {
  it('uses the published default acceptance per method when none is given', () => {
    expect(spec({ method: 'eagle3', tokens: 3, acceptance: null }).acceptance).toBe(DEFAULT_SPEC_ACCEPTANCE.eagle3);
  });

  it("a tree's default α is solved from its tree-measured source: at the source's tree it reproduces the source's accepted length; chains keep the per-token figure", () => {
    const src = TREE_DEFAULT_SOURCES.eagle3;
    if (src === undefined) throw new Error('EAGLE-3 is measured on a tree');
    const tree = treeDefaultSpecAcceptance();
    // The published τ back from the solved per-node α (three decimals: within 0.02 token).
    expect(expectedTokensOf(tree.eagle3, { tokens: src.tokens, topk: src.topk, draftTokens: src.draftTokens })).toBeCloseTo(src.acceptedLength, 1);
    // The chain reading of the same τ would double-count the tree's gain: the tree's α is lower.
    expect(tree.eagle3).toBeLessThan(DEFAULT_SPEC_ACCEPTANCE.eagle3);
    // Per-token sources hold for trees as they are.
    for (const m of ['draft', 'eagle', 'mtp'] as const) expect(tree[m]).toBe(DEFAULT_SPEC_ACCEPTANCE[m]);
    expect(spec({ method: 'eagle3', tokens: 5, acceptance: null, topk: 8, draftTokens: 32 }).acceptance).toBe(tree.eagle3);
    expect(spec({ method: 'eagle3', tokens: 5, acceptance: null, topk: 1 }).acceptance).toBe(DEFAULT_SPEC_ACCEPTANCE.eagle3);
    // A user's α is never replaced.
    expect(spec({ method: 'eagle3', tokens: 5, acceptance: 0.6, topk: 8, draftTokens: 32 }).acceptance).toBe(0.6);
  });

  it('acceptanceForAcceptedLength inverts the chain and the tree forms', () => {
    for (const alpha of [0.3, 0.6, 0.85]) {
      expect(acceptanceForAcceptedLength(expectedTokensPerStep(alpha, 4), 4)).toBeCloseTo(alpha, 6);
      expect(acceptanceForAcceptedLength(expectedTokensOf(alpha, { tokens: 4, topk: 3, draftTokens: 10 }), 4, { topk: 3, draftTokens: 10 })).toBeCloseTo(alpha, 6);
    }
    expect(acceptanceForAcceptedLength(1, 3)).toBe(0);
    expect(acceptanceForAcceptedLength(4, 3)).toBe(1);
  });

  it('refuses MTP on a config without MTP layers and accepts it on one that declares them', () => {
    const none = resolveSpeculative(LLAMA_31_8B, { method: 'mtp', tokens: 1, acceptance: null });
    expect(none.ok).toBe(false);
    const ds = resolveSpeculative({ ...DEEPSEEK_V3_MLA, mtpLayers: 1 }, { method: 'mtp', tokens: 1, acceptance: null });
    expect(ds.ok).toBe(true);
  });

  it('refuses a draft method without a draft config, and prices a draft model by its share of the target', () => {
    expect(resolveSpeculative(LLAMA_31_8B, { method: 'draft', tokens: 4, acceptance: null }).ok).toBe(false);
    const small = { ...LLAMA_31_8B, numLayers: 16, params: { ...LLAMA_31_8B.params, total: LLAMA_31_8B.params.total / 8 } };
    const d = spec({ method: 'draft', tokens: 4, acceptance: null, draftArch: small });
    expect(d.draftStepFraction).toBeCloseTo(1 / 8, 9);
    expect(d.draftKvShare).toBeCloseTo(0.5, 9);
  });

  it('leaves a smaller KV pool and more weights with heads than without', () => {
    for (const method of ['eagle', 'eagle3'] as const) {
      const s = spec({ method, tokens: 3, acceptance: null });
      const p = speculativeMemoryPlan(plan, LLAMA_31_8B, s);
      expect(p.kvCacheBytesPerGpu).toBeLessThan(plan.kvCacheBytesPerGpu);
      expect(p.kvCacheBytesPerGpu).toBeGreaterThan(0);
      expect(p.weightsBytesPerGpu).toBeGreaterThanOrEqual(plan.weightsBytesPerGpu);
    }
  });
});

describe('acceptedDraftTokens (the simulator\'s per-verify draw)', () => {
  it('has mean 1 + A = expectedTokensPerStep over evenly spread draws, and stays within 0 … k', () => {
    for (const [alpha, k] of [
      [0.8, 4],
      [0.6, 2],
      [0.9, 7],
      [0, 3],
      [1, 5],
    ] as const) {
      const n = 100000;
      let sum = 0;
      for (let i = 0; i < n; i += 1) {
        const a = acceptedDraftTokens((i + 0.5) / n, alpha, k);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(k);
        sum += a;
      }
      expect(1 + sum / n).toBeCloseTo(expectedTokensPerStep(alpha, k), 3);
    }
  });
});

describe('a draft forward\'s price (speculativeStepTime): its own step at its size, the host overhead once', () => {
  // One decode at 1,000 tokens of context (Llama-3.1-8B, bf16, one H100).
  const batch = (m: ReturnType<typeof model>): StepBatch => {
    const n = m.ctx.windowsTokens.length;
    const b: StepBatch = { decodeRequests: 1, decodeContextTokens: new Float64Array(n), prefillTokens: 0, prefillContextTokens: new Float64Array(n), finishingPrefills: 0 };
    b.decodeContextTokens.fill(1000);
    return b;
  };
  const parts = (engine: ServingEngine, s: SpeculativeModel) => {
    const m = model(1000, 500, s, 256, engine);
    const specModel = m.spec ?? s;
    const b = batch(m);
    const plain = stepTime(m.ctx, b);
    const withSpec = speculativeStepTime(m.ctx, specModel, b, newStepTime(), newSpeculativeStepScratch(b.decodeContextTokens.length));
    // The verify alone: the same batch with k more rows per decode (speculativeStepTime with no drafts priced).
    const verify = speculativeStepTime(m.ctx, { ...specModel, draftStepFraction: 0, draftLmHeadShare: 0, draftLayerShare: 0, draftHostForwards: 0 }, b, newStepTime(), newSpeculativeStepScratch(b.decodeContextTokens.length));
    return { m, plain, withSpec, verify, specModel };
  };

  it('EAGLE on Llama-3.1-8B: each draft reads 1/32 of the layers\' bytes plus the whole 1.05 GB LM head (128,256 × 4,096 × 2 B)', () => {
    const k = 3;
    const s = spec({ method: 'eagle', tokens: k, acceptance: 0.7 });
    expect(s.draftStepFraction).toBeCloseTo(1 / 32, 12);
    expect(s.draftLmHeadShare).toBe(1);
    const { m, plain, withSpec, verify } = parts('trtllm', s);
    const lmHeadMs = ((128256 * 4096 * 2) / m.ctx.rates.bandwidthBytesPerS) * 1000;
    const perDraftMemoryMs = (plain.memoryMs - lmHeadMs) / 32 + lmHeadMs;
    expect((withSpec.memoryMs - verify.memoryMs) / k).toBeCloseTo(perDraftMemoryMs, 9);
    // The head is most of a draft's bytes: 1.05 GB against a 0.44 GB layer.
    expect(lmHeadMs / perDraftMemoryMs).toBeGreaterThan(0.6);
  });

  it('TensorRT-LLM (one graph): the fixed step overhead is paid once; each draft adds only its layers\' share of it', () => {
    const k = 3;
    const s = spec({ method: 'eagle', tokens: k, acceptance: 0.7 });
    const { m, plain, withSpec, verify, specModel } = parts('trtllm', s);
    expect(specModel.draftHostForwards).toBe(0);
    const fixedMs = plain.overheadMs - m.ctx.coefficients.hostMsPerSample * 1;
    expect(withSpec.overheadMs - verify.overheadMs).toBeCloseTo((k * fixedMs) / 32, 9);
    // Before this fix every draft paid the whole fixed overhead: k × fixedMs more.
    expect(withSpec.overheadMs).toBeLessThan(verify.overheadMs + k * fixedMs * 0.1);
  });

  it("with vLLM's async scheduling an EAGLE-3 step hides its host work once, under the whole step: the fixed host part and the draft loop's launches (verify + drafts)", () => {
    const s = spec({ method: 'eagle3', tokens: 3, acceptance: 0.7 });
    const sync = model(1000, 500, s);
    const overlapped = model(1000, 500, s, 256, 'vllm', true);
    expect(overlapped.ctx.serial).toBeDefined();
    const specModel = overlapped.spec ?? s;
    const b = batch(sync);
    const scratch = (): ReturnType<typeof newSpeculativeStepScratch> => newSpeculativeStepScratch(b.decodeContextTokens.length);
    const a = speculativeStepTime(overlapped.ctx, specModel, b, newStepTime(), scratch());
    const t = speculativeStepTime(sync.ctx, specModel, b, newStepTime(), scratch());
    // The draft loop's host launches the drafts' GPU time does not cover (serial without async scheduling).
    const draftHostMs = t.totalMs - speculativeStepTime(sync.ctx, { ...specModel, draftHostForwards: 0 }, b, newStepTime(), scratch()).totalMs;
    expect(draftHostMs).toBeGreaterThan(0);
    const hostMs = overlapped.ctx.coefficients.hostOverheadMs ?? 0;
    expect(hostMs).toBeGreaterThan(0);
    const gpuMs = t.totalMs - hostMs - draftHostMs - sync.ctx.coefficients.hostMsPerSample * b.decodeRequests * (1 + specModel.tokens);
    expect(gpuMs).toBeGreaterThan(hostMs + draftHostMs);
    expect(t.totalMs - a.totalMs).toBeCloseTo((1 - ASYNC_SCHEDULING.exposedHostFraction) * (hostMs + draftHostMs), 9);
    // A draft model's speculation runs without it (vLLM 0.14: EAGLE / MTP only).
    expect(model(1000, 500, { ...s, method: 'draft' }, 256, 'vllm', true).ctx.serial).toBeUndefined();
  });

  it("with vLLM's async scheduling MTP-1 on DeepSeek-V3 at batch 1 gains (drafts' host launches hidden), and acceptance 0 never speeds up", () => {
    // DeepSeek-V3's MLA shape (dense FFN stand-in) with its one MTP layer, TP8; MLA caches 576 × 2 B per token per layer.
    const ds = { ...DEEPSEEK_V3_MLA, mtpLayers: 1 };
    const dsCost = buildModelCost(ds, NO_QUANT, { tp: 8, pp: 1, dp: 1, ep: false });
    const dsModel = (sp: SpeculativeModel | undefined, asyncScheduling: boolean) =>
      replicaModel(
        { gpu: H100, serving: testServing({ ...PERF_SERVING, maxNumSeqs: 256, maxNumBatchedTokens: 8192, asyncScheduling }), engine: 'vllm', memory: memoryPlan(61, 1152, 50e9), ...(sp === undefined ? {} : { speculative: sp }) },
        dsCost,
        1024,
        256,
      );
    const mtpOf = (acceptance: number): SpeculativeModel => {
      const r = resolveSpeculative(ds, { method: 'mtp', tokens: 1, acceptance });
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    for (const asyncScheduling of [false, true]) {
      const base = runReplica(dsModel(undefined, asyncScheduling), 'closed-loop', 1).itlMs;
      const hit = runReplica(dsModel(mtpOf(0.85), asyncScheduling), 'closed-loop', 1).itlMs;
      const miss = runReplica(dsModel(mtpOf(0), asyncScheduling), 'closed-loop', 1).itlMs;
      expect(miss).toBeGreaterThanOrEqual(base);
      expect(hit).toBeLessThan(base);
    }
    // Under async scheduling the draft's launch is hidden too: MTP gains more than without it.
    const gain = (asyncScheduling: boolean): number =>
      runReplica(dsModel(undefined, asyncScheduling), 'closed-loop', 1).itlMs / runReplica(dsModel(mtpOf(0.85), asyncScheduling), 'closed-loop', 1).itlMs;
    expect(gain(true)).toBeGreaterThan(gain(false));
    expect(gain(true)).toBeGreaterThan(1.2);
  });

  it('vLLM (a host loop of k draft launches): each draft takes max(host launch, its GPU time)', () => {
    const k = 3;
    const s = spec({ method: 'eagle3', tokens: k, acceptance: 0.7 });
    const vllm = parts('vllm', s);
    expect(vllm.specModel.draftHostForwards).toBe(k);
    const fixedMs = vllm.plain.overheadMs - vllm.m.ctx.coefficients.hostMsPerSample * 1;
    const hostLaunchMs = fixedMs * (1 - 1 / 32);
    // The same drafts priced without host launches: their GPU time alone.
    const b = batch(vllm.m);
    const gpuOnly = speculativeStepTime(vllm.m.ctx, { ...vllm.specModel, draftHostForwards: 0 }, b, newStepTime(), newSpeculativeStepScratch(b.decodeContextTokens.length));
    const perDraftGpuMs = (gpuOnly.totalMs - vllm.verify.totalMs) / k;
    expect(perDraftGpuMs).toBeGreaterThan(0);
    expect(vllm.withSpec.totalMs - vllm.verify.totalMs).toBeCloseTo(k * Math.max(perDraftGpuMs, hostLaunchMs), 9);
  });

  it('EAGLE-3 drafts over its 32K draft vocabulary: a quarter of Llama-3\'s head, cheaper drafts and lighter weights than EAGLE', () => {
    const e3 = spec({ method: 'eagle3', tokens: 3, acceptance: 0.7 });
    const e1 = spec({ method: 'eagle', tokens: 3, acceptance: 0.7 });
    expect(e3.draftLmHeadShare).toBeCloseTo(EAGLE3_DRAFT_VOCAB / 128256, 12);
    expect(e3.draftParams).toBeLessThan(e1.draftParams);
    const a = parts('trtllm', e3);
    const b = parts('trtllm', e1);
    expect(a.withSpec.totalMs - a.verify.totalMs).toBeLessThan(b.withSpec.totalMs - b.verify.totalMs);
  });

  it('engines launch drafts differently: vLLM k host launches, SGLang 1 (draft-extend; the draft steps are one graph), TensorRT-LLM 0', () => {
    expect(draftHostForwards('vllm', 4)).toBe(4);
    expect(draftHostForwards('sglang', 4)).toBe(1);
    expect(draftHostForwards('trtllm', 4)).toBe(0);
    const s = spec({ method: 'eagle', tokens: 4, acceptance: null });
    expect(speculativeForEngine(s, 'sglang').draftHostForwards).toBe(1);
    // An object that already says is kept.
    expect(speculativeForEngine({ ...s, draftHostForwards: 2 }, 'vllm').draftHostForwards).toBe(2);
    // One that does not is priced as vLLM runs it (k host launches): as dear as the most launches.
    const m = model(1000, 500, s, 256, 'vllm');
    const n = m.ctx.windowsTokens.length;
    const b: StepBatch = { decodeRequests: 1, decodeContextTokens: new Float64Array(n).fill(1000), prefillTokens: 0, prefillContextTokens: new Float64Array(n), finishingPrefills: 0 };
    const price = (x: SpeculativeModel) => speculativeStepTime(m.ctx, x, b, newStepTime(), newSpeculativeStepScratch(n)).totalMs;
    expect(price(s)).toBeCloseTo(price({ ...s, draftHostForwards: 4 }), 12);
    expect(price({ ...s, draftHostForwards: 0 })).toBeLessThanOrEqual(price(s));
  });

  it('a draft model pays by its parameters, with kernel floors by its layers and no shared LM head', () => {
    const small = { ...LLAMA_31_8B, numLayers: 16, params: { ...LLAMA_31_8B.params, total: LLAMA_31_8B.params.total / 8 } };
    const d = spec({ method: 'draft', tokens: 4, acceptance: null, draftArch: small });
    expect(d.draftLmHeadShare).toBe(0);
    expect(d.draftLayerShare).toBeCloseTo(0.5, 12);
  });
});
