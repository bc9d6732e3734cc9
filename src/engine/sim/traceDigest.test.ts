/**
 * Seeded traces stay bit-identical under the simulator's speed work (issue 10 part 8: "optimise the
 * event loop … only after it is correct"): every array of a trace and every figure of its summary,
 * for runs that take each path of the loop — open loop, closed loop and burst; vLLM, SGLang and
 * TensorRT-LLM rules; chunked prefill; preemption in a small pool; sliding windows; prefix caching;
 * speculative decoding — hashed and compared with the digests the loop gave before the speed work.
 * The step times are given functions (not the engine's step model, which is refitted on its own), with
 * terms in every StepBatch field so a batch that differs in any field moves the trace.
 * A digest that changes means the trace changed: fix the change, or — for a deliberate change of the
 * simulator's behaviour — say why in the commit and take the new digests.
 */
import { describe, expect, it } from 'vitest';
import type { StepBatch } from '../perf/stepBatch';
import type { LengthDistribution, SimLoad } from './load';
import { drawRequests } from './load';
import { SCHEDULER_POLICIES } from './policy';
import { prefixCacheUse } from '../perf/prefixCache';
import type { SimReplica } from './replica';
import type { SimTrace } from './simulate';
import { simulate } from './simulate';
import { summarize } from './summarize';
import { withPrefixCache } from './prefix';
import { testReplica } from './testReplica';

/** A step time with a term in every field of the batch (two windows: 512 tokens and full). */
const stepOf = (b: StepBatch): number =>
  b.decodeRequests + b.prefillTokens > 0
    ? 4.25 +
      0.0123 * b.prefillTokens +
      0.051 * b.decodeRequests +
      0.31 * b.finishingPrefills +
      1.7e-5 * (b.decodeContextTokens[0] ?? 0) +
      1.1e-5 * (b.decodeContextTokens[1] ?? 0) +
      2.3e-6 * (b.prefillContextTokens[0] ?? 0) +
      1.9e-6 * (b.prefillContextTokens[1] ?? 0)
    : 0;

/** 64-bit-ish FNV-1a over the float64 bits of every value (two 32-bit lanes), as hex. */
function digest(parts: readonly ArrayLike<number>[]): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 1) {
      f[0] = p[i] ?? Number.NaN;
      a = Math.imul(a ^ (u[0] ?? 0), 0x01000193) >>> 0;
      b = Math.imul(b ^ (u[1] ?? 0), 0x01000193) >>> 0;
      a = Math.imul(a ^ (b >>> 7), 0x01000193) >>> 0;
    }
    a = Math.imul(a ^ p.length, 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

function traceDigest(t: SimTrace): string {
  return digest([
    t.arrivalMs,
    t.firstScheduledMs,
    t.firstTokenMs,
    t.finishMs,
    t.preemptions,
    t.rejected,
    [t.measuredFrom, t.measuredTo, t.windowStartMs, t.windowEndMs, t.totalBlocks, t.preemptionsTotal],
    t.stepEndMs,
    t.stepMs,
    t.stepKvBlocksUsed,
    t.stepWaiting,
    t.stepRunning,
    t.stepTokens,
    t.itlValuesMs,
    t.itlWeights,
  ]);
}

/** Every number of the summary, series included, in key order. */
function summaryDigest(t: SimTrace, replica: SimReplica): string {
  const r = summarize(t, replica.requestOverheadMs, { maxTtftMs: 400, maxItlMs: 30, maxE2eMs: 8000 });
  const values: number[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === 'number') values.push(x);
    else if (Array.isArray(x)) for (const y of x) walk(y);
    else if (typeof x === 'object' && x !== null) for (const k of Object.keys(x).sort()) walk((x as Record<string, unknown>)[k]);
  };
  walk(r);
  return digest([values]);
}

interface Case {
  label: string;
  replica: SimReplica;
  load: SimLoad;
  count: number;
  isl: number;
  osl: number;
  lengths: LengthDistribution;
  seed: number;
  trace: string;
  summary: string;
}

const WINDOWS = { windowsTokens: [512, Infinity] };
const twoGroupPool = (totalBlocks: number) => ({
  blockSizeTokens: 16,
  totalBlocks,
  groups: [
    { blocksPerTokenBlock: 0.5, maxTokenBlocks: 33 },
    { blocksPerTokenBlock: 0.5, maxTokenBlocks: Infinity },
  ],
  stateBlocksPerRequest: 0,
});
const onePool = (totalBlocks: number) => ({ blockSizeTokens: 16, totalBlocks, groups: [{ blocksPerTokenBlock: 1, maxTokenBlocks: Infinity }], stateBlocksPerRequest: 0 });
const uniform = (rangeRatio: number): LengthDistribution => ({ kind: 'uniform', rangeRatio });

