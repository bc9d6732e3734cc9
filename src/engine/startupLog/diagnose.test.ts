import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../arch/parseConfig';
import { parseConfigJson } from '../arch/parseConfigJson';
import { findGpu, GPU_CATALOG } from '../catalog/gpus';
import { createEngineSession } from '../session';
import type { GpuSpec, ModelArch } from '../types';
import { GiB } from '../units';
import { diagnoseLog, gpusMatchingLog, setupFromLog, type LogDiagnosis } from './diagnose';
import { parseVllmLog } from './parseVllmLog';

const ROOT = join(__dirname, '..', '..', '..', 'fixtures');

function archOf(dir: string): ModelArch {
  const raw = parseConfigJson(readFileSync(join(ROOT, dir, 'config.json'), 'utf8'));
  if (!raw.ok) throw new Error(dir);
  const arch = parseConfig(raw.value, { modelId: dir.split('/')[1]?.replace('__', '/') ?? dir });
  if (!arch.ok) throw new Error(dir);
  return arch.value;
}

function h100(): GpuSpec {
  const gpu = findGpu('H100');
  if (gpu === undefined) throw new Error('no H100 in the catalog');
  return gpu;
}

function diagnose(logFile: string, configDir: string, gpu: GpuSpec = h100(), edit: (text: string) => string = (t) => t): LogDiagnosis {
  const log = parseVllmLog(edit(readFileSync(join(ROOT, 'vllm-logs', logFile), 'utf8')));
  const arch = archOf(configDir);
  const setup = setupFromLog(log, arch, gpu);
  return diagnoseLog(log, arch, setup, createEngineSession(arch).plan(setup.gpu, setup.layout, setup.serving));
}

