/**
 * Ready-to-copy launch commands for one configuration: `vllm serve`, SGLang's
 * `python -m sglang.launch_server`, `vllm serve` in vLLM's container (CUDA image on NVIDIA, ROCm image
 * on AMD) and a Kubernetes Deployment + Service running that container, with the flags that reproduce
 * the engine's assumptions: every scheduler limit the estimate used is pinned (resolved for the row's
 * GPU), so a later engine default cannot change what runs. Text only (no I/O): the page, the CLI and
 * tests call the same functions.
 *
 * Flag names: vLLM 0.19 `vllm/engine/arg_utils.py` (EngineArgs.add_cli_args); SGLang
 * `python/sglang/srt/server_args.py` (ServerArgs.add_cli_args). Where SGLang has no exact equivalent
 * the nearest flag is used and `notes` says so.
 */
import type { Candidate, GpuVendor, ModelArch, ServingSettings, WeightPrecision } from './types';

/**
 * What the commands read of a configuration: its layout, GPU count and multi-node placement, and
 * (for rows planned by SGLang's own accounting) the flags that plan resolved.
 */
export type LaunchTarget = Pick<Candidate, 'layout' | 'gpuCount' | 'placement'> & { memory?: Pick<Candidate['memory'], 'engineDetail'> };
/** What the commands read of the model: its id and the checkpoint's quantization. */
export type LaunchModel = Pick<ModelArch, 'modelId' | 'quantization'>;

export interface LaunchCommands {
  vllm: string;
  sglang: string;
  /** `vllm serve` in vLLM's own image: vllm/vllm-openai on NVIDIA, rocm/vllm on AMD. */
  docker: string;
  /** Which image `docker` and `kubernetes` run ('rocm' on AMD GPUs). */
  image: 'cuda' | 'rocm';
  /**
   * A Kubernetes Deployment + Service (one YAML stream) running the same `vllm serve`; null when a
   * replica spans nodes (that needs a multi-pod group such as LeaderWorkerSet; `notes` says so).
   */
  kubernetes: string | null;
  /** Caveats the user must read before running the commands. */
  notes: string[];
}

/** Bits per weight of each what-if precision ('auto' = the checkpoint as is). */
const PRECISION_WEIGHT_BITS: Record<Exclude<WeightPrecision, 'auto'>, number> = {
  bf16: 16,
  fp8: 8,
  int8: 8,
  int4: 4,
  fp4: 4,
};

/** Flags that reproduce a weight precision, or a note when no flag can. */
export type QuantizationPlan =
  | { kind: 'checkpoint' }
  /** vLLM/SGLang `--quantization fp8`: a 16-bit checkpoint quantized at load time (W8A8, per-tensor). */
  | { kind: 'runtime-fp8' }
  /** The estimate assumes a pre-quantized checkpoint this command cannot produce. */
  | { kind: 'needs-checkpoint'; precision: Exclude<WeightPrecision, 'auto'> };

export function quantizationPlan(arch: LaunchModel, precision: WeightPrecision): QuantizationPlan {
  if (precision === 'auto') return { kind: 'checkpoint' };
  const checkpointBits = arch.quantization.weightBits;
  if (PRECISION_WEIGHT_BITS[precision] === checkpointBits) return { kind: 'checkpoint' };
  // Only FP8 has a load-time path for 16-bit checkpoints in both engines (vLLM
  // model_executor/layers/quantization/fp8.py Fp8LinearMethod with is_checkpoint_fp8_serialized=False).
  if (precision === 'fp8' && arch.quantization.method === 'none') return { kind: 'runtime-fp8' };
  return { kind: 'needs-checkpoint', precision };
}

/** Single-quotes a shell word unless it is made only of characters the shell leaves alone. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9._/:=@+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Shell words of a multi-node command that must expand on each node ("$HEAD_IP", "$NODE_RANK"):
 * written as they are, never quoted.
 */
