/**
 * Communication time of one step: TP all-reduces, EP all-to-alls, PP stage hand-offs.
 * Closed-form alpha-beta costs (latency + bytes ÷ bandwidth) over the GPU's link, or the
 * inter-node network when the group spans more GPUs than one node holds.
 *
 * A TP all-reduce is not one algorithm: each engine picks one by message size (allReducePlan), and
 * NCCL picks among its own by its tuning model. The plan is a short list of segments by message
 * size, each an affine cost latency + bytes × ms/byte, so a step stays a few multiply-adds.
 */
import type { GpuSpec, ServingEngine } from '../types';
import {
  INTER_NODE_BYTES_PER_S,
  INTER_NODE_LATENCY_MS,
  INTRA_NODE_COLLECTIVE,
  LINK_BANDWIDTH_FRACTION,
  NCCL_STEP_LATENCY_MS,
} from '../calibration';
import { KiB, MiB, MS_PER_S } from '../units';

export interface Link {
  /** Achievable one-way bandwidth per GPU, bytes/s. */
  bytesPerS: number;
  /** Fixed cost per collective, ms. */
  baseLatencyMs: number;
}

/**
 * The fabric a group of `groupGpus` GPUs talks over: NVLink/PCIe/xGMI inside a node, else the network
 * (the catalog's `network` NIC per GPU, else 400 Gb/s NDR; crossNode.ts networkLink is the same link).
 */
