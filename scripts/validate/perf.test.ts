import { describe, expect, it } from 'vitest';
import { VALIDATION_ERROR_PCT } from '../../src/engine/calibration';
import { findGpu } from '../../src/engine/catalog/gpus';
import { GiB } from '../../src/engine/units';
import { OUT_OF_SET_RUNS, datasetLengthsOfRow, kvDtypeOf, loadArch, outOfSetLines, preparePerfCases, runPerfValidation, servingFor, vllmReleaseOfRow } from './perf';

describe('perf validation', () => {
  it('prints the accuracy the UI quotes (VALIDATION_ERROR_PCT, to 0.1 %)', () => {
    const { summary } = runPerfValidation({ quiet: true });
    const pct = (group: string): number => summary.find((s) => s.group === group)?.medianAbsErrorPct ?? Number.NaN;
    expect(pct('throughput')).toBeCloseTo(VALIDATION_ERROR_PCT.throughputPct, 1);
    expect(pct('itl')).toBeCloseTo(VALIDATION_ERROR_PCT.itlPct, 1);
    expect(pct('ttft')).toBeCloseTo(VALIDATION_ERROR_PCT.ttftPct, 1);
    // Issue 3's aims: ITL and throughput within 15 %, TTFT within 25 % (median). ITL rose to 16.6 %
    // when tile + weight-stream physics replaced the fitted M / (M + 173) GEMM floor (issue 11) and
    // came back under 15 % with the per-kernel GEMM efficiencies (calibration.ts GEMM_KERNEL_EFFICIENCY).
    expect(pct('throughput')).toBeLessThan(15);
    expect(pct('itl')).toBeLessThan(15);
    expect(pct('ttft')).toBeLessThan(25);
  });

  it('prints the out-of-set 16 × H100 DeepSeek-R1 TP16 run with its assumptions, and never scores or fits it', () => {
    const lines = outOfSetLines();
    expect(lines[0]).toMatch(/out of set \(not fitted\): DeepSeek-R1-0528, 16 × H100.*measured 23\.1 ms, estimated \d/);
    expect(lines.some((l) => l.includes('assumed:') && l.includes('400 Gb/s'))).toBe(true);
    expect(lines.some((l) => /communication \d+\.\d+ ms/.test(l))).toBe(true);
    // Not in the truth set the fit and the medians read.
    const scored = preparePerfCases().cases;
    for (const run of OUT_OF_SET_RUNS) expect(scored.some((c) => c.row.source === run.row.source)).toBe(false);
  });

  it('reads a TensorRT-LLM row’s blank KV dtype from the ModelOpt checkpoint (kv_cache_quant_algo FP8), else 16-bit', () => {
    const row = (model_id: string, kv_dtype = ''): Record<string, string> => ({ model_id, kv_dtype });
    // TensorRT-LLM's 'auto' takes the checkpoint's kv_cache_quant_algo (the v1.0-era perf-overview runs).
    expect(kvDtypeOf(row('nvidia/Llama-3.1-8B-Instruct-FP8'), 'trtllm')).toBe('fp8');
    expect(kvDtypeOf(row('nvidia/Qwen3-30B-A3B-FP4'), 'trtllm')).toBe('fp8');
    // What the row states wins (the DeepSeek-R1 blog's FP4 runs say bf16).
    expect(kvDtypeOf(row('nvidia/DeepSeek-R1-FP4', 'bf16'), 'trtllm')).toBe('auto');
    expect(kvDtypeOf(row('meta-llama/Llama-3.1-70B', 'fp8'), 'trtllm')).toBe('fp8');
    // vLLM's 'auto' is the model dtype; a checkpoint without a KV recipe stays 16-bit.
    expect(kvDtypeOf(row('nvidia/Llama-3.1-8B-Instruct-FP8'), 'vllm')).toBe('auto');
    expect(kvDtypeOf(row('meta-llama/Llama-3.1-8B'), 'trtllm')).toBe('auto');
  });

  it('plans each vLLM row at the release its engine column states; other engines and unstated releases at 0.19', () => {
    expect(vllmReleaseOfRow({ engine: 'vLLM v0.11.0' })).toBe('0.11');
    expect(vllmReleaseOfRow({ engine: 'vLLM v0.10.2 (--async-scheduling)' })).toBe('0.10');
    expect(vllmReleaseOfRow({ engine: 'vLLM v0.10.0 (ROCm fork, benchmark_latency.py from v0.8.5)' })).toBe('0.10');
    expect(vllmReleaseOfRow({ engine: 'vLLM' })).toBe('0.19');
    const loaded = loadArch('Qwen/Qwen3-32B');
    if (typeof loaded === 'string') throw new Error(loaded);
    const h100 = findGpu('H100');
    if (h100 === undefined) throw new Error('no H100 in the catalog');
    expect(servingFor({ engine: 'vLLM v0.10.2 (--async-scheduling)', precision: 'bf16' }, 'vllm', h100, loaded.arch, 2000, 100).vllmVersion).toBe('0.10');
    expect(servingFor({ engine: 'SGLang v0.5.5.post1', precision: 'bf16' }, 'sglang', h100, loaded.arch, 2000, 100).vllmVersion).toBe('0.19');
    expect(servingFor({ engine: 'TensorRT-LLM v1.2.0rc1', precision: 'bf16' }, 'trtllm', h100, loaded.arch, 2000, 100).vllmVersion).toBe('0.19');
  });

  it('starts gpt-oss-120b on one H100 at v0.10.2 as GPUStack ran it (--max-model-len 32768, utilization 0.9); the 0.12–0.16 sort sampler would not', () => {
    const loaded = loadArch('openai/gpt-oss-120b');
    if (typeof loaded === 'string') throw new Error(loaded);
    const h100 = findGpu('H100');
    if (h100 === undefined) throw new Error('no H100 in the catalog');
    const layout = { tp: 1, pp: 1, dp: 1, ep: false };
    const row = { engine: 'vLLM v0.10.2', precision: 'mxfp4' };
    const serving = { ...servingFor(row, 'vllm', h100, loaded.arch, 2000, 100), maxModelLenTokens: 32768 };
    expect(serving.gpuMemoryUtilization).toBe(0.9);
    expect(serving.vllmVersion).toBe('0.10');
    expect(loaded.session.plan(h100, layout, serving).fits).toBe(true);
    // llm-d's January 2026 start logs 7.38 GiB of activation for it (sort path): weights + that exceed 0.9 × 79.19 GiB.
    const sorted = loaded.session.plan(h100, layout, { ...serving, vllmVersion: '0.14' });
    expect(sorted.fits).toBe(false);
    expect(Math.abs(sorted.activationPeakBytesPerGpu / GiB / 7.38 - 1)).toBeLessThan(0.03);
  });

  it('scores GPUStack’s Qwen3-32B 1 × H100 32K rows at v0.11.0: one 32K request fits there, in no release at the page’s 40,960 default', () => {
    expect(preparePerfCases().skipped.filter((s) => s.modelId === 'Qwen/Qwen3-32B')).toHaveLength(0);
    const loaded = loadArch('Qwen/Qwen3-32B');
    if (typeof loaded === 'string') throw new Error(loaded);
    const h100 = findGpu('H100');
    if (h100 === undefined) throw new Error('no H100 in the catalog');
    const layout = { tp: 1, pp: 1, dp: 1, ep: false };
    const base = servingFor({ engine: 'vLLM v0.11.0', precision: 'bf16' }, 'vllm', h100, loaded.arch, 32000, 100);
    expect(base.gpuMemoryUtilization).toBe(0.9);
    expect(base.vllmVersion).toBe('0.11');
    const at = (maxModelLenTokens: number, vllmVersion: typeof base.vllmVersion) =>
      loaded.session.plan(h100, layout, { ...base, maxModelLenTokens, vllmVersion });
    // 0.11.0: one request of isl + osl fits, two do not (the page's run served them one at a time).
    const at11 = at(base.maxModelLenTokens, '0.11');
    expect(at11.fits).toBe(true);
    expect(at11.maxConcurrency).toBeLessThan(1.01);
    // llm-d-benchmark config_explorer/empirical-vllm-memory-results.md @4f4d44943c39, one H100 at 0.9,
    // vllm/vllm-openai:latest of January 2026 (a 0.12–0.16 image: its 5.64 GiB activation is the
    // sort sampler's, its 0.14 GiB non-torch the pre-0.18 figure): weights 61.03 GiB, KV 4.45 GiB at
    // max_model_len 16,000; 32,000 fails to start.
    const at16k = at(16000, '0.14');
    expect(at16k.fits).toBe(true);
    expect(at16k.weightsBytesPerGpu / GiB).toBeCloseTo(61.03, 1);
    expect(Math.abs(at16k.activationPeakBytesPerGpu / GiB / 5.64 - 1)).toBeLessThan(0.03);
    expect(Math.abs(at16k.kvCacheBytesPerGpu / GiB / 4.45 - 1)).toBeLessThan(0.01);
    expect(at(32000, '0.14').fits).toBe(false);
    // `vllm serve Qwen/Qwen3-32B` takes max_model_len 40,960 from the config: 10.00 GiB of KV for one
    // request, more than any release's accounting leaves.
    for (const v of ['0.10', '0.11', '0.14', '0.17', '0.19', '0.21+'] as const) {
      const plan = at(40960, v);
      expect(plan.kvBytesPerTokenPerGpu * 40960).toBe(10 * GiB);
      expect(plan.fits).toBe(false);
      expect(plan.reason).toBe('context-exceeds-kv');
    }
  });
});

describe('datasetLengthsOfRow: the dataset sets how answers vary', () => {
  it('ShareGPT rows are long-tailed chat lengths, random-dataset rows equal lengths', () => {
    expect(datasetLengthsOfRow({ notes: 'vllm bench serve (openai-chat); ShareGPT (1000 prompts), mean ISL 215.3' })).toEqual({ kind: 'chat' });
    expect(datasetLengthsOfRow({ notes: 'vllm bench serve; random dataset, requested ISL 2000 / OSL 100' })).toEqual({ kind: 'fixed' });
    expect(datasetLengthsOfRow({})).toEqual({ kind: 'fixed' });
  });

  it('reads GPUStack’s gpt-oss-120b TP2 ShareGPT burst with chat lengths', () => {
    const c = preparePerfCases().cases.find((x) => x.outputLengths.kind === 'chat' && x.row.model_id === 'openai/gpt-oss-120b' && x.row.tp === '2' && x.row.gpu === 'H100' && x.row.metric === 'request_throughput');
    expect(c).toBeDefined();
  });
});
