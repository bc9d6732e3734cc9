/**
 * Every CLI command and flag in one typed table (STYLE.md habit 12, after huggingface.js `hub/cli.ts`).
 * Flag and output field names are a public contract: change them only with a version note.
 * The help text is generated from this table, so every flag is documented by construction, and the
 * defaults it prints are the engine's own constants (a test checks each against its source).
 *
 * `aliases` are other spellings of a flag as typed, mostly vLLM's own (`vllm serve --help`,
 * vllm/engine/arg_utils.py): `--tensor-parallel-size` / `-tp` for `--tp`, and so on. argv.ts maps
 * them to the canonical name before parsing.
 */
import { DEFAULT_VLLM_VERSION } from '../engine/memory/vllmVersion';
import { ASYNC_SCHEDULING_DEFAULT_ON_FROM_MINOR, ASYNC_SCHEDULING_WITH_PP_FROM_MINOR } from '../engine/perf/asyncScheduling';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { DEFAULT_SERVING_SETTINGS } from '../engine/defaults';
import { DEFAULT_BLOCK_SIZE_TOKENS, MLA_BLOCK_SIZE_BLACKWELL_TOKENS } from '../engine/memory/kvCache';
import { vllmDefaultMaxNumBatchedTokens, vllmDefaultMaxNumSeqs } from '../engine/memory/servingDefaults';
import { TRTLLM_DEFAULT_KV_CACHE_FREE_GPU_MEMORY_FRACTION, TRTLLM_DEFAULT_MAX_BATCH_SIZE, TRTLLM_DEFAULT_MAX_NUM_TOKENS } from '../engine/memory/engines/trtllmDefaults';
import { KV_CACHE_DTYPES, SERVING_ENGINES, WEIGHT_PRECISIONS, type GpuSpec } from '../engine/types';
import { DEFAULT_CAPACITY_NUM_REQUESTS, DEFAULT_LAYOUT, DEFAULT_MAX_GPUS, DEFAULT_SERVING_ENGINE } from './cliDefaults';
import { DEFAULT_BENCHMARK_NUM_REQUESTS } from '../engine/calibration';
import { SLO_PERCENTILES } from '../engine/sim/maxRate';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** Placeholder shown in help, e.g. "N" or "path" (string flags only). */
  valueName?: string;
  help: string;
  /** Other spellings, as typed ("--tensor-parallel-size", "-tp"); the canonical name is the table key. */
  aliases?: readonly string[];
}

export interface CommandSpec {
  summary: string;
  usage: string;
  flags: Readonly<Record<string, FlagSpec>>;
}

/**
 * vLLM's per-GPU default of a scheduler limit, as the engine resolves it (memory/servingDefaults.ts),
 * with two catalog GPUs per value: "1024 (H100, H100-PCIE, …) or 256 (A100-80GB, …)".
 */
export function perGpuDefaultText(defaultOf: (gpu: GpuSpec) => number, gpus: readonly GpuSpec[] = GPU_CATALOG): string {
  const examples = new Map<number, string[]>();
  for (const gpu of gpus) {
    const value = defaultOf(gpu);
    const ids = examples.get(value) ?? [];
    ids.push(gpu.id);
    examples.set(value, ids);
  }
  const parts = [...examples.entries()].map(([value, ids]) => `${value} (${ids.slice(0, 2).join(', ')}${ids.length > 2 ? ', …' : ''})`);
  return parts.join(' or ');
}

const D = DEFAULT_SERVING_SETTINGS;

const MODEL_FLAGS = {
  config: { type: 'string', valueName: 'path', help: "A model's config.json (Hugging Face format)." },
  model: {
    type: 'string',
    valueName: 'org/name',
    help: 'Read config.json and parameter counts from the Hugging Face Hub instead of --config (token from env HF_TOKEN; bundled models work offline).',
  },
  'model-id': { type: 'string', valueName: 'org/name', help: 'Name to report for a --config model (default: derived from the path).' },
  'params-json': {
    type: 'string',
    valueName: 'path',
    help: 'Per-dtype safetensors parameter counts: {"BF16": n, ...} or the Hub model-info JSON with safetensors.parameters.',
  },
  'hf-quant-config': { type: 'string', valueName: 'path', help: "A ModelOpt checkpoint's hf_quant_config.json." },
} as const satisfies Record<string, FlagSpec>;