const HEAD_IP = '"$HEAD_IP"';
const RAW_WORDS: ReadonlySet<string> = new Set([HEAD_IP, '"$HEAD_IP:5000"', '"$NODE_RANK"']);
const quoteWord = (word: string): string => (RAW_WORDS.has(word) || word.startsWith('$((') ? word : shellQuote(word));

/** One flag per line, joined with shell line continuations. */
function renderCommand(head: readonly string[], flags: readonly (readonly string[])[]): string {
  const lines = [head.map(quoteWord).join(' '), ...flags.map((flag) => flag.map(quoteWord).join(' '))];
  return lines.join(' \\\n  ');
}

/** vLLM's data-parallel RPC port in its multi-node example (docs/serving/data_parallel_deployment.md). */
const VLLM_DP_RPC_PORT = 13345;

/**
 * Multi-node `vllm serve` (issue 13), from the row's placement (engine nodes.ts):
 * - each DP replica inside one node: vLLM's own multi-node data parallel: the head runs the API
 *   server with `--data-parallel-size-local` replicas and `--data-parallel-address`; every other node
 *   runs `--headless` from its `--data-parallel-start-rank` (docs/serving/data_parallel_deployment.md);
 * - a replica spanning nodes (TP × PP beyond a node, or an EP group beyond it): a Ray cluster
 *   (`ray start --head` / `ray start --address`) and `--distributed-executor-backend ray` on the head
 *   (docs/serving/distributed_serving.md, "Multi-node deployment").
 */
function vllmMultiNode(single: string, candidate: LaunchTarget): string {
  const p = candidate.placement;
  if (p === undefined || p.nodes <= 1) return single;
  const dp = candidate.layout.dp;
  const lines = single.split(' \\\n  ');
  // Each DP rank (an attention-DP rank with EP) inside one node: vLLM's multi-node data parallel.
  if (p.dpRanksPerNode >= 1 && dp > 1) {
    const local = p.dpRanksPerNode;
    const dpFlags = [
      ['--data-parallel-size-local', String(local)],
      ['--data-parallel-address', HEAD_IP],
      ['--data-parallel-rpc-port', String(VLLM_DP_RPC_PORT)],
    ].map((f) => f.map(quoteWord).join(' '));
    const head = [...lines, ...dpFlags].join(' \\\n  ');
    const worker = [...lines, ...dpFlags, '--headless', `--data-parallel-start-rank $((NODE_RANK * ${local}))`].join(' \\\n  ');
    return [
      `# ${p.nodes} nodes × ${p.gpusPerNode} GPUs. On node 0 (HEAD_IP = its address):`,
      head,
      `# On each other node, NODE_RANK = 1 … ${p.nodes - 1} (same HEAD_IP):`,
      worker,
    ].join('\n');
  }
  const serve = [...lines, '--distributed-executor-backend ray', ...(dp > 1 ? ['--data-parallel-backend ray'] : [])].join(' \\\n  ');
  return [
    `# ${p.nodes} nodes × ${p.gpusPerNode} GPUs as one Ray cluster. On node 0 (HEAD_IP = its address):`,
    'ray start --head --port 6379',
    `# On each other node (${p.nodes - 1} of them):`,
    'ray start --address "$HEAD_IP:6379"',
    '# Then on node 0:',
    serve,
  ].join('\n');
}

export function vllmServeCommand(modelId: string, candidate: LaunchTarget, serving: ServingSettings, quant: QuantizationPlan): string {
  return renderCommand(['vllm', 'serve', modelId], vllmServeFlags(candidate, serving, quant));
}