const CASES: readonly Omit<Case, 'trace' | 'summary'>[] = [
  { label: 'vLLM open loop 6 req/s, uniform lengths', replica: testReplica(stepOf, { ...WINDOWS, kvPool: twoGroupPool(60000), maxNumBatchedTokens: 2048 }), load: { kind: 'open-loop', ratePerS: 6, burstiness: 1 }, count: 300, isl: 1500, osl: 300, lengths: uniform(0.5), seed: 1 },
  { label: 'vLLM open loop 0.8 req/s (steady decode), bursty', replica: testReplica(stepOf, { ...WINDOWS, kvPool: twoGroupPool(60000) }), load: { kind: 'open-loop', ratePerS: 0.8, burstiness: 0.5 }, count: 150, isl: 2000, osl: 500, lengths: { kind: 'fixed' }, seed: 3 },
  { label: 'vLLM closed loop 48, chat lengths', replica: testReplica(stepOf, { ...WINDOWS, kvPool: twoGroupPool(60000), maxNumSeqs: 32 }), load: { kind: 'closed-loop', concurrency: 48 }, count: 300, isl: 800, osl: 200, lengths: { kind: 'chat' }, seed: 2 },
  { label: 'vLLM burst into a small pool (preemptions)', replica: testReplica(stepOf, { ...WINDOWS, kvPool: twoGroupPool(900), maxNumBatchedTokens: 1024 }), load: { kind: 'burst' }, count: 120, isl: 600, osl: 400, lengths: uniform(0.3), seed: 4 },
  { label: 'SGLang open loop 5 req/s, small pool', replica: testReplica(stepOf, { ...WINDOWS, kvPool: twoGroupPool(600), policy: SCHEDULER_POLICIES.sglang }), load: { kind: 'open-loop', ratePerS: 5, burstiness: 1 }, count: 200, isl: 1000, osl: 250, lengths: uniform(0.4), seed: 5 },
  { label: 'TensorRT-LLM closed loop 24', replica: testReplica(stepOf, { ...WINDOWS, kvPool: twoGroupPool(4000), policy: SCHEDULER_POLICIES.trtllm }), load: { kind: 'closed-loop', concurrency: 24 }, count: 200, isl: 700, osl: 180, lengths: uniform(0.2), seed: 6 },
  { label: 'vLLM open loop with a prefix cache', replica: testReplica(stepOf, { ...WINDOWS, kvPool: twoGroupPool(8000), prefixCache: (isl: number) => prefixCacheUse({ sharedPrefixTokens: 300, hitRate: 0.5 }, 'vllm', isl, 16) }), load: { kind: 'open-loop', ratePerS: 4, burstiness: 1 }, count: 200, isl: 1200, osl: 200, lengths: uniform(0.3), seed: 7 },
  // One full-attention group: every block crossing costs the same blocks (simulate.ts uniformCrossing).
  { label: 'vLLM open loop 3 req/s, one full-attention pool', replica: testReplica(stepOf, { kvPool: onePool(40000) }), load: { kind: 'open-loop', ratePerS: 3, burstiness: 1 }, count: 300, isl: 1800, osl: 400, lengths: uniform(0.5), seed: 9 },
  { label: 'vLLM closed loop 40 into a small one-group pool (preemptions)', replica: testReplica(stepOf, { ...WINDOWS, kvPool: onePool(1500), maxNumBatchedTokens: 1024 }), load: { kind: 'closed-loop', concurrency: 40 }, count: 200, isl: 500, osl: 350, lengths: uniform(0.4), seed: 10 },
  { label: 'vLLM closed loop with speculative decoding', replica: testReplica(stepOf, { ...WINDOWS, kvPool: twoGroupPool(20000), speculative: { tokens: 3, acceptance: 0.7 } }), load: { kind: 'closed-loop', concurrency: 16 }, count: 150, isl: 500, osl: 300, lengths: uniform(0.3), seed: 8 },
];

