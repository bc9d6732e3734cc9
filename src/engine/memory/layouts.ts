/**
 * Which parallel layouts vLLM accepts for a model, and which layers a pipeline stage holds.
 */
import type { Layout, ModelArch } from '../types';

/** Largest TP degree the planner enumerates (one 8-GPU node; multi-node TP is rare for serving). */
export const MAX_TP_ENUMERATED = 8;

/** Why a TP degree is rejected, or null when vLLM accepts it. */
export function tpRejection(arch: ModelArch, tp: number): string | null {
  if (!Number.isInteger(tp) || tp < 1) return `TP must be a positive integer (got ${tp})`;
  // An indexed loop: entries() made a [index, layer] pair per layer, per TP size, per GPU of a recommendation.
  for (let index = 0; index < arch.layers.length; index += 1) {
    const m = arch.layers[index]?.mixer;
    if (m === undefined) continue;
    switch (m.kind) {
      case 'attention':
        // vllm/config/model.py verify_with_parallel_config: "Total number of attention heads must be
        // divisible by tensor parallel size".
        if (m.numHeads % tp !== 0) return `layer ${index}: ${m.numHeads} attention heads are not divisible by TP=${tp}`;
        // vllm/model_executor/layers/linear.py QKVParallelLinear: KV heads are split when
        // tp ≤ kv heads (kv % tp == 0) and replicated when tp > kv heads (tp % kv == 0).
        if (tp <= m.numKvHeads ? m.numKvHeads % tp !== 0 : tp % m.numKvHeads !== 0)
          return `layer ${index}: ${m.numKvHeads} KV heads cannot be split or replicated evenly over TP=${tp}`;
        break;
      case 'mla':
        if (m.numHeads % tp !== 0) return `layer ${index}: ${m.numHeads} MLA heads are not divisible by TP=${tp}`;
        break;
      case 'mamba':
        // vllm/model_executor/layers/mamba/mamba_mixer2.py: "Tensor parallel world size must divide num heads."
        if (m.numHeads % tp !== 0) return `layer ${index}: ${m.numHeads} Mamba heads are not divisible by TP=${tp}`;
        break;
      case 'linear-attention':
        // Gated DeltaNet shards key and value heads (vllm/model_executor/models/qwen3_next.py).
        if (m.numKeyHeads % tp !== 0 || m.numValueHeads % tp !== 0)
          return `layer ${index}: ${m.numKeyHeads}/${m.numValueHeads} DeltaNet key/value heads are not divisible by TP=${tp}`;
        break;
      case 'none':
        break;
      default: {
        const _exhaustive: never = m;
        return _exhaustive;
      }
    }
  }
  return null;
}

/** TP degrees 1, 2, 4, … up to maxTp that vLLM accepts for this model (powers of two, as GPUs come in). */
export function validTpSizes(arch: ModelArch, maxTp: number = MAX_TP_ENUMERATED): number[] {
  const sizes: number[] = [];
  for (let tp = 1; tp <= maxTp; tp *= 2) if (tpRejection(arch, tp) === null) sizes.push(tp);
  return sizes;
}

/** Every stage needs at least one decoder layer (vllm/distributed/utils.py get_pp_indices). */
export function maxPipelineParallel(arch: ModelArch): number {
  return Math.max(1, arch.numLayers);
}

/**
 * Layers [start, end) held by pipeline rank `ppRank`, as vllm/distributed/utils.py get_pp_indices
 * splits them without VLLM_PP_LAYER_PARTITION: floor(layers / pp) each, the remainder added one by
 * one to the stages before the last (partitions[-2], partitions[-3], …), so the first and last
 * stages, which also hold the embedding and lm_head, stay lighter.
 */
export function ppLayerRange(numLayers: number, pp: number, ppRank: number): { start: number; end: number } {
  const base = Math.floor(numLayers / pp);
  const partitions = new Array<number>(pp).fill(base);
  const remaining = numLayers % pp;
  for (let i = 2; i < remaining + 2; i += 1) {
    const index = pp - i;
    partitions[index] = (partitions[index] ?? base) + 1;
  }
  let start = 0;
  for (let r = 0; r < ppRank; r += 1) start += partitions[r] ?? 0;
  return { start, end: start + (partitions[ppRank] ?? 0) };
}

/** Why vLLM would reject this layout for the model, or null. */
export function layoutRejection(arch: ModelArch, layout: Layout): string | null {
  const tpWhy = tpRejection(arch, layout.tp);
  if (tpWhy !== null) return tpWhy;
  if (!Number.isInteger(layout.pp) || layout.pp < 1) return `PP must be a positive integer (got ${layout.pp})`;
  if (layout.pp > maxPipelineParallel(arch))
    return `PP=${layout.pp} exceeds the ${arch.numLayers} decoder layers (every stage needs one)`;
  if (!Number.isInteger(layout.dp) || layout.dp < 1) return `DP must be a positive integer (got ${layout.dp})`;
  return null;
}