/** `vllm serve`'s flags for this configuration, one array of words per flag. */
function vllmServeFlags(candidate: LaunchTarget, serving: ServingSettings, quant: QuantizationPlan): string[][] {
  const { tp, pp, dp, ep } = candidate.layout;
  const flags: string[][] = [['--tensor-parallel-size', String(tp)]];
  if (pp > 1) flags.push(['--pipeline-parallel-size', String(pp)]);
  if (dp > 1) flags.push(['--data-parallel-size', String(dp)]);
  if (ep) flags.push(['--enable-expert-parallel']);
  flags.push(['--max-model-len', String(serving.maxModelLenTokens)]);
  flags.push(['--gpu-memory-utilization', String(serving.gpuMemoryUtilization)]);
  if (serving.kvCacheDtype === 'fp8') flags.push(['--kv-cache-dtype', 'fp8']);
  if (quant.kind === 'runtime-fp8') flags.push(['--quantization', 'fp8']);
  // The limits the estimate ran with: callers pass them resolved for the row's GPU (null only when the
  // GPU is unknown, then vLLM's own default applies).
  if (serving.maxNumSeqs !== null) flags.push(['--max-num-seqs', String(serving.maxNumSeqs)]);
  if (serving.maxNumBatchedTokens !== null) flags.push(['--max-num-batched-tokens', String(serving.maxNumBatchedTokens)]);
  if (serving.blockSizeTokens !== null) flags.push(['--block-size', String(serving.blockSizeTokens)]);
  if (serving.enforceEager) flags.push(['--enforce-eager']);
  if (serving.disableCustomAllReduce === true) flags.push(['--disable-custom-all-reduce']);
  // Only when set: unset, vLLM applies its release's default (perf/asyncScheduling.ts), as the estimate did.
  if (serving.asyncScheduling === true) flags.push(['--async-scheduling']);
  if (serving.asyncScheduling === false) flags.push(['--no-async-scheduling']);
  return flags;
}

/** vLLM's serving images, the release the engine's memory accounting follows (0.19). */
export const VLLM_IMAGES: Readonly<Record<'cuda' | 'rocm', string>> = {
  // hub.docker.com/r/vllm/vllm-openai (NVIDIA); hub.docker.com/r/rocm/vllm (AMD's build for ROCm).
  cuda: 'vllm/vllm-openai:v0.19.0',
  // Pinned, not ':latest' (issue 14): the image AMD's ROCm docs name for vLLM on Instinct GPUs,
  // "vLLM inference and serving on ROCm", rocm.docs.amd.com/projects/ai-ecosystem/en/latest/inference/vllm.html
  // (retrieved 2026-12-07). 'cdna' = gfx942/gfx950, i.e. every AMD GPU in catalog/gpus.ts (MI300X, MI325X,
  // MI355X). Its vLLM (0.23.0) is newer than the CUDA pin; both are past 0.17/0.18, the last releases whose
  // memory accounting memory/vllmVersion.ts models differently. AMD's dated tags before it (version-history
  // table of 2025-11-05, e.g. rocm7.0.0_vllm_0.11.1_20251024) carry vLLM 0.11, before that change.
  // The tag is as that page names it; Docker Hub itself was not reachable from where this was written:
  // if `docker pull` refuses it, take the newest tag on hub.docker.com/r/rocm/vllm.
  rocm: 'rocm/vllm:rocm7.14.0_cdna_ubuntu24.04_py3.14_pytorch_2.11.0_vllm_0.23.0',
};

/**
 * `vllm serve` in a container: the entrypoint named explicitly (the CUDA image's is the OpenAI server,
 * the ROCm image has none), the Hugging Face cache mounted so weights download once, the token passed
 * through from the host's environment (never written into the command), port 8000.
 */
export function dockerCommand(modelId: string, candidate: LaunchTarget, serving: ServingSettings, quant: QuantizationPlan, vendor: GpuVendor): string {
  const serve = vllmServeCommand(modelId, candidate, serving, quant).split(' \\\n  ');
  const head = serve[0] ?? '';
  const device =
    vendor === 'amd'
      ? [['--device', '/dev/kfd'], ['--device', '/dev/dri'], ['--group-add', 'video'], ['--security-opt', 'seccomp=unconfined']]
      : [['--gpus', 'all']];
  const docker = [
    'docker run',
    ...device.map((f) => f.map(shellQuote).join(' ')),
    '--ipc=host',
    '-p 8000:8000',
    '-v ~/.cache/huggingface:/root/.cache/huggingface',
    '-e HF_TOKEN',
    '--entrypoint vllm',
    shellQuote(vendor === 'amd' ? VLLM_IMAGES.rocm : VLLM_IMAGES.cuda),
    head.replace(/^vllm /, ''),
    ...serve.slice(1),
  ];
  return docker.join(' \\\n  ');
}

