/**
 * config.json (already JSON-parsed, `unknown`) → ModelArch. Reads the language model's fields
 * (text_config for multimodal wrappers), builds one LayerSpec per layer (hybrid.ts → attention.ts,
 * moe.ts), counts parameters from the weight shapes (params.ts), reads the quantization
 * (quantization.ts) and, when the Hub's safetensors counts are given, takes the total from them.
 */
import { err, ok } from '../result';
import type { ConfigError, Dtype, LayerSpec, ModelArch, Result, SafetensorsParamCounts } from '../types';
import { buildMixers } from './attention';
import { type Cfg, ConfigFault, has, isRecord, MAX_LAYERS, MAX_TOKENS_INT, optBool, optInt, optStr, reqInt } from './fields';
import { layerPattern } from './hybrid';
import { buildFfns } from './moe';
import { estimateVisionParams, unwrapTextConfig } from './multimodal';
import { mtpLayerParams, paramBreakdown } from './params';
import { parseQuantization } from './quantization';

export interface ParseConfigOptions {
  modelId: string;
  safetensors?: SafetensorsParamCounts;
  hfQuantConfig?: unknown;
}

/** model_type values whose field conventions this parser knows; others parse as a generic Llama-like decoder. */
export const KNOWN_MODEL_TYPES = [
  'llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'qwen3', 'qwen3_moe', 'qwen3_next', 'qwen3_5', 'qwen3_5_text',
  'qwen3_5_moe', 'qwen3_5_moe_text', 'qwen3_vl', 'qwen3_vl_text', 'qwen3_vl_moe', 'qwen3_vl_moe_text', 'phi', 'phi3', 'granite',
  'granitemoe', 'granitemoeshared', 'granitemoehybrid', 'gemma', 'gemma2', 'gemma3', 'gemma3_text', 'gemma4', 'gemma4_text',
  'deepseek_v2', 'deepseek_v3', 'deepseek_v32', 'kimi_k2', 'kimi_k25', 'gpt_oss', 'llama4', 'llama4_text', 'minimax_m2',
  'glm4_moe', 'glm_moe_dsa', 'nemotron_h', 'jamba', 'mistral3', 'pixtral',
] as const;

const DTYPE_NAMES: Record<string, Dtype> = {
  bfloat16: 'bf16',
  float16: 'fp16',
  half: 'fp16',
  float32: 'fp32',
  float: 'fp32',
};

/** Families that add pre/post-feedforward norms around each block (HF Gemma2DecoderLayer: 4 RMSNorms). */
const SANDWICH_NORM_PREFIXES = ['gemma2', 'gemma3', 'gemma4'];
/** Families whose transformers config class defaults `tie_word_embeddings` to true (GemmaConfig …). */
const TIED_BY_DEFAULT_PREFIXES = ['gemma', 'granite'];

/**
 * Config classes whose published config.json files rely on class defaults for shape fields
 * (Gemma 3's text_config omits vocab_size and the sliding pattern). Filled only when absent, and
 * each filled field is named in `assumptions`.
 */
const CLASS_DEFAULTS: Record<string, { source: string; values: Record<string, number> }> = {
  gemma3_text: {
    source: 'transformers Gemma3TextConfig defaults',
    values: { vocab_size: 262_208, max_position_embeddings: 131_072, sliding_window: 4096, sliding_window_pattern: 6, head_dim: 256 },
  },
};

function withClassDefaults(text: Cfg, modelType: string, assumptions: string[]): Cfg {
  const defaults = CLASS_DEFAULTS[modelType];
  if (!defaults) return text;
  const filled = Object.entries(defaults.values).filter(([k]) => text.obj[k] === undefined);
  if (filled.length === 0) return text;
  assumptions.push(`${filled.map(([k, v]) => `${k} = ${v}`).join(', ')} from ${defaults.source} (absent in config.json).`);
  return { obj: { ...text.obj, ...Object.fromEntries(filled) }, prefix: text.prefix };
}

export function parseConfig(raw: unknown, opts: ParseConfigOptions): Result<ModelArch, ConfigError> {
  try {
    return ok(parseOrThrow(raw, opts));
  } catch (e) {
    if (e instanceof ConfigFault) return err(e.error);
    throw e;
  }
}

function architectureName(root: Record<string, unknown>): string {
  const archs = root.architectures;
  if (Array.isArray(archs) && typeof archs[0] === 'string') return archs[0];
  return typeof root.model_type === 'string' ? root.model_type : 'unknown';
}

