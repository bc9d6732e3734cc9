/**
 * The commands' work: flags → an engine session (engine/session.ts createEngineSession) → report.
 * Loaded by runCli only once the arguments are parsed, so `--help` and usage errors never load the
 * engine's planner or the Hub client. No arithmetic here beyond unit formatting (STYLE.md §1, habit 12).
 */
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { compactRanking } from '../engine/compactCandidates';
import { resolveServing } from '../engine/defaults';
import { checkConcurrency, checkGpuBudget, checkSloMs, checkTokenCount } from '../engine/inputRules';
import { err, ok, type Result } from '../engine/result';
import { createEngineSession, type EngineSession } from '../engine/session';
import { gpusMatchingLog, runLogDoctor } from '../engine/startupLog/diagnose';
import { parseVllmLog } from '../engine/startupLog/parseVllmLog';
import { GiB } from '../engine/units';
import type { Candidate, GpuSpec, Layout, MemoryPlan, RecommendRequest, ServingOptions, Workload } from '../engine/types';
import { DEFAULT_MAX_GPUS } from './cliDefaults';
import type { CommandName } from './commands';
import { readBoolean, readCountOrKeyword, readNumber, readRuled, requireRuled, type FlagValues } from './flags';
import type { CliIo } from './io';
import { loadModel, modelError, usageError, type CliError } from './loadModel';
import { readEngine, readGpu, readGpuList, readLayout, readPriceOverride, readServing } from './options';
import { estimateJson, gpusJson, keyValueTable, perfErrorMessage, planJson, recommendJson, table } from './report';

/** What a command prints on success. */
export interface Output {
  json: unknown;
  text: string;
}

function fromUsage<T>(r: Result<T, { message: string }>): Result<T, CliError> {
  return r.ok ? r : usageError(r.error.message);
}

/** The model's session, its serving options resolved for this GPU and its memory plan: the preamble of plan and estimate. */
async function planOnGpu(
  values: FlagValues,
  io: CliIo,
  gpu: GpuSpec,
  layout: Layout,
): Promise<Result<{ session: EngineSession; serving: ServingOptions; plan: MemoryPlan }, CliError>> {
  const arch = await loadModel(values, io);
  if (!arch.ok) return arch;
  const settings = fromUsage(readServing(values, arch.value));
  if (!settings.ok) return settings;
  const session = createEngineSession(arch.value, { gpus: [gpu] });
  const serving = resolveServing(settings.value, gpu);
  return ok({ session, serving, plan: session.plan(gpu, layout, serving) });
}

