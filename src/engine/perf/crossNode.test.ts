import { describe, expect, it } from 'vitest';
import { allToAllMs, linkFor, sendMs } from './comm';
import { DEFAULT_NETWORK, crossNodeRates, epAllToAllMs, networkLink, pipelineHandOffsMs } from './crossNode';
import { testGpu } from '../testArchs';

const HGX = testGpu();
const MB = 1e6;

describe('cross-node communication', () => {
  it('a GPU without a catalog network gets 400 Gb/s NDR per GPU', () => {
    expect(DEFAULT_NETWORK.bytesPerS).toBe(50e9);
    expect(networkLink({}).bytesPerS).toBeLessThan(linkFor(HGX, 8).bytesPerS);
  });

  it('EP all-to-all inside one node equals comm.ts allToAllMs; across nodes the NIC share makes it slower', () => {
    const intra = linkFor(HGX, 1);
    const inNode = crossNodeRates(HGX, { tp: 1, pp: 1, dp: 8, ep: true });
    expect(epAllToAllMs(4 * MB, inNode, intra)).toBeCloseTo(allToAllMs(4 * MB, 8, intra), 12);
    const twoNodes = crossNodeRates(HGX, { tp: 1, pp: 1, dp: 16, ep: true });
    expect(twoNodes.epRanksPerNode).toBe(8);
    expect(epAllToAllMs(4 * MB, twoNodes, intra)).toBeGreaterThan(epAllToAllMs(4 * MB, inNode, intra) * 2);
  });

  it('pipeline hand-offs: those between nodes go over the network', () => {
    const intra = linkFor(HGX, 8);
    const rates = crossNodeRates(HGX, { tp: 8, pp: 2, dp: 1, ep: false });
    expect(rates.ppCrossNodeHops).toBe(1);
    expect(pipelineHandOffsMs(1 * MB, 2, rates, intra)).toBeCloseTo(sendMs(1 * MB, rates.network), 12);
    const inNode = crossNodeRates(HGX, { tp: 2, pp: 2, dp: 1, ep: false });
    expect(pipelineHandOffsMs(1 * MB, 2, inNode, intra)).toBeCloseTo(sendMs(1 * MB, intra), 12);
    expect(pipelineHandOffsMs(1 * MB, 1, rates, intra)).toBe(0);
  });
});
