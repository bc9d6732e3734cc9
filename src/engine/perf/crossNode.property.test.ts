/**
 * Crossing nodes never makes communication cheaper: for any layout, the same GPU in an NVLink domain
 * large enough to hold it (72) communicates no slower than in 8-GPU nodes, whose network is slower
 * than NVLink (EP all-to-all and pipeline hand-offs, perf/crossNode.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testGpu } from '../testArchs';
import { linkFor } from './comm';
import { crossNodeRates, epAllToAllMs, pipelineHandOffsMs } from './crossNode';

const pow2 = fc.integer({ min: 0, max: 6 }).map((e) => 2 ** e);

describe('cross-node communication is never cheaper than inside one domain', () => {
  it('EP all-to-all and PP hand-offs on 8-GPU nodes ≥ the same in one 72-GPU domain', () => {
    const hgx = testGpu();
    const rack = { ...hgx, interconnect: { ...hgx.interconnect, gpusPerNode: 72 } };
    fc.assert(
      fc.property(pow2, pow2, pow2, fc.boolean(), fc.double({ min: 1e3, max: 1e8, noNaN: true }), (tp, pp, dp, ep, bytes) => {
        if (tp * pp * dp > 64) return;
        const layout = { tp, pp, dp, ep };
        const intra = linkFor(hgx, 1);
        const onNodes = crossNodeRates(hgx, layout);
        const inRack = crossNodeRates(rack, layout);
        expect(epAllToAllMs(bytes, onNodes, intra)).toBeGreaterThanOrEqual(epAllToAllMs(bytes, inRack, intra) * (1 - 1e-12));
        expect(pipelineHandOffsMs(bytes, pp, onNodes, intra)).toBeGreaterThanOrEqual(pipelineHandOffsMs(bytes, pp, inRack, intra) * (1 - 1e-12));
      }),
      { numRuns: 300 },
    );
  });
});
