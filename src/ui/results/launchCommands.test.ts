import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVING_OPTIONS, DEFAULT_SERVING_SETTINGS } from '../../engine/defaults';
import type { Candidate, ServingOptions } from '../../engine/types';
import { buildLaunchCommands, quantizationPlan, shellQuote } from './launchCommands';
import { makeArch, makeResult } from './testData';

function candidateAt(index: number): Candidate {
  const candidate = makeResult().candidates[index];
  if (candidate === undefined) throw new Error(`no candidate ${index}`);
  return candidate;
}

const withLayout = (tp: number, pp: number, dp: number, ep: boolean): Candidate => ({ ...candidateAt(0), layout: { tp, pp, dp, ep } });

describe('buildLaunchCommands', () => {
  it('vllm serve carries TP, max-model-len, utilization, max-num-seqs and max-num-batched-tokens', () => {
    const { vllm } = buildLaunchCommands(makeArch(), withLayout(2, 1, 1, false), DEFAULT_SERVING_OPTIONS);
    expect(vllm).toBe(
      [
        'vllm serve meta-llama/Llama-3.1-8B',
        '--tensor-parallel-size 2',
        '--max-model-len 8192',
        '--gpu-memory-utilization 0.9',
        '--max-num-seqs 1024',
        '--max-num-batched-tokens 8192',
      ].join(' \\\n  '),
    );
  });

  it('leaves unset scheduler limits to vLLM / SGLang defaults (ServingSettings null)', () => {
    const { vllm, sglang } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), DEFAULT_SERVING_SETTINGS);
    expect(vllm).not.toContain('--max-num-seqs');
    expect(vllm).not.toContain('--max-num-batched-tokens');
    expect(sglang).not.toContain('--max-running-requests');
    expect(sglang).not.toContain('--chunked-prefill-size');
  });

  it('--disable-custom-all-reduce appears in both commands only when it is set', () => {
    const off = buildLaunchCommands(makeArch(), withLayout(2, 1, 1, false), DEFAULT_SERVING_SETTINGS);
    expect(off.vllm).not.toContain('--disable-custom-all-reduce');
    const on = buildLaunchCommands(makeArch(), withLayout(2, 1, 1, false), { ...DEFAULT_SERVING_SETTINGS, disableCustomAllReduce: true });
    expect(on.vllm).toContain('--disable-custom-all-reduce');
    expect(on.sglang).toContain('--disable-custom-all-reduce');
  });

  it('adds PP, DP and expert parallel only when the layout uses them', () => {
    const { vllm, sglang } = buildLaunchCommands(makeArch(), withLayout(4, 2, 2, false), DEFAULT_SERVING_OPTIONS);
    expect(vllm).toContain('--pipeline-parallel-size 2');
    expect(vllm).toContain('--data-parallel-size 2');
    expect(vllm).not.toContain('--enable-expert-parallel');
    expect(sglang).toContain('--tp-size 4');
    expect(sglang).toContain('--dp-size 2');
    expect(sglang).toContain('--pp-size 2');
    expect(sglang).not.toContain('--enable-dp-attention');
  });

  it('maps DP + EP to SGLang DP attention over the whole TP × DP group', () => {
    const { vllm, sglang } = buildLaunchCommands(makeArch(), withLayout(2, 1, 4, true), DEFAULT_SERVING_OPTIONS);
    expect(vllm).toContain('--tensor-parallel-size 2');
    expect(vllm).toContain('--data-parallel-size 4');
    expect(vllm).toContain('--enable-expert-parallel');
    expect(sglang).toContain('--tp-size 8');
    expect(sglang).toContain('--dp-size 4');
    expect(sglang).toContain('--enable-dp-attention');
    expect(sglang).toContain('--ep-size 8');
  });

  it('EP without DP gives SGLang --ep-size equal to TP', () => {
    const { sglang } = buildLaunchCommands(makeArch(), withLayout(8, 1, 1, true), DEFAULT_SERVING_OPTIONS);
    expect(sglang).toContain('--tp-size 8');
    expect(sglang).toContain('--ep-size 8');
  });

  it('SGLang uses --context-length, --mem-fraction-static, --max-running-requests, --chunked-prefill-size', () => {
    const { sglang } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), DEFAULT_SERVING_OPTIONS);
    expect(sglang.split(' \\\n  ')).toEqual([
      'python -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B',
      '--tp-size 1',
      '--context-length 8192',
      '--mem-fraction-static 0.9',
      '--max-running-requests 1024',
      '--chunked-prefill-size 8192',
    ]);
  });

  it('fp8 KV cache is --kv-cache-dtype fp8 for vLLM and fp8_e4m3 for SGLang', () => {
    const serving: ServingOptions = { ...DEFAULT_SERVING_OPTIONS, kvCacheDtype: 'fp8' };
    const { vllm, sglang } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(vllm).toContain('--kv-cache-dtype fp8');
    expect(sglang).toContain('--kv-cache-dtype fp8_e4m3');
  });

  it('fp8 on a 16-bit checkpoint is runtime quantization: --quantization fp8 in both commands', () => {
    const serving: ServingOptions = { ...DEFAULT_SERVING_OPTIONS, weightPrecision: 'fp8' };
    const { vllm, sglang, notes } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(vllm).toContain('--quantization fp8');
    expect(sglang).toContain('--quantization fp8');
    expect(notes.join(' ')).not.toContain('replace the model id');
  });

  it('int4 on a 16-bit checkpoint adds no flag but a note asking for a pre-quantized checkpoint', () => {
    const serving: ServingOptions = { ...DEFAULT_SERVING_OPTIONS, weightPrecision: 'int4' };
    const { vllm, notes } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(vllm).not.toContain('--quantization');
    expect(notes[0]).toContain('INT4 (AWQ or GPTQ, group 128) checkpoint');
  });

  it('block size and eager mode become --block-size/--page-size and --enforce-eager/--disable-cuda-graph', () => {
    const serving: ServingOptions = { ...DEFAULT_SERVING_OPTIONS, blockSizeTokens: 32, enforceEager: true };
    const { vllm, sglang } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(vllm).toContain('--block-size 32');
    expect(vllm).toContain('--enforce-eager');
    expect(sglang).toContain('--page-size 32');
    expect(sglang).toContain('--disable-cuda-graph');
  });
});

describe('quantizationPlan', () => {
  it('keeps an FP8 checkpoint as is when fp8 is asked for', () => {
    const arch = makeArch({ quantization: { ...makeArch().quantization, method: 'fp8', weightBits: 8, computeDtype: 'fp8', label: 'FP8' } });
    expect(quantizationPlan(arch, 'fp8')).toEqual({ kind: 'checkpoint' });
    expect(quantizationPlan(arch, 'auto')).toEqual({ kind: 'checkpoint' });
  });
});

describe('shellQuote', () => {
  it('leaves Hub ids alone and single-quotes anything else', () => {
    expect(shellQuote('Qwen/Qwen3-30B-A3B-FP8')).toBe('Qwen/Qwen3-30B-A3B-FP8');
    expect(shellQuote("my model's dir")).toBe(`'my model'\\''s dir'`);
  });
});
