import { describe, expect, it } from 'vitest';
import { findGpu } from '../catalog/gpus';
import type { GpuSpec } from '../types';
import { vllmDefaultMaxNumBatchedTokens, vllmDefaultMaxNumSeqs } from './servingDefaults';

function gpu(id: string): GpuSpec {
  const g = findGpu(id);
  if (g === undefined) throw new Error(`${id} not in the catalog`);
  return g;
}

describe('vLLM serve batch defaults (arg_utils.py get_batch_defaults)', () => {
  it('≥ 70 GiB devices that are not A100 get 1024 sequences and 8192 batched tokens (H100, H200, MI300X)', () => {
    for (const id of ['H100', 'H200', 'MI300X']) {
      expect(vllmDefaultMaxNumSeqs(gpu(id))).toBe(1024);
      expect(vllmDefaultMaxNumBatchedTokens(gpu(id))).toBe(8192);
    }
  });

  it('A100 80GB is excluded by name and gets 256 / 2048 (vLLM PR #17885)', () => {
    expect(vllmDefaultMaxNumSeqs(gpu('A100-80GB'))).toBe(256);
    expect(vllmDefaultMaxNumBatchedTokens(gpu('A100-80GB'))).toBe(2048);
  });

  it('devices under 70 GiB get 256 / 2048 (L40S, RTX 4090)', () => {
    for (const id of ['L40S', 'RTX-4090']) {
      expect(vllmDefaultMaxNumSeqs(gpu(id))).toBe(256);
      expect(vllmDefaultMaxNumBatchedTokens(gpu(id))).toBe(2048);
    }
  });
});
