/**
 * Every CLI command and flag in one typed table (STYLE.md habit 12, after huggingface.js `hub/cli.ts`).
 * Flag and output field names are a public contract: change them only with a version note.
 * The help text is generated from this table, so every flag is documented by construction.
 */

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** Placeholder shown in help, e.g. "N" or "path" (string flags only). */
  valueName?: string;
  help: string;
}

export interface CommandSpec {
  summary: string;
  usage: string;
  flags: Readonly<Record<string, FlagSpec>>;
}

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
  'max-model-len': { type: 'string', valueName: 'tokens', help: 'vLLM --max-model-len (default 8192, capped at the model limit).' },
  'gpu-mem-util': { type: 'string', valueName: '0..1', help: 'vLLM --gpu-memory-utilization (default 0.9).' },
  'kv-cache-dtype': { type: 'string', valueName: 'auto|fp8', help: 'vLLM --kv-cache-dtype (default auto = model dtype).' },
  quantization: {
    type: 'string',
    valueName: 'auto|bf16|fp8|int8|int4|fp4',
    help: 'Weight precision: vLLM --quantization for a 16-bit checkpoint, or a what-if pre-quantized checkpoint (default auto = as stored). Same as --precision.',
  },
  precision: { type: 'string', valueName: 'auto|bf16|fp8|int8|int4|fp4', help: 'Same as --quantization.' },
  'max-num-batched-tokens': { type: 'string', valueName: 'tokens', help: 'vLLM --max-num-batched-tokens (default 8192).' },
  'max-num-seqs': { type: 'string', valueName: 'N', help: 'vLLM --max-num-seqs (default 256).' },
  'block-size': { type: 'string', valueName: 'tokens', help: "vLLM --block-size (default: vLLM's choice, 16 or 64 for MLA)." },
  'enforce-eager': { type: 'boolean', help: 'vLLM --enforce-eager: no CUDA graphs.' },
} as const satisfies Record<string, FlagSpec>;

const LAYOUT_FLAGS = {
  gpu: { type: 'string', valueName: 'id', help: 'GPU id or alias from `gpus` (e.g. H100, A100, "RTX 5090").' },
  tp: { type: 'string', valueName: 'N', help: 'Tensor-parallel size (default 1).' },
  pp: { type: 'string', valueName: 'N', help: 'Pipeline-parallel size (default 1).' },
  dp: { type: 'string', valueName: 'N', help: 'Data-parallel replicas (default 1).' },
  ep: { type: 'boolean', help: 'Expert parallelism for MoE layers (vLLM --enable-expert-parallel).' },
} as const satisfies Record<string, FlagSpec>;

const WORKLOAD_FLAGS = {
  isl: { type: 'string', valueName: 'tokens', help: 'Input (prompt) tokens per request.' },
  osl: { type: 'string', valueName: 'tokens', help: 'Output tokens per request.' },
  engine: { type: 'string', valueName: 'vllm|sglang|trtllm', help: 'Serving engine (default vllm).' },
  'price-usd-per-hour': { type: 'string', valueName: 'usd', help: "Override the catalog's reference price per GPU-hour." },
} as const satisfies Record<string, FlagSpec>;

const OUTPUT_FLAGS = {
  json: { type: 'boolean', help: 'Print one JSON object instead of a table.' },
  help: { type: 'boolean', help: 'Show help for this command.' },
} as const satisfies Record<string, FlagSpec>;

export const COMMANDS = {
  plan: {
    summary: 'Plan GPU memory exactly as vLLM does at start-up (weights, activations, KV cache, concurrency).',
    usage: 'plan --config path/to/config.json --gpu H100 [--tp 2] [--max-model-len 8192] [--json]',
    flags: { ...MODEL_FLAGS, ...LAYOUT_FLAGS, ...SERVING_FLAGS, ...OUTPUT_FLAGS },
  },
  estimate: {
    summary: 'Estimate TTFT, ITL, throughput and cost for one GPU type and layout.',
    usage: 'estimate --config <path> --gpu H100 --tp 1 --isl 1024 --osl 512 --concurrency 32|max [--json]',
    flags: {
      ...MODEL_FLAGS,
      ...LAYOUT_FLAGS,
      ...SERVING_FLAGS,
      ...WORKLOAD_FLAGS,
      concurrency: { type: 'string', valueName: 'N|max', help: 'Closed-loop concurrency, or max (all requests at once).' },
      ...OUTPUT_FLAGS,
    },
  },
  recommend: {
    summary: 'Rank GPU types and layouts by cost, latency SLOs and fit.',
    usage: 'recommend --config <path> --isl 1024 --osl 512 [--max-ttft-ms 500] [--max-itl-ms 50] [--gpus H100,L40S] [--json]',
    flags: {
      ...MODEL_FLAGS,
      ...SERVING_FLAGS,
      ...WORKLOAD_FLAGS,
      concurrency: {
        type: 'string',
        valueName: 'N|max|sweep',
        help: 'Fixed concurrency, max, or sweep (pick the best point per configuration; default).',
      },
      'max-ttft-ms': { type: 'string', valueName: 'ms', help: 'SLO: largest acceptable time to first token.' },
      'max-itl-ms': { type: 'string', valueName: 'ms', help: 'SLO: largest acceptable inter-token latency.' },
      'max-e2e-ms': { type: 'string', valueName: 'ms', help: 'SLO: largest acceptable end-to-end request latency.' },
      'max-gpus': { type: 'string', valueName: 'N', help: 'Most GPUs per configuration, all replicas together (default 8).' },
      gpus: { type: 'string', valueName: 'id,id,...', help: 'GPU ids or aliases to consider (default: the whole catalog).' },
      top: { type: 'string', valueName: 'N', help: 'Print only the first N candidates (default: all).' },
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

/** Flag names for a command, as `parseArgs` options. */
export function parseArgsOptions(command: CommandName): Record<string, { type: 'string' | 'boolean' }> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, spec] of Object.entries(COMMANDS[command].flags)) options[name] = { type: spec.type };
  return options;
}

function flagLines(flags: Readonly<Record<string, FlagSpec>>): string[] {
  const left = Object.entries(flags).map(([name, spec]) =>
    spec.type === 'boolean' ? `--${name}` : `--${name} <${spec.valueName ?? 'value'}>`,
  );
  const width = Math.max(...left.map((l) => l.length));
  return Object.values(flags).map((spec, i) => `  ${(left[i] ?? '').padEnd(width)}  ${spec.help}`);
}

export function commandHelp(command: CommandName): string {
  const spec = COMMANDS[command];
  return [`Usage: npm run -s cli -- ${spec.usage}`, '', spec.summary, '', 'Flags:', ...flagLines(spec.flags)].join('\n');
}

export function globalHelp(): string {
  const lines = ['Usage: npm run -s cli -- <command> [flags]', '', 'Commands:'];
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
