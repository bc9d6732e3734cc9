/**
 * Issue 13 items 2–3 on the command line: `plan --engine sglang|trtllm|vllm` plans memory as that engine
 * does, with its own flags; JSON carries `engine`; a flag of another engine is a usage error.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli';
import { captureIo } from './testIo';

const LLAMA_8B = 'fixtures/hf/meta-llama__Llama-3.1-8B/config.json';

async function runJson(argv: string[]) {
  const c = captureIo();
  const code = await runCli(argv, c.io);
  const parsed: unknown = code === 0 ? JSON.parse(c.out()) : null;
  return { code, json: parsed as Record<string, unknown> | null, stderr: c.errText() };
}

const plan = (...flags: string[]) => runJson(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--json', ...flags]);

describe('plan --engine', () => {
  it('vLLM by default, with engine "vllm" in the JSON', async () => {
    const { code, json } = await plan();
    expect(code).toBe(0);
    expect(json?.engine).toBe('vllm');
  });

  it("SGLang's plan differs from vLLM's, and --mem-fraction-static moves its KV pool (more share, more KV)", async () => {
    const vllm = await plan();
    const sglang = await plan('--engine', 'sglang');
    expect(sglang.json?.engine).toBe('sglang');
    expect(sglang.json?.kvCacheGiBPerGpu).not.toBe(vllm.json?.kvCacheGiBPerGpu);
    const low = await plan('--engine', 'sglang', '--mem-fraction-static', '0.7');
    const high = await plan('--engine', 'sglang', '--mem-fraction-static', '0.85');
    expect(Number(high.json?.kvCacheGiBPerGpu)).toBeGreaterThan(Number(low.json?.kvCacheGiBPerGpu));
  });

  it("TensorRT-LLM's flags in trtllm-serve's spelling (--kv_cache_free_gpu_memory_fraction) set its KV share", async () => {
    const low = await plan('--engine', 'trtllm', '--kv_cache_free_gpu_memory_fraction', '0.5');
    const high = await plan('--engine', 'trtllm', '--kv-cache-free-gpu-memory-fraction', '0.9', '--max_batch_size', '64', '--max_num_tokens', '4096');
    expect(low.code).toBe(0);
    expect(high.json?.engine).toBe('trtllm');
    expect(Number(high.json?.kvCacheGiBPerGpu)).toBeGreaterThan(Number(low.json?.kvCacheGiBPerGpu));
  });

  it('an engine flag without its engine is a usage error (exit 2) that says which --engine it needs', async () => {
    const sg = await plan('--mem-fraction-static', '0.8');
    expect(sg.code).toBe(2);
    expect(sg.stderr).toMatch(/--engine sglang/);
    const trt = await plan('--engine', 'sglang', '--max_batch_size', '8');
    expect(trt.code).toBe(2);
    expect(trt.stderr).toMatch(/--engine trtllm/);
    const bad = await plan('--engine', 'sglang', '--mem-fraction-static', '1.5');
    expect(bad.code).toBe(2);
  });

  it("estimate --engine trtllm runs with TensorRT-LLM's batch cap (--max_batch_size), not vLLM's max_num_seqs", async () => {
    const { code, json } = await runJson([
      'estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '1000', '--osl', '200', '--concurrency', '64', '--json',
      '--engine', 'trtllm', '--max_batch_size', '8', '--num-requests', '50',
    ]);
    expect(code).toBe(0);
    expect(Number(json?.effectiveConcurrency)).toBeLessThanOrEqual(8);
  });
});

describe('setup flags (issue 13 item 5)', () => {
  it('--gpu-memory-gib plans a custom GPU: the row with that much memory', async () => {
    const full = await plan();
    const small = await plan('--gpu-memory-gib', '40');
    expect(small.code).toBe(0);
    expect(small.json?.gpuMemoryGiB).toBe(40);
    expect(Number(small.json?.kvCacheGiBPerGpu)).toBeLessThan(Number(full.json?.kvCacheGiBPerGpu));
    expect((await plan('--gpu-memory-gib', '0')).code).toBe(2);
  });

  it("--other-memory-gib: vLLM refuses to start when total × utilization is not free, with vLLM's message", async () => {
    const ok = await plan('--other-memory-gib', '5');
    expect(ok.json?.fits).toBe(true);
    const busy = await plan('--other-memory-gib', '10');
    expect(busy.json?.fits).toBe(false);
    expect(busy.json?.reason).toBe('insufficient-free-memory');
    expect(String(busy.json?.message)).toMatch(/on startup is less than desired GPU memory utilization \(0\.9/);
    expect(String(busy.json?.message)).toMatch(/reduce GPU memory used by other processes/);
    const lower = await plan('--other-memory-gib', '10', '--gpu-mem-util', '0.85');
    expect(lower.json?.fits).toBe(true);
  });
});

describe('--vllm-version (issue 13 item 5: the memory accounting of a vLLM release)', () => {
  it('defaults to the current release; 0.16 plans a higher activation peak and less KV, 0.19 keeps CUDA graphs out of the pool', async () => {
    const current = await plan();
    const v16 = await plan('--vllm-version', '0.16');
    const v19 = await plan('--vllm-version', '0.19.1');
    const v25 = await plan('--vllm-version', 'v0.25.1');
    for (const r of [current, v16, v19, v25]) expect(r.code).toBe(0);
    expect(Number(v16.json?.kvCacheGiBPerGpu)).toBeLessThan(Number(v19.json?.kvCacheGiBPerGpu));
    // 0.21+ (the default, and any later release) reserves the CUDA graphs inside the budget.
    expect(Number(current.json?.kvCacheGiBPerGpu)).toBeLessThan(Number(v19.json?.kvCacheGiBPerGpu));
    expect(v25.json?.kvCacheGiBPerGpu).toBe(current.json?.kvCacheGiBPerGpu);
    expect(current.json?.vllmVersion).toBe('0.21+');
    expect(current.json?.cudaGraphsInBudget).toBe(true);
    expect(v19.json?.vllmVersion).toBe('0.19');
    expect(v19.json?.cudaGraphsInBudget).toBe(false);
    expect((await plan('--engine', 'sglang')).json?.vllmVersion).toBeUndefined();
  });

  it('refuses what is not a release it plans, and with another --engine, with a clear message', async () => {
    for (const bad of ['latest', '0.9', '1.0', '0.19.x']) {
      const r = await plan('--vllm-version', bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--vllm-version must be a vLLM release from 0\.10 on/);
      expect(r.stderr).toContain(`got "${bad}"`);
    }
    const sglang = await plan('--engine', 'sglang', '--vllm-version', '0.19');
    expect(sglang.code).toBe(2);
    expect(sglang.stderr).toMatch(/--vllm-version is vLLM's memory accounting/);
  });
});
