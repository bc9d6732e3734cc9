import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/arch/parseConfig';
import { parseConfigJson } from '../../src/engine/arch/parseConfigJson';
import type { ModelArch } from '../../src/engine/types';
import { precisionClassOf } from './precisionClass';

function fixture(dir: string, quantizationConfig?: unknown): ModelArch {
  const json = parseConfigJson(readFileSync(`fixtures/hf/${dir}/config.json`, 'utf8'));
  if (!json.ok) throw new Error('fixture does not parse');
  const hq = `fixtures/hf/${dir}/hf_quant_config.json`;
  const raw: unknown = quantizationConfig === undefined ? json.value : { ...(json.value as object), quantization_config: quantizationConfig };
  const r = parseConfig(raw, { modelId: dir, hfQuantConfig: existsSync(hq) ? (JSON.parse(readFileSync(hq, 'utf8')) as unknown) : undefined });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('precisionClassOf', () => {
  const llama = fixture('meta-llama__Llama-3.1-8B');

  it('reads a 16-bit checkpoint as its dtype, or as the dtype the source names (TensorRT-LLM says FP16)', () => {
    expect(precisionClassOf('auto', llama, 'bf16')).toBe('bf16');
    expect(precisionClassOf('auto', llama, '')).toBe('bf16');
    expect(precisionClassOf('auto', llama, 'fp16')).toBe('fp16');
  });

  it('reads a runtime precision on a 16-bit config as the checkpoint format the engine assumes for it', () => {
    // quantization.ts effectiveQuantization: fp8 → per-channel W8A8, fp4 → NVFP4, int4 → AWQ W4A16, int8 → W8A8.
    expect(precisionClassOf('fp8', llama, 'fp8')).toBe('fp8');
    expect(precisionClassOf('fp4', llama, 'fp4')).toBe('nvfp4');
    expect(precisionClassOf('int4', llama, '')).toBe('w4a16');
    expect(precisionClassOf('int8', llama, '')).toBe('int8');
  });

  it('tells block-scaled FP8 (DeepSeek-R1, 128×128 blocks) from MXFP4 experts (gpt-oss)', () => {
    expect(precisionClassOf('auto', fixture('deepseek-ai__DeepSeek-R1'), 'fp8 (block-scaled, native)')).toBe('fp8-block');
    expect(precisionClassOf('auto', fixture('openai__gpt-oss-20b'), 'mxfp4')).toBe('mxfp4');
    // fp4 asked of an MXFP4 checkpoint keeps the checkpoint's format.
    expect(precisionClassOf('fp4', fixture('openai__gpt-oss-20b'), 'fp4')).toBe('mxfp4');
  });

  it('reads a weight-only AWQ checkpoint as w4a16', () => {
    const awq = fixture('meta-llama__Llama-3.1-8B', { quant_method: 'awq', bits: 4, group_size: 128, zero_point: true, version: 'gemm' });
    expect(precisionClassOf('auto', awq, '')).toBe('w4a16');
  });
});
