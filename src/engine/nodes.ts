/**
 * Where a layout's GPUs sit on nodes (NVLink / xGMI domains of `GpuSpec.interconnect.gpusPerNode`
 * GPUs: 8 on an HGX board, 72 in a GB200/GB300 NVL72 rack, 4 in a GH200 quad node), and which of
 * its collectives therefore cross the network (perf/crossNode.ts prices them).
 *
 * Placement rule, as vLLM orders ranks (vllm/distributed/parallel_state.py initialize_model_parallel:
 * TP innermost, then PP, then DP) and as a cluster scheduler places them (Ray placement groups /
 * Slurm give whole nodes):
 * - a TP group is never split when it fits a node: a node holds ⌊gpusPerNode / tp⌋ whole TP groups;
 * - a replica's pipeline stages take consecutive TP-group slots, so a replica of pp stages spans
 *   ⌈pp / groups per node⌉ nodes and ⌈pp / groups per node⌉ − 1 of its hand-offs cross the network;
 * - replicas are packed one after the other.
 * APPROXIMATION: every replica is taken as aligned to node boundaries like the first (a replica that
 * straddles a boundary it need not cross has one more network hop), and a TP group larger than a
 * node spans ⌈tp / gpusPerNode⌉ whole nodes.
 */
import type { GpuSpec, Layout, NodePlacement } from './types';

export function nodePlacement(gpu: Pick<GpuSpec, 'interconnect'>, layout: Layout): NodePlacement {
  const gpusPerNode = Math.max(1, Math.floor(gpu.interconnect.gpusPerNode));
  const tp = Math.max(1, layout.tp);
  const pp = Math.max(1, layout.pp);
  const dp = Math.max(1, layout.dp);
  const tpCrossesNodes = tp > gpusPerNode;
  // Expert parallelism spreads the experts over tp × dp ranks (vLLM --enable-expert-parallel): every
  // replica of the group takes part in each stage's all-to-all.
  const epGroupGpus = tp * pp * dp;
  if (tpCrossesNodes) {
    const nodesPerTpGroup = Math.ceil(tp / gpusPerNode);
    return {
      gpusPerNode,
      nodes: nodesPerTpGroup * pp * dp,
      nodesPerReplica: nodesPerTpGroup * pp * (layout.ep ? dp : 1),
      dpRanksPerNode: 0,
      tpCrossesNodes,
      ppCrossNodeHops: pp - 1,
      epCrossesNodes: layout.ep,
    };
  }
  const groupsPerNode = Math.floor(gpusPerNode / tp);
  const stageNodesPerReplica = Math.ceil(pp / groupsPerNode);
  const nodes = Math.ceil((pp * dp) / groupsPerNode);
  return {
    gpusPerNode,
    nodes,
    nodesPerReplica: layout.ep ? Math.ceil(epGroupGpus / (groupsPerNode * tp)) : stageNodesPerReplica,
    dpRanksPerNode: stageNodesPerReplica > 1 ? 0 : Math.min(dp, Math.floor(groupsPerNode / pp)),
    tpCrossesNodes,
    ppCrossNodeHops: stageNodesPerReplica - 1,
    epCrossesNodes: layout.ep && epGroupGpus > groupsPerNode * tp,
  };
}

/**
 * EP ranks of one stage that share a node with a given rank: the node's TP groups of that stage.
 * A replica that fits a node leaves room for ⌊groups per node / pp⌋ replicas, each adding tp ranks.
 */
export function epRanksPerNode(gpu: Pick<GpuSpec, 'interconnect'>, layout: Layout): number {
  const gpusPerNode = Math.max(1, Math.floor(gpu.interconnect.gpusPerNode));
  const tp = Math.max(1, layout.tp);
  const epRanks = tp * Math.max(1, layout.dp);
  if (tp >= gpusPerNode) return Math.min(epRanks, gpusPerNode);
  const replicasPerNode = Math.max(1, Math.floor(Math.floor(gpusPerNode / tp) / Math.max(1, layout.pp)));
  return Math.min(epRanks, tp * replicasPerNode);
}

/** One sentence on what crosses the network, or null when the layout stays inside one node per replica. */
export function placementNote(p: NodePlacement): string | null {
  const parts: string[] = [];
  if (p.tpCrossesNodes) parts.push(`TP spans nodes of ${p.gpusPerNode} GPUs: every all-reduce crosses the network (slow; flagged)`);
  if (p.ppCrossNodeHops > 0) parts.push(`${p.ppCrossNodeHops} pipeline hand-off${p.ppCrossNodeHops === 1 ? '' : 's'} per pass cross${p.ppCrossNodeHops === 1 ? 'es' : ''} the network`);
  if (p.epCrossesNodes) parts.push('expert dispatch/combine all-to-alls cross the network');
  if (parts.length === 0) return null;
  return `${p.nodes} node${p.nodes === 1 ? '' : 's'} of ${p.gpusPerNode} GPUs: ${parts.join('; ')}.`;
}
