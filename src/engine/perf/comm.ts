/**
 * Communication time of one step: TP all-reduces, EP all-to-alls, PP stage hand-offs.
 * Closed-form alpha-beta costs (latency + bytes ÷ bandwidth) over the GPU's link, or the
 * inter-node network when the group spans more GPUs than one node holds.
 */
import type { GpuSpec } from '../types';
import {
  ALLREDUCE_BASE_LATENCY_MS,
  ALLREDUCE_PER_HOP_LATENCY_MS,
  INTER_NODE_BYTES_PER_S,
  INTER_NODE_LATENCY_MS,
  INTRA_NODE_COLLECTIVE,
  LINK_BANDWIDTH_FRACTION,
} from '../calibration';
import { MS_PER_S } from '../units';

export interface Link {
  /** Achievable one-way bandwidth per GPU, bytes/s. */
  bytesPerS: number;
  /** Fixed cost per collective, ms. */
  baseLatencyMs: number;
  /** Extra cost per ring hop, ms. */
  hopLatencyMs: number;
}

/**
 * The fabric a group of `groupGpus` GPUs talks over: NVLink/PCIe/xGMI inside a node, else the network
 * (the catalog's `network` NIC per GPU, else 400 Gb/s NDR; crossNode.ts networkLink is the same link).
 */
export function linkFor(gpu: GpuSpec, groupGpus: number): Link {
  if (groupGpus > gpu.interconnect.gpusPerNode) {
    return {
      bytesPerS: (gpu.network?.bytesPerS ?? INTER_NODE_BYTES_PER_S) * LINK_BANDWIDTH_FRACTION,
      baseLatencyMs: ALLREDUCE_BASE_LATENCY_MS + INTER_NODE_LATENCY_MS,
      hopLatencyMs: ALLREDUCE_PER_HOP_LATENCY_MS + INTER_NODE_LATENCY_MS,
    };
  }
  return {
    bytesPerS: gpu.interconnect.bytesPerS * LINK_BANDWIDTH_FRACTION,
    baseLatencyMs: INTRA_NODE_COLLECTIVE.baseLatencyMs,
    hopLatencyMs: ALLREDUCE_PER_HOP_LATENCY_MS,
  };
}

/**
 * Ring all-reduce of `bytes` over `ranks` GPUs: each GPU sends and receives 2(n − 1)/n × bytes
 * (reduce-scatter + all-gather; NCCL docs, "Performance: busBw = algBw × 2(n−1)/n"), plus a
 * fixed launch/sync cost and one hop latency per ring step.
 */
export function allReduceMs(bytes: number, ranks: number, link: Link): number {
  if (ranks <= 1) return 0;
  const wireBytes = ((2 * (ranks - 1)) / ranks) * bytes;
  return link.baseLatencyMs + (ranks - 1) * link.hopLatencyMs + (wireBytes / link.bytesPerS) * MS_PER_S;
}

/** All-to-all of `bytes` per GPU over `ranks` GPUs: (n − 1)/n of the data leaves each GPU. */
export function allToAllMs(bytes: number, ranks: number, link: Link): number {
  if (ranks <= 1) return 0;
  const wireBytes = ((ranks - 1) / ranks) * bytes;
  return link.baseLatencyMs + (wireBytes / link.bytesPerS) * MS_PER_S;
}

/** Point-to-point send of activations from one pipeline stage to the next. */
export function sendMs(bytes: number, link: Link): number {
  return link.baseLatencyMs + (bytes / link.bytesPerS) * MS_PER_S;
}
