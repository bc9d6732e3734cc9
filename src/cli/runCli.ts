/**
 * The CLI as a function: argv in, exit code out, all IO injected (tests call it in-process).
 * Flags → engine → JSON; no arithmetic here beyond unit formatting (STYLE.md §1, habit 12).
 */
import { parseArgs } from 'node:util';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { planMemory } from '../engine/memory/planMemory';
import { estimatePerf } from '../engine/perf/estimatePerf';
import { recommend } from '../engine/recommend';
import { err, ok, type Result } from '../engine/result';
import type { GpuSpec, Layout, MemoryPlan, ModelArch, RecommendRequest, ServingOptions, Workload } from '../engine/types';
import { COMMANDS, commandHelp, globalHelp, isCommandName, parseArgsOptions, type CommandName } from './commands';
import { readBoolean, readCountOrKeyword, readNumber, requireNumber, type FlagValues } from './flags';
import type { CliIo } from './io';
import { loadModel, modelError, usageError, type CliError } from './loadModel';
import { resolveServing } from '../engine/defaults';
import { readEngine, readGpu, readGpuList, readLayout, readPriceOverride, readServing } from './options';
import { estimateJson, gpusJson, perfErrorMessage, keyValueTable, planJson, recommendJson, table } from './report';

export type { CliIo } from './io';

/** What a command prints on success. */
interface Output {
  json: unknown;
  text: string;
}

const TOKENS = { integer: true, min: 1, max: 100_000_000 } as const;
const MS = { above: 0, max: 1e9 } as const;

function fromUsage<T>(r: Result<T, { message: string }>): Result<T, CliError> {
  return r.ok ? r : usageError(r.error.message);
}

/** The model, its serving options resolved for this GPU and its memory plan: the preamble of plan and estimate. */
async function planOnGpu(
  values: FlagValues,
  io: CliIo,
  gpu: GpuSpec,
  layout: Layout,
): Promise<Result<{ arch: ModelArch; serving: ServingOptions; plan: MemoryPlan }, CliError>> {
  const arch = await loadModel(values, io);
  if (!arch.ok) return arch;
  const settings = fromUsage(readServing(values, arch.value));
  if (!settings.ok) return settings;
  const serving = resolveServing(settings.value, gpu);
  return ok({ arch: arch.value, serving, plan: planMemory(arch.value, gpu, layout, serving) });
}

async function runPlan(values: FlagValues, io: CliIo): Promise<Result<Output, CliError>> {
  const gpu = fromUsage(readGpu(values));
  if (!gpu.ok) return gpu;
  const layout = fromUsage(readLayout(values));
  if (!layout.ok) return layout;
  const planned = await planOnGpu(values, io, gpu.value, layout.value);
  if (!planned.ok) return planned;
  const { arch, serving, plan } = planned.value;
  if (!plan.fits && (plan.reason === 'invalid-layout' || plan.reason === 'precision-unsupported')) {
    const validTp = plan.validTp.length > 0 ? ` (valid --tp: ${plan.validTp.join(', ')})` : '';
    return modelError(`${plan.message ?? `layout tp=${layout.value.tp} pp=${layout.value.pp} is not valid for ${arch.modelId}`}${validTp}`);
  }
  const json = planJson(arch, gpu.value, layout.value, serving, plan);
  const text = [
    `${arch.modelId} on ${gpu.value.id} × ${layout.value.tp * layout.value.pp * layout.value.dp} (tp=${layout.value.tp} pp=${layout.value.pp} dp=${layout.value.dp})`,
    keyValueTable(json, ['model', 'gpu', 'tp', 'pp', 'dp', 'kvGroups', 'explain', 'assumptions']),
    ...(json.explain.length > 0 ? ['', ...json.explain] : []),
  ].join('\n');
  return ok({ json, text });
}