/**
 * SGLang parallel flags. Plain DP = `--dp-size` independent replicas of `--tp-size` GPUs. Experts
 * split over TP × DP ranks (vLLM's DP + EP) = SGLang's DP attention: `--tp-size` is then the whole
 * group, `--dp-size` splits attention, `--ep-size` the experts (SGLang docs, "DP Attention").
 */
function sglangParallelFlags(candidate: LaunchTarget): string[][] {
  const { tp, pp, dp, ep } = candidate.layout;
  const flags: string[][] = [];
  if (ep && dp > 1) {
    const groupSize = String(tp * dp);
    flags.push(['--tp-size', groupSize], ['--dp-size', String(dp)], ['--enable-dp-attention'], ['--ep-size', groupSize]);
  } else {
    flags.push(['--tp-size', String(tp)]);
    if (dp > 1) flags.push(['--dp-size', String(dp)]);
    if (ep) flags.push(['--ep-size', String(tp)]);
  }
  if (pp > 1) flags.push(['--pp-size', String(pp)]);
  return flags;
}

export function sglangLaunchCommand(modelId: string, candidate: LaunchTarget, serving: ServingSettings, quant: QuantizationPlan): string {
  const flags = sglangParallelFlags(candidate);
  // A row planned by SGLang's own accounting (issue 13) pins the flags that plan resolved, so the
  // command starts the server the row describes; otherwise vLLM's settings translated.
  const own = candidate.memory?.engineDetail?.engine === 'sglang' ? candidate.memory.engineDetail : null;
  flags.push(['--context-length', String(serving.maxModelLenTokens)]);
  flags.push(['--mem-fraction-static', String(own?.memFractionStatic ?? serving.gpuMemoryUtilization)]);
  if (serving.kvCacheDtype === 'fp8') flags.push(['--kv-cache-dtype', 'fp8_e4m3']);
  if (quant.kind === 'runtime-fp8') flags.push(['--quantization', 'fp8']);
  const runningRequests = own?.maxRunningRequests ?? serving.maxNumSeqs;
  const chunkTokens = own?.maxBatchedTokens ?? serving.maxNumBatchedTokens;
  if (runningRequests !== null) flags.push(['--max-running-requests', String(runningRequests)]);
  if (chunkTokens !== null) flags.push(['--chunked-prefill-size', String(chunkTokens)]);
  if (own !== null) flags.push(['--cuda-graph-max-bs', String(own.cudaGraphMaxBs)]);
  if (serving.blockSizeTokens !== null) flags.push(['--page-size', String(serving.blockSizeTokens)]);
  if (serving.enforceEager) flags.push(['--disable-cuda-graph']);
  if (serving.disableCustomAllReduce === true) flags.push(['--disable-custom-all-reduce']);
  // Multi-node (issue 13): the same command on every node, with its rank (server_args.py --nnodes,
  // --node-rank, --dist-init-addr; SGLang docs "Multi-Node Deployment").
  const nodes = candidate.placement?.nodes ?? 1;
  if (nodes > 1) flags.push(['--nnodes', String(nodes)], ['--node-rank', '"$NODE_RANK"'], ['--dist-init-addr', '"$HEAD_IP:5000"']);
  const command = renderCommand(['python', '-m', 'sglang.launch_server', '--model-path', modelId], flags);
  return nodes > 1 ? `# On each of the ${nodes} nodes: NODE_RANK = 0 … ${nodes - 1}, HEAD_IP = node 0's address\n${command}` : command;
}

