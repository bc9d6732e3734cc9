import { describe, expect, it } from 'vitest';
import { replicaModel, runReplica } from './estimatePerf';
import type { SpeculativeModel } from './speculative';
import {
  acceptedDraftTokens,
  acceptedTreeDraftTokens,
  expectedTokensPerStep,
  expectedTreeTokensPerStep,
  maxTreeDraftTokens,
  newSpeculativeStepScratch,
  treeAcceptedSurvival,
  treeShapeError,
  verifyTokensPerDecode,
  speculativeStepTime,
} from './speculative';
import { newStepTime } from './step';
import type { StepBatch } from './stepBatch';
import type { ServingEngine } from '../types';
import { H100, PERF_SERVING, testServing } from '../testArchs';
import { specOf as spec, specTestCost as cost, specTestPlan as plan } from './testSpeculative';

const model = (s: SpeculativeModel | undefined, engine: ServingEngine = 'sglang') =>
  replicaModel(
    { gpu: H100, serving: testServing({ ...PERF_SERVING, maxNumSeqs: 256, maxNumBatchedTokens: 65536 }), engine, memory: plan, ...(s === undefined ? {} : { speculative: s }) },
    cost,
    1000,
    500,
  );

describe('token trees: the accepted length (treeAcceptedSurvival)', () => {
  it('at topk 1 is the chain: P(A ≥ d) = α^d and E = expectedTokensPerStep', () => {
    for (const [a, k] of [
      [0.8, 4],
      [0.6, 7],
      [0, 3],
      [1, 5],
    ] as const) {
      const s = treeAcceptedSurvival(a, k, 1, k + 1);
      s.forEach((v, i) => expect(v).toBeCloseTo(a ** (i + 1), 12));
      expect(expectedTreeTokensPerStep(a, k, 1, k + 1)).toBeCloseTo(expectedTokensPerStep(a, k), 12);
    }
  });

  it('a topk-1 resolved model is today\'s chain exactly (E, no tree fields, the same step price)', () => {
    const chain = spec({ method: 'eagle', tokens: 5, acceptance: 0.7 });
    const one = spec({ method: 'eagle', tokens: 5, acceptance: 0.7, topk: 1, draftTokens: 6 });
    expect(one).toEqual(chain);
    expect(one.expectedTokensPerStep).toBe(expectedTokensPerStep(0.7, 5));
  });

  it('accepts nothing at acceptance 0 (E = 1) and every depth at acceptance 1 when the tree verifies a full path', () => {
    expect(expectedTreeTokensPerStep(0, 5, 4, 16)).toBe(1);
    expect(expectedTreeTokensPerStep(1, 5, 4, 16)).toBeCloseTo(6, 12);
    // SGLang's default EAGLE-2 tree (5 steps, topk 4, 8 verified tokens) at α 0.75: between the chain's 3.29 and 6.
    const e = expectedTreeTokensPerStep(0.75, 5, 4, 8);
    expect(e).toBeGreaterThan(expectedTokensPerStep(0.75, 5));
    expect(e).toBeLessThan(6);
  });

  it('counts one worked example by hand: depth 2, topk 2, 4 verified tokens at α 0.5', () => {
    // Ranks: 0.5, 0.25. Depth 1: 0.5, 0.25; depth 2 (children of both): 0.25, 0.125, 0.125, 0.0625.
    // The 3 best nodes: 0.5 (d1), 0.25 (d1), 0.25 (d2, under the first) → S = [0.75, 0.25], E = 2.
    const s = treeAcceptedSurvival(0.5, 2, 2, 4);
    expect([...s]).toEqual([0.75, 0.25]);
    expect(expectedTreeTokensPerStep(0.5, 2, 2, 4)).toBe(2);
  });

  it('the inversion draw has the tree\'s mean and stays within 0 … depth; at topk 1 it is the chain\'s draw', () => {
    const s = treeAcceptedSurvival(0.7, 5, 4, 12);
    const chain = treeAcceptedSurvival(0.7, 5, 1, 6);
    const n = 20000;
    let sum = 0;
    let mismatches = 0;
    for (let i = 0; i < n; i += 1) {
      const u = (i + 0.5) / n;
      const a = acceptedTreeDraftTokens(u, s);
      if (a < 0 || a > 5) throw new Error(`draw ${a} outside 0 … 5`);
      sum += a;
      if (acceptedTreeDraftTokens(u, chain) !== acceptedDraftTokens(u, 0.7, 5)) mismatches += 1;
    }
    expect(mismatches).toBe(0);
    expect(1 + sum / n).toBeCloseTo(expectedTreeTokensPerStep(0.7, 5, 4, 12), 3);
  });
});

describe('token trees: shape and price', () => {
  it('verifies num_draft_tokens rows (capped at the nodes drafted); a chain k + 1', () => {
    expect(maxTreeDraftTokens(5, 4)).toBe(1 + 4 + 4 * 16);
    expect(verifyTokensPerDecode({ tokens: 5 })).toBe(6);
    expect(verifyTokensPerDecode({ tokens: 5, topk: 4, draftTokens: 8 })).toBe(8);
    expect(verifyTokensPerDecode({ tokens: 2, topk: 2, draftTokens: 100 })).toBe(maxTreeDraftTokens(2, 2));
  });

  it('refuses trees outside SGLang, a topk-1 draft count other than k + 1, and more tokens than the tree drafts', () => {
    expect(treeShapeError('sglang', 5, 4, 8)).toBeNull();
    expect(treeShapeError('vllm', 5, 1, undefined)).toBeNull();
    expect(treeShapeError('vllm', 5, 4, 8)).toMatch(/SGLang only/);
    expect(treeShapeError('sglang', 3, 1, 8)).toMatch(/= 4, got 8/);
    expect(treeShapeError('sglang', 1, 2, 10)).toMatch(/at most 3/);
  });

  it('a wider tree costs more per step than the chain of the same depth (more verify rows, topk-row drafts)', () => {
    const chain = spec({ method: 'eagle', tokens: 5, acceptance: 0.7 });
    const tree = spec({ method: 'eagle', tokens: 5, acceptance: 0.7, topk: 8, draftTokens: 64 });
    const m = model(undefined);
    const n = m.ctx.windowsTokens.length;
    const b: StepBatch = { decodeRequests: 64, decodeContextTokens: new Float64Array(n).fill(64 * 1500), prefillTokens: 0, prefillContextTokens: new Float64Array(n), finishingPrefills: 0 };
    const price = (s: SpeculativeModel): number => speculativeStepTime(m.ctx, s, b, newStepTime(), newSpeculativeStepScratch(n)).totalMs;
    expect(price(tree)).toBeGreaterThan(price(chain));
  });

  it('never speeds up decoding at acceptance 0, at any load (closed form, SGLang)', () => {
    const s = spec({ method: 'eagle', tokens: 5, acceptance: 0, topk: 4, draftTokens: 16 });
    for (const c of [1, 8, 64, 256]) {
      const base = runReplica(model(undefined), 'closed-loop', c);
      const withTree = runReplica(model(s), 'closed-loop', c);
      expect(withTree.itlMs).toBeGreaterThanOrEqual(base.itlMs);
    }
  });
});