const SERVING_FLAGS = {
  'max-model-len': {
    type: 'string',
    valueName: 'tokens',
    help: `vLLM --max-model-len (default ${D.maxModelLenTokens}, capped at the model limit).`,
  },
  'gpu-mem-util': {
    type: 'string',
    valueName: '0..1',
    help: `vLLM --gpu-memory-utilization (default ${D.gpuMemoryUtilization}).`,
    aliases: ['--gpu-memory-utilization'],
  },
  'kv-cache-dtype': {
    type: 'string',
    valueName: KV_CACHE_DTYPES.join('|'),
    help: `vLLM --kv-cache-dtype (default ${D.kvCacheDtype} = model dtype).`,
  },
  quantization: {
    type: 'string',
    valueName: WEIGHT_PRECISIONS.join('|'),
    help: `Weight precision: vLLM --quantization for a 16-bit checkpoint, or a what-if pre-quantized checkpoint (default ${D.weightPrecision} = as stored). Same as --precision.`,
    aliases: ['-q'],
  },
  precision: { type: 'string', valueName: WEIGHT_PRECISIONS.join('|'), help: 'Same as --quantization.' },
  'max-num-batched-tokens': {
    type: 'string',
    valueName: 'tokens',
    help: `vLLM --max-num-batched-tokens (default: vLLM's for the GPU, ${perGpuDefaultText(vllmDefaultMaxNumBatchedTokens)}).`,
  },
  'max-num-seqs': {
    type: 'string',
    valueName: 'N',
    help: `vLLM --max-num-seqs (default: vLLM's for the GPU, ${perGpuDefaultText(vllmDefaultMaxNumSeqs)}).`,
  },
  'block-size': {
    type: 'string',
    valueName: 'tokens',
    help: `vLLM --block-size (default: vLLM's choice, ${DEFAULT_BLOCK_SIZE_TOKENS}, or ${MLA_BLOCK_SIZE_BLACKWELL_TOKENS} for MLA on Blackwell).`,
  },
  'enforce-eager': { type: 'boolean', help: `vLLM --enforce-eager: no CUDA graphs (default ${D.enforceEager ? 'on' : 'off'}).` },
  'disable-custom-all-reduce': {
    type: 'boolean',
    help: "vLLM --disable-custom-all-reduce: TP all-reduces through NCCL only, without the custom all-reduce's buffers (default off).",
  },
  'async-scheduling': {
    type: 'boolean',
    help: `vLLM --async-scheduling: the host schedules the next step while the GPU runs this one, so the per-step scheduling overhead hides under the GPU's time and a request joining a busy engine waits one step more (default: the release's, on from vLLM 0.${ASYNC_SCHEDULING_DEFAULT_ON_FROM_MINOR}, so on for ${DEFAULT_VLLM_VERSION}; not with pipeline parallelism before 0.${ASYNC_SCHEDULING_WITH_PP_FROM_MINOR}; with speculative decoding only EAGLE / MTP).`,
  },
  'no-async-scheduling': {
    type: 'boolean',
    help: 'vLLM --no-async-scheduling: every step waits for the host to schedule it after the previous one (the default before vLLM 0.14).',
  },
  'other-memory-gib': {
    type: 'string',
    valueName: 'GiB',
    help: 'Memory other processes already hold on each GPU at start (another server, a desktop, the OS on DGX Spark); vLLM needs total × utilization free (default 0).',
  },
  'vllm-version': {
    type: 'string',
    valueName: '0.16|0.17|…',
    help: `vLLM release whose memory accounting to plan (activation peak before 0.17, non-torch before 0.18, CUDA graphs inside the budget from 0.21); e.g. 0.16, 0.19.1 (default ${DEFAULT_VLLM_VERSION}, the current release).`,
  },
  engine: {
    type: 'string',
    valueName: SERVING_ENGINES.join('|'),
    help: `Serving engine whose memory plan and batch caps are used (default ${DEFAULT_SERVING_ENGINE}).`,
  },
  // SGLang (python/sglang/srt/server_args.py); read with --engine sglang only.
  'mem-fraction-static': {
    type: 'string',
    valueName: '0..1',
    help: "SGLang --mem-fraction-static: share of the free memory for weights + KV pool (default: SGLang's for the GPU and TP).",
  },
  'chunked-prefill-size': { type: 'string', valueName: 'tokens', help: "SGLang --chunked-prefill-size (default: SGLang's for the GPU)." },
  'max-running-requests': { type: 'string', valueName: 'N', help: "SGLang --max-running-requests (default: from SGLang's token pool)." },
  'cuda-graph-max-bs': { type: 'string', valueName: 'N', help: "SGLang --cuda-graph-max-bs (default: SGLang's for the GPU and TP)." },
  // TensorRT-LLM trtllm-serve (tensorrt_llm/commands/serve.py); read with --engine trtllm only.
  'kv-cache-free-gpu-memory-fraction': {
    type: 'string',
    valueName: '0..1',
    help: `TensorRT-LLM --kv_cache_free_gpu_memory_fraction: share of the memory left after the weights for the KV cache (default ${TRTLLM_DEFAULT_KV_CACHE_FREE_GPU_MEMORY_FRACTION}).`,
    aliases: ['--kv_cache_free_gpu_memory_fraction', '--kv_cache_free_gpu_mem_fraction'],
  },
  'max-batch-size': { type: 'string', valueName: 'N', help: `TensorRT-LLM --max_batch_size (default ${TRTLLM_DEFAULT_MAX_BATCH_SIZE}).`, aliases: ['--max_batch_size'] },
  'max-num-tokens': { type: 'string', valueName: 'tokens', help: `TensorRT-LLM --max_num_tokens (default ${TRTLLM_DEFAULT_MAX_NUM_TOKENS}).`, aliases: ['--max_num_tokens'] },
} as const satisfies Record<string, FlagSpec>;

