/**
 * Properties of the all-reduce plan (perf/comm.ts allReducePlan) for every engine, catalog GPU,
 * TP size and message: time never falls as the message grows (also across the engines' algorithm
 * switches), and never beats moving the message once over the GPU's peak one-way link.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GPU_CATALOG } from '../catalog/gpus';
import { MS_PER_S } from '../units';
import { allReducePlan, allReduceTimeMs } from './comm';

const engines = fc.constantFrom('vllm' as const, 'sglang' as const, 'trtllm' as const);
const gpus = fc.constantFrom(...GPU_CATALOG);
const ranks = fc.constantFrom(2, 3, 4, 6, 8, 16, 32, 72);
const bytes = fc.double({ min: 16, max: 2 ** 31, noNaN: true });

describe('all-reduce time', () => {
  it('is non-decreasing in the message size', () => {
    fc.assert(
      fc.property(gpus, engines, ranks, bytes, bytes, fc.boolean(), (gpu, engine, n, a, b, off) => {
        const plan = allReducePlan(gpu, n, engine, { disableCustomAllReduce: off });
        const [small, large] = a <= b ? [a, b] : [b, a];
        expect(allReduceTimeMs(plan, large)).toBeGreaterThanOrEqual(allReduceTimeMs(plan, small) - 1e-12);
      }),
      { numRuns: 2000 },
    );
  });

  it('is never faster than the bytes over the peak one-way bandwidth of the slowest link used', () => {
    fc.assert(
      fc.property(gpus, engines, ranks, bytes, (gpu, engine, n, b) => {
        const plan = allReducePlan(gpu, n, engine);
        const crosses = n > gpu.interconnect.gpusPerNode;
        const network = 'network' in gpu ? gpu.network.bytesPerS : 50e9;
        const peak = crosses ? Math.min(gpu.interconnect.bytesPerS, network) : gpu.interconnect.bytesPerS;
        expect(allReduceTimeMs(plan, b)).toBeGreaterThanOrEqual((b / peak) * MS_PER_S);
      }),
      { numRuns: 2000 },
    );
  });
});
