/**
 * runUnlessFailing (simulate's failFast): a run stops only once it has broken a percentile limit
 * for certain — the whole run breaks it too — and a run it does not stop is runSimulation's run.
 */
import { describe, expect, it } from 'vitest';
import type { StepBatch } from '../perf/stepBatch';
import type { SloPercentile } from './maxRate';
import { latencyAtPercentile, meetsPercentileSlo } from './maxRate';
import { runSimulation, runUnlessFailing } from './run';
import type { SimRunSpec } from './run';
import { testReplica } from './testReplica';

// A prefill-heavy step, so a decode sharing a step with a prompt makes a long inter-token gap.
const step = (b: StepBatch): number => 6 + 0.03 * b.prefillTokens + 0.05 * b.decodeRequests + 1e-5 * (b.decodeContextTokens[0] ?? 0);
const replica = testReplica(step, { maxNumSeqs: 64, maxNumBatchedTokens: 2048, requestOverheadMs: 15 });
const SPECS: readonly SimRunSpec[] = [
  { inputTokens: 1200, outputTokens: 120, numRequests: 300, seed: 2, load: { kind: 'open-loop', ratePerS: 3, burstiness: 1 } },
  { inputTokens: 800, outputTokens: 200, numRequests: 300, seed: 5, load: { kind: 'open-loop', ratePerS: 9, burstiness: 0.5 }, inputLengths: { kind: 'uniform', rangeRatio: 0.5 }, outputLengths: { kind: 'chat' } },
  { inputTokens: 1500, outputTokens: 80, numRequests: 200, seed: 7, load: { kind: 'closed-loop', concurrency: 24 } },
];
const METRICS = ['ttft', 'itl', 'e2e'] as const;
const PERCENTILES: readonly SloPercentile[] = [50, 90, 99];

const limitsWith = (metric: (typeof METRICS)[number], limitMs: number, percentile: SloPercentile) => ({
  maxTtftMs: metric === 'ttft' ? limitMs : null,
  maxItlMs: metric === 'itl' ? limitMs : null,
  maxE2eMs: metric === 'e2e' ? limitMs : null,
  percentile,
});

describe('runUnlessFailing', () => {
  it('runs to the end and gives runSimulation’s result at a limit the run meets exactly (the percentile itself)', () => {
    for (const spec of SPECS) {
      const free = runSimulation(replica, spec);
      for (const metric of METRICS) {
        for (const percentile of PERCENTILES) {
          const at = latencyAtPercentile(free, percentile);
          const slo = limitsWith(metric, metric === 'ttft' ? at.ttftMs : metric === 'itl' ? at.itlMs : at.e2eMs, percentile);
          const withSlo = { ...spec, slo };
          const got = runUnlessFailing(replica, withSlo, slo);
          expect(got).toEqual(runSimulation(replica, withSlo));
          expect(got !== null && meetsPercentileSlo(got, slo)).toBe(true);
        }
      }
    }
  });

  it('stops (null) only where the whole run breaks the limit, and does stop well over it', () => {
    let stopped = 0;
    for (const spec of SPECS) {
      const free = runSimulation(replica, spec);
      for (const metric of METRICS) {
        for (const percentile of PERCENTILES) {
          const at = latencyAtPercentile(free, percentile);
          const value = metric === 'ttft' ? at.ttftMs : metric === 'itl' ? at.itlMs : at.e2eMs;
          for (const factor of [0.5, 0.9, 0.99, 0.999999]) {
            const slo = limitsWith(metric, value * factor, percentile);
            const withSlo = { ...spec, slo };
            const got = runUnlessFailing(replica, withSlo, slo);
            const whole = runSimulation(replica, withSlo);
            if (got === null) {
              stopped += 1;
              expect(meetsPercentileSlo(whole, slo)).toBe(false);
            } else expect(got).toEqual(whole);
          }
          // Half the percentile: the value at its rank is over the limit, so the run is stopped.
          const half = limitsWith(metric, value * 0.5, percentile);
          expect(runUnlessFailing(replica, { ...spec, slo: half }, half)).toBeNull();
        }
      }
    }
    expect(stopped).toBeGreaterThan(20);
  });
});