const LAYOUT_FLAGS = {
  gpu: { type: 'string', valueName: 'id', help: 'GPU id or alias from `gpus` (e.g. H100, A100, "RTX 5090").' },
  'gpu-memory-gib': {
    type: 'string',
    valueName: 'GiB',
    help: "Custom GPU: the --gpu row with this much memory as the runtime reports it (1–1024 GiB), like the page's custom GPUs.",
  },
  tp: {
    type: 'string',
    valueName: 'N',
    help: `Tensor-parallel size (default ${DEFAULT_LAYOUT.tp}).`,
    aliases: ['--tensor-parallel-size', '-tp'],
  },
  pp: {
    type: 'string',
    valueName: 'N',
    help: `Pipeline-parallel size (default ${DEFAULT_LAYOUT.pp}).`,
    aliases: ['--pipeline-parallel-size', '-pp'],
  },
  dp: {
    type: 'string',
    valueName: 'N',
    help: `Data-parallel replicas (default ${DEFAULT_LAYOUT.dp}).`,
    aliases: ['--data-parallel-size', '-dp'],
  },
  ep: {
    type: 'boolean',
    help: 'Expert parallelism for MoE layers (vLLM --enable-expert-parallel).',
    aliases: ['--enable-expert-parallel', '-ep'],
  },
} as const satisfies Record<string, FlagSpec>;

