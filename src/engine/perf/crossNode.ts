/**
 * Communication that crosses nodes (issue 13), kept apart from comm.ts's in-node collectives: the
 * network link of a GPU (catalog `network`, else one 400 Gb/s NDR NIC per GPU), pipeline hand-offs
 * of which some cross the network, and the EP dispatch/combine all-to-all split between the NVLink
 * domain and the network. Placement (which of them cross) is nodes.ts's.
 */
import type { GpuSpec, Layout, NetworkSpec } from '../types';
import { INTER_NODE_BYTES_PER_S, INTER_NODE_LATENCY_MS, INTRA_NODE_COLLECTIVE, LINK_BANDWIDTH_FRACTION } from '../calibration';
import { MS_PER_S } from '../units';
import { epRanksPerNode, nodePlacement } from '../nodes';
import type { Link } from './comm';
import { sendMs } from './comm';

/**
 * The network a GPU without a catalog `network` row is taken to have: one 400 Gb/s NDR InfiniBand
 * NIC per GPU (DGX H100 / HGX reference design, 8 × ConnectX-7; calibration.ts INTER_NODE_BYTES_PER_S).
 */
export const DEFAULT_NETWORK: NetworkSpec = {
  kind: 'infiniband',
  bytesPerS: INTER_NODE_BYTES_PER_S,
  source: {
    url: 'https://docs.nvidia.com/dgx/dgxh100-user-guide/introduction-to-dgxh100.html',
    note: 'DGX H100: 8 × ConnectX-7 400 Gb/s (NDR) for the compute fabric, one per GPU',
  },
};

export function networkOf(gpu: Pick<GpuSpec, 'network'>): NetworkSpec {
  return gpu.network ?? DEFAULT_NETWORK;
}

/**
 * The network link between nodes: NCCL reaches the same share of the NIC as of NVLink
 * (LINK_BANDWIDTH_FRACTION, APPROXIMATION), and every collective pays NCCL's fixed cost plus the
 * network's extra latency. Used by EP all-to-alls and PP hand-offs; TP all-reduces across nodes are
 * priced by NCCL's ring or tree in comm.ts allReducePlan (log2(nodes) network levels for the tree).
 */
export function networkLink(gpu: Pick<GpuSpec, 'network'>): Link {
  return {
    bytesPerS: networkOf(gpu).bytesPerS * LINK_BANDWIDTH_FRACTION,
    baseLatencyMs: INTRA_NODE_COLLECTIVE.baseLatencyMs + INTER_NODE_LATENCY_MS,
  };
}

/** What the step model needs to price the cross-node parts of a layout's step. */
export interface CrossNodeRates {
  network: Link;
  /** Pipeline hand-offs per pass that go over the network (nodes.ts nodePlacement). */
  ppCrossNodeHops: number;
  /** EP group: ranks, and ranks on one node (the rest are reached over the network). */
  epRanks: number;
  epRanksPerNode: number;
}

export function crossNodeRates(gpu: Pick<GpuSpec, 'interconnect' | 'network'>, layout: Layout): CrossNodeRates {
  return {
    network: networkLink(gpu),
    ppCrossNodeHops: nodePlacement(gpu, layout).ppCrossNodeHops,
    epRanks: layout.ep ? Math.max(1, layout.tp) * Math.max(1, layout.dp) : 1,
    epRanksPerNode: layout.ep ? epRanksPerNode(gpu, layout) : 1,
  };
}

/**
 * EP dispatch (or combine) all-to-all of `bytes` per GPU over the EP group: of what leaves a GPU,
 * (m − 1)/n goes to the m − 1 ranks on its node over NVLink and (n − m)/n over the NIC, both at once;
 * the slower side sets the time (hierarchical all-to-all, as DeepEP's internode kernels and NCCL's
 * PXN do: DeepEP README "normal kernels … NVLink and RDMA forwarding"). In one node (m = n) this is
 * comm.ts allToAllMs.
 */
export function epAllToAllMs(bytes: number, rates: CrossNodeRates, intraNode: Link): number {
  const n = rates.epRanks;
  if (n <= 1) return 0;
  const m = Math.min(n, Math.max(1, rates.epRanksPerNode));
  const intraMs = (((m - 1) / n) * bytes) / intraNode.bytesPerS;
  if (m >= n) return intraNode.baseLatencyMs + intraMs * MS_PER_S;
  const interMs = (((n - m) / n) * bytes) / rates.network.bytesPerS;
  return rates.network.baseLatencyMs + Math.max(intraMs, interMs) * MS_PER_S;
}

/**
 * The pp − 1 hand-offs of one pass: those between stages on one node over the in-node link, the
 * `ppCrossNodeHops` between nodes over the network (perf/step.ts pipelineStepTime).
 */
export function pipelineHandOffsMs(bytes: number, pp: number, rates: CrossNodeRates, intraNode: Link): number {
  if (pp <= 1) return 0;
  const crossing = Math.min(pp - 1, Math.max(0, rates.ppCrossNodeHops));
  return (pp - 1 - crossing) * sendMs(bytes, intraNode) + crossing * sendMs(bytes, rates.network);
}
