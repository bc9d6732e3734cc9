import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GiB } from '../units';
import { parseVllmLog } from './parseVllmLog';

const LOGS = join(__dirname, '..', '..', '..', 'fixtures', 'vllm-logs');
const read = (name: string): string => readFileSync(join(LOGS, name), 'utf8');
const gib = (bytes: number | null): number | null => (bytes === null ? null : Math.round((bytes / GiB) * 100) / 100);

describe('parseVllmLog on real vLLM 0.19 start-up logs (fixtures/vllm-logs/SOURCES.md)', () => {
  it('reads the setup and every memory figure of a DEBUG-level log', () => {
    const log = parseVllmLog(read('llama-3.1-8b-h100-tp1-debug.log'));
    expect(log).toMatchObject({
      vllmVersion: '0.19.0',
      modelId: 'meta-llama/Llama-3.1-8B-Instruct',
      tensorParallelSize: 1,
      pipelineParallelSize: 1,
      maxModelLenTokens: 8192,
      gpuMemoryUtilization: 0.95,
      dtype: 'bfloat16',
      quantization: null,
      kvCacheDtype: 'auto',
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 1024,
      enforceEager: false,
      kvCacheTokens: 476016,
      numGpuBlocks: 29751,
      maxConcurrency: { requests: 58.11, atTokens: 8192 },
      failure: null,
    });
    expect([gib(log.totalMemoryBytes), gib(log.initialFreeBytes), gib(log.weightsBytes), gib(log.activationPeakBytes), gib(log.nonTorchBytes), gib(log.availableKvBytes)]).toEqual([
      79.19, 78.68, 14.99, 1.89, 0.25, 58.11,
    ]);
    expect(gib(log.cudaGraphBytes)).toBe(0.91);
  });

  it('reads an INFO-level TP2 log (ranks interleaved) and its quantization', () => {
    const log = parseVllmLog(read('llama-3.3-70b-fp8-h100-tp2.log'));
    expect(log).toMatchObject({ modelId: 'RedHatAI/Llama-3.3-70B-Instruct-fp8-dynamic', tensorParallelSize: 2, quantization: 'compressed-tensors', kvCacheTokens: 244304 });
    expect([gib(log.weightsBytes), gib(log.availableKvBytes), gib(log.cudaGraphBytes)]).toEqual([33.88, 37.28, 1.79]);
    // Not printed at INFO level in 0.19.
    expect([log.activationPeakBytes, log.nonTorchBytes, log.totalMemoryBytes]).toEqual([null, null, null]);
  });

  it('reads the KV cache dtype flag', () => {
    expect(parseVllmLog(read('llama-3.1-8b-h100-kvfp8.log')).kvCacheDtype).toBe('fp8');
  });

  it('names the root cause of a failed start, not the wrapper that re-raises it', () => {
    expect(parseVllmLog(read('codellama-34b-tp2-free-memory.FAILED.log'))).toMatchObject({
      failure: expect.stringMatching(/^ValueError: Free memory on device cuda:1 \(60\.87\/79\.19 GiB\)/),
    });
    const free = parseVllmLog(read('codellama-34b-tp2-free-memory.FAILED.log'));
    expect([gib(free.initialFreeBytes), gib(free.totalMemoryBytes)]).toEqual([60.87, 79.19]);
    expect(parseVllmLog(read('gpt-oss-20b-oom.FAILED.log')).failure).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory/);
    expect(parseVllmLog(read('phi-2-max-model-len.FAILED.log')).failure).toMatch(/^ValueError: User-specified max_model_len \(8192\)/);
  });

  it('reads the V0 / pre-0.11 line forms', () => {
    const text = [
      'INFO 03-01 10:00:00 api_server.py:912] vLLM API server version 0.6.3',
      "INFO 03-01 10:00:01 llm_engine.py:237] Initializing an LLM engine (v0.6.3) with config: model='Qwen/Qwen2.5-7B-Instruct', dtype=torch.bfloat16, max_seq_len=32768, tensor_parallel_size=1, pipeline_parallel_size=1, quantization=None, enforce_eager=False, kv_cache_dtype=auto",
      'INFO 03-01 10:00:09 model_runner.py:1067] Loading model weights took 14.2487 GB',
      'INFO 03-01 10:00:10 worker.py:262] Memory profiling results: total_gpu_memory=79.19GiB initial_memory_usage=14.78GiB peak_torch_memory=16.24GiB',
      'INFO 03-01 10:00:10 worker.py:232] the current vLLM instance can use total_gpu_memory (79.19GiB) x gpu_memory_utilization (0.90) = 71.27GiB',
      'INFO 03-01 10:00:10 worker.py:232] model weights take 14.25GiB; non_torch_memory takes 0.14GiB; PyTorch activation peak memory takes 1.19GiB; the rest of the memory reserved for KV Cache is 55.69GiB.',
      'INFO 03-01 10:00:10 gpu_executor.py:122] # GPU blocks: 65172, # CPU blocks: 4681',
      'INFO 03-01 10:00:10 gpu_executor.py:126] Maximum concurrency for 32768 tokens per request: 31.82x',
    ].join('\n');
    const log = parseVllmLog(text);
    expect(log).toMatchObject({ vllmVersion: '0.6.3', modelId: 'Qwen/Qwen2.5-7B-Instruct', maxModelLenTokens: 32768, gpuMemoryUtilization: 0.9, quantization: null, numGpuBlocks: 65172 });
    expect([gib(log.totalMemoryBytes), gib(log.weightsBytes), gib(log.nonTorchBytes), gib(log.activationPeakBytes), gib(log.availableKvBytes)]).toEqual([79.19, 14.25, 0.14, 1.19, 55.69]);
    expect(log.maxConcurrency).toEqual({ requests: 31.82, atTokens: 32768 });
  });

  it('prefers rank 0 when ranks print different figures, whatever their order', () => {
    const lines = [
      '(Worker_TP1 pid=2) INFO [gpu_worker.py:436] Available KV cache memory: 30.00 GiB',
      '(Worker_TP0 pid=1) INFO [gpu_worker.py:436] Available KV cache memory: 31.00 GiB',
      '(Worker_TP2 pid=3) INFO [gpu_worker.py:436] Available KV cache memory: 29.00 GiB',
    ];
    expect(gib(parseVllmLog(lines.join('\n')).availableKvBytes)).toBe(31);
    expect(gib(parseVllmLog([...lines].reverse().join('\n')).availableKvBytes)).toBe(31);
  });

  it('reads a copy from a colour terminal and CRLF line ends', () => {
    const esc = String.fromCharCode(27);
    const text = `${esc}[32mINFO${esc}[0m [kv_cache_utils.py:1319] GPU KV cache size: 1,234 tokens\r\n${esc}[32mINFO${esc}[0m Available KV cache memory: 2.50 GiB\r\n`;
    const log = parseVllmLog(text);
    expect([log.kvCacheTokens, gib(log.availableKvBytes)]).toEqual([1234, 2.5]);
  });

  it('finds nothing in a text that is not a vLLM log, and never throws', () => {
    for (const text of ['', 'hello world', '{"model_type": "llama"}', '\u0000\u0001 Infinity NaN', 'x'.repeat(100_000)]) {
      const log = parseVllmLog(text);
      expect(log.fieldsFound).toBe(0);
    }
  });
});
