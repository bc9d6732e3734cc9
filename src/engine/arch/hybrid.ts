/**
 * Which token mixer each layer has: full / sliding / chunked attention, Gated DeltaNet, Mamba, or
 * none (Nemotron-H MLP-only blocks). Hybrid and interleaved patterns come from the fields below,
 * in this order of precedence (the first one present decides):
 *   hybrid_override_pattern  Nemotron-H: one char per layer, M = Mamba-2, * = attention, - = MLP, E = MoE
 *   layer_types              transformers ≥ 4.53 (Gemma 2/3/4, gpt-oss, Qwen3.5, Granite-4.0-H, …)
 *   layers_block_type        Jamba / Granite hybrids (older configs)
 *   attn_layer_period/offset Jamba: attention where i % period == offset
 *   full_attention_interval  Qwen3-Next: full attention where (i + 1) % interval == 0, DeltaNet elsewhere
 *   gemma2 model type        sliding on even layers (HF Gemma2Attention: `not bool(layer_idx % 2)`)
 *   sliding_window_pattern   Gemma 3: sliding unless (i + 1) % pattern == 0
 *   attention_chunk_size     Llama 4: chunked local attention on RoPE layers, global on NoPE layers
 *   use_sliding_window       Qwen2/3: false = no window at all; true = sliding from max_window_layers on
 *   sliding_window           Mistral / Phi-3: every layer slides
 */
import { type Cfg, has, invalid, MAX_TOKENS_INT, optBool, optInt, optIntArray, optStr, optStrArray } from './fields';

export type MixerSlot = 'full' | 'sliding' | 'chunked' | 'linear' | 'mamba' | 'none';
export type FfnSlot = 'dense' | 'moe' | 'none';

export interface LayerSlot {
  mixer: MixerSlot;
  /** Set only when the pattern fixes the FFN (Nemotron-H); else decided by moe.ts. */
  ffn?: FfnSlot;
}

export interface LayerPattern {
  slots: LayerSlot[];
  /** Window of sliding layers, chunk of chunked layers (tokens); null when no layer uses one. */
  windowTokens: number | null;
  notes: string[];
}

const LAYER_TYPE_SLOTS: Record<string, MixerSlot> = {
  full_attention: 'full',
  attention: 'full',
  sliding_attention: 'sliding',
  chunked_attention: 'chunked',
  linear_attention: 'linear',
  mamba: 'mamba',
  mamba2: 'mamba',
};

const NEMOTRON_PATTERN: Record<string, LayerSlot> = {
  M: { mixer: 'mamba', ffn: 'none' },
  '*': { mixer: 'full', ffn: 'none' },
  '-': { mixer: 'none', ffn: 'dense' },
  E: { mixer: 'none', ffn: 'moe' },
};

/** HF Llama4TextConfig default `no_rope_layer_interval` (every 4th layer is NoPE, global). */
const LLAMA4_NOPE_INTERVAL_DEFAULT = 4;

