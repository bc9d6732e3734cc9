/**
 * The commands' work: flags → an engine session (engine/session.ts createEngineSession) → report.
 * Loaded by runCli only once the arguments are parsed, so `--help` and usage errors never load the
 * engine's planner or the Hub client. No arithmetic here beyond unit formatting (STYLE.md §1, habit 12).
 */
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { compactRanking, foldCompactCandidates, type ReplicaCopy } from '../engine/compactCandidates';
import { resolveServing } from '../engine/defaults';
import { withEngine } from '../engine/memory/engines/planEngineMemory';
import {
  checkBurstiness,
  checkConcurrency,
  checkGpuBudget,
  checkRangeRatio,
  checkRequestRate,
  checkSeed,
  checkSimulatedRequests,
  checkSloMs,
  checkSloPercentile,
  checkTokenCount,
} from '../engine/inputRules';
import { DEFAULT_BENCHMARK_NUM_REQUESTS } from '../engine/calibration';
import { usdPerMillionTokens } from '../engine/perf/cost';
import type { SimLoad } from '../engine/sim/load';
import type { PercentileSlo } from '../engine/sim/maxRate';
import { err, ok, type Result } from '../engine/result';
import { createEngineSession, type EngineSession } from '../engine/session';
import { runLogDoctor } from '../engine/startupLog/diagnose';
import { parseVllmLog } from '../engine/startupLog/parseVllmLog';
import { GiB } from '../engine/units';
import { DEFAULT_REPLICA_ROUTING, REPLICA_ROUTINGS } from '../engine/types';
import type {
  GpuSpec,
  Layout,
  MemoryPlan,
  ModelArch,
  PrefixCacheOptions,
  RecommendRequest,
  ReplicaRouting,
  RecommendResult,
  ResolvedServingOptions,
  ServingSettings,
  SloPercentile,
  TargetLoad,
  Workload,
} from '../engine/types';
import { DEFAULT_MAX_GPUS } from './cliDefaults';
import type { CommandName } from './commands';
import { readBoolean, readCountOrKeyword, readEnum, readNumber, readRuled, readString, requireRuled, type FlagValues } from './flags';
import type { CliIo } from './io';
import { loadModel, modelError, usageError, type CliError } from './loadModel';
import { readEngine, readGpu, readGpuList, readLayout, readPrefixCache, readPriceOverride, readServing } from './options';
import { readSpeculative, speculativeJson, speculativeSettingsJson } from './speculative';
import { isDisagg, refuseDisaggFlags, runEstimateDisagg, runRecommendDisagg } from './disagg';
import { speculativeMemoryPlan } from '../engine/perf/speculative';
import { asyncSchedulingActive, asyncSchedulingRequested, draftingMethod } from '../engine/perf/asyncScheduling';
import {
  estimateCapacityJson,
  estimateJson,
  gpusJson,
  keyValueTable,
  percentileOf,
  perfErrorMessage,
  planJson,
  recommendAtRateJson,
  prefixCacheJson,
  recommendJson,
  simulationJson,
  table,
} from './report';
import type { ListedCandidate, ListedLayouts, PrefixReport } from './report';

/** What a command prints on success. */
export interface Output {
  json: unknown;
  text: string;
}

