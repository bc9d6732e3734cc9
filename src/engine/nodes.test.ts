import { describe, expect, it } from 'vitest';
import { epRanksPerNode, nodePlacement, placementNote } from './nodes';

const HGX = { interconnect: { kind: 'nvlink' as const, bytesPerS: 450e9, gpusPerNode: 8 } };
const NVL72 = { interconnect: { kind: 'nvlink' as const, bytesPerS: 900e9, gpusPerNode: 72 } };

describe('nodePlacement', () => {
  it('one node for a replica that fits it; replicas packed', () => {
    expect(nodePlacement(HGX, { tp: 4, pp: 1, dp: 2, ep: false })).toMatchObject({ nodes: 1, nodesPerReplica: 1, tpCrossesNodes: false, ppCrossNodeHops: 0 });
    expect(nodePlacement(HGX, { tp: 4, pp: 1, dp: 4, ep: false })).toMatchObject({ nodes: 2, nodesPerReplica: 1, ppCrossNodeHops: 0 });
  });

  it('TP 8 × PP 2 on HGX: two nodes, one pipeline hand-off over the network', () => {
    expect(nodePlacement(HGX, { tp: 8, pp: 2, dp: 1, ep: false })).toMatchObject({ nodes: 2, nodesPerReplica: 2, tpCrossesNodes: false, ppCrossNodeHops: 1 });
    expect(nodePlacement(HGX, { tp: 8, pp: 4, dp: 2, ep: false })).toMatchObject({ nodes: 8, ppCrossNodeHops: 3 });
    // TP 4 × PP 4: two stages per node, so 1 of the 3 hand-offs crosses.
    expect(nodePlacement(HGX, { tp: 4, pp: 4, dp: 1, ep: false })).toMatchObject({ nodes: 2, ppCrossNodeHops: 1 });
  });

  it('TP larger than a node crosses it (flagged); every hand-off crosses too', () => {
    const p = nodePlacement(HGX, { tp: 16, pp: 2, dp: 1, ep: false });
    expect(p).toMatchObject({ nodes: 4, tpCrossesNodes: true, ppCrossNodeHops: 1 });
    expect(placementNote(p)).toMatch(/TP spans nodes/);
  });

  it('an EP group beyond a node crosses it; inside an NVL72 rack it does not', () => {
    expect(nodePlacement(HGX, { tp: 1, pp: 1, dp: 16, ep: true })).toMatchObject({ nodes: 2, nodesPerReplica: 2, epCrossesNodes: true });
    expect(nodePlacement(NVL72, { tp: 1, pp: 1, dp: 64, ep: true })).toMatchObject({ nodes: 1, epCrossesNodes: false });
    expect(placementNote(nodePlacement(NVL72, { tp: 8, pp: 1, dp: 8, ep: true }))).toBeNull();
  });

  it('epRanksPerNode: the node share of the EP group', () => {
    expect(epRanksPerNode(HGX, { tp: 1, pp: 1, dp: 16, ep: true })).toBe(8);
    expect(epRanksPerNode(HGX, { tp: 2, pp: 1, dp: 2, ep: true })).toBe(4);
    expect(epRanksPerNode(HGX, { tp: 8, pp: 2, dp: 2, ep: true })).toBe(8);
    expect(epRanksPerNode(NVL72, { tp: 1, pp: 1, dp: 64, ep: true })).toBe(64);
  });
});
