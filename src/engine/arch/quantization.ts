/**
 * `quantization_config` (config.json) and `hf_quant_config.json` (NVIDIA ModelOpt exports) →
 * QuantizationInfo, and the what-if precisions of `effectiveQuantization`.
 *
 * Which components stay 16-bit: every format here quantizes Linear layers only, so the input
 * embedding is never quantized (vLLM VocabParallelEmbedding takes no quant method except GGUF).
 * The MoE router stays 16-bit: vLLM builds the gates with quant_config=None (models/mixtral.py,
 * deepseek_v2.py `self.gate = ReplicatedLinear(..., quant_config=None)`), and every checkpoint we
 * know lists it in its ignore list anyway. lm_head stays 16-bit unless the config says it is
 * quantized (GPTQ `lm_head: true`). The vision tower is counted 16-bit (quantizers skip it in
 * practice; an assumption, surfaced to the user).
 */
import { err, ok } from '../result';
import type { Dtype, LayerSpec, ModelArch, QuantizationInfo, QuantizedComponent, Result, WeightPrecision } from '../types';
import { cfgOf, invalid, isRecord, optArray, optBool, optInt, optRecord, optStr, type Cfg } from './fields';
import { ffnTensors, mixerTensors, type WeightTensor } from './params';

/** Bytes of one FP8 block scale: DeepSeek-V3 `weight_scale_inv` is float32 (one per 128×128 block). */
const FP8_BLOCK_SCALE_BYTES = 4;
/** Bytes of one AWQ/GPTQ group scale (fp16) plus its packed 4-bit zero point (AutoAWQ qzeros, GPTQ qzeros). */
const INT4_GROUP_SCALE_AND_ZERO_BYTES = 2 + 0.5;
/** NVFP4: one fp8-e4m3 scale per 16 elements (NVIDIA ModelOpt NVFP4, `group_size: 16`). */
const NVFP4_GROUP_ELEMENTS = 16;
const NVFP4_SCALE_BYTES = 1;
/** MXFP4 (OCP MX spec v1.0): one e8m0 scale per 32 elements. */
const MXFP4_GROUP_ELEMENTS = 32;
const MXFP4_SCALE_BYTES = 1;
/** bitsandbytes 4-bit: blocksize 64, one fp32 absmax per block (bitsandbytes functional.quantize_4bit). */
const BNB4_BLOCK_ELEMENTS = 64;
const BNB4_ABSMAX_BYTES = 4;
/** The int4 what-if: AWQ/GPTQ w4a16 with the group size almost every published checkpoint uses. */
const INT4_WHATIF_GROUP_ELEMENTS = 128;

const ALWAYS_16BIT: readonly QuantizedComponent[] = ['embedding', 'router'];