const PRECISION_CHECKPOINT_HINTS: Record<Exclude<WeightPrecision, 'auto'>, string> = {
  bf16: 'a 16-bit (BF16) checkpoint',
  fp8: 'an FP8 checkpoint',
  int8: 'an INT8 W8A8 checkpoint',
  int4: 'an INT4 (AWQ or GPTQ, group 128) checkpoint',
  fp4: 'an NVFP4 checkpoint',
};

/** Suffix of the placeholder id for a checkpoint this command cannot produce (as such repos are usually named). */
const PRECISION_PLACEHOLDER_SUFFIX: Record<Exclude<WeightPrecision, 'auto'>, string> = {
  bf16: 'BF16',
  fp8: 'FP8',
  int8: 'W8A8',
  int4: 'AWQ-INT4',
  fp4: 'NVFP4',
};

/**
 * The model id the commands name: the loaded one, or — when the estimate assumes a pre-quantized
 * checkpoint neither engine makes at load time — a placeholder in angle brackets that cannot be
 * mistaken for a real repo (and fails loudly if run unedited).
 */
export function launchModelId(arch: LaunchModel, quant: QuantizationPlan): string {
  if (quant.kind !== 'needs-checkpoint') return arch.modelId;
  return `<${arch.modelId}-${PRECISION_PLACEHOLDER_SUFFIX[quant.precision]}>`;
}

/** The GPU resource a pod asks for: the NVIDIA and AMD device plugins' extended resource names. */
const GPU_RESOURCE: Readonly<Record<GpuVendor, string>> = {
  // github.com/NVIDIA/k8s-device-plugin; github.com/ROCm/k8s-device-plugin.
  nvidia: 'nvidia.com/gpu',
  amd: 'amd.com/gpu',
};

/**
 * /dev/shm for the pod: the Kubernetes stand-in for `docker --ipc=host`, which vLLM needs for its
 * worker processes (vLLM docs, deployment/k8s.md: an emptyDir of medium Memory mounted at /dev/shm).
 * A limit, not a reservation; 16 GiB is a round figure above what TP 8 uses (assumed, not measured).
 */
const SHM_SIZE_LIMIT = '16Gi';

