/**
 * Multimodal wrappers (Gemma 3/4, Mistral-Small-3.x, Llama 4, Qwen3-VL, Qwen3.5, Kimi-K2.5): the
 * language model lives in `text_config` (InternVL: `llm_config`), the vision tower in
 * `vision_config`. The vision tower's weights are ESTIMATED from its shapes (a ViT block is
 * q/k/v/o 4·h² plus an MLP of 2 or 3 h·inter matrices), plus patch embedding, position embedding
 * and the merger/projector into the text hidden size.
 */
import { type Cfg, cfgOf, isRecord, optArray, optInt, optRecord, optStr } from './fields';

export interface Unwrapped {
  /** The language model's config (text_config, or the root for text-only models). */
  text: Cfg;
  /** The root config. */
  root: Cfg;
  wrapped: boolean;
}

export function unwrapTextConfig(root: Record<string, unknown>): Unwrapped {
  const rootCfg = cfgOf(root);
  for (const key of ['text_config', 'llm_config', 'language_config']) {
    const inner = root[key];
    if (isRecord(inner) && Object.keys(inner).length > 0) return { text: cfgOf(inner, `${key}.`), root: rootCfg, wrapped: true };
  }
  return { text: rootCfg, root: rootCfg, wrapped: false };
}

export interface VisionEstimate {
  params: number;
  note: string | null;
}

/** RGB input when vision_config does not say (HF SiglipVisionConfig num_channels default). */
const DEFAULT_IN_CHANNELS = 3;
/** HF CLIP/SigLIP default patch size when vision_config omits it. */
const DEFAULT_PATCH_SIZE = 14;

export function estimateVisionParams(root: Cfg, textHiddenSize: number): VisionEstimate {
  const vc = optRecord(root, 'vision_config');
  if (!vc) return { params: 0, note: null };
  const v = cfgOf(vc, 'vision_config.');
  const depth = optInt(v, ['depth', 'num_hidden_layers', 'vt_num_hidden_layers', 'num_layers']);
  const h = optInt(v, ['hidden_size', 'vt_hidden_size', 'embed_dim', 'width']);
  const inter = optInt(v, ['intermediate_size', 'vt_intermediate_size']);
  if (depth === undefined || h === undefined || inter === undefined) {
    return { params: 0, note: 'A vision tower is present but vision_config lacks depth / hidden / intermediate sizes: not counted.' };
  }
  const act = optStr(v, ['hidden_act', 'hidden_activation']) ?? 'gelu';
  const mlpMatrices = act === 'silu' ? 3 : 2; // SwiGLU towers (Pixtral, Qwen2.5-VL) vs GELU MLP (SigLIP, Qwen3-VL)
  // q, k, v, o with biases + MLP + two norms (weight + bias).
  const block = 4 * h * h + 4 * h + mlpMatrices * h * inter + inter + h + 4 * h;
  const patch = optInt(v, 'patch_size') ?? DEFAULT_PATCH_SIZE;
  const channels = optInt(v, ['in_channels', 'num_channels']) ?? DEFAULT_IN_CHANNELS;
  const temporal = optInt(v, 'temporal_patch_size') ?? 1;
  const patchEmbed = channels * patch * patch * temporal * h + h;
  const imageSize = optInt(v, 'image_size');
  const positions = optInt(v, ['num_position_embeddings', 'position_embedding_size']) ?? (imageSize ? (imageSize / patch) ** 2 : 0);
  const posEmbed = positions * h;
  const mergeList = optArray(v, 'merge_kernel_size');
  const mergeFromList = mergeList?.reduce<number>((a, x) => a * (typeof x === 'number' ? x : 1), 1);
  const mergeSide = optInt(v, 'spatial_merge_size');
  const merged = mergeFromList ?? (mergeSide ? mergeSide * mergeSide : 1);
  const out = optInt(v, ['out_hidden_size', 'text_hidden_size', 'projector_output_dim', 'output_dim']) ?? textHiddenSize;
  // Merger: LayerNorm, fc1 (h·m → h·m), fc2 (h·m → out) when patches are merged; else one linear.
  const projector = merged > 1 ? (h * merged) ** 2 + h * merged * out + 2 * h * merged + out : h * out + out;
  const deepstack = optArray(v, 'deepstack_visual_indexes')?.length ?? 0; // Qwen3-VL: one merger per deepstack layer
  const params = depth * block + patchEmbed + posEmbed + projector * (1 + deepstack);
  return {
    params,
    note: `Vision tower ${Math.round(params / 1e6)}M params is an estimate from vision_config shapes (${depth} blocks × hidden ${h}, MLP ${inter}, ${mlpMatrices} matrices; patch embed; merger).`,
  };
}