export function noQuantization(checkpointDtype: Dtype): QuantizationInfo {
  const bits = checkpointDtype === 'fp32' ? 32 : 16;
  return {
    method: 'none',
    weightBits: bits,
    computeDtype: checkpointDtype === 'fp32' ? 'bf16' : checkpointDtype,
    groupSize: 0,
    scaleBytes: 0,
    unquantized: [],
    label: checkpointDtype === 'fp32' ? 'FP32 checkpoint' : `${checkpointDtype.toUpperCase()} (not quantized)`,
    runtime: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Which components an ignore / exclude list keeps 16-bit
// ---------------------------------------------------------------------------------------------

type Matcher = (moduleName: string) => boolean;

/** Python `re.match` semantics (anchored at the start) for compressed-tensors `re:` entries. */
const regexSource = (pattern: string): string => `^(?:${pattern})`;

/**
 * Plain names: a `*` glob (ModelOpt exclude_modules, gpt-oss modules_to_not_convert) matched on whole
 * dotted segments anywhere in the module name (HF `any(key in name for key in modules_to_not_convert)`).
 */
const globSource = (pattern: string): string =>
  `(^|\\.)${pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')}(\\.|$)`;

const compiles = (source: string): boolean => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

/** Whole dotted segments of `name` equal `literal` (a plain module name, no glob): string ops, no regex. */
const segmentMatch = (name: string, literal: string): boolean =>
  name === literal || name.startsWith(`${literal}.`) || name.endsWith(`.${literal}`) || name.includes(`.${literal}.`);

/** One matcher for a whole ignore list; regex entries JS cannot compile are skipped. Plain names
 *  use string comparison (GLM-5 lists 712 modules; a single regex alternation backtracks badly). */
function matcherOf(list: readonly unknown[] | undefined): Matcher {
  const entries = (list ?? []).filter((e): e is string => typeof e === 'string');
  const literals = entries.filter((e) => !e.startsWith('re:') && !e.includes('*'));
  const res = entries
    .filter((e) => e.startsWith('re:') || e.includes('*'))
    .map((e) => (e.startsWith('re:') ? regexSource(e.slice(3)) : globSource(e)))
    .filter(compiles)
    .map((x) => new RegExp(x));
  // Index plain names by their layer number so a module of layer i is compared with layer-i entries only.
  const layerOf = (n: string) => /(?:^|\.)layers\.(\d+)\./.exec(n)?.[1] ?? '';
  const byLayer = new Map<string, string[]>();
  for (const l of literals) {
    const key = layerOf(l);
    byLayer.set(key, [...(byLayer.get(key) ?? []), l]);
  }
  const anyLayer = byLayer.get('') ?? [];
  return (name) => {
    const own = byLayer.get(layerOf(name)) ?? [];
    return anyLayer.some((l) => segmentMatch(name, l)) || (layerOf(name) !== '' && own.some((l) => segmentMatch(name, l))) || res.some((re) => re.test(name));
  };
}

/** HF module names a weight tensor of layer `i` may carry in checkpoints (tried in turn). */
function moduleNames(i: number, tensorName: string): string[] {
  const base = tensorName.replace(/\.(weight|bias)$/, '');
  const L = `model.layers.${i}`;
  const m = /^(mlp|experts|shared_experts)\.(gate_up_proj|up_proj|down_proj)$/.exec(base);
  if (m) {
    const projs = m[2] === 'gate_up_proj' ? ['gate_proj', 'up_proj', 'gate_up_proj'] : [m[2] ?? ''];
    const prefixes =
      m[1] === 'mlp'
        ? [`${L}.mlp`]
        : m[1] === 'experts'
          ? [`${L}.mlp.experts.0`, `${L}.block_sparse_moe.experts.0`, `${L}.mlp.experts`]
          : [`${L}.mlp.shared_experts`, `${L}.mlp.shared_expert`];
    return prefixes.flatMap((p) => projs.map((proj) => `${p}.${proj}`));
  }
  if (base === 'gate') return [`${L}.mlp.gate`, `${L}.mlp.router`, `${L}.block_sparse_moe.gate`];
  if (base === 'shared_expert_gate') return [`${L}.mlp.shared_expert_gate`];
  return [`${L}.${base}`, `backbone.layers.${i}.${base}`];
}

/** Fraction of each component's elements (over all layers) whose module matches an exclude entry. */
function excludedFractions(matches: Matcher, layers: readonly LayerSpec[], hiddenSize: number): Partial<Record<QuantizedComponent, number>> {
  const totals: Partial<Record<QuantizedComponent, { all: number; excluded: number }>> = {};
  const add = (c: QuantizedComponent, i: number, ts: readonly WeightTensor[]) => {
    const acc = (totals[c] ??= { all: 0, excluded: 0 });
    for (const tensor of ts) {
      acc.all += tensor.elements;
      if (moduleNames(i, tensor.name).some(matches)) acc.excluded += tensor.elements;
    }
  };
  layers.forEach((layer, i) => {
    add('mixer', i, mixerTensors(layer.mixer, hiddenSize));
    const f = ffnTensors(layer.ffn, hiddenSize);
    add('denseFfn', i, f.dense);
    add('routedExperts', i, f.routedExperts);
    add('sharedExperts', i, f.sharedExperts);
    add('router', i, f.router);
  });
  const out: Partial<Record<QuantizedComponent, number>> = {};
  for (const [c, acc] of Object.entries(totals) as [QuantizedComponent, { all: number; excluded: number }][]) {
    if (acc.all > 0) out[c] = acc.excluded / acc.all;
  }
  const whole = (names: readonly string[]) => (names.some(matches) ? 1 : 0);
  out.embedding = whole(['model.embed_tokens', 'model.language_model.embed_tokens', 'backbone.embeddings']);
  out.lmHead = whole(['lm_head']);
  out.vision = whole(['visual', 'model.visual', 'vision_tower', 'vision_model', 'multi_modal_projector', 'model.vision_tower']);
  return out;
}

interface Exclusions {
  unquantized: QuantizedComponent[];
  unquantizedFraction: Partial<Record<QuantizedComponent, number>>;
}

/** Exclusion fractions at or above this count as the whole component (rounding of tiny norms). */
const WHOLE_COMPONENT_FRACTION = 0.999;
/** Below this, only norm/bias vectors matched (GLM-5 lists indexer k_norm): weight bytes unaffected. */
const NEGLIGIBLE_FRACTION = 0.001;

function exclusions(
  list: readonly unknown[] | undefined,
  layers: readonly LayerSpec[],
  hiddenSize: number,
  opts: { lmHeadQuantized?: boolean } = {},
): Exclusions {
  const fractions = excludedFractions(matcherOf(list), layers, hiddenSize);
  const unquantized = new Set<QuantizedComponent>(ALWAYS_16BIT);
  unquantized.add('vision');
  if (!opts.lmHeadQuantized) unquantized.add('lmHead');
  const unquantizedFraction: Partial<Record<QuantizedComponent, number>> = {};
  for (const [c, f] of Object.entries(fractions) as [QuantizedComponent, number][]) {
    if (f >= WHOLE_COMPONENT_FRACTION) unquantized.add(c);
    else if (f >= NEGLIGIBLE_FRACTION && !unquantized.has(c)) unquantizedFraction[c] = f;
  }
  return { unquantized: [...unquantized].sort(), unquantizedFraction };
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

export interface QuantizationInput {
  /** `quantization_config` as found (top level or text_config), or undefined. */
  quantizationConfig: unknown;
  /** The separate hf_quant_config.json (ModelOpt), or undefined. */
  hfQuantConfig: unknown;
  checkpointDtype: Dtype;
  layers: readonly LayerSpec[];
  hiddenSize: number;
}

export interface ParsedQuantization {
  info: QuantizationInfo;
  assumptions: string[];
}

function withExclusions(
  base: Omit<QuantizationInfo, 'unquantized' | 'unquantizedFraction'>,
  ex: Exclusions,
): QuantizationInfo {
  const info: QuantizationInfo = { ...base, unquantized: ex.unquantized };
  if (Object.keys(ex.unquantizedFraction).length > 0) info.unquantizedFraction = ex.unquantizedFraction;
  return info;
}

function fp8Info(cfg: Cfg, ex: Exclusions): QuantizationInfo {
  const block = optArray(cfg, 'weight_block_size');
  let groupSize = 0;
  let blockLabel = 'per-tensor';
  if (block) {
    const [a, b] = block;
    if (block.length !== 2 || typeof a !== 'number' || typeof b !== 'number' || !(a > 0) || !(b > 0) || !Number.isInteger(a) || !Number.isInteger(b)) {
      return invalid(cfg, 'weight_block_size', block, 'expected [rows, cols] of positive integers');
    }
    groupSize = a * b;
    blockLabel = `${a}×${b} blocks`;
  }
  const activation = optStr(cfg, 'activation_scheme') ?? 'dynamic';
  return withExclusions(
    {
      method: 'fp8',
      weightBits: 8,
      computeDtype: 'fp8',
      groupSize,
      scaleBytes: groupSize > 0 ? FP8_BLOCK_SCALE_BYTES : 0,
      label: `FP8 e4m3, ${blockLabel}, ${activation} activations`,
      runtime: false,
    },
    ex,
  );
}

/** compressed-tensors (llm-compressor): read the first config group's weights / input_activations. */
function compressedTensorsInfo(cfg: Cfg, checkpointDtype: Dtype, ex: Exclusions): QuantizationInfo {
  const groups = optRecord(cfg, 'config_groups');
  const format = optStr(cfg, 'format') ?? '';
  const first = groups ? Object.values(groups).find(isRecord) : undefined;
  if (!first) return invalid(cfg, 'config_groups', groups, 'no quantization scheme in config_groups');
  const g = cfgOf(first, `${cfg.prefix}config_groups.*.`);
  const w = optRecord(g, 'weights');
  if (!w) return invalid(g, 'weights', first.weights, 'expected the weight scheme');
  const wc = cfgOf(w, `${g.prefix}weights.`);
  const bits = optInt(wc, 'num_bits') ?? invalid(wc, 'num_bits', w.num_bits, 'required');
  const type = optStr(wc, 'type') ?? 'int';
  const strategy = optStr(wc, 'strategy') ?? 'tensor';
  const groupSize = strategy === 'group' || strategy === 'tensor_group' ? (optInt(wc, 'group_size') ?? invalid(wc, 'group_size', w.group_size, 'required for group strategy')) : 0;
  const symmetric = optBool(wc, 'symmetric') ?? true;
  const a = optRecord(g, 'input_activations');
  const aBits = a ? optInt(cfgOf(a, `${g.prefix}input_activations.`), 'num_bits') : undefined;
  const aType = a ? optStr(cfgOf(a, `${g.prefix}input_activations.`), 'type') : undefined;
  const isNvfp4 = type === 'float' && bits === 4;
  let computeDtype: Dtype;
  if (aBits === 8 && aType === 'float') computeDtype = 'fp8';
  else if (aBits === 8) computeDtype = 'int8';
  else if (aBits === 4 && aType === 'float') computeDtype = 'fp4';
  else computeDtype = checkpointDtype === 'fp32' ? 'bf16' : checkpointDtype;
  // Scales: NVFP4 fp8 scale per 16; int group scales bf16 (+ packed zero point when asymmetric);
  // per-channel / per-tensor scales are negligible (0).
  const scaleBytes = isNvfp4 ? NVFP4_SCALE_BYTES : groupSize > 0 ? 2 + (symmetric ? 0 : bits / 8) : 0;
  const scheme = isNvfp4
    ? `NVFP4 (group ${groupSize})`
    : `W${bits}A${aBits ?? 16} ${type === 'float' ? 'FP' : 'INT'}${bits}${groupSize > 0 ? `, group ${groupSize}` : `, per-${strategy}`}`;
  return withExclusions(
    {
      method: 'compressed-tensors',
      weightBits: bits,
      computeDtype,
      groupSize,
      scaleBytes,
      label: `compressed-tensors ${scheme}${format ? ` (${format})` : ''}`,
      runtime: false,
    },
    ex,
  );
}

function modeloptInfo(algo: string, groupSizeIn: number | undefined, ex: Exclusions, cfg: Cfg, field: string): QuantizationInfo {
  const a = algo.toUpperCase();
  if (a === 'FP8') {
    return withExclusions(
      { method: 'modelopt-fp8', weightBits: 8, computeDtype: 'fp8', groupSize: 0, scaleBytes: 0, label: 'FP8 e4m3 per-tensor (NVIDIA ModelOpt)', runtime: false },
      ex,
    );
  }
  if (a === 'NVFP4') {
    const groupSize = groupSizeIn ?? NVFP4_GROUP_ELEMENTS;
    return withExclusions(
      { method: 'nvfp4', weightBits: 4, computeDtype: 'fp4', groupSize, scaleBytes: NVFP4_SCALE_BYTES, label: `NVFP4, group ${groupSize} (NVIDIA ModelOpt)`, runtime: false },
      ex,
    );
  }
  return invalid(cfg, field, algo, 'unsupported ModelOpt quant_algo (expected FP8 or NVFP4)');
}

export function parseQuantization(input: QuantizationInput): ParsedQuantization {
  const { layers, hiddenSize, checkpointDtype } = input;
  const assumptions: string[] = [];
  // hf_quant_config.json (ModelOpt) wins: it is the file vLLM reads for ModelOpt checkpoints.
  if (input.hfQuantConfig !== undefined && input.hfQuantConfig !== null) {
    if (!isRecord(input.hfQuantConfig)) return invalid(cfgOf({}, 'hf_quant_config.'), 'quantization', input.hfQuantConfig, 'expected an object');
    const root = cfgOf(input.hfQuantConfig, 'hf_quant_config.');
    const q = optRecord(root, 'quantization');
    if (q) {
      const qc = cfgOf(q, 'hf_quant_config.quantization.');
      const algo = optStr(qc, 'quant_algo');
      if (algo) {
        const ex = exclusions(optArray(qc, 'exclude_modules'), layers, hiddenSize);
        return { info: modeloptInfo(algo, optInt(qc, 'group_size'), ex, qc, 'quant_algo'), assumptions };
      }
    }
  }
  const raw = input.quantizationConfig;
  if (raw === undefined || raw === null) return { info: noQuantization(checkpointDtype), assumptions };
  if (!isRecord(raw)) return invalid(cfgOf({}), 'quantization_config', raw, 'expected an object');
  const cfg = cfgOf(raw, 'quantization_config.');
  const method = (optStr(cfg, 'quant_method') ?? '').toLowerCase();
  const ignore = optArray(cfg, ['ignore', 'modules_to_not_convert', 'llm_int8_skip_modules']);
  switch (method) {
    case 'fp8':
      return { info: fp8Info(cfg, exclusions(ignore, layers, hiddenSize)), assumptions };
    case 'fbgemm_fp8':
      // Meta's FP8 checkpoints (Llama-3.1-405B-Instruct-FP8): FP8 e4m3 weights with one fp32 scale
      // per output channel, activations quantized per token at run time; modules_to_not_convert
      // (attention and the first/last layers' MLPs in Meta's) stay 16-bit. vLLM
      // vllm/model_executor/layers/quantization/fbgemm_fp8.py (FBGEMMFp8Config: ignore_list =
      // modules_to_not_convert; Marlin weight-only on GPUs without FP8).
      return {
        info: withExclusions(
          {
            method: 'fp8',
            weightBits: 8,
            computeDtype: 'fp8',
            groupSize: 0,
            scaleBytes: 0,
            label: 'FBGEMM FP8 e4m3, per-channel weights, dynamic per-token activations',
            runtime: false,
          },
          exclusions(ignore, layers, hiddenSize),
        ),
        assumptions,
      };
    case 'compressed-tensors':
      return { info: compressedTensorsInfo(cfg, checkpointDtype, exclusions(ignore, layers, hiddenSize)), assumptions };
    case 'awq':
    case 'gptq': {
      const bits = optInt(cfg, ['bits', 'w_bit']) ?? invalid(cfg, 'bits', raw.bits, 'required');
      const gs = optInt(cfg, ['group_size', 'q_group_size'], -1) ?? 128;
      const groupSize = gs <= 0 ? 0 : gs; // GPTQ group_size -1 = per output channel
      const lmHeadQuantized = optBool(cfg, 'lm_head') === true;
      const compute: Dtype = checkpointDtype === 'bf16' ? 'bf16' : 'fp16';
      return {
        info: withExclusions(
          {
            method,
            weightBits: bits,
            computeDtype: compute,
            groupSize,
            scaleBytes: groupSize > 0 ? 2 + bits / 8 : 0,
            label: `${method.toUpperCase()} W${bits}A16${groupSize > 0 ? `, group ${groupSize}` : ', per-channel'}`,
            runtime: false,
          },
          exclusions(ignore, layers, hiddenSize, { lmHeadQuantized }),
        ),
        assumptions,
      };
    }
    case 'mxfp4':
      // gpt-oss: MoE experts in MXFP4; on Hopper vLLM runs them weight-only with bf16 activations
      // (vllm/model_executor/layers/quantization/mxfp4.py), FP4 compute needs Blackwell.
      return {
        info: withExclusions(
          {
            method: 'mxfp4',
            weightBits: 4,
            computeDtype: 'bf16',
            groupSize: MXFP4_GROUP_ELEMENTS,
            scaleBytes: MXFP4_SCALE_BYTES,
            label: 'MXFP4 (e2m1, e8m0 scale per 32)',
            runtime: false,
          },
          exclusions(ignore, layers, hiddenSize),
        ),
        assumptions,
      };
    case 'modelopt':
    case 'modelopt_fp4': {
      const algo = optStr(cfg, 'quant_algo') ?? (method === 'modelopt_fp4' ? 'NVFP4' : invalid(cfg, 'quant_algo', raw.quant_algo, 'required'));
      const ex = exclusions(optArray(cfg, ['exclude_modules', 'ignore']) ?? ignore, layers, hiddenSize);
      return { info: modeloptInfo(algo, optInt(cfg, 'group_size'), ex, cfg, 'quant_algo'), assumptions };
    }
    case 'bitsandbytes': {
      const four = optBool(cfg, 'load_in_4bit') === true;
      const eight = optBool(cfg, 'load_in_8bit') === true;
      if (!four && !eight) return invalid(cfg, 'load_in_4bit', raw.load_in_4bit, 'neither load_in_4bit nor load_in_8bit is true');
      const ex = exclusions(ignore, layers, hiddenSize);
      if (four) {
        const kind = optStr(cfg, 'bnb_4bit_quant_type') ?? 'fp4';
        const computeRaw = optStr(cfg, 'bnb_4bit_compute_dtype') ?? 'bfloat16';
        return {
          info: withExclusions(
            {
              method: 'bitsandbytes',
              weightBits: 4,
              computeDtype: computeRaw.includes('float16') && !computeRaw.includes('bfloat16') ? 'fp16' : 'bf16',
              groupSize: BNB4_BLOCK_ELEMENTS,
              scaleBytes: BNB4_ABSMAX_BYTES,
              label: `bitsandbytes 4-bit ${kind}`,
              runtime: false,
            },
            ex,
          ),
          assumptions,
        };
      }
      // LLM.int8(): int8 weights with one fp16/fp32 scale per row (negligible).
      return {
        info: withExclusions(
          { method: 'bitsandbytes', weightBits: 8, computeDtype: 'int8', groupSize: 0, scaleBytes: 0, label: 'bitsandbytes 8-bit (LLM.int8)', runtime: false },
          ex,
        ),
        assumptions,
      };
    }
    default:
      return invalid(cfg, 'quant_method', raw.quant_method, 'unsupported quantization method');
  }
}

// ---------------------------------------------------------------------------------------------
// Scale tensors
// ---------------------------------------------------------------------------------------------

/** Parameters of the quantized components (before scales), from the arch's breakdown. */
export function quantizedParams(arch: Pick<ModelArch, 'params'>, q: QuantizationInfo): number {
  if (q.method === 'none') return 0;
  const p = arch.params;
  const parts: Record<QuantizedComponent, number> = {
    embedding: p.embedding,
    lmHead: p.lmHead,
    mixer: p.mixer,
    denseFfn: p.denseFfn,
    routedExperts: p.routedExperts,
    sharedExperts: p.sharedExperts,
    router: p.router,
    vision: p.vision,
  };
  let n = 0;
  for (const [c, v] of Object.entries(parts) as [QuantizedComponent, number][]) {
    if (q.unquantized.includes(c)) continue;
    n += v * (1 - (q.unquantizedFraction?.[c] ?? 0));
  }
  return n;
}

/** Number of scale elements the checkpoint stores for grouped formats (0 for per-tensor / per-channel). */
export function scaleElements(arch: Pick<ModelArch, 'params'>, q: QuantizationInfo): number {
  return q.groupSize > 0 ? quantizedParams(arch, q) / q.groupSize : 0;
}

// ---------------------------------------------------------------------------------------------
// What-if precisions (api.md)
// ---------------------------------------------------------------------------------------------

const HYPOTHETICAL_UNQUANTIZED: readonly QuantizedComponent[] = ['embedding', 'lmHead', 'router', 'vision'];

const is16Bit = (q: QuantizationInfo) => q.method === 'none';

export function effectiveQuantization(
  arch: ModelArch,
  precision: WeightPrecision,
): Result<QuantizationInfo, { kind: 'precision-unsupported'; detail: string }> {
  const q = arch.quantization;
  const compute16: Dtype = arch.checkpointDtype === 'fp16' ? 'fp16' : 'bf16';
  switch (precision) {
    case 'auto':
      return ok(q);
    case 'bf16':
      if (is16Bit(q)) return ok({ ...q, computeDtype: compute16 });
      return err({ kind: 'precision-unsupported', detail: `The checkpoint is already quantized (${q.label}); vLLM cannot load it back at 16 bits.` });
    case 'fp8':
      if (q.weightBits === 8 && q.computeDtype === 'fp8') return ok(q);
      if (is16Bit(q)) {
        // vLLM `--quantization fp8` on a 16-bit checkpoint: Fp8LinearMethod quantizes each Linear
        // (and Fp8MoEMethod each expert) at load time, per-tensor weight scales, dynamic per-token
        // activation scales; embeddings and lm_head stay 16-bit (vllm/.../quantization/fp8.py).
        return ok({
          method: 'fp8',
          weightBits: 8,
          computeDtype: 'fp8',
          groupSize: 0,
          scaleBytes: 0,
          unquantized: [...HYPOTHETICAL_UNQUANTIZED],
          label: 'FP8 e4m3 W8A8, quantized at load time (--quantization fp8)',
          runtime: true,
        });
      }
      return ok(hypothetical('fp8', q, compute16));
    case 'int8':
      if (q.weightBits === 8 && q.computeDtype === 'int8') return ok(q);
      return ok(hypothetical('int8', q, compute16));
    case 'int4':
      if (q.weightBits === 4 && q.computeDtype !== 'fp4' && q.method !== 'mxfp4' && q.method !== 'nvfp4') return ok(q);
      return ok(hypothetical('int4', q, compute16));
    case 'fp4':
      if (q.method === 'nvfp4' || q.method === 'mxfp4' || (q.weightBits === 4 && q.computeDtype === 'fp4')) return ok(q);
      return ok(hypothetical('fp4', q, compute16));
    default: {
      const _: never = precision;
      return _;
    }
  }
}

/** A pre-quantized checkpoint of that format, as published checkpoints of it are usually made. */
function hypothetical(kind: 'fp8' | 'int8' | 'int4' | 'fp4', current: QuantizationInfo, compute16: Dtype): QuantizationInfo {
  const from = current.method === 'none' ? '' : ` (instead of ${current.label})`;
  const base = { unquantized: [...HYPOTHETICAL_UNQUANTIZED], runtime: false };
  switch (kind) {
    case 'fp8':
      return { ...base, method: 'fp8', weightBits: 8, computeDtype: 'fp8', groupSize: 0, scaleBytes: 0, label: `Hypothetical FP8 W8A8 per-channel checkpoint${from}` };
    case 'int8':
      return { ...base, method: 'compressed-tensors', weightBits: 8, computeDtype: 'int8', groupSize: 0, scaleBytes: 0, label: `Hypothetical INT8 W8A8 checkpoint${from}` };
    case 'int4':
      return {
        ...base,
        method: 'awq',
        weightBits: 4,
        computeDtype: compute16,
        groupSize: INT4_WHATIF_GROUP_ELEMENTS,
        scaleBytes: INT4_GROUP_SCALE_AND_ZERO_BYTES,
        label: `Hypothetical AWQ/GPTQ W4A16 group ${INT4_WHATIF_GROUP_ELEMENTS} checkpoint${from}`,
      };
    case 'fp4':
      return {
        ...base,
        method: 'nvfp4',
        weightBits: 4,
        computeDtype: 'fp4',
        groupSize: NVFP4_GROUP_ELEMENTS,
        scaleBytes: NVFP4_SCALE_BYTES,
        label: `Hypothetical NVFP4 group ${NVFP4_GROUP_ELEMENTS} checkpoint${from}`,
      };
  }
}