async function runEstimate(values: FlagValues, io: CliIo): Promise<Result<Output, CliError>> {
  const gpu = fromUsage(readGpu(values));
  if (!gpu.ok) return gpu;
  const layout = fromUsage(readLayout(values));
  if (!layout.ok) return layout;
  const isl = fromUsage(requireNumber(values, 'isl', TOKENS));
  if (!isl.ok) return isl;
  const osl = fromUsage(requireNumber(values, 'osl', TOKENS));
  if (!osl.ok) return osl;
  const concurrency = fromUsage(readCountOrKeyword(values, 'concurrency', ['max'] as const));
  if (!concurrency.ok) return concurrency;
  if (concurrency.value === undefined) return usageError('missing required flag --concurrency (N or max)');
  const engine = fromUsage(readEngine(values));
  if (!engine.ok) return engine;
  const price = fromUsage(readPriceOverride(values));
  if (!price.ok) return price;
  const planned = await planOnGpu(values, io, gpu.value, layout.value);
  if (!planned.ok) return planned;
  const { arch, serving, plan: memory } = planned.value;
  if (!memory.fits) {
    return modelError(memory.message ?? `${arch.modelId} does not fit on ${gpu.value.id} with tp=${layout.value.tp} (${memory.reason ?? 'no fit'})`);
  }
  const workload: Workload = { inputTokens: isl.value, outputTokens: osl.value, concurrency: concurrency.value };
  const perf = estimatePerf({
    arch: arch,
    gpu: gpu.value,
    layout: layout.value,
    serving: serving,
    workload,
    engine: engine.value,
    memory,
    ...(price.value !== undefined ? { priceUsdPerHour: price.value } : {}),
  });
  if (perf.perfError !== null) return modelError(perfErrorMessage(perf.perfError));
  const json = estimateJson(arch, gpu.value, layout.value, memory, perf, {
    isl: isl.value,
    osl: osl.value,
    concurrency: concurrency.value,
    engine: engine.value,
  });
  const text = [`${arch.modelId} on ${gpu.value.id} × ${json.gpuCount} (${engine.value})`, keyValueTable(json, ['model', 'gpu'])].join('\n');
  return ok({ json, text });
}

async function runRecommend(values: FlagValues, io: CliIo): Promise<Result<Output, CliError>> {
  const isl = fromUsage(requireNumber(values, 'isl', TOKENS));
  if (!isl.ok) return isl;
  const osl = fromUsage(requireNumber(values, 'osl', TOKENS));
  if (!osl.ok) return osl;
  const concurrency = fromUsage(readCountOrKeyword(values, 'concurrency', ['max', 'sweep'] as const));
  if (!concurrency.ok) return concurrency;
  const maxTtft = fromUsage(readNumber(values, 'max-ttft-ms', MS));
  if (!maxTtft.ok) return maxTtft;
  const maxItl = fromUsage(readNumber(values, 'max-itl-ms', MS));
  if (!maxItl.ok) return maxItl;
  const maxE2e = fromUsage(readNumber(values, 'max-e2e-ms', MS));
  if (!maxE2e.ok) return maxE2e;
  const maxGpus = fromUsage(readNumber(values, 'max-gpus', { integer: true, min: 1, max: 4096 }));
  if (!maxGpus.ok) return maxGpus;
  const top = fromUsage(readNumber(values, 'top', { integer: true, min: 1, max: 1_000_000 }));
  if (!top.ok) return top;
  const gpus = fromUsage(readGpuList(values, 'gpus'));
  if (!gpus.ok) return gpus;
  const engine = fromUsage(readEngine(values));
  if (!engine.ok) return engine;
  const price = fromUsage(readPriceOverride(values));
  if (!price.ok) return price;
  const arch = await loadModel(values, io);
  if (!arch.ok) return arch;
  const serving = fromUsage(readServing(values, arch.value));
  if (!serving.ok) return serving;

  const gpuIds = gpus.value === null ? null : gpus.value.map((g) => g.id);
  const priceOverrides: Record<string, number> = {};
  if (price.value !== undefined) for (const g of gpus.value ?? GPU_CATALOG) priceOverrides[g.id] = price.value;
  const request: RecommendRequest = {
    inputTokens: isl.value,
    outputTokens: osl.value,
    concurrency: concurrency.value ?? 'sweep',
    serving: serving.value,
    slo: { maxTtftMs: maxTtft.value ?? null, maxItlMs: maxItl.value ?? null, maxE2eMs: maxE2e.value ?? null },
    maxGpus: maxGpus.value ?? 8,
    gpuIds,
    priceOverridesUsdPerHour: priceOverrides,
    engine: engine.value,
  };
  const result = recommend(arch.value, request, gpus.value ?? GPU_CATALOG);
  const json = recommendJson(arch.value, result, top.value);
  const text = [
    `${arch.value.modelId}: ${result.candidates.length} configurations ranked in ${json.computeMs} ms`,
    table(
      ['#', 'gpu', 'n', 'tp', 'pp', 'dp', 'fits', 'slo', 'conc', 'ttftMs', 'itlMs', 'tok/s', '$/h', '$/Mtok'],
      json.candidates.map((c) => [
        c.rank,
        c.gpu,
        c.gpuCount,
        c.tp,
        c.pp,
        c.dp,
        c.fits ? 'yes' : 'no',
        c.meetsSlo ? 'yes' : 'no',
        c.concurrency,
        c.ttftMs,
        c.itlMs,
        c.outputTokensPerS,
        c.costPerHour,
        c.costPerMillionOutputTokens,
      ]),
    ),
  ].join('\n');
  return ok({ json, text });
}

