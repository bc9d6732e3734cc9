/**
 * [disagg] The KV cache of one request moved from the prefill pool to the decode pool (issue 12
 * item 1), as vLLM's NixlConnector moves it.
 *
 * What the connector does (vllm/distributed/kv_transfer/kv_connector/v1/nixl_connector.py):
 * - the decode side PULLS: NixlConnectorScheduler.get_num_new_matched_tokens returns every prompt
 *   token not computed locally ("For remote prefill, pull all prompt blocks from remote"), the
 *   decode instance allocates their blocks and its worker reads them with NIXL (RDMA or NVLink via
 *   UCX) once the prefill request has finished and returned its block ids through the proxy;
 * - NO layer-by-layer overlap: `wait_for_layer_load` and `save_kv_layer` are no-ops ("NixlConnector
 *   does not do layerwise saving"), so the whole transfer starts after the prefill completes and sits
 *   on the TTFT path. That is the overlap modelled here: none (prefill, then transfer, then decode).
 * - each decode rank reads its own shard (heads / layers of its TP and PP rank) from the prefill
 *   ranks holding it, all ranks at once (heterogeneous TP is supported: a decode rank reads from
 *   one or several prefill ranks).
 *
 * So per request: every decode rank receives its per-GPU KV bytes per token × prompt tokens (the
 * memory planner's MemoryPlan.kvBytesPerTokenPerGpu of the decode layout; with expert parallelism a
 * request lives on one data-parallel attention rank, its tp × pp GPUs), the prefill ranks send
 * the same total spread over themselves, and the slower side sets the time. APPROXIMATIONS: the link
 * is taken as free of other transfers (at the target rate its utilisation is reported, and a rate
 * that would need more than the link is refused by the sizing), and the bytes of the last prompt
 * token (recomputed by the decode side) are counted too.
 */
import type { GpuSpec, Layout, MemoryPlan } from '../types';
import { INTER_NODE_LATENCY_MS, LINK_BANDWIDTH_FRACTION } from '../calibration';
import { networkOf } from '../perf/crossNode';
import { MS_PER_S } from '../units';

/** The link the KV moves over. */
export const KV_LINK_KINDS = ['nvlink', 'network'] as const;
export type KvLinkKind = (typeof KV_LINK_KINDS)[number];

/**
 * Fixed cost of one request's transfer, ms: the decode rank posts its RDMA reads and the prefill
 * side is notified when they complete (NixlConnectorWorker._read_blocks then send_notif): two
 * one-way network latencies (calibration.ts INTER_NODE_LATENCY_MS, NDR InfiniBand). ASSUMED, no
 * measurement: the proxy's second HTTP hop and the decode scheduler noticing the finished read on its
 * next step are not counted (the client's request overhead is counted once, in the prefill pool).
 */
export const KV_TRANSFER_FIXED_MS = 2 * INTER_NODE_LATENCY_MS;

/** One pool as the transfer sees it: its GPU, layout and memory plan (per-GPU KV bytes per token). */
export interface TransferSide {
  gpu: Pick<GpuSpec, 'id' | 'interconnect' | 'network'>;
  /** One replica's layout; with `ep` its `dp` ranks count towards the pool's GPUs (not towards one request's ranks). */
  layout: Pick<Layout, 'tp' | 'pp'> & Partial<Pick<Layout, 'dp' | 'ep'>>;
  memory: Pick<MemoryPlan, 'kvBytesPerTokenPerGpu'>;
  /** Replicas of this pool (for the NVLink-domain test). */
  replicas: number;
}

export interface KvLink {
  kind: KvLinkKind;
  /** Achievable one-way bandwidth per GPU, bytes/s. */
  bytesPerS: number;
  /** Where the raw figure comes from. */
  source: string;
}

/** GPUs one request's KV lives on: tp × pp (one DP rank's with expert parallelism). */
const ranksOf = (layout: Pick<Layout, 'tp' | 'pp'>): number => Math.max(1, layout.tp) * Math.max(1, layout.pp);
/** GPUs of one replica: × dp with expert parallelism (as simulateDisagg.ts gpusPerReplica). */
const replicaGpusOf = (layout: TransferSide['layout']): number => ranksOf(layout) * (layout.ep === true ? Math.max(1, Math.floor(layout.dp ?? 1)) : 1);