export function layerPattern(cfg: Cfg, modelType: string, numLayers: number): LayerPattern {
  const notes: string[] = [];
  const range = (f: (i: number) => LayerSlot): LayerSlot[] => Array.from({ length: numLayers }, (_, i) => f(i));
  const lengthCheck = (field: string, n: number) => {
    if (n !== numLayers) invalid(cfg, field, n, `has ${n} entries but num_hidden_layers is ${numLayers}`);
  };
  const window = optInt(cfg, ['sliding_window', 'sliding_window_size'], 1, MAX_TOKENS_INT) ?? null;
  const needWindow = (slots: LayerSlot[], field: string): LayerPattern => {
    const usesWindow = slots.some((s) => s.mixer === 'sliding');
    if (usesWindow && window === null) return invalid(cfg, 'sliding_window', null, `${field} has sliding layers but no sliding_window`);
    return { slots, windowTokens: usesWindow ? window : null, notes };
  };

  const pattern = optStr(cfg, 'hybrid_override_pattern');
  if (pattern !== undefined) {
    lengthCheck('hybrid_override_pattern', pattern.length);
    const slots = [...pattern].map((ch, i) => NEMOTRON_PATTERN[ch] ?? invalid(cfg, `hybrid_override_pattern[${i}]`, ch, 'expected one of M * - E'));
    return { slots, windowTokens: null, notes };
  }

  const types = optStrArray(cfg, 'layer_types') ?? optStrArray(cfg, 'layers_block_type');
  if (types) {
    const field = has(cfg, 'layer_types') ? 'layer_types' : 'layers_block_type';
    lengthCheck(field, types.length);
    const slots = types.map((ty, i) => {
      const slot = LAYER_TYPE_SLOTS[ty];
      return slot ? { mixer: slot } : invalid(cfg, `${field}[${i}]`, ty, 'unknown layer type');
    });
    if (slots.some((s) => s.mixer === 'chunked')) {
      const chunk = optInt(cfg, 'attention_chunk_size', 1, MAX_TOKENS_INT) ?? invalid(cfg, 'attention_chunk_size', null, 'chunked layers need attention_chunk_size');
      return { slots, windowTokens: chunk, notes };
    }
    return needWindow(slots, field);
  }

  const attnPeriod = optInt(cfg, 'attn_layer_period');
  if (attnPeriod !== undefined) {
    const offset = optInt(cfg, 'attn_layer_offset', 0) ?? 0;
    if (offset >= attnPeriod) invalid(cfg, 'attn_layer_offset', offset, 'must be < attn_layer_period');
    return { slots: range((i) => ({ mixer: i % attnPeriod === offset ? 'full' : 'mamba' })), windowTokens: null, notes };
  }

  const interval = optInt(cfg, 'full_attention_interval');
  if (interval !== undefined) {
    return { slots: range((i) => ({ mixer: (i + 1) % interval === 0 ? 'full' : 'linear' })), windowTokens: null, notes };
  }

  if (modelType === 'gemma2' || modelType === 'gemma2_text') {
    return needWindow(range((i) => ({ mixer: i % 2 === 0 ? 'sliding' : 'full' })), 'gemma2 (sliding on even layers)');
  }

  const swPattern = optInt(cfg, 'sliding_window_pattern');
  if (swPattern !== undefined && window !== null) {
    return needWindow(range((i) => ({ mixer: (i + 1) % swPattern === 0 ? 'full' : 'sliding' })), 'sliding_window_pattern');
  }

  const chunk = optInt(cfg, 'attention_chunk_size', 1, MAX_TOKENS_INT);
  if (chunk !== undefined) {
    const nope = optIntArray(cfg, 'no_rope_layers');
    // HF Llama4TextConfig: no_rope_layers[i] = 1 means the layer uses RoPE (and chunked attention in vLLM
    // llama4.py `use_chunked_local_attn = not self.nope`), 0 = NoPE global layer.
    const ropeAt = (i: number) =>
      nope && nope.length > 0 ? (nope[i] ?? invalid(cfg, 'no_rope_layers', nope.length, `needs ${numLayers} entries`)) !== 0 : (i + 1) % LLAMA4_NOPE_INTERVAL_DEFAULT !== 0;
    if (nope && nope.length > 0) lengthCheck('no_rope_layers', nope.length);
    notes.push(`Chunked local attention (chunk ${chunk} tokens) is treated as a window of ${chunk} tokens for the KV cache.`);
    return { slots: range((i) => ({ mixer: ropeAt(i) ? 'chunked' : 'full' })), windowTokens: chunk, notes };
  }

  const useSliding = optBool(cfg, 'use_sliding_window');
  if (useSliding === false) {
    if (window !== null) notes.push(`use_sliding_window is false: sliding_window ${window} ignored (full attention on every layer).`);
    return { slots: range(() => ({ mixer: 'full' })), windowTokens: null, notes };
  }
  if (useSliding === true && window !== null) {
    // transformers Qwen2Config.layer_types: sliding from max_window_layers on.
    const from = optInt(cfg, 'max_window_layers', 0) ?? 0;
    return needWindow(range((i) => ({ mixer: i >= from ? 'sliding' : 'full' })), 'use_sliding_window');
  }
  if (window !== null) return needWindow(range(() => ({ mixer: 'sliding' })), 'sliding_window');
  return { slots: range(() => ({ mixer: 'full' })), windowTokens: null, notes };
}
