/**
 * Placement invariants (nodes.ts) for any layout and domain size: the nodes hold every GPU, a replica
 * that fits one node crosses nothing, the network hand-offs never exceed pp − 1, and the EP share on
 * one node never exceeds the node or the group.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epRanksPerNode, nodePlacement } from './nodes';

const pow2 = fc.integer({ min: 0, max: 7 }).map((e) => 2 ** e);

describe('nodePlacement invariants', () => {
  it('holds every GPU, crosses nothing inside one node, at most pp − 1 network hand-offs', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 4, 8, 72), pow2, pow2, pow2, fc.boolean(), (gpusPerNode, tp, pp, dp, ep) => {
        const gpu = { interconnect: { kind: 'nvlink' as const, bytesPerS: 1e11, gpusPerNode } };
        const layout = { tp, pp, dp, ep };
        const p = nodePlacement(gpu, layout);
        expect(p.nodes * gpusPerNode).toBeGreaterThanOrEqual(tp * pp * dp);
        expect(p.ppCrossNodeHops).toBeGreaterThanOrEqual(0);
        expect(p.ppCrossNodeHops).toBeLessThanOrEqual(pp - 1);
        expect(p.tpCrossesNodes).toBe(tp > gpusPerNode);
        if (tp * pp * (ep ? dp : 1) <= gpusPerNode) {
          expect(p.ppCrossNodeHops).toBe(0);
          expect(p.epCrossesNodes).toBe(false);
          expect(p.tpCrossesNodes).toBe(false);
        }
        if (p.dpRanksPerNode > 0) expect(p.dpRanksPerNode * tp * pp).toBeLessThanOrEqual(gpusPerNode);
        const m = epRanksPerNode(gpu, layout);
        expect(m).toBeGreaterThanOrEqual(1);
        expect(m).toBeLessThanOrEqual(Math.min(gpusPerNode, tp * dp));
      }),
      { numRuns: 300 },
    );
  });
});
