import { describe, expect, it } from 'vitest';
import { findGpu } from './catalog/gpus';
import { DEFAULT_RESOLVED_SERVING_OPTIONS, DEFAULT_SERVING_SETTINGS, resolveServing } from './defaults';
import type { ResolvedServingOptions } from './types';
import { nodePlacement } from './nodes';
import { VLLM_IMAGES, buildLaunchCommands, kubernetesName, quantizationPlan, shellQuote, type LaunchModel, type LaunchTarget } from './launchCommands';
import { NO_QUANT } from './testArchs';

/** The model as the commands see it: a Hub id and a 16-bit checkpoint. */
function makeArch(overrides: Partial<LaunchModel> = {}): LaunchModel {
  return { modelId: 'meta-llama/Llama-3.1-8B', quantization: NO_QUANT, ...overrides };
}

const withLayout = (tp: number, pp: number, dp: number, ep: boolean): LaunchTarget => ({ layout: { tp, pp, dp, ep }, gpuCount: tp * pp * dp });

describe('buildLaunchCommands', () => {
  it("an SGLang-planned row's command pins the flags its plan resolved (issue 13: the page's SGLang options)", () => {
    const base = withLayout(2, 1, 1, false);
    const sglangRow: LaunchTarget = {
      ...base,
      memory: {
        engineDetail: { engine: 'sglang', maxRunningRequests: 96, maxBatchedTokens: 4096, memFractionStatic: 0.55, cudaGraphMaxBs: 48, freeBeforeLoadBytes: 0, restBytes: 0, poolTokens: 0 },
      },
    };
    const { sglang } = buildLaunchCommands(makeArch(), sglangRow, DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(sglang).toContain('--mem-fraction-static 0.55');
    expect(sglang).toContain('--max-running-requests 96');
    expect(sglang).toContain('--chunked-prefill-size 4096');
    expect(sglang).toContain('--cuda-graph-max-bs 48');
    // A vLLM-planned row keeps the translation of vLLM's settings.
    expect(buildLaunchCommands(makeArch(), base, DEFAULT_RESOLVED_SERVING_OPTIONS).sglang).toContain('--mem-fraction-static 0.9');
  });

  it('vllm serve carries TP, max-model-len, utilization, max-num-seqs and max-num-batched-tokens', () => {
    const { vllm } = buildLaunchCommands(makeArch(), withLayout(2, 1, 1, false), DEFAULT_RESOLVED_SERVING_OPTIONS);
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

  it('pins the limits the estimate resolved for the GPU (vLLM 1024 / 8192 on H100, 256 / 2048 on A100)', () => {
    const h100 = findGpu('H100');
    const a100 = findGpu('A100-80GB');
    if (h100 === undefined || a100 === undefined) throw new Error('catalog');
    const onH100 = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), resolveServing(DEFAULT_SERVING_SETTINGS, h100));
    expect(onH100.vllm).toContain('--max-num-seqs 1024');
    expect(onH100.vllm).toContain('--max-num-batched-tokens 8192');
    const onA100 = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), resolveServing(DEFAULT_SERVING_SETTINGS, a100));
    expect(onA100.vllm).toContain('--max-num-seqs 256');
    expect(onA100.sglang).toContain('--max-running-requests 256');
    expect(onA100.sglang).toContain('--chunked-prefill-size 2048');
  });

  it('a pick that needs a pre-quantized checkpoint names a placeholder id, not the 16-bit one', () => {
    const serving: ResolvedServingOptions = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, weightPrecision: 'fp4' };
    const { vllm, sglang, docker, notes } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(vllm.split(' \\\n  ')[0]).toBe("vllm serve '<meta-llama/Llama-3.1-8B-NVFP4>'");
    expect(sglang).toContain("--model-path '<meta-llama/Llama-3.1-8B-NVFP4>'");
    expect(docker).toContain("serve '<meta-llama/Llama-3.1-8B-NVFP4>'");
    expect(notes[0]).toContain('replace <meta-llama/Llama-3.1-8B-NVFP4>');
  });

  it('docker runs vllm serve in the CUDA image on NVIDIA and the ROCm image with its devices on AMD, the token from the environment', () => {
    const nvidia = buildLaunchCommands(makeArch(), withLayout(2, 1, 1, false), DEFAULT_RESOLVED_SERVING_OPTIONS, 'nvidia').docker;
    expect(nvidia.split(' \\\n  ')).toEqual([
      'docker run',
      '--gpus all',
      '--ipc=host',
      '-p 8000:8000',
      '-v ~/.cache/huggingface:/root/.cache/huggingface',
      '-e HF_TOKEN',
      '--entrypoint vllm',
      'vllm/vllm-openai:v0.19.0',
      'serve meta-llama/Llama-3.1-8B',
      '--tensor-parallel-size 2',
      '--max-model-len 8192',
      '--gpu-memory-utilization 0.9',
      '--max-num-seqs 1024',
      '--max-num-batched-tokens 8192',
    ]);
    const amd = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), DEFAULT_RESOLVED_SERVING_OPTIONS, 'amd').docker;
    expect(amd).toContain('--device /dev/kfd');
    expect(amd).toContain('rocm/vllm:rocm7.14.0_cdna_ubuntu24.04_py3.14_pytorch_2.11.0_vllm_0.23.0');
    expect(amd).not.toContain('--gpus all');
  });

  it('leaves scheduler limits to vLLM / SGLang defaults only when they are unknown (settings with null limits)', () => {
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

  it("vLLM's async-scheduling flags appear only when set (unset = the release's default, as the estimate), never in SGLang's command", () => {
    const dflt = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), DEFAULT_SERVING_SETTINGS);
    expect(dflt.vllm).not.toContain('async-scheduling');
    const off = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), { ...DEFAULT_SERVING_SETTINGS, asyncScheduling: false });
    expect(off.vllm).toContain('--no-async-scheduling');
    expect(off.sglang).not.toContain('async-scheduling');
    const on = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), { ...DEFAULT_SERVING_SETTINGS, vllmVersion: '0.11', asyncScheduling: true });
    expect(on.vllm).toMatch(/--async-scheduling(\s|$)/);
  });

  it('adds PP, DP and expert parallel only when the layout uses them', () => {
    const { vllm, sglang } = buildLaunchCommands(makeArch(), withLayout(4, 2, 2, false), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(vllm).toContain('--pipeline-parallel-size 2');
    expect(vllm).toContain('--data-parallel-size 2');
    expect(vllm).not.toContain('--enable-expert-parallel');
    expect(sglang).toContain('--tp-size 4');
    expect(sglang).toContain('--dp-size 2');
    expect(sglang).toContain('--pp-size 2');
    expect(sglang).not.toContain('--enable-dp-attention');
  });

  it('maps DP + EP to SGLang DP attention over the whole TP × DP group', () => {
    const { vllm, sglang } = buildLaunchCommands(makeArch(), withLayout(2, 1, 4, true), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(vllm).toContain('--tensor-parallel-size 2');
    expect(vllm).toContain('--data-parallel-size 4');
    expect(vllm).toContain('--enable-expert-parallel');
    expect(sglang).toContain('--tp-size 8');
    expect(sglang).toContain('--dp-size 4');
    expect(sglang).toContain('--enable-dp-attention');
    expect(sglang).toContain('--ep-size 8');
  });

  it('EP without DP gives SGLang --ep-size equal to TP', () => {
    const { sglang } = buildLaunchCommands(makeArch(), withLayout(8, 1, 1, true), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(sglang).toContain('--tp-size 8');
    expect(sglang).toContain('--ep-size 8');
  });

  it('SGLang uses --context-length, --mem-fraction-static, --max-running-requests, --chunked-prefill-size', () => {
    const { sglang } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), DEFAULT_RESOLVED_SERVING_OPTIONS);
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
    const serving: ResolvedServingOptions = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, kvCacheDtype: 'fp8' };
    const { vllm, sglang } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(vllm).toContain('--kv-cache-dtype fp8');
    expect(sglang).toContain('--kv-cache-dtype fp8_e4m3');
  });

  it('fp8 on a 16-bit checkpoint is runtime quantization: --quantization fp8 in both commands', () => {
    const serving: ResolvedServingOptions = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, weightPrecision: 'fp8' };
    const { vllm, sglang, notes } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(vllm).toContain('--quantization fp8');
    expect(sglang).toContain('--quantization fp8');
    expect(notes.join(' ')).not.toContain('replace the model id');
  });

  it('int4 on a 16-bit checkpoint adds no flag but a note asking for a pre-quantized checkpoint', () => {
    const serving: ResolvedServingOptions = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, weightPrecision: 'int4' };
    const { vllm, notes } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(vllm).not.toContain('--quantization');
    expect(notes[0]).toContain('INT4 (AWQ or GPTQ, group 128) checkpoint');
  });

  it('block size and eager mode become --block-size/--page-size and --enforce-eager/--disable-cuda-graph', () => {
    const serving: ResolvedServingOptions = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, blockSizeTokens: 32, enforceEager: true };
    const { vllm, sglang } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(vllm).toContain('--block-size 32');
    expect(vllm).toContain('--enforce-eager');
    expect(sglang).toContain('--page-size 32');
    expect(sglang).toContain('--disable-cuda-graph');
  });
});

