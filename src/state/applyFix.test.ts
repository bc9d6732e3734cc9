import { describe, expect, it } from 'vitest';
import { inputsWithFix } from './applyFix';
import { DEFAULT_INPUTS } from './inputs';

describe('inputsWithFix', () => {
  it('makes exactly the one change each fix names', () => {
    expect(inputsWithFix(DEFAULT_INPUTS, { kind: 'kv-cache-dtype', kvCacheDtype: 'fp8' })).toEqual({ ...DEFAULT_INPUTS, kvCacheDtype: 'fp8' });
    expect(inputsWithFix(DEFAULT_INPUTS, { kind: 'max-model-len', maxModelLenTokens: 4096 })).toEqual({ ...DEFAULT_INPUTS, maxModelLenTokens: 4096, maxModelLenAuto: false });
    expect(inputsWithFix(DEFAULT_INPUTS, { kind: 'weight-precision', weightPrecision: 'int4' })).toEqual({ ...DEFAULT_INPUTS, weightPrecision: 'int4' });
    expect(inputsWithFix(DEFAULT_INPUTS, { kind: 'concurrency', concurrency: 12 })).toEqual({ ...DEFAULT_INPUTS, concurrency: 12 });
    expect(inputsWithFix({ ...DEFAULT_INPUTS, maxItlMs: 10, maxTtftMs: 500 }, { kind: 'slo', limits: { maxItlMs: 25 } })).toEqual({ ...DEFAULT_INPUTS, maxItlMs: 25, maxTtftMs: 500 });
  });
  it('a layout fix only raises the GPU budget, and only when the layout needs it', () => {
    const layout = { tp: 4, pp: 1, dp: 1, ep: false };
    expect(inputsWithFix(DEFAULT_INPUTS, { kind: 'layout', gpuId: 'H100', layout, gpuCount: 4, maxGpus: null })).toBe(DEFAULT_INPUTS);
    expect(inputsWithFix({ ...DEFAULT_INPUTS, maxGpus: 2 }, { kind: 'layout', gpuId: 'H100', layout, gpuCount: 4, maxGpus: 4 }).maxGpus).toBe(4);
  });
});