function parseOrThrow(raw: unknown, opts: ParseConfigOptions): ModelArch {
  if (!isRecord(raw)) throw new ConfigFault({ kind: 'unsupported-architecture', architecture: 'not a JSON object' });
  const architecture = architectureName(raw);
  const unwrapped = unwrapTextConfig(raw);
  const { root, wrapped } = unwrapped;
  const assumptions: string[] = [];
  const rootType = optStr(root, 'model_type') ?? 'unknown';
  const modelType = optStr(unwrapped.text, 'model_type') ?? rootType;
  const text = withClassDefaults(unwrapped.text, modelType, assumptions);

  if (optBool(root, 'is_encoder_decoder') === true) throw new ConfigFault({ kind: 'unsupported-architecture', architecture });
  const usable = has(text, ['hidden_size', 'd_model', 'n_embd']) || has(text, ['num_hidden_layers', 'n_layer', 'num_layers']);
  if (!usable) throw new ConfigFault({ kind: 'unsupported-architecture', architecture });
  if (!(KNOWN_MODEL_TYPES as readonly string[]).includes(modelType) && !(KNOWN_MODEL_TYPES as readonly string[]).includes(rootType)) {
    assumptions.push(`Unknown model_type "${modelType}": parsed as a generic decoder from the standard Llama-like fields.`);
  }

  const hiddenSize = reqInt(text, ['hidden_size', 'd_model', 'n_embd']);
  const numLayers = reqInt(text, ['num_hidden_layers', 'n_layer', 'num_layers'], 1, MAX_LAYERS);
  const vocabSize = optInt(text, ['vocab_size', 'padded_vocab_size']) ?? reqInt(root, 'vocab_size');
  const maxPositionTokens = optInt(text, ['max_position_embeddings', 'n_positions', 'seq_length', 'max_sequence_length'], 1, MAX_TOKENS_INT) ?? reqInt(root, 'max_position_embeddings', 1, MAX_TOKENS_INT);

  const pattern = layerPattern(text, modelType, numLayers);
  assumptions.push(...pattern.notes);
  const mixers = buildMixers(text, modelType, hiddenSize, pattern);
  const ffns = buildFfns(text, modelType, pattern.slots);
  const layers: LayerSpec[] = mixers.map((mixer, i) => {
    const ffn = ffns[i];
    if (!ffn) throw new Error('ffn per layer missing'); // invariant: same length as slots
    return { mixer, ffn };
  });

  const tiedEmbeddings = tiedEmbeddingsOf(text, root, modelType, assumptions);
  const checkpointDtype = dtypeOf(text, root, assumptions);

  const sandwich = SANDWICH_NORM_PREFIXES.some((p) => modelType.startsWith(p)) ? 2 : 1;
  const normsPerLayer = layers.map((l) => sandwich * ((l.mixer.kind === 'none' ? 0 : 1) + (l.ffn.kind === 'none' ? 0 : 1)));
  // Gemma 3n / 4 per-layer input embeddings: vocab_size_per_layer_input × layers × hidden_size_per_layer_input.
  const perLayerInput = optInt(text, 'hidden_size_per_layer_input', 0) ?? 0;
  const extraEmbeddingParams = perLayerInput > 0 ? (optInt(text, 'vocab_size_per_layer_input') ?? vocabSize) * numLayers * perLayerInput : 0;

  const vision = estimateVisionParams(root, hiddenSize);
  if (vision.note) assumptions.push(vision.note);
  if (wrapped && vision.params === 0 && !vision.note) assumptions.push('Multimodal wrapper without vision_config: only the language model is counted.');

  const params = paramBreakdown({ hiddenSize, vocabSize, tiedEmbeddings, layers, normsPerLayer, extraEmbeddingParams, visionParams: vision.params });

  // Multi-token prediction layers (not in total; vLLM loads them only for speculative decoding).
  const mtpLayers =
    optInt(text, 'num_nextn_predict_layers', 0) ??
    optInt(text, 'mtp_num_hidden_layers', 0) ??
    (optBool(text, 'use_mtp') === true ? (optInt(text, 'num_mtp_modules', 0) ?? 0) : 0);
  const lastLayer = layers[layers.length - 1];
  // DeepSeek-format MTP modules store their own embed_tokens and shared_head.head (vLLM deepseek_mtp.py);
  // Qwen3.5 shares them unless mtp_use_dedicated_embeddings.
  const mtpStoresEmbeddings = has(text, 'num_nextn_predict_layers') || optBool(text, 'mtp_use_dedicated_embeddings') === true;
  params.mtp = mtpLayers > 0 && lastLayer ? mtpLayers * mtpLayerParams(lastLayer, hiddenSize, vocabSize, mtpStoresEmbeddings) : 0;

  const quantConfig = text.obj.quantization_config ?? root.obj.quantization_config;
  const quant = parseQuantization({ quantizationConfig: quantConfig, hfQuantConfig: opts.hfQuantConfig, checkpointDtype, layers, hiddenSize });
  assumptions.push(...quant.assumptions);
  if (params.vision > 0 && quant.info.method !== 'none') assumptions.push('Vision tower counted at 16 bits (quantizers usually skip it).');

  const arch: ModelArch = {
    modelId: opts.modelId,
    modelType,
    architecture,
    hiddenSize,
    vocabSize,
    numLayers,
    layers,
    tiedEmbeddings,
    maxPositionTokens,
    checkpointDtype,
    quantization: quant.info,
    params,
    paramSource: 'config',
    mtpLayers,
    assumptions,
  };
  if (opts.safetensors) applySafetensors(arch, opts.safetensors, assumptions);
  return arch;
}