/**
 * NVLink when both pools run on the same GPU type whose NVLink / xGMI domain holds every GPU of both
 * pools (an 8-GPU HGX node, a 72-GPU NVL72 rack); otherwise the scale-out network, the slower NIC
 * of the two sides. Both at LINK_BANDWIDTH_FRACTION of the catalog's one-way figure (the same
 * achievable share NCCL gets; APPROXIMATION for NIXL / UCX).
 */
export function kvLinkBetween(prefill: TransferSide, decode: TransferSide): KvLink {
  const gpus = replicaGpusOf(prefill.layout) * Math.max(1, prefill.replicas) + replicaGpusOf(decode.layout) * Math.max(1, decode.replicas);
  const sameGpu = prefill.gpu.id === decode.gpu.id;
  const ic = prefill.gpu.interconnect;
  if (sameGpu && ic.kind !== 'pcie' && gpus <= Math.max(1, Math.floor(ic.gpusPerNode))) {
    return {
      kind: 'nvlink',
      bytesPerS: ic.bytesPerS * LINK_BANDWIDTH_FRACTION,
      source: `${prefill.gpu.id} ${ic.kind} ${(ic.bytesPerS / 1e9).toFixed(0)} GB/s per GPU one way (catalog/gpus.ts), ${gpus} GPUs in one ${ic.gpusPerNode}-GPU domain`,
    };
  }
  const pNet = networkOf(prefill.gpu);
  const dNet = networkOf(decode.gpu);
  const slower = pNet.bytesPerS <= dNet.bytesPerS ? pNet : dNet;
  return {
    kind: 'network',
    bytesPerS: slower.bytesPerS * LINK_BANDWIDTH_FRACTION,
    source: `${slower.kind} ${((slower.bytesPerS * 8) / 1e9).toFixed(0)} Gb/s per GPU (${slower.source.note ?? slower.source.url})`,
  };
}

export interface KvTransfer {
  link: KvLink;
  /** KV bytes one decode rank receives for one prompt token: its plan's kvBytesPerTokenPerGpu. */
  bytesPerTokenPerDecodeRank: number;
  /** KV bytes moved for one request: decode ranks × per-rank bytes per token × prompt tokens. */
  bytesPerRequest: number;
  /** Transfer time of one request, ms: fixed cost + the busiest rank's bytes ÷ bandwidth. */
  msPerRequest: number;
}

/** One request of `promptTokens` tokens moved from the prefill pool's ranks to the decode pool's. */
export function kvTransfer(prefill: TransferSide, decode: TransferSide, promptTokens: number): KvTransfer {
  const link = kvLinkBetween(prefill, decode);
  const tokens = Math.max(0, promptTokens);
  const perRankPerToken = decode.memory.kvBytesPerTokenPerGpu;
  const decodeRanks = ranksOf(decode.layout);
  const prefillRanks = ranksOf(prefill.layout);
  const bytesPerRequest = perRankPerToken * tokens * decodeRanks;
  // Every rank of each side moves its share at once; the side with fewer ranks moves more each.
  const busiestRankBytes = bytesPerRequest / Math.min(decodeRanks, prefillRanks);
  const msPerRequest = KV_TRANSFER_FIXED_MS + (busiestRankBytes / link.bytesPerS) * MS_PER_S;
  return { link, bytesPerTokenPerDecodeRank: perRankPerToken, bytesPerRequest, msPerRequest };
}

/**
 * Share of the prefill pool's links the transfers take at `requestsPerS` (all prefill GPUs sending
 * at once): above 1 the link cannot carry the rate and transfers would queue without bound.
 */
export function kvLinkUtilisation(t: KvTransfer, requestsPerS: number, prefillGpus: number): number {
  const capacityBytesPerS = t.link.bytesPerS * Math.max(1, prefillGpus);
  return (requestsPerS * t.bytesPerRequest) / capacityBytesPerS;
}