describe('diagnoseLog: every logged figure beside the plan of the same setup', () => {
  it('matches a DEBUG-level Llama-3.1-8B start figure by figure, with the device total from the log', () => {
    const dx = diagnose('llama-3.1-8b-h100-tp1-debug.log', 'hf/meta-llama__Llama-3.1-8B-Instruct');
    expect(dx.setup.totalMemoryFrom).toBe('log');
    expect(dx.setup.serving).toMatchObject({ maxModelLenTokens: 8192, gpuMemoryUtilization: 0.95, maxNumSeqs: 1024, maxNumBatchedTokens: 8192, kvCacheDtype: 'auto' });
    expect(dx.rows.map((r) => r.subject)).toEqual(['weights', 'activation', 'nonTorch', 'kvPool', 'blocks', 'kvTokens', 'maxConcurrency', 'cudaGraphs']);
    for (const r of dx.rows) expect({ subject: r.subject, matches: r.matches, explanation: r.explanation }).toEqual({ subject: r.subject, matches: true, explanation: null });
    const kv = dx.rows.find((r) => r.subject === 'kvPool');
    expect(kv?.logged).toBeCloseTo(58.11 * GiB, -6);
    expect(Math.abs(kv?.gapPct ?? 100)).toBeLessThan(0.2);
  });

  it('derives activation + non-torch from an INFO-level log and plans the FP8 KV cache it ran', () => {
    const dx = diagnose('llama-3.1-8b-h100-kvfp8.log', 'hf/meta-llama__Llama-3.1-8B-Instruct');
    expect(dx.setup.serving.kvCacheDtype).toBe('fp8');
    expect(dx.setup.totalMemoryFrom).toBe('catalog');
    expect(dx.notes.some((n) => n.includes('does not print the device total'))).toBe(true);
    expect(dx.rows.map((r) => r.subject)).toContain('activationAndNonTorch');
    expect(dx.rows.every((r) => r.matches)).toBe(true);
  });

  it('matches MoE, MLA and sliding-window starts on the KV pool and tokens', () => {
    for (const [file, dir] of [
      ['qwen3-30b-a3b-h100-tp1.log', 'hf/Qwen__Qwen3-30B-A3B'],
      ['deepseek-v2-lite-h100-tp1.log', 'hf-extra/deepseek-ai__DeepSeek-V2-Lite-Chat'],
      ['gemma-2-9b-h100-tp1.log', 'hf/google__gemma-2-9b-it'],
    ] as const) {
      const dx = diagnose(file, dir);
      for (const subject of ['weights', 'kvPool', 'kvTokens', 'maxConcurrency'] as const) {
        const r = dx.rows.find((x) => x.subject === subject);
        expect({ file, subject, matches: r?.matches }).toEqual({ file, subject, matches: true });
      }
    }
  });

  it('explains a gap with the setting that closes it: custom all-reduce off at TP2', () => {
    // The same start as if custom all-reduce had been off: the log's non-torch figure is NCCL's alone.
    const text = [
      "(APIServer pid=1) INFO [utils.py:233] non-default args: {'model': 'meta-llama/Llama-3.1-8B-Instruct', 'max_model_len': 8192, 'tensor_parallel_size': 2, 'gpu_memory_utilization': 0.9}",
      '(Worker_TP0 pid=2) DEBUG [gpu_worker.py:284] worker init memory snapshot: torch_peak=0.01GiB, free_memory=78.68GiB, total_memory=79.19GiB',
      '(Worker_TP0 pid=2) DEBUG [gpu_worker.py:435] Memory profiling takes 9.1 seconds. Total non KV cache memory: 9.61GiB; torch peak memory increase: 1.90GiB; non-torch forward increase memory: 0.21GiB; weights memory: 7.50GiB.',
    ].join('\n');
    const log = parseVllmLog(text);
    const arch = archOf('hf/meta-llama__Llama-3.1-8B-Instruct');
    const setup = setupFromLog(log, arch, h100());
    const session = createEngineSession(arch);
    const dx = diagnoseLog(log, arch, setup, session.plan(setup.gpu, setup.layout, setup.serving));
    const nonTorch = dx.rows.find((r) => r.subject === 'nonTorch');
    expect(nonTorch?.matches).toBe(false);
    expect(nonTorch?.explanation).toMatch(/Disable custom all-reduce/);
    // Applying the named setting closes the gap.
    const fixed = { ...setup, serving: { ...setup.serving, disableCustomAllReduce: true } };
    const after = diagnoseLog(log, arch, fixed, session.plan(fixed.gpu, fixed.layout, fixed.serving));
    expect(after.rows.find((r) => r.subject === 'nonTorch')?.matches).toBe(true);
  });

  it('turns failed starts into the fix', () => {
    const free = diagnose('codellama-34b-tp2-free-memory.FAILED.log', 'hf/meta-llama__Llama-3.1-8B-Instruct');
    expect(free.notes.join(' ')).toMatch(/only 60\.87 GiB of 79\.19 GiB was free.*--gpu-memory-utilization 0\.76/);
    expect(free.notes.join(' ')).toMatch(/The log ran codellama\/CodeLlama-34b-hf; the plan is of meta-llama\/Llama-3.1-8B-Instruct/);
    const oom = diagnose('gpt-oss-20b-oom.FAILED.log', 'hf/openai__gpt-oss-20b');
    expect(oom.notes.join(' ')).toMatch(/ran out of memory after the KV cache was allocated.*Lower --gpu-memory-utilization or --max-num-seqs/);
    const len = diagnose('phi-2-max-model-len.FAILED.log', 'hf-extra/microsoft__phi-2');
    expect(len.notes.join(' ')).toMatch(/the model allows 2048 positions; set --max-model-len 2048/);
  });

  it('names the catalog GPUs whose runtime total equals the log\'s', () => {
    const log = parseVllmLog(readFileSync(join(ROOT, 'vllm-logs', 'llama-3.1-8b-h100-tp1-debug.log'), 'utf8'));
    const ids = gpusMatchingLog(log, GPU_CATALOG).map((g) => g.id);
    expect(ids).toContain('H100');
    expect(ids).not.toContain('H200');
  });
});
