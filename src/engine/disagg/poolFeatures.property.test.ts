import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runDisaggTandem, simulateDisagg } from './simulateDisagg';
import { eagleOf, pool, withPrefix, withSpec, workload } from './testPools.testing';

describe('P/D pools (properties)', () => {
  const hot = withPrefix(pool('H100', 1, 1), { sharedPrefixTokens: 0, hitRate: 1 });

  it('hit rate 1, any prompt lengths: every prefill computes only the uncached suffix (1 to 16 tokens), and no more prefill time than without the cache', () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 3000 }), fc.double({ min: 0.5, max: 6, noNaN: true }), (isl, rate) => {
        const w = { ...workload(rate, isl, 16), numRequests: 30, inputLengths: { kind: 'uniform' as const, rangeRatio: 0.9 } };
        const cold = pool('H100', 1, 1);
        const hotRun = runDisaggTandem(hot, cold, w);
        const coldRun = runDisaggTandem(cold, cold, w);
        const trace = hotRun.prefill.traces[0];
        if (trace === undefined) throw new Error('no prefill run');
        const cached = trace.requests.cachedPromptTokens ?? new Int32Array(0);
        for (let j = 0; j < trace.requests.count; j += 1) {
          const len = trace.requests.inputTokens[j] ?? 0;
          const suffix = len - (cached[j] ?? 0);
          expect(suffix).toBeGreaterThanOrEqual(1);
          expect(suffix).toBeLessThanOrEqual(16);
          expect(cached[j]).toBe(Math.floor((len - 1) / 16) * 16);
        }
        let hotSum = 0;
        let coldSum = 0;
        for (let i = 0; i < hotRun.requests.sendMs.length; i += 1) {
          hotSum += (hotRun.requests.prefillDoneMs[i] ?? 0) - (hotRun.requests.sendMs[i] ?? 0);
          coldSum += (coldRun.requests.prefillDoneMs[i] ?? 0) - (coldRun.requests.sendMs[i] ?? 0);
        }
        expect(hotSum).toBeLessThanOrEqual(coldSum);
      }),
      { seed: 7, numRuns: 6 },
    );
  });

  it('acceptance 0 never speeds up decoding (ITL, E2E), whatever k, load and lengths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0.5, max: 8, noNaN: true }),
        fc.integer({ min: 256, max: 2048 }),
        fc.integer({ min: 16, max: 160 }),
        (k, rate, isl, osl) => {
          const w = { ...workload(rate, isl, osl), numRequests: 40 };
          const p = pool('H100', 1, 1);
          const plain = simulateDisagg(p, pool('H100', 1, 1), w).latency;
          const spec = simulateDisagg(p, withSpec(pool('H100', 1, 1), eagleOf(k, 0)), w).latency;
          expect(spec.itlMs).toBeGreaterThanOrEqual(plain.itlMs);
          expect(spec.e2eMs).toBeGreaterThanOrEqual(plain.e2eMs);
        },
      ),
      { seed: 3, numRuns: 8 },
    );
  });

  it('tandem arrivals never make a decode request start before its prefill finished and its KV arrived', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.double({ min: 0.5, max: 12, noNaN: true }), fc.double({ min: 0.2, max: 3, noNaN: true }), (np, nd, rate, burstiness) => {
        const w = { ...workload(rate, 1024, 48), burstiness, numRequests: 30, inputLengths: { kind: 'chat' as const }, outputLengths: { kind: 'chat' as const } };
        const r = runDisaggTandem(pool('H100', 1, np), pool('H100', 1, nd), w).requests;
        for (let i = 0; i < r.sendMs.length; i += 1) {
          const start = r.decodeStartMs[i] ?? Number.NaN;
          if (!Number.isFinite(start)) continue;
          expect(start).toBeGreaterThanOrEqual((r.prefillDoneMs[i] ?? Number.NaN) + (r.transferMs[i] ?? Number.NaN));
          expect(r.prefillDoneMs[i]).toBeGreaterThan(r.sendMs[i] ?? 0);
        }
      }),
      { seed: 5, numRuns: 10 },
    );
  });
});