const WORKLOAD_FLAGS = {
  isl: { type: 'string', valueName: 'tokens', help: 'Input (prompt) tokens per request.' },
  osl: { type: 'string', valueName: 'tokens', help: 'Output tokens per request.' },
  'price-usd-per-hour': { type: 'string', valueName: 'usd', help: "Override the catalog's reference price per GPU-hour." },
  // [prefix] Automatic prefix caching (engine/perf/prefixCache.ts); on by default as in vLLM V1, with no hits.
  'prefix-tokens': {
    type: 'string',
    valueName: 'N',
    help: 'Prompt tokens every request shares (system prompt, few-shot): cached once, skipped by the prefill at block granularity (default 0).',
  },
  'prefix-hit-rate': {
    type: 'string',
    valueName: '0..1',
    help: "Fraction of each prompt's tokens found in the prefix cache (default 0). Both prefix flags apply to the closed form and the simulator (--rate).",
  },
} as const satisfies Record<string, FlagSpec>;

/** Speculative decoding (issue 12; engine/perf/speculative.ts): the closed form's ITL and the KV pool. */
const SPECULATIVE_FLAGS = {
  'spec-method': { type: 'string', valueName: 'draft|eagle|eagle3|mtp', help: 'Speculative decoding: a draft model, EAGLE / EAGLE-3 heads, or the MTP layers the config declares.' },
  'spec-tokens': { type: 'string', valueName: 'N', help: 'Speculative tokens proposed per step (vLLM num_speculative_tokens; default 3).' },
  'spec-acceptance': { type: 'string', valueName: '0..1', help: 'Per-token acceptance probability (default: a published figure per method).' },
  'draft-config': { type: 'string', valueName: 'path', help: "The draft model's config.json (with --spec-method draft)." },
  'spec-topk': {
    type: 'string',
    valueName: 'N',
    help: 'Candidates per draft step (SGLang --speculative-eagle-topk; default 1 = a chain). Above 1 a token tree, with --engine sglang: --spec-tokens is its depth (--speculative-num-steps).',
  },
  'spec-draft-tokens': { type: 'string', valueName: 'N', help: 'Tokens the tree verifies per request, its root included (SGLang --speculative-num-draft-tokens; with --spec-topk > 1).' },
} as const satisfies Record<string, FlagSpec>;

/** The request-level simulator (engine/sim): load, lengths, percentile SLOs (issue 10's CLI contract). */
const SIMULATION_FLAGS = {
  rate: { type: 'string', valueName: 'req/s', help: 'Open-loop request rate (Poisson arrivals), instead of --concurrency.' },
  burstiness: { type: 'string', valueName: 'k', help: 'Gamma shape of the arrivals, as vllm bench serve --burstiness (default 1 = Poisson; < 1 burstier).' },
  'num-requests': { type: 'string', valueName: 'N', help: `Requests the simulated client sends (default ${DEFAULT_BENCHMARK_NUM_REQUESTS}, as vllm bench serve --num-prompts).` },
  seed: { type: 'string', valueName: 'N', help: 'Seed of the simulated arrivals and lengths (default 1).' },
  'isl-range': { type: 'string', valueName: '0..1', help: 'Prompt lengths uniform on isl × [1 − r, 1 + r], as --random-range-ratio (default 0).' },
  'osl-range': { type: 'string', valueName: '0..1', help: 'Output lengths uniform on osl × [1 − r, 1 + r] (default 0).' },
  'max-ttft-p99-ms': { type: 'string', valueName: 'ms', help: 'SLO: p99 time to first token (goodput, and the largest rate meeting the SLOs).' },
  'max-itl-p99-ms': { type: 'string', valueName: 'ms', help: 'SLO: p99 inter-token latency.' },
  'max-e2e-p99-ms': { type: 'string', valueName: 'ms', help: 'SLO: p99 end-to-end latency.' },
  'max-ttft-ms': { type: 'string', valueName: 'ms', help: 'SLO: time to first token at --slo-percentile.' },
  'max-itl-ms': { type: 'string', valueName: 'ms', help: 'SLO: inter-token latency at --slo-percentile.' },
  'max-e2e-ms': { type: 'string', valueName: 'ms', help: 'SLO: end-to-end latency at --slo-percentile.' },
  'slo-percentile': { type: 'string', valueName: SLO_PERCENTILES.join('|'), help: 'Percentile the --max-*-ms limits apply at (default 99).' },
} as const satisfies Record<string, FlagSpec>;

