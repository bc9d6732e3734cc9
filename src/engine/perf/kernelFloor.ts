/**
 * The kernels of a decoder layer and their floor (issue 11: DeepSeek-R1's small-batch decode and the
 * out-of-set 16 × H100 check came out ~40–50 % too fast).
 *
 * A decode step replays a CUDA graph of every layer's kernels: norms, projections, rotary embedding,
 * the KV-cache write, the attention kernel, the activation, MoE routing and grouped GEMMs. At a small
 * batch most of them move a few KB to a few MB, but each still occupies the GPU for a minimum time
 * (calibration.ts KERNEL_FLOOR: the graph node's launch, the grid's ramp-up and tail). A step therefore
 * takes at least kernels × floor, whatever its bytes and FLOPs: the third limb of the roofline
 * (perf/step.ts). It binds for models with many layers, many kernels per layer and thin per-rank shards
 * at small batch — DeepSeek-R1 (61 layers, MLA plus routing: ~1,400 kernels per step) at TP 8–16 —
 * and not for a dense model on a few GPUs, whose weight read is longer than its kernels' floors.
 * TensorRT-LLM's DeepSeek-R1 min-latency work on 8 × B200 (67 → 368 tokens/s at batch 1) came largely
 * from fusing such kernels and overlapping their launches (NVIDIA TensorRT-LLM tech blog 1, "Pushing
 * Latency Boundaries: Optimizing DeepSeek-R1 Performance on NVIDIA B200 GPUs").
 *
 * Counts per layer (APPROXIMATION: counted from vLLM's modules at CUDA-graph decode, not profiled):
 * calibration.ts KERNELS_PER_LAYER.
 */
import type { ModelArch } from '../types';
import { KERNEL_FLOOR, KERNELS_PER_LAYER } from '../calibration';

type Layer = ModelArch['layers'][number];

/** Kernels one decoder layer launches per step (GEMMs included, all-reduces not). */
export function kernelsOfLayer(layer: Layer): number {
  const k = KERNELS_PER_LAYER;
  let n = 0;
  switch (layer.mixer.kind) {
    case 'attention':
      n += k.attention;
      break;
    case 'mla':
      n += k.mla;
      break;
    case 'mamba':
    case 'linear-attention':
      n += k.stateMixer;
      break;
    case 'none':
      break;
    default: {
      const _: never = layer.mixer;
      return _;
    }
  }
  switch (layer.ffn.kind) {
    case 'dense':
      n += k.denseFfn;
      break;
    case 'moe':
      n += k.moe + (layer.ffn.sharedIntermediateSize > 0 ? k.sharedExperts : 0);
      break;
    case 'none':
      break;
    default: {
      const _: never = layer.ffn;
      return _;
    }
  }
  return n;
}

/** The least time a step of `kernels` kernels takes at the floor per kernel (calibration.ts KERNEL_FLOOR, assumed). */
export function kernelFloorMs(kernels: number): number {
  return Math.max(0, kernels) * KERNEL_FLOOR.msPerKernel;
}