/** Serving options with the prefix cache's workload inputs (none given = unchanged, so cache keys stay as before). */
function withPrefixCache<T extends ServingSettings | ResolvedServingOptions>(serving: T, prefix: PrefixCacheOptions | undefined): T {
  return prefix === undefined ? serving : { ...serving, prefixCache: prefix };
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
): Promise<Result<{ session: EngineSession; serving: ResolvedServingOptions; plan: MemoryPlan }, CliError>> {
  const arch = await loadModel(values, io);
  if (!arch.ok) return arch;
  const settings = fromUsage(readServing(values, arch.value));
  if (!settings.ok) return settings;
  const engine = fromUsage(readEngine(values));
  if (!engine.ok) return engine;
  const session = createEngineSession(arch.value, { gpus: [gpu] });
  // Memory planned as --engine's start-up does (memory/engines/; vLLM's by default).
  const serving = withEngine(resolveServing(settings.value, gpu), engine.value);
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

/** The simulator's load and SLO flags of `estimate` (issue 10's CLI contract), checked by the shared input rules. */
function readSimulation(
  values: FlagValues,
  concurrency: number | 'max' | undefined,
): Result<{ load: SimLoad; numRequests: number; seed: number; islRange: number; oslRange: number; slo: PercentileSlo | null; routing: ReplicaRouting }, CliError> {
  const rate = fromUsage(readRuled(values, 'rate', checkRequestRate));
  if (!rate.ok) return rate;
  if (rate.value !== undefined && concurrency !== undefined) return usageError('give --concurrency or --rate, not both');
  const routing = readReplicaRouting(values, rate.value !== undefined);
  if (!routing.ok) return routing;
  if (rate.value === undefined && concurrency === undefined) return usageError('missing required flag --concurrency (N or max) or --rate (requests per second)');
  const islRange = fromUsage(readRuled(values, 'isl-range', checkRangeRatio));
  if (!islRange.ok) return islRange;
  const oslRange = fromUsage(readRuled(values, 'osl-range', checkRangeRatio));
  if (!oslRange.ok) return oslRange;
  const run = readSimRunFlags(values);
  if (!run.ok) return run;
  const { burstiness, numRequests, seed, slo } = run.value;
  const load: SimLoad =
    rate.value !== undefined
      ? { kind: 'open-loop', ratePerS: rate.value, burstiness: burstiness ?? 1 }
      : concurrency === 'max'
        ? { kind: 'burst' }
        : { kind: 'closed-loop', concurrency: concurrency ?? 1 };
  return ok({
    load,
    numRequests: numRequests ?? DEFAULT_BENCHMARK_NUM_REQUESTS,
    seed: seed ?? 1,
    islRange: islRange.value ?? 0,
    oslRange: oslRange.value ?? 0,
    slo: slo.limits,
    routing: routing.value,
  });
}

/**
 * Aggregated `--routing` (engine types.ts REPLICA_ROUTINGS, sim/routedRun.ts): how a router spreads
 * the --rate stream over the replicas; random (the even split) without the flag. Only with a rate.
 */
function readReplicaRouting(values: FlagValues, hasRate: boolean): Result<ReplicaRouting, CliError> {
  if (values.routing !== undefined && !hasRate) return usageError('--routing needs --rate (a router spreads a request stream over the replicas; a closed loop has none)');
  const r = readEnum(values, 'routing', REPLICA_ROUTINGS);
  if (!r.ok) return usageError(r.error.message);
  return ok(r.value ?? DEFAULT_REPLICA_ROUTING);
}

/**
 * The run flags estimate's simulation and `recommend --rate` share — --burstiness, --num-requests,
 * --seed and the percentile limits — each checked by its shared input rule; unset ones stay
 * undefined (each command has its own defaults).
 */
function readSimRunFlags(
  values: FlagValues,
): Result<{ burstiness?: number; numRequests?: number; seed?: number; slo: { limits: PercentileSlo | null; percentile: SloPercentile } }, CliError> {
  const burstiness = fromUsage(readRuled(values, 'burstiness', checkBurstiness));
  if (!burstiness.ok) return burstiness;
  const numRequests = fromUsage(readRuled(values, 'num-requests', checkSimulatedRequests));
  if (!numRequests.ok) return numRequests;
  const seed = fromUsage(readRuled(values, 'seed', checkSeed));
  if (!seed.ok) return seed;
  const slo = readPercentileSlo(values);
  if (!slo.ok) return slo;
  return ok({ burstiness: burstiness.value, numRequests: numRequests.value, seed: seed.value, slo: slo.value });
}

/**
 * Percentile latency limits: --max-*-p99-ms, or --max-*-ms at --slo-percentile (default 99); not
 * both kinds. `limits` is null when none is given; `percentile` is the one chosen either way.
 */
function readPercentileSlo(values: FlagValues): Result<{ limits: PercentileSlo | null; percentile: SloPercentile }, CliError> {
  const limits: Record<string, number | undefined> = {};
  for (const name of ['max-ttft-p99-ms', 'max-itl-p99-ms', 'max-e2e-p99-ms', 'max-ttft-ms', 'max-itl-ms', 'max-e2e-ms']) {
    const v = fromUsage(readRuled(values, name, checkSloMs));
    if (!v.ok) return v;
    limits[name] = v.value;
  }
  const p99 = [limits['max-ttft-p99-ms'], limits['max-itl-p99-ms'], limits['max-e2e-p99-ms']];
  const atPercentile = [limits['max-ttft-ms'], limits['max-itl-ms'], limits['max-e2e-ms']];
  const percentileText = typeof values['slo-percentile'] === 'string' ? Number(values['slo-percentile']) : 99;
  const percentile = checkSloPercentile(percentileText);
  if (!percentile.ok) return usageError(`--slo-percentile must be ${percentile.error.expected}, got "${String(values['slo-percentile'])}"`);
  if (p99.some((v) => v !== undefined) && atPercentile.some((v) => v !== undefined)) {
    return usageError('give the --max-*-p99-ms limits or the --max-*-ms limits with --slo-percentile, not both');
  }
  const usesP99 = p99.some((v) => v !== undefined);
  const chosen = usesP99 ? p99 : atPercentile;
  const chosenPercentile: SloPercentile = usesP99 ? 99 : percentile.value;
  const slo: PercentileSlo | null = chosen.every((v) => v === undefined)
    ? null
    : { percentile: chosenPercentile, maxTtftMs: chosen[0] ?? null, maxItlMs: chosen[1] ?? null, maxE2eMs: chosen[2] ?? null };
  return ok({ limits: slo, percentile: chosenPercentile });
}

/** `recommend --rate`: the target load, or null without --rate (the rate-only flags then refused). */
function readTargetLoad(values: FlagValues, concurrency: number | 'max' | 'sweep' | undefined): Result<TargetLoad | null, CliError> {
  const rate = fromUsage(readRuled(values, 'rate', checkRequestRate));
  if (!rate.ok) return rate;
  if (rate.value === undefined) {
    const rateOnly = ['burstiness', 'num-requests', 'seed', 'slo-percentile', 'max-ttft-p99-ms', 'max-itl-p99-ms', 'max-e2e-p99-ms'].find((f) => values[f] !== undefined);
    return rateOnly === undefined ? ok(null) : usageError(`--${rateOnly} needs --rate (a target request rate; the closed-form ranking has no percentiles)`);
  }
  if (concurrency !== undefined) return usageError('give --concurrency or --rate, not both');
  const run = readSimRunFlags(values);
  if (!run.ok) return run;
  const { burstiness, numRequests, seed, slo } = run.value;
  const limits = slo.limits ?? { percentile: slo.percentile, maxTtftMs: null, maxItlMs: null, maxE2eMs: null };
  return ok({
    ratePerS: rate.value,
    burstiness: burstiness ?? 1,
    slo: limits,
    ...(numRequests !== undefined ? { numRequests } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
}

/** [disagg] `--disagg`: the P/D commands (cli/disagg.ts) take the target rate and its SLOs from the shared reader; without it their flags are refused. */
async function disaggregated(
  values: FlagValues,
  io: CliIo,
  command: 'estimate' | 'recommend',
): Promise<Result<Output, CliError> | null> {
  if (!isDisagg(values)) {
    const refused = refuseDisaggFlags(values);
    return refused.ok ? null : refused;
  }
  if (values.concurrency !== undefined) return usageError('--disagg is simulated at a request rate: give --rate, not --concurrency');
  const needsRate = usageError('--disagg needs --rate (requests per second): both pools are sized and simulated at a target rate');
  if (values.rate === undefined) return needsRate;
  const target = readTargetLoad(values, undefined);
  if (!target.ok) return target;
  if (target.value === null) return needsRate;
  return command === 'estimate' ? runEstimateDisagg(values, io, target.value) : runRecommendDisagg(values, io, target.value);
}

async function runEstimate(values: FlagValues, io: CliIo): Promise<Result<Output, CliError>> {
  const disagg = await disaggregated(values, io, 'estimate');
  if (disagg !== null) return disagg;
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
  const sim = readSimulation(values, concurrency.value);
  if (!sim.ok) return sim;
  const engine = fromUsage(readEngine(values));
  if (!engine.ok) return engine;
  const price = fromUsage(readPriceOverride(values));
  if (!price.ok) return price;
  const prefix = fromUsage(readPrefixCache(values, isl.value));
  if (!prefix.ok) return prefix;
  const planned = await planOnGpu(values, io, gpu.value, layout.value);
  if (!planned.ok) return planned;
  const { session, serving: plannedServing, plan: targetPlan } = planned.value;
  // The prefix cache changes no memory plan, only the estimate (engine/perf/prefixCache.ts).
  const serving = withPrefixCache(plannedServing, prefix.value);
  const arch = session.arch;
  const spec = await readSpeculative(values, io, arch);
  if (!spec.ok) return spec;
  // With speculative decoding the draft / heads' weights and KV come out of the KV pool (speculative.ts).
  const memory = spec.value === undefined ? targetPlan : speculativeMemoryPlan(targetPlan, arch, spec.value);
  const specFields = spec.value === undefined ? {} : speculativeJson(spec.value, readString(values, 'spec-acceptance') !== undefined, memory, targetPlan);
  if (!memory.fits) {
    return modelError(memory.message ?? `${arch.modelId} does not fit on ${gpu.value.id} with tp=${layout.value.tp} (${memory.reason ?? 'no fit'})`);
  }
  const common = {
    gpu: gpu.value,
    layout: layout.value,
    serving,
    engine: engine.value,
    memory,
    ...(price.value !== undefined ? { priceUsdPerHour: price.value } : {}),
  };
  // The simulator and the closed form both run the draft (verify steps) and the prefix cache (serving.prefixCache).
  const speculative = spec.value === undefined ? {} : { speculative: spec.value };
  // Whether the step model overlapped the host's work with the GPU's (vLLM's async scheduling, perf/asyncScheduling.ts).
  const asyncJson = engine.value === 'vllm' ? { asyncScheduling: asyncSchedulingActive(serving, engine.value, layout.value.pp, draftingMethod(spec.value)) } : {};
  const s = sim.value;
  const simulated = session.simulate({
    ...common,
    ...speculative,
    workload: {
      inputTokens: isl.value,
      outputTokens: osl.value,
      load: s.load,
      numRequests: s.numRequests,
      seed: s.seed,
      inputLengths: s.islRange > 0 ? { kind: 'uniform', rangeRatio: s.islRange } : { kind: 'fixed' },
      outputLengths: s.oslRange > 0 ? { kind: 'uniform', rangeRatio: s.oslRange } : { kind: 'fixed' },
      slo: s.slo,
      searchMaxRate: s.slo !== null,
      // The copies the rate needs, planned as recommend --rate plans a row (engine sim/capacity.ts planFromReplicaRate).
      planReplicas: s.slo !== null,
      // Random (the even split) is the engine's default: passed only when another is asked.
      ...(s.routing === DEFAULT_REPLICA_ROUTING ? {} : { routing: s.routing }),
    },
  });
  const simJson = simulationJson(simulated);
  const gpuCount = layout.value.tp * layout.value.pp * layout.value.dp;
  let json: Record<string, unknown>;
  if (concurrency.value !== undefined) {
    // A closed loop or burst: the closed form's figures, unchanged, beside the simulator's.
    // An all-at-once run ends with its longest answer (perf/burstTail.ts): the closed form sees the simulator's --osl-range too.
    const workload: Workload = {
      inputTokens: isl.value,
      outputTokens: osl.value,
      concurrency: concurrency.value,
      numRequests: s.numRequests,
      ...(s.oslRange > 0 ? { outputLengths: { kind: 'uniform', rangeRatio: s.oslRange } } : {}),
    };
    const perf = session.estimate({ ...common, workload, ...speculative });
    if (perf.perfError !== null) return modelError(perfErrorMessage(perf.perfError));
    json = {
      ...estimateJson(arch, gpu.value, layout.value, memory, perf, { isl: isl.value, osl: osl.value, concurrency: concurrency.value, engine: engine.value }),
      ...specFields,
      ...asyncJson,
      ...prefixCacheJson(prefix.value, engine.value, isl.value, memory.blockSizeTokens),
      ...simJson,
      // Replicas answer a target rate: none with a concurrency.
      ...estimateCapacityJson(null),
    };
  } else {
    // An open-loop rate: only the simulator answers it; its means are the mean fields.
    const costUsdPerHour = (price.value ?? gpu.value.priceUsdPerHour) * gpuCount;
    json = {
      model: arch.modelId,
      gpu: gpu.value.id,
      gpuCount,
      tp: layout.value.tp,
      pp: layout.value.pp,
      dp: layout.value.dp,
      ep: layout.value.ep,
      engine: engine.value,
      isl: isl.value,
      osl: osl.value,
      rate: s.load.kind === 'open-loop' ? s.load.ratePerS : null,
      burstiness: s.load.kind === 'open-loop' ? s.load.burstiness : null,
      // How the router spread the rate over the dp replicas and the planned copies (sim/routedRun.ts).
      routing: s.routing,
      ttftMs: simJson.simulated.ttftMs,
      itlMs: simJson.simulated.itlMs,
      e2eMs: simJson.simulated.e2eMs,
      requestsPerS: simJson.simulated.requestsPerS,
      outputTokensPerS: simJson.simulated.outputTokensPerS,
      costUsdPerHour,
      usdPerMillionOutputTokens: usdPerMillionTokens(costUsdPerHour, simulated.outputTokensPerS),
      maxConcurrency: Math.round(memory.maxConcurrency * 100) / 100,
      kvCacheTokens: memory.kvCacheTokens,
      ...specFields,
      ...asyncJson,
      ...prefixCacheJson(prefix.value, engine.value, isl.value, memory.blockSizeTokens),
      ...simJson,
      ...estimateCapacityJson(simulated.capacity ?? null),
    };
  }
  const text = [
    `${arch.modelId} on ${gpu.value.id} × ${gpuCount} (${engine.value}); simulated ${simulated.simulatedRequests} requests (${simulated.measuredRequests} measured)`,
    keyValueTable(json, ['model', 'gpu', 'simulated']),
  ].join('\n');
  return ok({ json, text });
}

async function runRecommend(values: FlagValues, io: CliIo): Promise<Result<Output, CliError>> {
  const disagg = await disaggregated(values, io, 'recommend');
  if (disagg !== null) return disagg;
  const isl = fromUsage(requireRuled(values, 'isl', checkTokenCount));
  if (!isl.ok) return isl;
  const osl = fromUsage(requireRuled(values, 'osl', checkTokenCount));
  if (!osl.ok) return osl;
  const concurrency = fromUsage(readCountOrKeyword(values, 'concurrency', ['max', 'sweep'] as const, checkConcurrency));
  if (!concurrency.ok) return concurrency;
  const read = readTargetLoad(values, concurrency.value);
  if (!read.ok) return read;
  const routing = readReplicaRouting(values, read.value !== null);
  if (!routing.ok) return routing;
  // Random (the even split) is the engine's default: set only when another is asked, so the default plan is as before.
  const target = ok(read.value === null || routing.value === DEFAULT_REPLICA_ROUTING ? read.value : { ...read.value, routing: routing.value });
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
  const listing = readListing(values);
  if (!listing.ok) return listing;
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
  const spec = await readSpeculative(values, io, arch.value);
  if (!spec.ok) return spec;
  const prefix = fromUsage(readPrefixCache(values, isl.value));
  if (!prefix.ok) return prefix;

  const considered = gpus.value ?? GPU_CATALOG;
  const priceOverrides: Record<string, number> = {};
  if (price.value !== undefined) for (const g of considered) priceOverrides[g.id] = price.value;
  const request: RecommendRequest = {
    inputTokens: isl.value,
    outputTokens: osl.value,
    concurrency: concurrency.value ?? 'sweep',
    serving: withPrefixCache(serving.value, prefix.value),
    slo: { maxTtftMs: maxTtft.value ?? null, maxItlMs: maxItl.value ?? null, maxE2eMs: maxE2e.value ?? null },
    maxGpus: maxGpus.value ?? DEFAULT_MAX_GPUS,
    gpuIds: gpus.value === null ? null : gpus.value.map((g) => g.id),
    priceOverridesUsdPerHour: priceOverrides,
    engine: engine.value,
    load: target.value,
    ...(spec.value === undefined ? {} : { speculative: spec.value }),
  };
  const result = createEngineSession(arch.value, { gpus: considered }).recommend(request);
  const prefixReport = prefix.value === undefined ? undefined : { options: prefix.value, inputTokens: isl.value };
  const specJson = {
    ...(spec.value === undefined ? {} : speculativeSettingsJson(spec.value, readString(values, 'spec-acceptance') !== undefined)),
    // vLLM's async scheduling as asked or its release's default (perf/asyncScheduling.ts); a PP > 1 row before 0.15 runs without it.
    ...(engine.value === 'vllm' ? { asyncScheduling: asyncSchedulingRequested(serving.value) } : {}),
  };
  if (target.value !== null) return ok(rateRecommendOutput(arch.value, result, target.value, listing.value, top.value, prefixReport, specJson));
  const { layouts } = listing.value;
  const allLayouts = layouts === 'all';
  const listed = listedCandidates(result, layouts);
  const json = {
    ...recommendJson(arch.value, result, listed, layouts, top.value, prefixReport),
    ...specJson,
  };
  const shown = allLayouts
    ? 'every layout'
    : layouts === 'compact'
      ? `the best layout of each GPU type × count with replica copies folded, as the page's table (${listed.length} rows)`
      : `the best layout of each GPU type × count (${listed.length}; --all-layouts for every one)`;
  const text = [
    `${arch.value.modelId}: ${result.candidates.length} configurations ranked in ${json.computeMs} ms; showing ${shown}`,
    table(
      [
        ...['#', 'gpu', 'n', 'tp', 'pp', 'dp', 'ep', 'nodes', 'fits', 'slo', 'conc', 'ttftMs', 'itlMs', 'tok/s', '$/h', '$/Mtok'],
        ...(allLayouts ? [] : ['+layouts']),
        ...(layouts === 'compact' ? ['copies'] : []),
      ],
      json.candidates.map((c, i) => [
        c.rank,
        c.gpu,
        c.gpuCount,
        c.tp,
        c.pp,
        c.dp,
        c.ep ? 'yes' : 'no',
        // ⚠: TP spans nodes (every all-reduce over the network; engine nodes.ts).
        `${c.nodes}${c.tpCrossesNodes ? ' ⚠' : ''}`,
        c.fits ? 'yes' : 'no',
        c.meetsSlo ? 'yes' : 'no',
        c.concurrency,
        c.ttftMs,
        c.itlMs,
        c.outputTokensPerS,
        c.costPerHour,
        c.costPerMillionOutputTokens,
        ...(allLayouts ? [] : [listed[i]?.otherLayouts]),
        ...(layouts === 'compact' ? [copiesCell(listed[i]?.replicaCopies)] : []),
      ]),
    ),
  ].join('\n');
  return ok({ json, text });
}

/** Which listing `recommend` prints: --all-layouts (every layout), --compact (replica copies folded, as the page) or the default. */
function readListing(values: FlagValues): Result<{ layouts: ListedLayouts }, CliError> {
  const all = readBoolean(values, 'all-layouts');
  const compact = readBoolean(values, 'compact');
  if (all && compact) return usageError('give --all-layouts (every layout) or --compact (replica copies folded), not both');
  return ok({ layouts: all ? 'all' : compact ? 'compact' : 'best-per-gpu-count' });
}

/** The candidates a listing prints, in rank order (engine/compactCandidates.ts for the two compact listings). */
function listedCandidates(result: RecommendResult, layouts: ListedLayouts): ListedCandidate[] {
  const entries = result.candidates.map((candidate, index) => ({ index, candidate }));
  switch (layouts) {
    case 'all':
      return entries;
    case 'best-per-gpu-count':
      return compactRanking(result);
    case 'compact':
      return foldCompactCandidates(entries, result.best);
    default: {
      const unknownListing: never = layouts;
      return unknownListing;
    }
  }
}

/** The copies column of `recommend --compact`: "1–8" replicas (the page's "1–8 copies"); "-" for a row that folds nothing. */
function copiesCell(copies: readonly ReplicaCopy[] | undefined): string | null {
  if (copies === undefined || copies.length === 0) return null;
  return `${copies[0]?.copies ?? 1}–${copies[copies.length - 1]?.copies ?? 1}`;
}

/** `recommend --rate`: the capacity plan's JSON (the closed-form fields kept, the plan's added) and its table. */
function rateRecommendOutput(
  arch: ModelArch,
  result: RecommendResult,
  target: TargetLoad,
  listing: { layouts: ListedLayouts },
  top: number | undefined,
  prefix: PrefixReport | undefined,
  specJson: object,
): Output {
  const listed = listedCandidates(result, listing.layouts);
  const json = { ...recommendAtRateJson(arch, result, target, listed, listing.layouts, top, prefix), ...specJson };
  const c = result.capacity;
  const text = [
    `${arch.modelId} at ${target.ratePerS} req/s, SLOs at p${target.slo.percentile}: ${result.candidates.length} configurations in ${json.computeMs} ms; ` +
      `${c?.searchedReplicaShapes ?? 0} replica shapes simulated (${c?.simulations ?? 0} runs), ${c?.prunedCandidates ?? 0} configurations left out by the closed form's bound`,
    table(
      ['#', 'gpu', 'n', 'tp', 'pp', 'dp', 'plan', 'replicas', 'gpus', '$/h', '$/Mtok', `ttftP${target.slo.percentile}`, `itlP${target.slo.percentile}`, 'maxRate/replica'],
      json.candidates.map((r) => [
        r.rank,
        r.gpu,
        r.gpuCount,
        r.tp,
        r.pp,
        r.dp,
        r.capacityStatus,
        r.replicasNeeded,
        r.totalGpus,
        r.capacityStatus === 'not-simulated' && r.boundCostPerHour !== null ? `≥${r.boundCostPerHour}` : r.totalCostPerHour,
        r.totalCostPerMillionOutputTokens,
        r.capacityStatus === 'planned' ? percentileOf(r, 'ttft', target.slo.percentile) : null,
        r.capacityStatus === 'planned' ? percentileOf(r, 'itl', target.slo.percentile) : null,
        r.maxRatePerReplicaRequestsPerS,
      ]),
    ),
  ].join('\n');
  return { json, text };
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
  // Without --gpu the doctor picks it (the log's device total, else its default GPU).
  let gpuId: string | null = null;
  if (values.gpu !== undefined) {
    const gpu = fromUsage(readGpu(values));
    if (!gpu.ok) return gpu;
    gpuId = gpu.value.id;
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