/** `recommend --rate`: a capacity plan at a target rate (engine/recommendAtRate.ts); the --max-*-ms limits then apply at --slo-percentile. */
const RECOMMEND_RATE_FLAGS = {
  rate: {
    type: 'string',
    valueName: 'req/s',
    help: 'Target request rate (open loop): rank by the cost of the replicas that serve it within the SLOs (simulated; replicasNeeded per candidate).',
  },
  burstiness: SIMULATION_FLAGS.burstiness,
  'num-requests': {
    type: 'string',
    valueName: 'N',
    help: `Requests per simulated run of a --rate plan, per replica (default ${DEFAULT_CAPACITY_NUM_REQUESTS}).`,
  },
  seed: SIMULATION_FLAGS.seed,
  'max-ttft-p99-ms': SIMULATION_FLAGS['max-ttft-p99-ms'],
  'max-itl-p99-ms': SIMULATION_FLAGS['max-itl-p99-ms'],
  'max-e2e-p99-ms': SIMULATION_FLAGS['max-e2e-p99-ms'],
  'slo-percentile': {
    type: 'string',
    valueName: SLO_PERCENTILES.join('|'),
    help: 'With --rate: the percentile the --max-*-ms limits apply at (default 99).',
  },
} as const satisfies Record<string, FlagSpec>;

/** [disagg] A disaggregated prefill/decode deployment (engine/disagg; issue 12's CLI contract). */
const DISAGG_FLAG = {
  disagg: { type: 'boolean', help: 'Disaggregated prefill/decode serving (vLLM NixlConnector): a prefill pool and a decode pool, simulated at --rate.' },
  routing: {
    type: 'string',
    valueName: 'random|round-robin|least-loaded',
    help:
      "With --rate: how a router spreads the stream over the replicas. Aggregated: random (each request to a replica at random: the even Poisson split, default), round-robin (request i to replica i mod n) or least-loaded (the replica where the prompt starts first, then the fewest outstanding requests, by the router's estimate: an approximation of llm-d's queue / KV-cache scorers); the copies needed are searched under it. With --disagg: each pool's replica, round-robin (vLLM's P/D proxy, default) or least-loaded (random is refused).",
  },
} as const satisfies Record<string, FlagSpec>;

const DISAGG_ESTIMATE_FLAGS = {
  ...DISAGG_FLAG,
  'prefill-gpu': { type: 'string', valueName: 'id', help: 'With --disagg: GPU of the prefill pool (default --gpu).' },
  'decode-gpu': { type: 'string', valueName: 'id', help: 'With --disagg: GPU of the decode pool (default --gpu).' },
  'prefill-tp': { type: 'string', valueName: 'N', help: 'With --disagg: tensor-parallel size of one prefill replica (default 1).' },
  'decode-tp': { type: 'string', valueName: 'N', help: 'With --disagg: tensor-parallel size of one decode replica (default 1).' },
  'prefill-pp': { type: 'string', valueName: 'N', help: 'With --disagg: pipeline-parallel size of one prefill replica (default 1).' },
  'decode-pp': { type: 'string', valueName: 'N', help: 'With --disagg: pipeline-parallel size of one decode replica (default 1).' },
  'prefill-replicas': { type: 'string', valueName: 'N', help: 'With --disagg: prefill replicas (default 1).' },
  'decode-replicas': { type: 'string', valueName: 'N', help: 'With --disagg: decode replicas (default 1).' },
  'prefill-ep': { type: 'boolean', help: 'With --disagg (MoE models): expert parallelism in each prefill replica (vLLM --enable-expert-parallel).' },
  'decode-ep': { type: 'boolean', help: 'With --disagg (MoE models): expert parallelism in each decode replica (wide EP decode).' },
  'prefill-dp': { type: 'string', valueName: 'N', help: 'With --prefill-ep: data-parallel attention ranks per prefill replica, the experts over all tp × dp GPUs (default 1).' },
  'decode-dp': { type: 'string', valueName: 'N', help: 'With --decode-ep: data-parallel attention ranks per decode replica, the experts over all tp × dp GPUs (default 1).' },
} as const satisfies Record<string, FlagSpec>;