async function runPlan(values: FlagValues, io: CliIo): Promise<Result<Output, CliError>> {
  const gpu = fromUsage(readGpu(values));
  if (!gpu.ok) return gpu;
  const layout = fromUsage(readLayout(values));
  if (!layout.ok) return layout;
  const planned = await planOnGpu(values, io, gpu.value, layout.value);
  if (!planned.ok) return planned;
  const { session, serving, plan } = planned.value;
  const arch = session.arch;
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
  const isl = fromUsage(requireRuled(values, 'isl', checkTokenCount));
  if (!isl.ok) return isl;
  const osl = fromUsage(requireRuled(values, 'osl', checkTokenCount));
  if (!osl.ok) return osl;
  const concurrency = fromUsage(readCountOrKeyword(values, 'concurrency', ['max'] as const, checkConcurrency));
  if (!concurrency.ok) return concurrency;
  if (concurrency.value === undefined) return usageError('missing required flag --concurrency (N or max)');
  const engine = fromUsage(readEngine(values));
  if (!engine.ok) return engine;
  const price = fromUsage(readPriceOverride(values));
  if (!price.ok) return price;
  const planned = await planOnGpu(values, io, gpu.value, layout.value);
  if (!planned.ok) return planned;
  const { session, serving, plan: memory } = planned.value;
  const arch = session.arch;
  if (!memory.fits) {
    return modelError(memory.message ?? `${arch.modelId} does not fit on ${gpu.value.id} with tp=${layout.value.tp} (${memory.reason ?? 'no fit'})`);
  }
  const workload: Workload = { inputTokens: isl.value, outputTokens: osl.value, concurrency: concurrency.value };
  const perf = session.estimate({
    gpu: gpu.value,
    layout: layout.value,
    serving,
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
  const isl = fromUsage(requireRuled(values, 'isl', checkTokenCount));
  if (!isl.ok) return isl;
  const osl = fromUsage(requireRuled(values, 'osl', checkTokenCount));
  if (!osl.ok) return osl;
  const concurrency = fromUsage(readCountOrKeyword(values, 'concurrency', ['max', 'sweep'] as const, checkConcurrency));
  if (!concurrency.ok) return concurrency;
  const maxTtft = fromUsage(readRuled(values, 'max-ttft-ms', checkSloMs));
  if (!maxTtft.ok) return maxTtft;
  const maxItl = fromUsage(readRuled(values, 'max-itl-ms', checkSloMs));
  if (!maxItl.ok) return maxItl;
  const maxE2e = fromUsage(readRuled(values, 'max-e2e-ms', checkSloMs));
  if (!maxE2e.ok) return maxE2e;
  const maxGpus = fromUsage(readRuled(values, 'max-gpus', checkGpuBudget));
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

  const considered = gpus.value ?? GPU_CATALOG;
  const priceOverrides: Record<string, number> = {};
  if (price.value !== undefined) for (const g of considered) priceOverrides[g.id] = price.value;
  const request: RecommendRequest = {
    inputTokens: isl.value,
    outputTokens: osl.value,
    concurrency: concurrency.value ?? 'sweep',
    serving: serving.value,
    slo: { maxTtftMs: maxTtft.value ?? null, maxItlMs: maxItl.value ?? null, maxE2eMs: maxE2e.value ?? null },
    maxGpus: maxGpus.value ?? DEFAULT_MAX_GPUS,
    gpuIds: gpus.value === null ? null : gpus.value.map((g) => g.id),
    priceOverridesUsdPerHour: priceOverrides,
    engine: engine.value,
  };
  const result = createEngineSession(arch.value, { gpus: considered }).recommend(request);
  const allLayouts = readBoolean(values, 'all-layouts');
  const listed: { index: number; candidate: Candidate; otherLayouts?: number }[] = allLayouts
    ? result.candidates.map((candidate, index) => ({ index, candidate }))
    : compactRanking(result);
  const json = recommendJson(arch.value, result, listed, allLayouts ? 'all' : 'best-per-gpu-count', top.value);
  const shown = allLayouts ? 'every layout' : `the best layout of each GPU type × count (${listed.length}; --all-layouts for every one)`;
  const text = [
    `${arch.value.modelId}: ${result.candidates.length} configurations ranked in ${json.computeMs} ms; showing ${shown}`,
    table(
      ['#', 'gpu', 'n', 'tp', 'pp', 'dp', 'fits', 'slo', 'conc', 'ttftMs', 'itlMs', 'tok/s', '$/h', '$/Mtok', ...(allLayouts ? [] : ['+layouts'])],
      json.candidates.map((c, i) => [
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
        ...(allLayouts ? [] : [listed[i]?.otherLayouts]),
      ]),
    ),
  ].join('\n');
  return ok({ json, text });
}

/** `doctor`: the start-up-log doctor of the page (engine/startupLog), on a log file. */
async function runDoctor(values: FlagValues, io: CliIo): Promise<Result<Output, CliError>> {
  const path = values.log;
  if (typeof path !== 'string' || path === '') return usageError('doctor needs --log <path to a vLLM start-up log>');
  const text = await io.readTextFile(path);
  if (!text.ok) return usageError(`cannot read --log ${path}: ${text.error}`);
  const log = parseVllmLog(text.value);
  if (log.fieldsFound === 0) return modelError(`${path} holds no vLLM start-up line`);
  // The model the log ran, unless the user names one.
  const modelValues: FlagValues =
    values.config === undefined && values.model === undefined && log.modelId !== null ? { ...values, model: log.modelId } : values;
  const arch = await loadModel(modelValues, io);
  if (!arch.ok) return arch;
  let gpuId: string;
  if (values.gpu !== undefined) {
    const gpu = fromUsage(readGpu(values));
    if (!gpu.ok) return gpu;
    gpuId = gpu.value.id;
  } else {
    // INFO-level 0.19 logs do not print the device total: H100, the GPU most published logs ran on.
    gpuId = gpusMatchingLog(log, GPU_CATALOG)[0]?.id ?? 'H100';
  }
  const session = createEngineSession(arch.value);
  const outcome = runLogDoctor(text.value, arch.value, GPU_CATALOG, gpuId, session.plan);
  const diagnosis = outcome.diagnosis;
  if (diagnosis === null) return modelError(`${path} holds no vLLM start-up line`);
  const { setup } = diagnosis;
  const json = {
    model: arch.value.modelId,
    loggedModel: log.modelId,
    vllmVersion: log.vllmVersion,
    gpu: setup.gpu.id,
    totalMemoryFrom: setup.totalMemoryFrom,
    tp: setup.layout.tp,
    pp: setup.layout.pp,
    maxModelLenTokens: setup.serving.maxModelLenTokens,
    gpuMemoryUtilization: setup.serving.gpuMemoryUtilization,
    rows: diagnosis.rows.map((r) => ({
      subject: r.subject,
      label: r.label,
      unit: r.unit === 'bytes' ? 'GiB' : r.unit,
      logged: r.unit === 'bytes' ? r.logged / GiB : r.logged,
      planned: r.unit === 'bytes' ? r.planned / GiB : r.planned,
      gapPct: r.gapPct,
      matches: r.matches,
      explanation: r.explanation,
    })),
    notes: diagnosis.notes,
    failure: log.failure,
  };
  const fmt = (v: number, unit: string): string => (unit === 'GiB' ? `${v.toFixed(2)} GiB` : unit === 'requests' ? `${v.toFixed(2)}x` : `${Math.round(v)}`);
  const lines = [
    `${log.modelId ?? arch.value.modelId} (vLLM ${log.vllmVersion ?? '?'}) on ${setup.gpu.id}, TP${setup.layout.tp} PP${setup.layout.pp}, max_model_len ${setup.serving.maxModelLenTokens}, utilization ${setup.serving.gpuMemoryUtilization}`,
    table(
      ['figure', 'log', 'plan', 'gap', ''],
      json.rows.map((r) => [r.label, fmt(r.logged, r.unit), fmt(r.planned, r.unit), `${r.gapPct >= 0 ? '+' : ''}${r.gapPct.toFixed(2)} %`, r.matches ? 'matches' : 'GAP']),
    ),
    ...json.rows.filter((r) => r.explanation !== null).map((r) => `${r.label}: ${r.explanation ?? ''}`),
    ...json.notes,
  ];
  return ok({ json, text: lines.join('\n') });
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

export async function execute(command: CommandName, values: FlagValues, io: CliIo): Promise<Result<Output, CliError>> {
  switch (command) {
    case 'plan':
      return runPlan(values, io);
    case 'estimate':
      return runEstimate(values, io);
    case 'recommend':
      return runRecommend(values, io);
    case 'doctor':
      return runDoctor(values, io);
    case 'gpus':
      return runGpus();
    default: {
      const _exhaustive: never = command;
      return err({ exitCode: 2, message: `unknown command ${String(_exhaustive)}` });
    }
  }
}