describe('Kubernetes manifest (issue 14, item 7)', () => {
  /** The container's args, unquoted, one per list item under `args:`. */
  const argsOf = (manifest: string): string[] => {
    const lines = manifest.split('\n');
    const start = lines.indexOf('          args:');
    const out: string[] = [];
    for (const line of lines.slice(start + 1)) {
      const match = /^ {12}- (".*")$/.exec(line);
      if (match?.[1] === undefined) break;
      out.push(JSON.parse(match[1]) as string);
    }
    return out;
  };

  it('runs the same vllm serve (every pinned limit) in the CUDA image with nvidia.com/gpu = TP × PP, plus a Service on port 8000', () => {
    const h100 = findGpu('h100');
    if (h100 === undefined) throw new Error('h100 missing from the catalog');
    const serving = resolveServing(DEFAULT_SERVING_SETTINGS, h100);
    const c = buildLaunchCommands(makeArch(), withLayout(2, 2, 1, false), serving, 'nvidia');
    const k8s = c.kubernetes ?? '';
    expect(c.image).toBe('cuda');
    expect(k8s).toContain('kind: Deployment');
    expect(k8s).toContain('kind: Service');
    expect(k8s).toContain('image: vllm/vllm-openai:v0.19.0');
    expect(k8s).toContain('nvidia.com/gpu: 4');
    expect(k8s).toContain('replicas: 1');
    expect(k8s).toContain('mountPath: /dev/shm');
    expect(k8s).not.toMatch(/hf_[A-Za-z0-9]{10,}/);
    // The args are the plain command's words, in order.
    const plain = c.vllm.replace(/ \\\n {2}/g, ' ').split(' ');
    expect(['vllm', 'serve', ...argsOf(k8s)]).toEqual(plain);
    expect(argsOf(k8s)).toEqual(expect.arrayContaining(['--max-num-seqs', String(serving.maxNumSeqs), '--max-num-batched-tokens', String(serving.maxNumBatchedTokens), '--max-model-len']));
  });

  it('plain DP replicas become pods of TP GPUs behind the Service; DP with EP stays one pod', () => {
    const dp = buildLaunchCommands(makeArch(), withLayout(2, 1, 4, false), DEFAULT_RESOLVED_SERVING_OPTIONS).kubernetes ?? '';
    expect(dp).toContain('replicas: 4');
    expect(dp).toContain('nvidia.com/gpu: 2');
    expect(argsOf(dp)).not.toContain('--data-parallel-size');
    const ep = buildLaunchCommands(makeArch(), withLayout(1, 1, 8, true), DEFAULT_RESOLVED_SERVING_OPTIONS).kubernetes ?? '';
    expect(ep).toContain('replicas: 1');
    expect(ep).toContain('nvidia.com/gpu: 8');
    expect(argsOf(ep)).toEqual(expect.arrayContaining(['--data-parallel-size', '8', '--enable-expert-parallel']));
  });

  it('AMD GPUs: the ROCm image and amd.com/gpu in the manifest and the docker command', () => {
    const c = buildLaunchCommands(makeArch(), withLayout(8, 1, 1, false), DEFAULT_RESOLVED_SERVING_OPTIONS, 'amd');
    expect(c.image).toBe('rocm');
    expect(c.kubernetes).toContain('image: rocm/vllm:rocm7.14.0_cdna_ubuntu24.04_py3.14_pytorch_2.11.0_vllm_0.23.0');
    expect(c.kubernetes).toContain('amd.com/gpu: 8');
    expect(c.kubernetes).not.toContain('nvidia.com/gpu');
    expect(c.docker).toContain('rocm/vllm:rocm7.14.0_cdna_ubuntu24.04_py3.14_pytorch_2.11.0_vllm_0.23.0');
  });

  it('pins every serving image to a published tag, never a moving one', () => {
    // The bug this guards: the ROCm image was 'rocm/vllm:latest', so the command ran whatever AMD pushed last (issue 14).
    for (const image of Object.values(VLLM_IMAGES)) {
      expect(image).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/);
      expect(image).not.toMatch(/:(latest|main|nightly)$/);
    }
  });

  it('a quantized pick names the placeholder checkpoint in the manifest too', () => {
    const serving: ResolvedServingOptions = { ...DEFAULT_RESOLVED_SERVING_OPTIONS, weightPrecision: 'int4' };
    const { kubernetes } = buildLaunchCommands(makeArch(), withLayout(1, 1, 1, false), serving);
    expect(kubernetes).toContain('- "<meta-llama/Llama-3.1-8B-AWQ-INT4>"');
  });

  it('object names are DNS labels', () => {
    expect(kubernetesName('meta-llama/Llama-3.1-8B-Instruct')).toBe('vllm-llama-3-1-8b-instruct');
    expect(kubernetesName(`org/${'X'.repeat(80)}`)).toMatch(/^[a-z0-9-]{1,63}$/);
    expect(kubernetesName('<org/Model_v2-AWQ>')).toBe('vllm-model-v2-awq');
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

describe('multi-node launch commands (issue 13)', () => {
  const HGX = { interconnect: { kind: 'nvlink' as const, bytesPerS: 450e9, gpusPerNode: 8 } };
  const onNodes = (tp: number, pp: number, dp: number, ep: boolean): LaunchTarget => ({
    ...withLayout(tp, pp, dp, ep),
    placement: nodePlacement(HGX, { tp, pp, dp, ep }),
  });

  it('a replica spanning nodes has no Kubernetes manifest (a note says why); replicas inside a node do', () => {
    const spanning = buildLaunchCommands(makeArch(), onNodes(8, 2, 1, false), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(spanning.kubernetes).toBeNull();
    expect(spanning.notes.join(' ')).toMatch(/No Kubernetes manifest/);
    const replicas = buildLaunchCommands(makeArch(), onNodes(4, 1, 4, false), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(replicas.kubernetes).toContain('replicas: 4');
  });

  it('one node: no multi-node flags or notes', () => {
    const c = buildLaunchCommands(makeArch(), onNodes(8, 1, 1, false), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(c.vllm).not.toMatch(/ray|headless|HEAD_IP/);
    expect(c.sglang).not.toContain('--nnodes');
    expect(c.notes.join(' ')).not.toMatch(/nodes of/);
  });

  it('TP 8 × PP 2 over two nodes: a Ray cluster and --distributed-executor-backend ray; SGLang --nnodes 2 with its rank', () => {
    const c = buildLaunchCommands(makeArch(), onNodes(8, 2, 1, false), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(c.vllm).toContain('ray start --head --port 6379');
    expect(c.vllm).toContain('ray start --address "$HEAD_IP:6379"');
    expect(c.vllm).toContain('--pipeline-parallel-size 2');
    expect(c.vllm).toContain('--distributed-executor-backend ray');
    expect(c.sglang).toContain('--nnodes 2');
    expect(c.sglang).toContain('--node-rank "$NODE_RANK"');
    expect(c.sglang).toContain('--dist-init-addr "$HEAD_IP:5000"');
    expect(c.notes.join(' ')).toMatch(/spans 2 nodes of 8 GPUs/);
  });

  it('DP replicas that each fit a node: vLLM multi-node data parallel (--data-parallel-address, --headless from a start rank)', () => {
    const c = buildLaunchCommands(makeArch(), onNodes(4, 1, 4, false), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(c.vllm).toContain('--data-parallel-size 4');
    expect(c.vllm).toContain('--data-parallel-size-local 2');
    expect(c.vllm).toContain('--data-parallel-address "$HEAD_IP"');
    expect(c.vllm).toContain('--headless');
    expect(c.vllm).toContain('--data-parallel-start-rank $((NODE_RANK * 2))');
    expect(c.vllm).not.toContain('ray start');
  });

  it('wide EP (attention DP 16 + EP) over two nodes uses data parallel with 8 local ranks; TP across nodes is noted', () => {
    const ep = buildLaunchCommands(makeArch(), onNodes(1, 1, 16, true), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(ep.vllm).toContain('--enable-expert-parallel');
    expect(ep.vllm).toContain('--data-parallel-size-local 8');
    const tp16 = buildLaunchCommands(makeArch(), onNodes(16, 1, 1, false), DEFAULT_RESOLVED_SERVING_OPTIONS);
    expect(tp16.notes.join(' ')).toMatch(/TP spans nodes/);
    expect(tp16.vllm).toContain('--distributed-executor-backend ray');
  });
});