const DISAGG_RECOMMEND_FLAGS = {
  ...DISAGG_FLAG,
  'prefill-gpus': { type: 'string', valueName: 'id,id,...', help: 'With --disagg: GPU types for the prefill pool (default --gpus).' },
  'decode-gpus': { type: 'string', valueName: 'id,id,...', help: 'With --disagg: GPU types for the decode pool (default --gpus).' },
} as const satisfies Record<string, FlagSpec>;

const OUTPUT_FLAGS = {
  json: { type: 'boolean', help: 'Print one JSON object instead of a table.' },
  help: { type: 'boolean', help: 'Show help for this command.', aliases: ['-h'] },
} as const satisfies Record<string, FlagSpec>;

export const COMMANDS = {
  plan: {
    summary: 'Plan GPU memory exactly as vLLM does at start-up (weights, activations, KV cache, concurrency).',
    usage: 'plan --config path/to/config.json --gpu H100 [--tp 2] [--max-model-len 8192] [--json]',
    flags: { ...MODEL_FLAGS, ...LAYOUT_FLAGS, ...SERVING_FLAGS, ...OUTPUT_FLAGS },
  },
  estimate: {
    summary: 'Estimate TTFT, ITL, throughput and cost for one GPU type and layout.',
    usage: 'estimate --config <path> --gpu H100 --tp 1 --isl 1024 --osl 512 (--concurrency 32|max | --rate 40) [--max-ttft-p99-ms 2000] [--json]',
    flags: {
      ...MODEL_FLAGS,
      ...LAYOUT_FLAGS,
      ...SERVING_FLAGS,
      ...WORKLOAD_FLAGS,
      concurrency: { type: 'string', valueName: 'N|max', help: 'Closed-loop concurrency, or max (all requests at once). Simulated too (percentiles).' },
      ...SIMULATION_FLAGS,
      ...SPECULATIVE_FLAGS,
      ...DISAGG_ESTIMATE_FLAGS,
      ...OUTPUT_FLAGS,
    },
  },
  recommend: {
    summary: 'Rank GPU types and layouts by cost, latency SLOs and fit: the best layout per GPU type and count (--all-layouts for every one).',
    usage: 'recommend --config <path> --isl 1024 --osl 512 [--max-ttft-ms 500] [--max-itl-ms 50] [--gpus H100,L40S] [--rate 40 [--slo-percentile 99]] [--json]',
    flags: {
      ...MODEL_FLAGS,
      ...SERVING_FLAGS,
      ...WORKLOAD_FLAGS,
      concurrency: {
        type: 'string',
        valueName: 'N|max|sweep',
        help: 'Fixed concurrency, max, or sweep (pick the best point per configuration; default).',
      },
      ...SPECULATIVE_FLAGS,
      'max-ttft-ms': { type: 'string', valueName: 'ms', help: 'SLO: largest acceptable time to first token (mean; with --rate at --slo-percentile).' },
      'max-itl-ms': { type: 'string', valueName: 'ms', help: 'SLO: largest acceptable inter-token latency (mean; with --rate at --slo-percentile).' },
      'max-e2e-ms': { type: 'string', valueName: 'ms', help: 'SLO: largest acceptable end-to-end request latency (mean; with --rate at --slo-percentile).' },
      'max-gpus': { type: 'string', valueName: 'N', help: `Most GPUs per configuration, all replicas together, across nodes: 16 = two 8-GPU nodes; one replica or EP group spans at most 256 (default ${DEFAULT_MAX_GPUS}).` },
      gpus: { type: 'string', valueName: 'id,id,...', help: 'GPU ids or aliases to consider (default: the whole catalog).' },
      'all-layouts': {
        type: 'boolean',
        help: 'List every layout (TP × PP × DP, EP) of each GPU type and count; by default only the best of each is listed, as in the page’s compact table.',
      },
      compact: {
        type: 'boolean',
        help: 'Fold replica copies as the page’s table does: 1, 2, 4 and 8 copies of one layout become one row that lists them (copies column; JSON replicaCopies). Off by default.',
      },
      top: { type: 'string', valueName: 'N', help: 'Print only the first N candidates (default: all).' },
      ...RECOMMEND_RATE_FLAGS,
      ...DISAGG_RECOMMEND_FLAGS,
      ...OUTPUT_FLAGS,
    },
  },
  doctor: {
    summary: 'Read a vLLM start-up log, plan the same setup and print each logged figure beside the plan, with the setting that explains a gap.',
    usage: 'doctor --log vllm-start.log [--gpu H100] [--config path | --model org/name] [--json]',
    flags: {
      log: { type: 'string', valueName: 'path', help: 'The vLLM start-up log (INFO or DEBUG level; stdout/stderr of vllm serve).' },
      ...MODEL_FLAGS,
      gpu: {
        type: 'string',
        valueName: 'id',
        help: "GPU the log ran on (default: the catalog GPU whose total matches the log's, else H100). The model defaults to the one the log names.",
      },
      ...OUTPUT_FLAGS,
    },
  },
  gpus: {
    summary: 'List the GPU catalog (memory as the runtime reports it, dense TFLOPS, interconnect, price, sources).',
    usage: 'gpus [--json]',
    flags: { ...OUTPUT_FLAGS },
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as readonly string[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** The flags of a command, widened to the spec type (aliases read uniformly). */
export function flagsOf(command: CommandName): Readonly<Record<string, FlagSpec>> {
  return COMMANDS[command].flags;
}

/** Flag names for a command, as `parseArgs` options. */
export function parseArgsOptions(command: CommandName): Record<string, { type: 'string' | 'boolean' }> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, spec] of Object.entries(flagsOf(command))) options[name] = { type: spec.type };
  return options;
}