/** A DNS-1035 label (Kubernetes object names): lower case, digits and '-', at most 63 characters. */
export function kubernetesName(modelId: string): string {
  const tail = modelId.slice(modelId.lastIndexOf('/') + 1);
  const name = `vllm-${tail}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name;
}

/** A YAML double-quoted scalar (JSON's string syntax is valid YAML). */
const yamlString = (text: string): string => JSON.stringify(text);

/**
 * A Deployment + Service running `vllm serve` in vLLM's image. Plain DP replicas (no EP) are pods of
 * TP × PP GPUs each behind the Service (each one the estimate's replica, with the same per-replica
 * limits); DP with expert parallelism is one pod, as vLLM runs it. Null when a pod would span nodes.
 */
export function kubernetesManifest(modelId: string, candidate: LaunchTarget, serving: ServingSettings, quant: QuantizationPlan, vendor: GpuVendor): string | null {
  const { layout, placement } = candidate;
  const podsAreReplicas = layout.dp > 1 && !layout.ep;
  const replicas = podsAreReplicas ? layout.dp : 1;
  const podGpus = podsAreReplicas ? candidate.gpuCount / layout.dp : candidate.gpuCount;
  if (placement !== undefined && podGpus > placement.gpusPerNode) return null;
  const podTarget: LaunchTarget = podsAreReplicas ? { ...candidate, layout: { ...layout, dp: 1 }, placement: undefined } : candidate;
  const args = [modelId, ...vllmServeFlags(podTarget, serving, quant).flat()];
  const name = kubernetesName(modelId);
  const image = vendor === 'amd' ? VLLM_IMAGES.rocm : VLLM_IMAGES.cuda;
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    '        - name: vllm',
    `          image: ${image}`,
    '          command: ["vllm", "serve"]',
    '          args:',
    ...args.map((arg) => `            - ${yamlString(arg)}`),
    '          env:',
    '            # The Hub token from a Secret (kubectl create secret generic hf-token --from-literal=token=…), never inline.',
    '            - name: HF_TOKEN',
    '              valueFrom:',
    '                secretKeyRef: { name: hf-token, key: token, optional: true }',
    '          ports:',
    '            - containerPort: 8000',
    '          resources:',
    '            limits:',
    `              ${GPU_RESOURCE[vendor]}: ${podGpus}`,
    '          readinessProbe:',
    '            httpGet: { path: /health, port: 8000 }',
    '            periodSeconds: 10',
    '          volumeMounts:',
    '            - { name: shm, mountPath: /dev/shm }',
    '            - { name: hf-cache, mountPath: /root/.cache/huggingface }',
    '      volumes:',
    '        - name: shm',
    `          emptyDir: { medium: Memory, sizeLimit: ${SHM_SIZE_LIMIT} }`,
    '        - name: hf-cache',
    '          emptyDir: {}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  selector:',
    `    app: ${name}`,
    '  ports:',
    '    - port: 8000',
    '      targetPort: 8000',
  ];
  return lines.join('\n');
}

/**
 * `serving`: the request's settings resolved for the candidate's GPU (engine/defaults.ts
 * resolveServing), so every limit the estimate used is pinned; settings with null limits only when
 * the GPU is unknown. `vendor` picks the container image.
 */
export function buildLaunchCommands(arch: LaunchModel, candidate: LaunchTarget, serving: ServingSettings, vendor: GpuVendor = 'nvidia'): LaunchCommands {
  const quant = quantizationPlan(arch, serving.weightPrecision);
  const notes: string[] = [];
  if (quant.kind === 'needs-checkpoint') {
    notes.push(
      `The estimate assumes ${PRECISION_CHECKPOINT_HINTS[quant.precision]} of this model; neither engine converts to it at load time, so replace ${launchModelId(arch, quant)} with such a checkpoint's id.`,
    );
  }
  notes.push(
    "SGLang's --mem-fraction-static covers weights and KV cache only (activations sit outside it); the same value as vLLM's --gpu-memory-utilization leaves SGLang slightly more headroom.",
  );
  const placement = candidate.placement;
  if (placement !== undefined && placement.nodes > 1) {
    notes.push(
      `This configuration spans ${placement.nodes} nodes of ${placement.gpusPerNode} GPUs: set HEAD_IP and NODE_RANK on each node as the commands say; NCCL must reach the other nodes over InfiniBand or RoCE (NCCL_IB_HCA / NCCL_SOCKET_IFNAME as your cluster documents). The Docker command is one node's: run it on each with --network host.`,
    );
  }
  if (placement?.tpCrossesNodes === true) {
    notes.push('TP spans nodes: every all-reduce crosses the network, which the estimate penalises; TP inside a node with PP across nodes is usually faster.');
  }
  const modelId = launchModelId(arch, quant);
  const kubernetes = kubernetesManifest(modelId, candidate, serving, quant, vendor);
  if (kubernetes === null) {
    notes.push('No Kubernetes manifest: one replica spans nodes, which needs a multi-pod group (e.g. LeaderWorkerSet with a Ray cluster) rather than a Deployment.');
  } else if (candidate.layout.dp > 1 && !candidate.layout.ep) {
    notes.push(`The Kubernetes Deployment runs the ${candidate.layout.dp} data-parallel replicas as ${candidate.layout.dp} pods behind one Service, each with the same limits.`);
  }
  return {
    vllm: vllmMultiNode(vllmServeCommand(modelId, candidate, serving, quant), candidate),
    sglang: sglangLaunchCommand(modelId, candidate, serving, quant),
    docker: dockerCommand(modelId, candidate, serving, quant, vendor),
    image: vendor === 'amd' ? 'rocm' : 'cuda',
    kubernetes,
    notes,
  };
}