export function linkFor(gpu: GpuSpec, groupGpus: number): Link {
  if (groupGpus > gpu.interconnect.gpusPerNode) {
    return {
      bytesPerS: (gpu.network?.bytesPerS ?? INTER_NODE_BYTES_PER_S) * LINK_BANDWIDTH_FRACTION,
      baseLatencyMs: INTRA_NODE_COLLECTIVE.baseLatencyMs + INTER_NODE_LATENCY_MS,
    };
  }
  return {
    bytesPerS: gpu.interconnect.bytesPerS * LINK_BANDWIDTH_FRACTION,
    baseLatencyMs: INTRA_NODE_COLLECTIVE.baseLatencyMs,
  };
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

// ---------------------------------------------------------------------------------------------
// All-reduce algorithm by message size
// ---------------------------------------------------------------------------------------------

/**
 * The all-reduce algorithms the engines run (each with the file that runs it):
 * - 'one-shot': every rank reads all n − 1 peers' whole buffers over NVLink and reduces locally
 *   (vLLM csrc/custom_all_reduce.cuh cross_device_reduce_1stage; TensorRT-LLM ONESHOT,
 *   cpp/tensorrt_llm/kernels/customAllReduceKernels.cu; SGLang's copy of vLLM's kernel); priced as one
 *   barrier: its start and end flag exchanges are the cheap (volatile) kind.
 * - 'two-shot': reduce-scatter then all-gather through the peers' buffers, 2(n − 1)/n × bytes, priced
 *   as two barriers: the middle one must wait until the reduce-scatter's writes are visible to every
 *   peer (cross_device_reduce_2stage; TensorRT-LLM TWOSHOT; torch symmetric memory two_shot_all_reduce).
 * - 'multimem': NVLink SHARP through the NVSwitch (multimem.ld_reduce / multimem.st), two barriers
 *   (vLLM symm_mem.py multimem_all_reduce_); bytes as nvlsWireBytesPerByte.
 * - 'nccl-ring', 'nccl-nvls', 'nccl-tree': NCCL's own algorithms; NCCL takes the fastest by its
 *   tuning model (src/graph/tuning.cc ncclTopoGetAlgoTime, src/enqueue.cc), so this does too.
 */
export const ALL_REDUCE_ALGORITHMS = ['one-shot', 'two-shot', 'multimem', 'nccl-ring', 'nccl-nvls', 'nccl-tree'] as const;
export type AllReduceAlgorithm = (typeof ALL_REDUCE_ALGORITHMS)[number];

/** One algorithm over a range of message sizes: time = latencyMs + bytes × msPerByte. */
export interface AllReduceSegment {
  algorithm: AllReduceAlgorithm;
  /** Messages below this many bytes (and at or above the previous segment's) use this segment; the last is Infinity. */
  maxBytes: number;
  latencyMs: number;
  msPerByte: number;
}

/** How one TP group's all-reduces run, by message size (ascending `maxBytes`; empty for one rank). */
export interface AllReducePlan {
  ranks: number;
  segments: readonly AllReduceSegment[];
}

export interface AllReduceOptions {
  /** `--disable-custom-all-reduce` (vLLM, SGLang); TensorRT-LLM's allreduce_strategy NCCL. */
  disableCustomAllReduce?: boolean;
}

/**
 * The world sizes the custom all-reduce kernels are built for: vLLM CustomAllreduce._SUPPORTED_WORLD_SIZES
 * (vllm/distributed/device_communicators/custom_all_reduce.py), the same in SGLang's copy; TensorRT-LLM's
 * kernels take any size up to 8 (customAllReduceKernels.cu MAX_RANKS_PER_NODE) but tune 2, 4, 8.
 */
const CUSTOM_WORLD_SIZES: readonly number[] = [2, 4, 6, 8];

/**
 * Where vLLM's custom kernel switches from one-shot to two-shot: always one-shot at 2 ranks, else
 * one-shot below 512 KiB up to 4 ranks and below 256 KiB up to 8 (csrc/custom_all_reduce.cuh,
 * CustomAllreduce::allreduce REDUCE_CASE; the same in SGLang's sgl-kernel copy).
 */
export function vllmOneShotMaxBytes(ranks: number): number {
  if (ranks <= 2) return Infinity;
  return ranks <= 4 ? 512 * KiB : 256 * KiB;
}

/**
 * vLLM's custom all-reduce ceiling: CustomAllreduce(max_size = 8192 × 1024) by default; with torch
 * symmetric memory enabled (VLLM_ALLREDUCE_USE_SYMM_MEM: default 1 in v0.11.0 via PR #25070, issue
 * #26525; switched off for an EP start-up bug by PR #26925 on 2025-10-15 and on again in later releases,
 * whose vllm/envs.py reads default "1") capped per compute capability by CUSTOM_ALL_REDUCE_MAX_SIZES,
 * and symmetric memory takes over up to SYMM_MEM_ALL_REDUCE_MAX_SIZES
 * (vllm/distributed/device_communicators/all_reduce_utils.py). Taken for every vLLM row (the
 * engine's vLLM version choice is about memory accounting). Not modelled: NCCL symmetric memory
 * (VLLM_USE_NCCL_SYMM_MEM, default off, PR #46703) and the FlashInfer all-reduce + RMSNorm fusion pass
 * (compilation pass_config enable_fi_allreduce_fusion), whose kernels are one-/two-shot like these.
 */
const VLLM_CUSTOM_MAX_BYTES = 8 * MiB;
const VLLM_SYMM_CUSTOM_MAX_BYTES: Record<'hopper' | 'blackwell', Record<number, number>> = {
  hopper: { 2: 64 * MiB, 4: 32 * MiB, 6: 512 * KiB, 8: 256 * KiB },
  blackwell: { 2: 2 * MiB, 4: 2 * MiB, 6: 1 * MiB, 8: 1 * MiB },
};
const VLLM_SYMM_MEM_MAX_BYTES: Record<'hopper' | 'blackwell', Record<number, number>> = {
  hopper: { 2: 64 * MiB, 4: 32 * MiB, 6: 64 * MiB, 8: 64 * MiB },
  blackwell: { 2: 8 * MiB, 4: 32 * MiB, 6: 128 * MiB, 8: 128 * MiB },
};

/**
 * TensorRT-LLM's AUTO strategy (cpp/tensorrt_llm/common/customAllReduceUtils.h): the custom kernels'
 * workspace holds 16 MB at 2 ranks and 8 MB above (getMaxRequiredWorkspaceSize; NCCL beyond it), and
 * one-shot runs below the TWO_SHOT element threshold of HeuristicThresholdLP, per SM and TP:
 * SM90 {2: 4096², 4: 1024², 8: 512²} elements, SM100 {2: 4096², 4: 1024 × 2048, 8: 1024²}, 2 bytes
 * each at bf16. Other generations and 6 ranks take the nearest entry (APPROXIMATION).
 */
function trtllmOneShotMaxBytes(gpu: Pick<GpuSpec, 'generation'>, ranks: number): number {
  const elements =
    gpu.generation === 'blackwell'
      ? ranks <= 2
        ? 4096 * 4096
        : ranks <= 4
          ? 1024 * 2048
          : 1024 * 1024
      : ranks <= 2
        ? 4096 * 4096
        : ranks <= 4
          ? 1024 * 1024
          : 512 * 512;
  return elements * 2;
}
const trtllmWorkspaceBytes = (ranks: number): number => (ranks <= 2 ? 16e6 : 8e6);

/**
 * NVLink SHARP (NCCL's NVLS, torch symmetric memory's multimem) all-reduce: the switch reduces, so
 * each GPU moves the message about once each way ((n + 1)/n), but the measured gain over the ring is
 * smaller: NVIDIA's HGX H100 page gives SHARP "a 2X increase in all-reduce throughput" over A100
 * systems, whose NVLink has 2/3 of H100's bandwidth, i.e. 4/3 of the ring's throughput on the same
 * links. Charged as the ring's 2(n − 1)/n bytes per byte ÷ 4/3, never below the (n + 1)/n the switch
 * must move (APPROXIMATION: one measured ratio; at 2 ranks the ring stays the faster).
 */
const NVLS_THROUGHPUT_OVER_RING = 4 / 3;
const nvlsWireBytesPerByte = (ranks: number): number => Math.max((ranks + 1) / ranks, (2 * (ranks - 1)) / ranks / NVLS_THROUGHPUT_OVER_RING);

/** NVLink SHARP needs third-generation NVSwitch (Hopper, Blackwell) in the NVLink domain (NCCL ≥ 2.17 NVLS). */
function hasNvlinkSharp(gpu: Pick<GpuSpec, 'generation' | 'interconnect'>): boolean {
  return gpu.interconnect.kind === 'nvlink' && gpu.interconnect.gpusPerNode >= 4 && (gpu.generation === 'hopper' || gpu.generation === 'blackwell');
}

/**
 * Whether the engine's custom all-reduce runs for this TP group: inside one node, a supported world
 * size, and every GPU pair on NVLink/xGMI (vLLM disables it for more than two PCIe-only GPUs and the
 * memory plan takes PCIe GPUs as without it: memory/overheads.ts customAllReduceActive).
 */
export function customAllReduceRuns(gpu: Pick<GpuSpec, 'interconnect'>, ranks: number, opts: AllReduceOptions = {}): boolean {
  return opts.disableCustomAllReduce !== true && gpu.interconnect.kind !== 'pcie' && ranks <= gpu.interconnect.gpusPerNode && CUSTOM_WORLD_SIZES.includes(ranks);
}

const seg = (algorithm: AllReduceAlgorithm, maxBytes: number, latencyMs: number, wireBytesPerByte: number, bytesPerS: number): AllReduceSegment => ({
  algorithm,
  maxBytes,
  latencyMs,
  msPerByte: (wireBytesPerByte / bytesPerS) * MS_PER_S,
});

/**
 * NCCL's candidates for one group, each latency + bytes × wire ÷ bandwidth with NCCL's tuning-model
 * latencies (src/graph/tuning.cc hwLat, LL protocol for small messages; NVLS runs Simple only):
 * - in a node, ring: 2(n − 1) steps of the fabric's step latency, 2(n − 1)/n × bytes;
 *   NVLS (Hopper/Blackwell NVSwitch): its 25 µs chunk latency, bytes as nvlsWireBytesPerByte;
 * - across nodes: the ring's 2(nodes − 1) network steps and the rest on NVLink, every byte through
 *   the NIC; the tree's 2 × ((GPUs per node − 1) in-node steps + log2(nodes) network steps), 2 × bytes
 *   through the NIC (tree algBw = busBw ÷ 2 in tuning.cc). Not a 2(n − 1)-step ring over the network.
 * Every candidate pays NCCL's fixed launch/sync cost (INTRA_NODE_COLLECTIVE.baseLatencyMs).
 */
function ncclCandidates(gpu: Pick<GpuSpec, 'generation' | 'interconnect' | 'network'>, ranks: number): AllReduceSegment[] {
  const base = INTRA_NODE_COLLECTIVE.baseLatencyMs;
  const perNode = Math.max(1, gpu.interconnect.gpusPerNode);
  const inNodeBytesPerS = gpu.interconnect.bytesPerS * LINK_BANDWIDTH_FRACTION;
  const fabricStepMs = gpu.interconnect.kind === 'pcie' ? NCCL_STEP_LATENCY_MS.pcie : NCCL_STEP_LATENCY_MS.nvlink;
  if (ranks <= perNode) {
    const out = [seg('nccl-ring', Infinity, base + 2 * (ranks - 1) * fabricStepMs, (2 * (ranks - 1)) / ranks, inNodeBytesPerS)];
    if (hasNvlinkSharp(gpu) && ranks >= 2) out.push(seg('nccl-nvls', Infinity, base + NCCL_STEP_LATENCY_MS.nvls, nvlsWireBytesPerByte(ranks), inNodeBytesPerS));
    return out;
  }
  const nodes = Math.ceil(ranks / perNode);
  const ppn = Math.ceil(ranks / nodes);
  // The data also crosses each node's own fabric, so the slower of the NIC and that fabric sets the pace.
  const netBytesPerS = Math.min(gpu.network?.bytesPerS ?? INTER_NODE_BYTES_PER_S, gpu.interconnect.bytesPerS) * LINK_BANDWIDTH_FRACTION;
  const ringSteps = 2 * (ranks - 1);
  const netRingSteps = 2 * (nodes - 1);
  const ring = seg(
    'nccl-ring',
    Infinity,
    base + (ringSteps - netRingSteps) * fabricStepMs + netRingSteps * NCCL_STEP_LATENCY_MS.networkRing,
    (2 * (ranks - 1)) / ranks,
    netBytesPerS,
  );
  const tree = seg('nccl-tree', Infinity, base + 2 * ((ppn - 1) * fabricStepMs + Math.log2(nodes) * NCCL_STEP_LATENCY_MS.networkTree), 2, netBytesPerS);
  return [ring, tree];
}

/**
 * The lower envelope of affine candidates over [fromBytes, toBytes): the fastest at each size, as
 * segments. Candidates are few (≤ 3); the crossing points are exact.
 */
function envelope(cands: readonly AllReduceSegment[], fromBytes: number, toBytes: number): AllReduceSegment[] {
  const out: AllReduceSegment[] = [];
  let at = fromBytes;
  while (at < toBytes) {
    // The fastest at `at` (ties: the shallower slope, which stays fastest longer).
    let best = cands[0];
    if (best === undefined) break;
    for (const c of cands) {
      const tc = c.latencyMs + at * c.msPerByte;
      const tb = best.latencyMs + at * best.msPerByte;
      if (tc < tb - 1e-15 || (Math.abs(tc - tb) <= 1e-15 && c.msPerByte < best.msPerByte)) best = c;
    }
    // Where a candidate with a shallower slope overtakes it.
    let next = toBytes;
    for (const c of cands) {
      if (c.msPerByte >= best.msPerByte) continue;
      const cross = (c.latencyMs - best.latencyMs) / (best.msPerByte - c.msPerByte);
      if (cross > at && cross < next) next = cross;
    }
    out.push({ ...best, maxBytes: next });
    at = next;
  }
  return out;
}

/**
 * How a TP group of `ranks` GPUs all-reduces a message of each size under this engine (the
 * engine's custom kernels for small and mid messages, NCCL above, as each engine's source picks):
 * - vLLM: one-shot / two-shot by vllmOneShotMaxBytes up to the custom ceiling; on Hopper/Blackwell
 *   torch symmetric memory next (multimem at ≥ 4 ranks, vLLM symm_mem.py _WORLD_SIZES_MULTIMEM
 *   "9.0": [4, 6, 8]; two-shot at 2), then NCCL (cuda_communicator.py all_reduce: custom, symm-mem, pynccl).
 * - SGLang: vLLM's custom kernel and thresholds with the 8 MiB ceiling (python/sglang/srt/distributed/
 *   device_communicators/custom_all_reduce.py; symmetric memory only with --enable-torch-symm-mem), then NCCL.
 * - TensorRT-LLM: one-shot / two-shot by trtllmOneShotMaxBytes up to its workspace, then NCCL.
 * Without the custom kernel (PCIe GPUs, more than one node, an unsupported world size, disabled),
 * NCCL at every size.
 * Fixed costs: each barrier of the custom kernels costs INTRA_NODE_COLLECTIVE.customStageLatencyMs
 * (one-shot one, two-shot and multimem two); NCCL's as ncclCandidates.
 */
export function allReducePlan(
  gpu: Pick<GpuSpec, 'generation' | 'interconnect' | 'network'>,
  ranks: number,
  engine: ServingEngine,
  opts: AllReduceOptions = {},
): AllReducePlan {
  if (ranks <= 1) return { ranks, segments: [] };
  // Plans are pure in (GPU, ranks, engine, option, the two fitted latencies): a recommendation asks
  // for the same few hundreds of times (one per replica model), ~18 µs each to build.
  const key = `${ranks}|${engine}|${opts.disableCustomAllReduce === true ? 1 : 0}|${INTRA_NODE_COLLECTIVE.baseLatencyMs}|${INTRA_NODE_COLLECTIVE.customStageLatencyMs}`;
  let byKey = planCache.get(gpu);
  if (byKey === undefined) {
    byKey = new Map();
    planCache.set(gpu, byKey);
  }
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;
  const plan = buildAllReducePlan(gpu, ranks, engine, opts);
  byKey.set(key, plan);
  return plan;
}

const planCache = new WeakMap<object, Map<string, AllReducePlan>>();

function buildAllReducePlan(
  gpu: Pick<GpuSpec, 'generation' | 'interconnect' | 'network'>,
  ranks: number,
  engine: ServingEngine,
  opts: AllReduceOptions,
): AllReducePlan {
  const nccl = ncclCandidates(gpu, ranks);
  if (!customAllReduceRuns(gpu, ranks, opts)) return { ranks, segments: envelope(nccl, 0, Infinity) };
  const bw = gpu.interconnect.bytesPerS * LINK_BANDWIDTH_FRACTION;
  const stage = INTRA_NODE_COLLECTIVE.customStageLatencyMs;
  const oneShot = (maxBytes: number): AllReduceSegment => seg('one-shot', maxBytes, stage, ranks - 1, bw);
  const twoShot = (maxBytes: number): AllReduceSegment => seg('two-shot', maxBytes, 2 * stage, (2 * (ranks - 1)) / ranks, bw);
  const segments: AllReduceSegment[] = [];
  const pushCustom = (oneShotMax: number, customMax: number): void => {
    if (oneShotMax > 0) segments.push(oneShot(Math.min(oneShotMax, customMax)));
    if (customMax > oneShotMax) segments.push(twoShot(customMax));
  };
  let ncclFrom: number;
  if (engine === 'trtllm') {
    const max = trtllmWorkspaceBytes(ranks);
    pushCustom(trtllmOneShotMaxBytes(gpu, ranks), max);
    ncclFrom = max;
  } else {
    const symm = engine === 'vllm' && gpu.interconnect.kind === 'nvlink' && (gpu.generation === 'hopper' || gpu.generation === 'blackwell') ? gpu.generation : null;
    const customMax = symm === null ? VLLM_CUSTOM_MAX_BYTES : Math.min(VLLM_CUSTOM_MAX_BYTES, VLLM_SYMM_CUSTOM_MAX_BYTES[symm][ranks] ?? VLLM_CUSTOM_MAX_BYTES);
    pushCustom(vllmOneShotMaxBytes(ranks), customMax);
    ncclFrom = customMax;
    if (symm !== null) {
      const symmMax = VLLM_SYMM_MEM_MAX_BYTES[symm][ranks] ?? customMax;
      if (symmMax > customMax) {
        segments.push(ranks >= 4 ? seg('multimem', symmMax, 2 * stage, nvlsWireBytesPerByte(ranks), bw) : twoShot(symmMax));
        ncclFrom = symmMax;
      }
    }
  }
  segments.push(...envelope(nccl, ncclFrom, Infinity));
  return { ranks, segments: nonDecreasing(segments) };
}

/**
 * Raises each segment's latency so that time never drops where the engine switches algorithm: a
 * larger message could always be sent the smaller one's way (padded), and a step model whose
 * time falls as tokens are added would make a solver prefer bigger batches for no reason. At vLLM's
 * one-shot → two-shot switch at 8 ranks the two-shot kernel is the faster one by ~4 µs − one barrier;
 * the engine's switch point is where it stops being slower, so this costs at most that at the switch.
 */
function nonDecreasing(segments: readonly AllReduceSegment[]): AllReduceSegment[] {
  const out: AllReduceSegment[] = [];
  let prevEndMs = 0;
  let prevMaxBytes = 0;
  for (const s of segments) {
    const latencyMs = Math.max(s.latencyMs, prevEndMs - prevMaxBytes * s.msPerByte);
    out.push(latencyMs === s.latencyMs ? s : { ...s, latencyMs });
    if (Number.isFinite(s.maxBytes)) {
      prevEndMs = latencyMs + s.maxBytes * s.msPerByte;
      prevMaxBytes = s.maxBytes;
    }
  }
  return out;
}

/** The plan's segment for a message of `bytes` (the first whose maxBytes is above it). */
export function allReduceSegmentFor(plan: AllReducePlan, bytes: number): AllReduceSegment | undefined {
  for (const s of plan.segments) if (bytes < s.maxBytes) return s;
  return plan.segments[plan.segments.length - 1];
}

/** Time of one all-reduce of `bytes` under the plan, ms (0 for one rank). */
export function allReduceTimeMs(plan: AllReducePlan, bytes: number): number {
  const s = allReduceSegmentFor(plan, bytes);
  return s === undefined ? 0 : s.latencyMs + bytes * s.msPerByte;
}
