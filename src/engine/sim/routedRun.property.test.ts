/**
 * Properties of replicas behind a router (routedRun.ts) on hand-given step times (fast): one replica is
 * the single run whatever the routing, every request is routed to one replica, and the routed group's
 * requests are all served and counted.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StepBatch } from '../perf/stepBatch';
import type { SimRunSpec } from './run';
import { runSimulation } from './run';
import { routeStream, runRouted } from './routedRun';
import { drawRequests } from './load';
import { testReplica } from './testReplica';

const step = (b: StepBatch): number => 8 + 0.02 * b.prefillTokens + 0.04 * b.decodeRequests;
const replica = testReplica(step, { maxNumSeqs: 64, maxNumBatchedTokens: 2048, requestOverheadMs: 20 });

const arbRun = fc.record({
  isl: fc.integer({ min: 50, max: 1500 }),
  osl: fc.integer({ min: 2, max: 120 }),
  ratePerS: fc.double({ min: 0.5, max: 20, noNaN: true }),
  burstiness: fc.constantFrom(0.3, 1, 2),
  seed: fc.integer({ min: 1, max: 1000 }),
  lengths: fc.constantFrom('fixed', 'chat'),
});
type Run = { isl: number; osl: number; ratePerS: number; burstiness: number; seed: number; lengths: 'fixed' | 'chat' };
const spec = (w: Run, numRequests = 80): SimRunSpec & { load: { kind: 'open-loop'; ratePerS: number; burstiness: number } } => ({
  load: { kind: 'open-loop', ratePerS: w.ratePerS, burstiness: w.burstiness },
  inputTokens: w.isl,
  outputTokens: w.osl,
  numRequests,
  seed: w.seed,
  inputLengths: { kind: w.lengths },
  outputLengths: { kind: w.lengths },
});

describe('routed replicas (property)', () => {
  it('one replica behind any router is the single replica exactly', () => {
    fc.assert(
      fc.property(arbRun, fc.constantFrom('random', 'round-robin', 'least-loaded'), (w, routing) => {
        expect(runRouted(replica, spec(w), 1, routing)).toEqual(runSimulation(replica, spec(w)));
      }),
      { numRuns: 25 },
    );
  });

  it('every request goes to one of the n replicas, round-robin spreads them within one, and a routed run serves them all', () => {
    fc.assert(
      fc.property(arbRun, fc.integer({ min: 2, max: 5 }), fc.constantFrom('round-robin', 'least-loaded'), (w, n, routing) => {
        const stream = drawRequests({
          count: 40 * n,
          meanInputTokens: w.isl,
          meanOutputTokens: w.osl,
          inputLengths: { kind: w.lengths },
          outputLengths: { kind: w.lengths },
          maxRequestTokens: Infinity,
          load: { kind: 'open-loop', ratePerS: w.ratePerS, burstiness: w.burstiness },
          seed: w.seed,
        });
        const to = routeStream(replica, stream, n, routing);
        const counts = new Array<number>(n).fill(0);
        for (const k of to) {
          expect(k).toBeGreaterThanOrEqual(0);
          expect(k).toBeLessThan(n);
          counts[k] = (counts[k] ?? 0) + 1;
        }
        if (routing === 'round-robin') expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        const r = runRouted(replica, spec(w, 40), n, routing);
        expect(r.simulatedRequests).toBe(40 * n);
        expect(r.rejectedRequests).toBe(0);
        expect(r.measuredRequests).toBeGreaterThan(0);
        expect(r.ttftP50Ms).toBeLessThanOrEqual(r.ttftP99Ms);
      }),
      { numRuns: 20 },
    );
  });
});