function flagLines(flags: Readonly<Record<string, FlagSpec>>): string[] {
  const left = Object.entries(flags).map(([name, spec]) => {
    const spellings = [`--${name}`, ...(spec.aliases ?? [])].join(', ');
    return spec.type === 'boolean' ? spellings : `${spellings} <${spec.valueName ?? 'value'}>`;
  });
  const width = Math.max(...left.map((l) => l.length));
  return Object.values(flags).map((spec, i) => `  ${(left[i] ?? '').padEnd(width)}  ${spec.help}`);
}

const PROGRAM = 'gpu-fit';

export function commandHelp(command: CommandName): string {
  const spec = COMMANDS[command];
  return [`Usage: ${PROGRAM} ${spec.usage}`, '', spec.summary, '', 'Flags:', ...flagLines(spec.flags)].join('\n');
}

export function globalHelp(): string {
  const lines = [
    `Usage: ${PROGRAM} <command> [flags]`,
    `  (from a clone: npm run build, then npx ${PROGRAM} …; or npm run -s cli -- … without building)`,
    '',
    'Commands:',
  ];
  const width = Math.max(...COMMAND_NAMES.map((n) => n.length));
  for (const name of COMMAND_NAMES) {
    if (isCommandName(name)) lines.push(`  ${name.padEnd(width)}  ${COMMANDS[name].summary}`);
  }
  lines.push('', 'Exit codes: 0 ok, 1 model or engine error, 2 usage error.');
  for (const name of COMMAND_NAMES) {
    if (isCommandName(name)) lines.push('', commandHelp(name));
  }
  return lines.join('\n');
}
