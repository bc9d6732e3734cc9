/**
 * vLLM's async scheduling in the simulator (SimReplica.schedulesOneStepAhead; simulate.ts admitWaiting):
 * a step is scheduled when the previous one starts, so while requests keep running a request that
 * arrives, or a slot and blocks that free, during a step joins one step later. The closed form adds
 * the same step (perf/serving.ts admissionLagSteps).
 */
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate';
import { BURST, testReplica, testRequests } from './testReplica';

const STEP_MS = 10;
const constant = (): number => STEP_MS;

/** Per request: first token time − arrival time. */
function ttfts(trace: ReturnType<typeof simulate>): number[] {
  return Array.from(trace.firstTokenMs, (t, i) => t - (trace.arrivalMs[i] ?? 0));
}

describe('async scheduling admits one step later while requests keep running (simulate.ts admitWaiting)', () => {
  it('closed loop at concurrency 2: every request after the first wave waits exactly one more step; the first wave none', () => {
    // A long answer keeps the engine busy while short ones cycle through the other slot.
    const lengths = Array.from({ length: 8 }, (_, i): [number, number] => [32, i === 0 ? 200 : 5]);
    const load = { kind: 'closed-loop' as const, concurrency: 2 };
    const sync = ttfts(simulate(testReplica(constant), testRequests(lengths), load));
    const ahead = ttfts(simulate(testReplica(constant, { schedulesOneStepAhead: true }), testRequests(lengths), load));
    expect(ahead[0]).toBe(sync[0]);
    expect(ahead[1]).toBe(sync[1]);
    for (let i = 2; i < lengths.length; i += 1) expect(ahead[i]).toBe((sync[i] ?? 0) + STEP_MS);
  });

  it('a lone request (concurrency 1) waits no extra step: the engine idles between its requests', () => {
    const lengths = Array.from({ length: 5 }, (): [number, number] => [32, 6]);
    const load = { kind: 'closed-loop' as const, concurrency: 1 };
    const sync = simulate(testReplica(constant), testRequests(lengths), load);
    const ahead = simulate(testReplica(constant, { schedulesOneStepAhead: true }), testRequests(lengths), load);
    expect(Array.from(ahead.firstTokenMs)).toEqual(Array.from(sync.firstTokenMs));
    expect(Array.from(ahead.finishMs)).toEqual(Array.from(sync.finishMs));
  });

  it('a burst that fits at once is unchanged (every request was queued before the first step)', () => {
    const lengths = Array.from({ length: 6 }, (_, i): [number, number] => [64, 4 + i]);
    const sync = simulate(testReplica(constant), testRequests(lengths), BURST);
    const ahead = simulate(testReplica(constant, { schedulesOneStepAhead: true }), testRequests(lengths), BURST);
    expect(Array.from(ahead.firstTokenMs)).toEqual(Array.from(sync.firstTokenMs));
  });

  it('a burst beyond max_num_seqs: a freed slot is taken one step later (the next step was scheduled before the finish was seen)', () => {
    // Two slots; request 0 finishes first, request 2 takes its slot.
    const lengths: [number, number][] = [[16, 3], [16, 9], [16, 3]];
    const sync = simulate(testReplica(constant, { maxNumSeqs: 2 }), testRequests(lengths), BURST);
    const ahead = simulate(testReplica(constant, { maxNumSeqs: 2, schedulesOneStepAhead: true }), testRequests(lengths), BURST);
    expect(ahead.firstTokenMs[2]).toBe((sync.firstTokenMs[2] ?? 0) + STEP_MS);
  });

  it('open loop: a request arriving during a busy step is admitted into the step after next, never sooner than without async', () => {
    const lengths: [number, number][] = [[16, 20], [16, 4]];
    // Request 1 arrives at 25 ms, during the third 10 ms step of request 0.
    const sends = [0, 25];
    const load = { kind: 'open-loop' as const, ratePerS: 1, burstiness: 1 };
    const sync = simulate(testReplica(constant), testRequests(lengths, sends), load);
    const ahead = simulate(testReplica(constant, { schedulesOneStepAhead: true }), testRequests(lengths, sends), load);
    // Without: scheduled at 30 ms (the next step), first token at 40. With: the step at 30 was
    // scheduled at 20; it joins the one scheduled at 30, which runs 40–50.
    expect(sync.firstTokenMs[1]).toBe(40);
    expect(ahead.firstTokenMs[1]).toBe(50);
    for (let i = 0; i < lengths.length; i += 1) expect(ahead.firstTokenMs[i] ?? 0).toBeGreaterThanOrEqual(sync.firstTokenMs[i] ?? 0);
  });
});
