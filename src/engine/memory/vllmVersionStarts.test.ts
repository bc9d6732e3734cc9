/**
 * The release rules of vllmVersion.ts against logged starts, through the whole plan (real configs
 * from fixtures/hf). llm-d-benchmark config_explorer/empirical-vllm-memory-results.md @4f4d44943c39:
 * one H100 (79.18 GiB), utilization 0.9, max_model_len 16,000, vllm/vllm-openai:latest of January
 * 2026 (a 0.12–0.16 image: planned as 0.14); rows in fixtures/truth/vllm_memory_calibration.csv.
 */
import { fixtureArch } from '../fixtureArch.testing';
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../session';
import { testGpu, testServing } from '../testArchs';
import type { VllmVersion } from '../types';
import { GiB } from '../units';

const tp1 = { tp: 1, pp: 1, dp: 1, ep: false };
const activationGiB = (dir: string, vllmVersion: VllmVersion): number =>
  createEngineSession(fixtureArch(dir)).plan(testGpu(79.18), tp1, testServing({ vllmVersion, maxModelLenTokens: 16000, gpuMemoryUtilization: 0.9, blockSizeTokens: 128 }))
    .activationPeakBytesPerGpu / GiB;

describe('vLLM release rules against logged starts', () => {
  it('0.12–0.16 (logits sorted in the profile run): llm-d’s January 2026 activation peaks within 0.1 GiB, vocab 128k–201k', () => {
    const logged: [string, number][] = [
      ['Qwen__Qwen3-0.6B', 5.56],
      ['meta-llama__Llama-3.1-8B-Instruct', 4.76],
      ['openai__gpt-oss-20b', 7.38],
      ['Qwen__Qwen3-32B', 5.64],
    ];
    for (const [dir, gib] of logged) expect(Math.abs(activationGiB(dir, '0.14') - gib)).toBeLessThan(0.1);
  });

  it('0.10 and 0.11 on an H100 (FlashInfer sampler) profile like 0.17+, well under half the sort path', () => {
    for (const dir of ['Qwen__Qwen3-0.6B', 'openai__gpt-oss-20b']) {
      expect(activationGiB(dir, '0.11')).toBe(activationGiB(dir, '0.19'));
      expect(activationGiB(dir, '0.10')).toBeLessThan(0.5 * activationGiB(dir, '0.14'));
    }
  });
});
