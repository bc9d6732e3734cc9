import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../arch/parseConfig';
import { parseConfigJson } from '../arch/parseConfigJson';
import type { ModelArch } from '../types';
import { GiB } from '../units';
import { mxfp4ExpertLayerBytes, mxfp4MoeBackend } from './mxfp4Experts';
import { planMemory } from './planMemory';
import { testGpu, testServing } from '../testArchs';

// gpt-oss-20b (fixtures/hf/openai__gpt-oss-20b): 32 experts, hidden 2880, expert intermediate 2880, biases.
const GPT_OSS_20B_LAYER = { numExperts: 32, hiddenSize: 2880, intermediateSizePerRank: 2880, bias: true } as const;

function loadArch(path: string, modelId: string): ModelArch {
  const json = parseConfigJson(readFileSync(path, 'utf8'));
  if (!json.ok) throw new Error(`fixture ${path} does not parse`);
  const arch = parseConfig(json.value, { modelId });
  if (!arch.ok) throw new Error(`fixture ${path}: ${JSON.stringify(arch.error)}`);
  return arch.value;
}

describe('mxfp4MoeBackend', () => {
  it('follows vLLM get_mxfp4_backend defaults: Triton on Hopper, Marlin on Ampere/Ada, FlashInfer on Blackwell', () => {
    expect(mxfp4MoeBackend('hopper')).toBe('triton-hopper');
    expect(mxfp4MoeBackend('ampere')).toBe('marlin');
    expect(mxfp4MoeBackend('ada')).toBe('marlin');
    expect(mxfp4MoeBackend('blackwell')).toBe('flashinfer-sm100');
    expect(mxfp4MoeBackend('cdna3')).toBe('rocm-triton');
  });
});

describe('mxfp4ExpertLayerBytes', () => {
  it('Hopper Triton pads swizzled values to 64 and scales to 256 rows, and keeps the loaded scales (gpt-oss-20b, TP1)', () => {
    // Hand calculation per expert: w13 values 5760 × ceil64(1440) = 5760 × 1472 = 8,478,720 B;
    // w2 values 2880 × 1472 = 4,239,360 B; swizzled scales ceil256(5760) × 90 + ceil256(2880) × 90
    // = 5888 × 90 + 3072 × 90 = 806,400 B → × 32 experts = 432,783,360 B. Loaded scales kept:
    // 32 × (5760 × 90 + 2880 × 90) = 24,883,200 B. fp32 biases 32 × (5760 + 2880) × 4 = 1,105,920 B.
    expect(mxfp4ExpertLayerBytes({ ...GPT_OSS_20B_LAYER, generation: 'hopper' })).toBe(432_783_360 + 24_883_200 + 1_105_920);
  });

  it('Hopper Triton pads the per-rank intermediate size to 64 in create_weights (gpt-oss-20b, TP2: 1440 → 1472)', () => {
    // w13 values 2944 × 1472, w2 values 2880 × ceil64(736) = 2880 × 768; swizzled scales 3072 × 90 + 3072 × 46;
    // loaded scales 2944 × 90 + 2880 × 46; fp32 biases (2944 + 2880) × 4; all × 32 experts.
    const perExpert = 2944 * 1472 + 2880 * 768 + 3072 * 90 + 3072 * 46 + 2944 * 90 + 2880 * 46 + (2944 + 2880) * 4;
    expect(mxfp4ExpertLayerBytes({ ...GPT_OSS_20B_LAYER, intermediateSizePerRank: 1440, generation: 'hopper' })).toBe(32 * perExpert);
  });

  it('Marlin pads the intermediate size to 128 and hidden to 256, bf16 biases (gpt-oss-20b on A100)', () => {
    // I 2880 → 2944, H 2880 → 3072: values (5888 × 3072 + 3072 × 2944) / 2, scales 5888 × 96 + 3072 × 92,
    // biases (5888 + 3072) × 2 B; × 32 experts = 434,110,464 + 27,131,904 + 573,440.
    expect(mxfp4ExpertLayerBytes({ ...GPT_OSS_20B_LAYER, generation: 'ampere' })).toBe(434_110_464 + 27_131_904 + 573_440);
  });

  it('gpt-oss-20b weights match vLLM 0.19 "Model loading took" on H100 (13.64 GiB TP1, 7.01 GiB TP2) and A100 (13.72 GiB)', () => {
    // Truth CSV: llm-d-planner PR#205 v0.19.0 H100 rows; myoceane.fr A100 blog (v0.19.0).
    const arch = loadArch('fixtures/hf/openai__gpt-oss-20b/config.json', 'openai/gpt-oss-20b');
    const w = (tp: number, generation: 'hopper' | 'ampere'): number =>
      planMemory(arch, testGpu(79.19, generation), { tp, pp: 1, dp: 1, ep: false }, testServing()).weightsBytesPerGpu / GiB;
    expect(Math.abs(w(1, 'hopper') / 13.64 - 1)).toBeLessThan(0.01);
    expect(Math.abs(w(2, 'hopper') / 7.01 - 1)).toBeLessThan(0.01);
    expect(Math.abs(w(1, 'ampere') / 13.72 - 1)).toBeLessThan(0.01);
  });
});

describe('phi weights (arch fix: fc1/fc2 MLP with biases)', () => {
  it('microsoft/phi-2 weights match vLLM 0.19 (5.19 GiB, fp16)', () => {
    // 2.7795 B params × 2 B = 5.18 GiB; the gated-MLP misparse gave 6.74 GiB.
    const arch = loadArch('fixtures/hf-extra/microsoft__phi-2/config.json', 'microsoft/phi-2');
    const plan = planMemory(arch, testGpu(79.19), { tp: 1, pp: 1, dp: 1, ep: false }, testServing({ maxModelLenTokens: 2048 }));
    expect(Math.abs(plan.weightsBytesPerGpu / GiB / 5.19 - 1)).toBeLessThan(0.005);
  });
});