function runGpus(): Result<Output, CliError> {
  const json = gpusJson(GPU_CATALOG);
  const text = table(
    ['id', 'name', 'memGiB', 'GB/s', 'bf16', 'fp8', 'fp4', 'link', 'link GB/s', '$/h'],
    json.gpus.map((g) => [
      g.id,
      g.name,
      g.memoryGiB.toFixed(2),
      g.memBandwidthGBPerS,
      g.denseTflops.bf16 ?? g.denseTflops.fp16,
      'fp8' in g.denseTflops ? g.denseTflops.fp8 : undefined,
      'fp4' in g.denseTflops ? g.denseTflops.fp4 : undefined,
      g.interconnect.kind,
      g.interconnect.GBPerS,
      g.priceUsdPerHour,
    ]),
  );
  return ok({ json, text });
}

async function dispatch(command: CommandName, values: FlagValues, io: CliIo): Promise<Result<Output, CliError>> {
  switch (command) {
    case 'plan':
      return runPlan(values, io);
    case 'estimate':
      return runEstimate(values, io);
    case 'recommend':
      return runRecommend(values, io);
    case 'gpus':
      return runGpus();
    default: {
      const _exhaustive: never = command;
      return err({ exitCode: 2, message: `unknown command ${String(_exhaustive)}` });
    }
  }
}

/**
 * `--tp -1`: parseArgs reads "-1" as an option and reports an "ambiguous" argument. Joining a string flag with a
 * following negative number (`--tp=-1`) lets the flag readers say what is wrong with the value instead.
 */
function joinNegativeValues(args: readonly string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (options[name]?.type === 'string' && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** First line of an error only: the contract is one line on stderr. */
function oneLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Runs one CLI invocation. Returns the process exit code: 0 ok, 1 model or engine error, 2 usage error.
 * Never throws for bad input; an exception escaping here is a bug.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === undefined) {
      io.stderr(globalHelp());
      return 2;
    }
    io.stdout(globalHelp());
    return 0;
  }
  if (!isCommandName(first)) {
    io.stderr(`error: unknown command "${first}"; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)`);
    return 2;
  }
  let values: FlagValues;
  try {
    // parseArgs throws TypeError with an ERR_PARSE_ARGS_* code for unknown flags and missing values.
    const options = parseArgsOptions(first);
    values = parseArgs({ args: joinNegativeValues(rest, options), options, allowPositionals: false, strict: true }).values;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`error: ${oneLine(message)} (see ${first} --help)`);
    return 2;
  }
  if (readBoolean(values, 'help')) {
    io.stdout(commandHelp(first));
    return 0;
  }
  const result = await dispatch(first, values, io);
  if (!result.ok) {
    io.stderr(`error: ${oneLine(result.error.message)}`);
    return result.error.exitCode;
  }
  io.stdout(readBoolean(values, 'json') ? JSON.stringify(result.value.json, null, 2) : result.value.text);
  return 0;
}