/** The digests the loop gave before the speed work (commit 90fc187). */
const EXPECTED: Record<string, { trace: string; summary: string }> = {
  'vLLM open loop 6 req/s, uniform lengths': { trace: '94e9fff800f50402', summary: 'a6abd7e94f15b56e' },
  'vLLM open loop 0.8 req/s (steady decode), bursty': { trace: '56d52a2825a0f57d', summary: '17c305b3ddf769dc' },
  'vLLM closed loop 48, chat lengths': { trace: 'f9c779c2e35a25fb', summary: 'f4d47c8658ffe5f8' },
  // The three preempting runs retaken when a preempted request kept its cached blocks for its
  // re-admission (policy.ts preemptedKeeps); RESTART_DIGESTS below still holds them restarting from zero.
  'vLLM burst into a small pool (preemptions)': { trace: 'e362267c75360b47', summary: '4063ee6eee84dd25' },
  'SGLang open loop 5 req/s, small pool': { trace: 'a31e4e424fb62736', summary: '878af1873342a17e' },
  'TensorRT-LLM closed loop 24': { trace: '560a6a4ac1eb5f71', summary: 'b320658babe0cacf' },
  'vLLM open loop with a prefix cache': { trace: 'b7913f35d7ddfa84', summary: '6575523b20b272b3' },
  // Taken on the loop before block crossings moved into the cruise (commit b53d38f).
  'vLLM open loop 3 req/s, one full-attention pool': { trace: '5b02a1af6c9b416c', summary: '68c1a70710c12495' },
  'vLLM closed loop 40 into a small one-group pool (preemptions)': { trace: '096af45cce2fabf4', summary: '4a2973e28fdeb9e0' },
  'vLLM closed loop with speculative decoding': { trace: 'ee0cabc4b27bb1df', summary: '4481f32e5f5c6ffd' },
};

/** The preempting runs' digests before preempted requests kept their cached blocks (a victim restarting from zero). */
const RESTART_DIGESTS: Record<string, { trace: string; summary: string }> = {
  'vLLM burst into a small pool (preemptions)': { trace: 'bd3a229956c2bbfe', summary: '828b79c3c1d24f0d' },
  'SGLang open loop 5 req/s, small pool': { trace: '9592384fc43c781c', summary: 'a6613deeb736b4f7' },
  'vLLM closed loop 40 into a small one-group pool (preemptions)': { trace: 'bff9a4585a0c836b', summary: '6fe72386c9d329dc' },
};

function run(c: Omit<Case, 'trace' | 'summary'>): { trace: string; summary: string } {
  const drawn = drawRequests({ count: c.count, meanInputTokens: c.isl, meanOutputTokens: c.osl, inputLengths: c.lengths, outputLengths: c.lengths, maxRequestTokens: 8192, load: c.load, seed: c.seed });
  const requests = withPrefixCache(drawn, c.replica.prefixCache);
  const t = simulate(c.replica, requests, c.load, { seed: c.seed });
  return { trace: traceDigest(t), summary: summaryDigest(t, c.replica) };
}

describe('seeded simulator traces are bit-identical to the reference digests', () => {
  for (const c of CASES) {
    it(c.label, () => {
      const got = run(c);
      expect(got).toEqual(EXPECTED[c.label]);
    });
  }
  it('the cases take the paths they name (preemptions in the small pools, a cached prefix, speculative chunks)', () => {
    const traceOf = (label: string): SimTrace => {
      const c = CASES.find((x) => x.label === label);
      if (c === undefined) throw new Error(label);
      const drawn = drawRequests({ count: c.count, meanInputTokens: c.isl, meanOutputTokens: c.osl, inputLengths: c.lengths, outputLengths: c.lengths, maxRequestTokens: 8192, load: c.load, seed: c.seed });
      return simulate(c.replica, withPrefixCache(drawn, c.replica.prefixCache), c.load, { seed: c.seed });
    };
    expect(traceOf('vLLM burst into a small pool (preemptions)').preemptionsTotal).toBeGreaterThan(0);
    expect(traceOf('SGLang open loop 5 req/s, small pool').preemptionsTotal).toBeGreaterThan(0);
    expect(Math.max(...traceOf('vLLM closed loop with speculative decoding').stepTokens)).toBeGreaterThan(16);
    expect(traceOf('vLLM closed loop 40 into a small one-group pool (preemptions)').preemptionsTotal).toBeGreaterThan(0);
  });
  it('a victim that keeps nothing restarts from zero exactly as before (preemptedKeeps: nothing)', () => {
    for (const [label, digests] of Object.entries(RESTART_DIGESTS)) {
      const c = CASES.find((x) => x.label === label);
      if (c === undefined) throw new Error(label);
      const restart = { ...c, replica: { ...c.replica, policy: { ...c.replica.policy, preemptedKeeps: 'nothing' as const } } };
      expect(run(restart)).toEqual(digests);
    }
  });
  it('the digest tells runs apart (another seed, another trace)', () => {
    const c = CASES[0];
    if (c === undefined) throw new Error('no case');
    expect(run({ ...c, seed: c.seed + 1 }).trace).not.toBe(run(c).trace);
  });
});