function tiedEmbeddingsOf(text: Cfg, root: Cfg, modelType: string, assumptions: string[]): boolean {
  const explicit = optBool(text, 'tie_word_embeddings') ?? optBool(root, 'tie_word_embeddings');
  if (explicit !== undefined) return explicit;
  const byDefault = TIED_BY_DEFAULT_PREFIXES.some((p) => modelType.startsWith(p));
  assumptions.push(`tie_word_embeddings absent: ${byDefault ? 'tied' : 'not tied'} (the ${modelType} config class default).`);
  return byDefault;
}

function dtypeOf(text: Cfg, root: Cfg, assumptions: string[]): Dtype {
  const name = optStr(text, ['torch_dtype', 'dtype']) ?? optStr(root, ['torch_dtype', 'dtype']);
  if (name === undefined) {
    assumptions.push('torch_dtype absent: 16-bit weights assumed (bf16).');
    return 'bf16';
  }
  const d = DTYPE_NAMES[name.replace(/^torch\./, '')];
  if (!d) {
    assumptions.push(`torch_dtype "${name}" not recognised: bf16 assumed.`);
    return 'bf16';
  }
  if (d === 'fp32') assumptions.push('FP32 checkpoint: vLLM serves it in 16-bit (dtype auto); weights counted at 2 bytes.');
  return d;
}

/** Relative tolerance when deciding that a tied checkpoint also stores lm_head (the difference is exactly vocab × hidden). */
const STORED_LM_HEAD_TOLERANCE = 0.002;

/**
 * Total from the Hub's per-dtype safetensors counts. The breakdown stays config arithmetic (NOT
 * scaled). Packed 4-bit formats store 2 or 8 weights per element, so their counts are not
 * parameter counts: the config total is kept. MTP layers (counted separately) and an lm_head a tied
 * checkpoint stores anyway (vLLM does not load it) are taken out.
 */
function applySafetensors(arch: ModelArch, counts: SafetensorsParamCounts, assumptions: string[]): void {
  arch.safetensorsParams = counts;
  let stored = 0;
  for (const n of Object.values(counts)) if (typeof n === 'number' && Number.isFinite(n) && n > 0) stored += n;
  if (stored <= 0) return;
  const q = arch.quantization;
  if (q.method !== 'none' && q.weightBits < 8) {
    assumptions.push('Hub safetensors counts hold packed 4-bit elements, not parameters: total from config arithmetic.');
    return;
  }
  const configTotal = arch.params.total;
  let total = stored - (arch.params.mtp ?? 0);
  const headElements = arch.vocabSize * arch.hiddenSize;
  if (arch.tiedEmbeddings && Math.abs(total - headElements - configTotal) < STORED_LM_HEAD_TOLERANCE * configTotal) {
    total -= headElements;
    assumptions.push('Checkpoint stores lm_head although embeddings are tied; vLLM does not load it: excluded from the total.');
  }
  arch.params.total = total;
  arch.paramSource = 'safetensors';
  const diffPct = ((total - configTotal) / configTotal) * 100;
  assumptions.push(
    `Total from Hub safetensors (${stored.toLocaleString('en-US')} stored elements${arch.params.mtp ? ', minus MTP layers' : ''}); the per-component breakdown is config arithmetic, not scaled (differs by ${diffPct.toFixed(2)} %).`,
  );
}
