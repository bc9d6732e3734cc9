import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelArch } from '../types';
import { parseConfig } from './parseConfig';
import { parseConfigJson } from './parseConfigJson';
import { effectiveQuantization, quantizedParams, scaleElements } from './quantization';

function fixture(dir: string): ModelArch {
  const json = parseConfigJson(readFileSync(`fixtures/hf/${dir}/config.json`, 'utf8'));
  if (!json.ok) throw new Error('fixture does not parse');
  const hq = `fixtures/hf/${dir}/hf_quant_config.json`;
  const r = parseConfig(json.value, { modelId: dir, hfQuantConfig: existsSync(hq) ? (JSON.parse(readFileSync(hq, 'utf8')) as unknown) : undefined });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** Llama-3.1-8B shapes with a given quantization_config (the RedHatAI / TheBloke-style checkpoints publish exactly these blocks). */
function llamaWith(quantization_config: unknown): ModelArch {
  const json = parseConfigJson(readFileSync('fixtures/hf/meta-llama__Llama-3.1-8B-Instruct/config.json', 'utf8'));
  if (!json.ok) throw new Error('fixture does not parse');
  const r = parseConfig({ ...(json.value as object), quantization_config }, { modelId: 'test' });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('parseQuantization from real checkpoints', () => {
  it('fbgemm_fp8 (Meta\'s FP8 Llama-3.1 recipe): per-channel FP8, attention and the listed first/last MLPs kept 16-bit', () => {
    // The shape of meta-llama/Llama-3.1-405B-Instruct-FP8's quantization_config, on 8B's 32 layers:
    // every self_attn projection, layer 0's and the last layer's MLP, and lm_head not converted.
    // The bug this guards: fbgemm_fp8 was rejected as an unknown method (CLI exit 1).
    const keep = [
      ...Array.from({ length: 32 }, (_, i) => ['q_proj', 'k_proj', 'v_proj', 'o_proj'].map((m) => `model.layers.${i}.self_attn.${m}`)).flat(),
      ...[0, 31].flatMap((i) => ['gate_proj', 'up_proj', 'down_proj'].map((m) => `model.layers.${i}.mlp.${m}`)),
      'lm_head',
    ];
    const a = llamaWith({ quant_method: 'fbgemm_fp8', activation_scale_ub: 1200.0, modules_to_not_convert: keep });
    const q = a.quantization;
    expect(q).toMatchObject({ method: 'fp8', weightBits: 8, computeDtype: 'fp8', groupSize: 0, runtime: false });
    expect(q.unquantized).toEqual(expect.arrayContaining(['mixer', 'lmHead']));
    // 2 of 32 layers' MLPs stay 16-bit.
    expect(q.unquantizedFraction?.denseFfn).toBeCloseTo(2 / 32, 6);
  });

  it('fp8 block-wise 128×128 (DeepSeek-V3): 8-bit, fp8 compute, fp32 scale per 16384 elements', () => {
    const q = fixture('deepseek-ai__DeepSeek-V3').quantization;
    expect(q).toMatchObject({ method: 'fp8', weightBits: 8, computeDtype: 'fp8', groupSize: 128 * 128, scaleBytes: 4, runtime: false });
    expect(q.unquantized).toEqual(expect.arrayContaining(['embedding', 'lmHead', 'router']));
    expect(q.unquantized).not.toContain('routedExperts');
  });

  it('fp8 modules_to_not_convert (Qwen3-30B-A3B-FP8 lists lm_head, mlp.gate, norms)', () => {
    const q = fixture('Qwen__Qwen3-30B-A3B-FP8').quantization;
    expect(q.unquantized).toEqual(expect.arrayContaining(['lmHead', 'router']));
    expect(q.unquantized).not.toContain('mixer');
    expect(q.unquantizedFraction).toBeUndefined();
  });

  it('ModelOpt FP8 from hf_quant_config.json (nvidia/Llama-3.1-70B-Instruct-FP8): per-tensor, lm_head excluded', () => {
    const q = fixture('nvidia__Llama-3.1-70B-Instruct-FP8').quantization;
    expect(q).toMatchObject({ method: 'modelopt-fp8', weightBits: 8, computeDtype: 'fp8', groupSize: 0 });
    expect(q.unquantized).toContain('lmHead');
  });

  it('ModelOpt NVFP4 (DeepSeek-V3.1-NVFP4): group 16, fp8 scales; q/kv projections excluded but o_proj quantized', () => {
    const a = fixture('nvidia__DeepSeek-V3.1-NVFP4');
    const q = a.quantization;
    expect(q).toMatchObject({ method: 'nvfp4', weightBits: 4, computeDtype: 'fp4', groupSize: 16, scaleBytes: 1 });
    // o_proj 16384·7168 of 187,107,328 per layer stays quantized: 1 − 117,440,512 / 187,107,328 = 0.3723 excluded
    expect(q.unquantizedFraction?.mixer).toBeCloseTo(1 - 117_440_512 / 187_107_328, 4); // ± the two latent layernorms
    expect(q.unquantized).not.toContain('mixer');
  });

  it('mxfp4 (gpt-oss): experts 4-bit, attention/router/embeddings/lm_head 16-bit from modules_to_not_convert', () => {
    const a = fixture('openai__gpt-oss-120b');
    expect(a.quantization).toMatchObject({ method: 'mxfp4', weightBits: 4, groupSize: 32, scaleBytes: 1 });
    expect(a.quantization.unquantized).toEqual(expect.arrayContaining(['mixer', 'router', 'embedding', 'lmHead']));
    expect(quantizedParams(a, a.quantization)).toBe(a.params.routedExperts);
    // 114.66B expert params / 32 = 3.58B e8m0 scales: the Hub's 120.41B = 116.83B + 3.58B
    expect(scaleElements(a, a.quantization) / 1e9).toBeCloseTo(3.583, 2);
  });

  it('compressed-tensors W4A16 int4 group 32 with regex ignores (Kimi-K2.5): only routed experts quantized', () => {
    const q = fixture('moonshotai__Kimi-K2.5').quantization;
    expect(q).toMatchObject({ method: 'compressed-tensors', weightBits: 4, computeDtype: 'bf16', groupSize: 32, scaleBytes: 2 });
    expect(q.unquantized).toEqual(expect.arrayContaining(['mixer', 'sharedExperts', 'denseFfn', 'lmHead']));
    expect(q.unquantized).not.toContain('routedExperts');
  });
});

describe('parseQuantization formats (published quantization_config blocks)', () => {
  it('compressed-tensors FP8 dynamic (RedHatAI …-FP8-dynamic): per-channel weights, fp8 compute', () => {
    const q = llamaWith({
      config_groups: { group_0: { input_activations: { dynamic: true, num_bits: 8, strategy: 'token', symmetric: true, type: 'float' }, targets: ['Linear'], weights: { dynamic: false, num_bits: 8, strategy: 'channel', symmetric: true, type: 'float' } } },
      format: 'float-quantized', ignore: ['lm_head'], quant_method: 'compressed-tensors', quantization_status: 'compressed',
    }).quantization;
    expect(q).toMatchObject({ method: 'compressed-tensors', weightBits: 8, computeDtype: 'fp8', groupSize: 0 });
    expect(q.unquantized).toContain('lmHead');
  });

  it('compressed-tensors INT8 W8A8 (RedHatAI …-quantized.w8a8): int8 compute', () => {
    const q = llamaWith({
      config_groups: { group_0: { input_activations: { dynamic: true, num_bits: 8, strategy: 'token', symmetric: true, type: 'int' }, targets: ['Linear'], weights: { num_bits: 8, strategy: 'channel', symmetric: true, type: 'int' } } },
      format: 'int-quantized', ignore: ['lm_head'], quant_method: 'compressed-tensors',
    }).quantization;
    expect(q).toMatchObject({ weightBits: 8, computeDtype: 'int8', groupSize: 0 });
  });

  it('compressed-tensors W4A16 group 128 (RedHatAI …-quantized.w4a16)', () => {
    const q = llamaWith({
      config_groups: { group_0: { input_activations: null, targets: ['Linear'], weights: { group_size: 128, num_bits: 4, strategy: 'group', symmetric: true, type: 'int' } } },
      format: 'pack-quantized', ignore: ['lm_head'], quant_method: 'compressed-tensors',
    }).quantization;
    expect(q).toMatchObject({ weightBits: 4, computeDtype: 'bf16', groupSize: 128, scaleBytes: 2 });
  });

  it('compressed-tensors NVFP4 (nvfp4-pack-quantized): fp4 compute, group 16, 1-byte scales', () => {
    const q = llamaWith({
      config_groups: { group_0: { input_activations: { dynamic: 'local', group_size: 16, num_bits: 4, strategy: 'tensor_group', type: 'float' }, targets: ['Linear'], weights: { group_size: 16, num_bits: 4, strategy: 'tensor_group', symmetric: true, type: 'float' } } },
      format: 'nvfp4-pack-quantized', ignore: ['lm_head'], quant_method: 'compressed-tensors',
    }).quantization;
    expect(q).toMatchObject({ method: 'compressed-tensors', weightBits: 4, computeDtype: 'fp4', groupSize: 16, scaleBytes: 1 });
  });

  it('AWQ (AutoAWQ gemm): 4 bits, group 128, fp16 scale + packed zero', () => {
    const q = llamaWith({ bits: 4, group_size: 128, modules_to_not_convert: null, quant_method: 'awq', version: 'gemm', zero_point: true }).quantization;
    expect(q).toMatchObject({ method: 'awq', weightBits: 4, groupSize: 128, scaleBytes: 2.5, computeDtype: 'bf16' });
    expect(q.unquantized).toEqual(expect.arrayContaining(['embedding', 'lmHead']));
  });

  it('GPTQ: group_size -1 means per-channel; lm_head: true quantizes the head', () => {
    const q = llamaWith({ bits: 8, damp_percent: 0.01, desc_act: false, group_size: -1, quant_method: 'gptq', sym: true, lm_head: true }).quantization;
    expect(q).toMatchObject({ method: 'gptq', weightBits: 8, groupSize: 0 });
    expect(q.unquantized).not.toContain('lmHead');
  });

  it('bitsandbytes 4-bit nf4 and 8-bit', () => {
    const four = llamaWith({ _load_in_4bit: true, bnb_4bit_compute_dtype: 'bfloat16', bnb_4bit_quant_type: 'nf4', bnb_4bit_use_double_quant: true, load_in_4bit: true, load_in_8bit: false, quant_method: 'bitsandbytes' }).quantization;
    expect(four).toMatchObject({ method: 'bitsandbytes', weightBits: 4, groupSize: 64, label: 'bitsandbytes 4-bit nf4' });
    const eight = llamaWith({ load_in_4bit: false, load_in_8bit: true, quant_method: 'bitsandbytes' }).quantization;
    expect(eight).toMatchObject({ weightBits: 8, computeDtype: 'int8' });
  });

  it('an unknown quant_method is an invalid-value error naming the field', () => {
    const json = parseConfigJson(readFileSync('fixtures/hf/meta-llama__Llama-3.1-8B/config.json', 'utf8'));
    if (!json.ok) throw new Error('fixture');
    const r = parseConfig({ ...(json.value as object), quantization_config: { quant_method: 'hqq' } }, { modelId: 't' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-value', field: 'quantization_config.quant_method' } });
  });
});

describe('effectiveQuantization', () => {
  const llama = fixture('meta-llama__Llama-3.1-8B');
  const dsv3 = fixture('deepseek-ai__DeepSeek-V3');

  it("'auto' is the checkpoint as is", () => {
    expect(effectiveQuantization(dsv3, 'auto')).toEqual({ ok: true, value: dsv3.quantization });
  });

  it("'fp8' on a 16-bit checkpoint is vLLM --quantization fp8 at load time (runtime), lm_head and embeddings 16-bit", () => {
    const r = effectiveQuantization(llama, 'fp8');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ method: 'fp8', weightBits: 8, computeDtype: 'fp8', runtime: true });
    expect(r.value.unquantized).toEqual(expect.arrayContaining(['embedding', 'lmHead']));
  });

  it("'fp8' on an FP8 checkpoint keeps it", () => {
    expect(effectiveQuantization(dsv3, 'fp8')).toEqual({ ok: true, value: dsv3.quantization });
  });

  it("'bf16' on a quantized checkpoint is unsupported", () => {
    expect(effectiveQuantization(dsv3, 'bf16')).toMatchObject({ ok: false, error: { kind: 'precision-unsupported' } });
    expect(effectiveQuantization(llama, 'bf16')).toMatchObject({ ok: true, value: { method: 'none', weightBits: 16 } });
  });

  it('int4 / fp4 / int8 what-ifs are hypothetical pre-quantized checkpoints', () => {
    expect(effectiveQuantization(llama, 'int4')).toMatchObject({ ok: true, value: { method: 'awq', weightBits: 4, groupSize: 128, runtime: false } });
    expect(effectiveQuantization(llama, 'fp4')).toMatchObject({ ok: true, value: { method: 'nvfp4', weightBits: 4, groupSize: 16, computeDtype: 'fp4' } });
    expect(effectiveQuantization(llama, 'int8')).toMatchObject({ ok: true, value: { weightBits: 8, computeDtype: 'int8' } });
    const oss = fixture('openai__gpt-oss-120b');
    expect(effectiveQuantization(oss, 'fp4')).toEqual({ ok: true, value: oss.quantization });
  });
});
