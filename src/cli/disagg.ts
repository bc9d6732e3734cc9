/**
 * [disagg] `estimate --disagg` and `recommend --disagg` (issue 12 item 4): a disaggregated
 * prefill/decode deployment at a target rate (engine/disagg). execute.ts reads the shared run flags
 * (--rate, --burstiness, --num-requests, --seed, the percentile limits) and hands the target here.
 * Output field names are a public contract (issue 12): `prefill: {gpu, tp, pp, replicas, …}`,
 * `decode: {…}`, `kvTransferMsPerRequest`, and the deployment's latency / throughput / cost fields
 * under the names the aggregated JSON uses.
 */
import type { GpuSpec, Layout, ModelArch, PrefixCacheOptions, ServingEngine, SpeculativeModel, TargetLoad } from '../engine/types';
import { ok, type Result } from '../engine/result';
import { checkRangeRatio, checkTokenCount, checkGpuBudget } from '../engine/inputRules';
import { createEngineSession, type EngineSession } from '../engine/session';
import type { DisaggPool } from '../engine/disagg/simulateDisagg';
import { gpusPerReplica, meetsDisaggSlo, simulateDisagg } from '../engine/disagg/simulateDisagg';
import type { DisaggEstimate } from '../engine/disagg/simulateDisagg';
import type { AggregatedComparison } from '../engine/disagg/sizeDisagg';
import { compareAggregated } from '../engine/disagg/sizeDisagg';
import { disaggWorkload, poolShape, recommendDisagg } from '../engine/disagg/recommendDisagg';
import { disaggLaunch } from '../engine/disagg/launch';
import { disaggLayoutProblem } from '../engine/disagg/compatibility';
import type { LengthDistribution } from '../engine/sim/load';
import { DEFAULT_MAX_GPUS } from './cliDefaults';
import { readBoolean, readEnum, readNumber, readRuled, readString, requireRuled, type FlagValues } from './flags';
import { DISAGG_ROUTINGS, type DisaggRouting } from '../engine/disagg/routing';
import type { CliIo } from './io';
import { loadModel, modelError, usageError, type CliError } from './loadModel';
import { readEngine, readGpuList, readPrefixCache, readPriceOverride, readServing, resolveGpu } from './options';
import { prefixCacheJson, table } from './report';
import { readSpeculative, speculativeJson, speculativeSettingsJson } from './speculative';

/** What a command prints on success (execute.ts Output). */
interface Output {
  json: unknown;
  text: string;
}

/** Flags that only mean something with --disagg. */
export const DISAGG_ONLY_FLAGS = [
  'prefill-gpu',
  'decode-gpu',
  'prefill-tp',
  'decode-tp',
  'prefill-pp',
  'decode-pp',
  'prefill-replicas',
  'decode-replicas',
  'prefill-gpus',
  'decode-gpus',
  'prefill-ep',
  'decode-ep',
  'prefill-dp',
  'decode-dp',
] as const;

/** Without --disagg: the first P/D flag given, refused (it would be silently ignored). */
export function refuseDisaggFlags(values: FlagValues): Result<null, CliError> {
  const given = DISAGG_ONLY_FLAGS.find((f) => values[f] !== undefined && values[f] !== false);
  return given === undefined ? ok(null) : usageError(`--${given} needs --disagg (a disaggregated prefill/decode deployment)`);
}

/** Aggregated-serving flags that have no meaning for a P/D deployment (each pool has its own). */
const NOT_WITH_DISAGG = {
  estimate: ['tp', 'pp', 'dp', 'ep', 'gpu-memory-gib', 'concurrency'],
  recommend: ['concurrency', 'all-layouts', 'compact'],
} as const;

const WHY_NOT: Readonly<Record<string, string>> = {
  tp: 'give --prefill-tp and --decode-tp',
  pp: 'give --prefill-pp and --decode-pp',
  dp: 'give --prefill-replicas and --decode-replicas',
  ep: 'give --prefill-ep / --decode-ep (and --prefill-dp / --decode-dp)',
  concurrency: 'a P/D deployment is simulated at a request rate: give --rate',
  'all-layouts': 'recommend --disagg lists one plan per GPU pair',
  compact: 'recommend --disagg lists one plan per GPU pair',
  'gpu-memory-gib': 'custom GPU memory is not available for P/D pools yet',
};

export function refuseAggregatedFlags(values: FlagValues, command: keyof typeof NOT_WITH_DISAGG): Result<null, CliError> {
  const given = NOT_WITH_DISAGG[command].find((f) => values[f] !== undefined && values[f] !== false);
  if (given === undefined) return ok(null);
  return usageError(`--${given} does not apply with --disagg: ${WHY_NOT[given] ?? 'not modelled for P/D pools'}`);
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const roundOrNull = (value: number | null, digits: number): number | null => (value === null || !Number.isFinite(value) ? null : round(value, digits));

function lengthsOf(values: FlagValues): Result<{ inputLengths: LengthDistribution; outputLengths: LengthDistribution }, CliError> {
  const isl = readRuled(values, 'isl-range', checkRangeRatio);
  if (!isl.ok) return usageError(isl.error.message);
  const osl = readRuled(values, 'osl-range', checkRangeRatio);
  if (!osl.ok) return usageError(osl.error.message);
  const of = (r: number | undefined): LengthDistribution => (r !== undefined && r > 0 ? { kind: 'uniform', rangeRatio: r } : { kind: 'fixed' });
  return ok({ inputLengths: of(isl.value), outputLengths: of(osl.value) });
}

type PoolShape = Omit<DisaggPool, 'replicas'>;

function poolJson(shape: PoolShape, replicas: number, keepsUp: boolean) {
  const gpus = gpusPerReplica(shape.layout);
  return {
    gpu: shape.gpu.id,
    tp: shape.layout.tp,
    pp: shape.layout.pp,
    replicas,
    gpusPerReplica: gpus,
    gpuCount: gpus * replicas,
    // Expert parallelism: DP attention ranks per replica, the experts over all its GPUs (absent without EP: the JSON stays as before).
    ...(shape.layout.ep ? { dp: shape.layout.dp, ep: true } : {}),
    costPerHour: round(gpus * replicas * shape.priceUsdPerHour, 4),
    kvCacheTokensPerReplica: shape.memory.kvCacheTokens,
    keepsUp,
    // The draft loaded in this pool (its KV pool already less the draft's weights and KV).
    speculative:
      shape.speculative === undefined
        ? null
        : {
            method: shape.speculative.method,
            tokens: shape.speculative.tokens,
            acceptance: shape.speculative.acceptance,
            ...((shape.speculative.topk ?? 1) > 1 ? { topk: shape.speculative.topk, draftTokens: shape.speculative.draftTokens } : {}),
          },
  };
}

function aggregatedJson(a: AggregatedComparison | null, percentile: number) {
  if (a === null) return null;
  const eq = a.atEqualGpus;
  const plan = a.capacityPlan;
  const planned = plan.status === 'planned' ? plan : null;
  return {
    gpu: a.gpuId,
    tp: a.tp,
    pp: a.pp,
    ...(a.ep === true ? { dp: a.dp, ep: true } : {}),
    atEqualGpus:
      eq === null
        ? null
        : {
            replicas: eq.replicas,
            totalGpus: eq.totalGpus,
            costPerHour: round(eq.costUsdPerHour, 4),
            costPerMillionOutputTokens: round(eq.usdPerMillionOutputTokens, 4),
            ttftMs: round(eq.latency.ttftMs, 2),
            ttftP99Ms: round(eq.latency.ttftP99Ms, 2),
            itlMs: round(eq.latency.itlMs, 3),
            itlP99Ms: round(eq.latency.itlP99Ms, 3),
            e2eP99Ms: round(eq.latency.e2eP99Ms, 1),
            keepsUp: eq.keepsUp,
            meetsSlo: eq.meetsSlo,
          },
    // The cheapest number of copies of this shape meeting the SLOs at p{percentile} (sim/capacity.ts).
    capacityPlan: {
      capacityStatus: plan.status,
      sloPercentile: percentile,
      replicasNeeded: planned?.replicasNeeded ?? null,
      totalGpus: planned?.totalGpus ?? null,
      totalCostPerHour: planned === null ? null : round(planned.costUsdPerHour, 4),
      totalCostPerMillionOutputTokens: planned === null ? null : round(planned.usdPerMillionOutputTokens, 4),
      ttftP99Ms: planned === null ? null : round(planned.atTarget.ttftP99Ms, 2),
      itlP99Ms: planned === null ? null : round(planned.atTarget.itlP99Ms, 3),
    },
  };
}

/** One disaggregated deployment's JSON (the issue's contract), its comparison and launch commands. */
export function disaggCandidateJson(
  arch: ModelArch,
  prefill: PoolShape,
  decode: PoolShape,
  prefillReplicas: number,
  decodeReplicas: number,
  e: DisaggEstimate,
  meetsSlo: boolean | null,
  aggregated: AggregatedComparison | null,
  target: TargetLoad,
) {
  const l = e.latency;
  return {
    shape: 'disaggregated' as const,
    prefill: poolJson(prefill, prefillReplicas, e.prefillKeepsUp),
    decode: poolJson(decode, decodeReplicas, e.decodeKeepsUp),
    kvTransferMsPerRequest: round(e.kvTransferMsPerRequest, 4),
    kvTransferBytesPerRequest: Math.round(e.transfer.bytesPerRequest),
    // Prompt tokens one transfer carries: the prompt less the decode replica's own prefix-cache hit (NixlConnector pulls only the blocks it lacks).
    kvTransferTokensPerRequest: e.kvTransferTokensPerRequest ?? null,
    // Prompt tokens the prefill pool finds cached (its prefill computes the rest).
    prefillCachedTokensPerRequest: e.prefillCachedTokensPerRequest ?? 0,
    arrivals: e.arrivals ?? 'independent-split',
    routing: e.routing ?? null,
    simulatedRequests: e.simulatedRequests ?? null,
    kvTransferLink: { kind: e.transfer.link.kind, GBPerS: round(e.transfer.link.bytesPerS / 1e9, 2), source: e.transfer.link.source },
    kvTransferOverlap: 'none: NixlConnector transfers after the prefill completes (no layer-by-layer overlap)',
    kvLinkUtilisation: round(e.kvLinkUtilisation, 4),
    rate: target.ratePerS,
    meetsSlo,
    gpuCount: e.totalGpus,
    totalGpus: e.totalGpus,
    ttftMs: round(l.ttftMs, 2),
    ttftP50Ms: round(l.ttftP50Ms, 2),
    ttftP90Ms: round(l.ttftP90Ms, 2),
    ttftP99Ms: round(l.ttftP99Ms, 2),
    ttftParts: {
      prefillMs: round(l.prefillPartMs, 2),
      kvTransferMs: round(l.kvTransferMs, 4),
      kvReadyStepWaitMs: round(l.kvReadyStepWaitMs, 3),
      decodeFirstTokenMs: round(l.decodeFirstTokenPartMs, 2),
    },
    itlMs: round(l.itlMs, 3),
    itlP50Ms: round(l.itlP50Ms, 3),
    itlP90Ms: round(l.itlP90Ms, 3),
    itlP99Ms: round(l.itlP99Ms, 3),
    e2eMs: round(l.e2eMs, 1),
    e2eP99Ms: round(l.e2eP99Ms, 1),
    requestsPerS: round(e.requestsPerS, 4),
    outputTokensPerS: round(e.outputTokensPerS, 2),
    costPerHour: round(e.costUsdPerHour, 4),
    costPerMillionOutputTokens: roundOrNull(e.usdPerMillionOutputTokens, 4),
    totalCostPerHour: round(e.costUsdPerHour, 4),
    totalCostPerMillionOutputTokens: roundOrNull(e.usdPerMillionOutputTokens, 4),
    preemptions: { prefill: e.prefillPreemptions, decode: e.decodePreemptions },
    aggregated: aggregatedJson(aggregated, target.slo.percentile),
    launch: disaggLaunch(arch.modelId, { layout: prefill.layout, replicas: prefillReplicas }, { layout: decode.layout, replicas: decodeReplicas }),
  };
}

const POOL_RULE = { integer: true, min: 1, max: 1024 } as const;

/** 'TP2', or 'TP1 · DP8 · EP' for an expert-parallel replica. */
const layoutLabel = (l: Layout): string => (l.ep ? `TP${l.tp} · DP${l.dp} · EP` : `TP${l.tp}`);

/** Prefix caching (both pools) and speculative decoding (decode pool) as the flags ask for them. */
interface PoolExtras {
  prefix: PrefixCacheOptions | undefined;
  speculative: SpeculativeModel | undefined;
  /** --spec-acceptance given (else the method's published default). */
  acceptanceGiven: boolean;
}

/** `--prefix-tokens/--prefix-hit-rate` and `--spec-*` for a P/D deployment (the same readers as the aggregated commands). */
async function readPoolExtras(values: FlagValues, io: CliIo, arch: ModelArch, inputTokens: number): Promise<Result<PoolExtras, CliError>> {
  const prefix = readPrefixCache(values, inputTokens);
  if (!prefix.ok) return usageError(prefix.error.message);
  const spec = await readSpeculative(values, io, arch);
  if (!spec.ok) return spec;
  return ok({ prefix: prefix.value, speculative: spec.value, acceptanceGiven: readString(values, 'spec-acceptance') !== undefined });
}

/** The prefix-cache and speculative blocks of a P/D answer (absent when not asked for: the JSON stays as before). */
function extrasJson(extras: PoolExtras, engine: ServingEngine, inputTokens: number, decode: PoolShape | null, targetDecode: PoolShape | null) {
  const prefix = prefixCacheJson(extras.prefix, engine, inputTokens, decode?.memory.blockSizeTokens ?? 16);
  if (extras.speculative === undefined) return prefix;
  const spec =
    decode !== null && targetDecode !== null
      ? speculativeJson(extras.speculative, extras.acceptanceGiven, decode.memory, targetDecode.memory).speculative
      : speculativeSettingsJson(extras.speculative, extras.acceptanceGiven).speculative;
  return { ...prefix, speculative: { ...spec, pool: 'decode' as const } };
}

function readPoolGpu(values: FlagValues, role: 'prefill' | 'decode'): Result<GpuSpec, CliError> {
  const own = readString(values, `${role}-gpu`);
  const query = own ?? readString(values, 'gpu');
  if (query === undefined) return usageError(`--disagg needs --gpu (both pools) or --${role}-gpu`);
  const gpu = resolveGpu(query, own !== undefined ? `${role}-gpu` : 'gpu');
  return gpu.ok ? gpu : usageError(gpu.error.message);
}

function readPoolLayout(values: FlagValues, role: 'prefill' | 'decode'): Result<{ layout: Layout; replicas: number }, CliError> {
  const tp = readNumber(values, `${role}-tp`, POOL_RULE);
  if (!tp.ok) return usageError(tp.error.message);
  const pp = readNumber(values, `${role}-pp`, POOL_RULE);
  if (!pp.ok) return usageError(pp.error.message);
  const replicas = readNumber(values, `${role}-replicas`, POOL_RULE);
  if (!replicas.ok) return usageError(replicas.error.message);
  const dp = readNumber(values, `${role}-dp`, POOL_RULE);
  if (!dp.ok) return usageError(dp.error.message);
  const ep = readBoolean(values, `${role}-ep`);
  if (!ep && dp.value !== undefined && dp.value > 1) return usageError(`--${role}-dp needs --${role}-ep (without expert parallelism give --${role}-replicas)`);
  return ok({ layout: { tp: tp.value ?? 1, pp: pp.value ?? 1, dp: ep ? (dp.value ?? 1) : 1, ep }, replicas: replicas.value ?? 1 });
}

function planPool(
  session: EngineSession,
  arch: ModelArch,
  gpu: GpuSpec,
  layout: Layout,
  values: FlagValues,
  role: 'prefill' | 'decode',
  price: number | undefined,
  extras: PoolExtras,
) {
  const settings = readServing(values, arch);
  if (!settings.ok) return usageError(settings.error.message);
  const engine = readEngine(values);
  if (!engine.ok) return usageError(engine.error.message);
  const serving = extras.prefix === undefined ? settings.value : { ...settings.value, prefixCache: extras.prefix };
  // Speculative decoding runs in the decode pool only (the prefill pool's requests emit one token).
  const shape = poolShape(session, gpu, layout, serving, engine.value, price ?? gpu.priceUsdPerHour, role === 'decode' ? extras.speculative : undefined);
  if (!shape.ok) {
    const m = shape.error;
    const validTp = m.validTp.length > 0 && m.reason === 'invalid-layout' ? ` (valid --${role}-tp: ${m.validTp.join(', ')})` : '';
    return modelError(`${role} pool: ${m.message ?? `${arch.modelId} does not fit on ${gpu.id} with tp=${layout.tp} pp=${layout.pp}`}${validTp}`);
  }
  return ok(shape.value);
}

/** `estimate --disagg`: one P/D deployment (given pools and replica counts) at --rate. */
/** --routing (routing.ts): only what differs from round-robin is passed on, so the default run is as before. */
function readRouting(values: FlagValues): Result<{ routing?: DisaggRouting }, CliError> {
  if (values.routing === 'random') {
    return usageError("--routing random is the aggregated rate mode's split (each request to a replica at random); with --disagg the proxy routes round-robin (vLLM's proxy, default) or least-loaded");
  }
  const r = readEnum(values, 'routing', DISAGG_ROUTINGS);
  if (!r.ok) return usageError(r.error.message);
  return ok(r.value === undefined || r.value === 'round-robin' ? {} : { routing: r.value });
}

export async function runEstimateDisagg(values: FlagValues, io: CliIo, target: TargetLoad): Promise<Result<Output, CliError>> {
  const refused = refuseAggregatedFlags(values, 'estimate');
  if (!refused.ok) return refused;
  const routing = readRouting(values);
  if (!routing.ok) return routing;
  const isl = requireRuled(values, 'isl', checkTokenCount);
  if (!isl.ok) return usageError(isl.error.message);
  const osl = requireRuled(values, 'osl', checkTokenCount);
  if (!osl.ok) return usageError(osl.error.message);
  const lengths = lengthsOf(values);
  if (!lengths.ok) return lengths;
  const pGpu = readPoolGpu(values, 'prefill');
  if (!pGpu.ok) return pGpu;
  const dGpu = readPoolGpu(values, 'decode');
  if (!dGpu.ok) return dGpu;
  const pLayout = readPoolLayout(values, 'prefill');
  if (!pLayout.ok) return pLayout;
  const dLayout = readPoolLayout(values, 'decode');
  if (!dLayout.ok) return dLayout;
  const price = readPriceOverride(values);
  if (!price.ok) return usageError(price.error.message);
  const arch = await loadModel(values, io);
  if (!arch.ok) return arch;
  const problem = disaggLayoutProblem(arch.value, pLayout.value.layout, dLayout.value.layout);
  if (problem !== null) return usageError(`--prefill-tp / --decode-tp: ${problem}`);
  const extras = await readPoolExtras(values, io, arch.value, isl.value);
  if (!extras.ok) return extras;
  const session = createEngineSession(arch.value, { gpus: [pGpu.value, dGpu.value] });
  const prefill = planPool(session, arch.value, pGpu.value, pLayout.value.layout, values, 'prefill', price.value, extras.value);
  if (!prefill.ok) return prefill;
  const decode = planPool(session, arch.value, dGpu.value, dLayout.value.layout, values, 'decode', price.value, extras.value);
  if (!decode.ok) return decode;
  // The decode pool without its draft: what the speculative block's memory figures compare with.
  const decodeTarget = extras.value.speculative === undefined ? decode : planPool(session, arch.value, dGpu.value, dLayout.value.layout, values, 'decode', price.value, { ...extras.value, speculative: undefined });
  if (!decodeTarget.ok) return decodeTarget;
  const req = { inputTokens: isl.value, outputTokens: osl.value, target, ...lengths.value, ...routing.value };
  const w = disaggWorkload(req);
  const np = pLayout.value.replicas;
  const nd = dLayout.value.replicas;
  const e = simulateDisagg({ ...prefill.value, replicas: np }, { ...decode.value, replicas: nd }, w);
  const s = target.slo;
  const hasSlo = s.maxTtftMs !== null || s.maxItlMs !== null || s.maxE2eMs !== null;
  const meets = hasSlo ? e.prefillKeepsUp && e.decodeKeepsUp && meetsDisaggSlo(e.latency, s) : null;
  const aggregated = compareAggregated(decode.value, w, target, e.totalGpus);
  const json = {
    model: arch.value.modelId,
    engine: prefill.value.engine,
    isl: isl.value,
    osl: osl.value,
    burstiness: target.burstiness,
    sloPercentile: s.percentile,
    ...disaggCandidateJson(arch.value, prefill.value, decode.value, np, nd, e, meets, aggregated, target),
    ...extrasJson(extras.value, prefill.value.engine, isl.value, decode.value, decodeTarget.value),
  };
  const text = [
    `${arch.value.modelId} disaggregated at ${target.ratePerS} req/s: prefill ${np} × ${pGpu.value.id} ${layoutLabel(pLayout.value.layout)}, decode ${nd} × ${dGpu.value.id} ${layoutLabel(dLayout.value.layout)} (KV over ${e.transfer.link.kind}, ${json.kvTransferMsPerRequest} ms per request)`,
    table(
      ['shape', 'gpus', '$/h', '$/Mtok', 'ttftMs', `ttftP99`, 'itlMs', 'itlP99', 'meets SLO'],
      [
        ['P/D', json.totalGpus, json.costPerHour, json.costPerMillionOutputTokens, json.ttftMs, json.ttftP99Ms, json.itlMs, json.itlP99Ms, meets === null ? '-' : meets ? 'yes' : 'no'],
        ...(json.aggregated?.atEqualGpus
          ? [
              [
                `aggregated ${json.aggregated.gpu} TP${json.aggregated.tp}`,
                json.aggregated.atEqualGpus.totalGpus,
                json.aggregated.atEqualGpus.costPerHour,
                json.aggregated.atEqualGpus.costPerMillionOutputTokens,
                json.aggregated.atEqualGpus.ttftMs,
                json.aggregated.atEqualGpus.ttftP99Ms,
                json.aggregated.atEqualGpus.itlMs,
                json.aggregated.atEqualGpus.itlP99Ms,
                hasSlo ? (json.aggregated.atEqualGpus.meetsSlo ? 'yes' : 'no') : '-',
              ],
            ]
          : []),
      ],
    ),
    ...(json.aggregated === null
      ? []
      : [
          json.aggregated.capacityPlan.capacityStatus === 'planned'
            ? `aggregated ${json.aggregated.gpu} TP${json.aggregated.tp} within the SLOs: ${json.aggregated.capacityPlan.totalGpus} GPUs, $${json.aggregated.capacityPlan.totalCostPerHour}/h`
            : `aggregated ${json.aggregated.gpu} TP${json.aggregated.tp}: no copy count meets the SLOs (${json.aggregated.capacityPlan.capacityStatus})`,
        ]),
    `prefill: ${json.launch.prefill.command}`,
    `decode:  ${json.launch.decode.command}`,
  ].join('\n');
  return ok({ json, text });
}

/** Most GPU pairs one `recommend --disagg` simulates (each pair is a search of ~10 runs per layout). */
export const MAX_DISAGG_GPU_PAIRS = 16;

/** `recommend --disagg`: per (prefill GPU, decode GPU) pair, the cheapest P/D plan at --rate. */
export async function runRecommendDisagg(values: FlagValues, io: CliIo, target: TargetLoad): Promise<Result<Output, CliError>> {
  const refused = refuseAggregatedFlags(values, 'recommend');
  if (!refused.ok) return refused;
  const routing = readRouting(values);
  if (!routing.ok) return routing;
  const isl = requireRuled(values, 'isl', checkTokenCount);
  if (!isl.ok) return usageError(isl.error.message);
  const osl = requireRuled(values, 'osl', checkTokenCount);
  if (!osl.ok) return usageError(osl.error.message);
  const maxGpus = readRuled(values, 'max-gpus', checkGpuBudget);
  if (!maxGpus.ok) return usageError(maxGpus.error.message);
  const top = readNumber(values, 'top', { integer: true, min: 1, max: 1_000_000 });
  if (!top.ok) return usageError(top.error.message);
  const gpus = readGpuList(values, 'gpus');
  if (!gpus.ok) return usageError(gpus.error.message);
  const prefillGpus = readGpuList(values, 'prefill-gpus');
  if (!prefillGpus.ok) return usageError(prefillGpus.error.message);
  const decodeGpus = readGpuList(values, 'decode-gpus');
  if (!decodeGpus.ok) return usageError(decodeGpus.error.message);
  const pList = prefillGpus.value ?? gpus.value;
  const dList = decodeGpus.value ?? gpus.value;
  if (pList === null || dList === null) {
    return usageError('recommend --disagg needs the GPU types to pair: --prefill-gpus and --decode-gpus (or --gpus for both); every pair is simulated');
  }
  if (pList.length * dList.length > MAX_DISAGG_GPU_PAIRS) {
    return usageError(`recommend --disagg simulates every (prefill, decode) GPU pair: ${pList.length} × ${dList.length} is more than ${MAX_DISAGG_GPU_PAIRS}; list fewer GPUs`);
  }
  const engine = readEngine(values);
  if (!engine.ok) return usageError(engine.error.message);
  const price = readPriceOverride(values);
  if (!price.ok) return usageError(price.error.message);
  const arch = await loadModel(values, io);
  if (!arch.ok) return arch;
  const serving = readServing(values, arch.value);
  if (!serving.ok) return usageError(serving.error.message);
  const extras = await readPoolExtras(values, io, arch.value, isl.value);
  if (!extras.ok) return extras;
  const priceOverrides: Record<string, number> = {};
  if (price.value !== undefined) for (const g of [...pList, ...dList]) priceOverrides[g.id] = price.value;
  const session = createEngineSession(arch.value, { gpus: [...pList, ...dList] });
  const result = recommendDisagg(session, {
    inputTokens: isl.value,
    outputTokens: osl.value,
    target,
    serving: extras.value.prefix === undefined ? serving.value : { ...serving.value, prefixCache: extras.value.prefix },
    engine: engine.value,
    ...(extras.value.speculative === undefined ? {} : { speculative: extras.value.speculative }),
    prefillGpus: pList,
    decodeGpus: dList,
    ...routing.value,
    priceOverridesUsdPerHour: priceOverrides,
    maxGpus: maxGpus.value ?? DEFAULT_MAX_GPUS,
  });
  const rows = result.pairs.map((p, i) => {
    const plan = p.search.best ?? p.search.closest;
    return {
      rank: i + 1,
      prefillGpu: p.prefillGpuId,
      decodeGpu: p.decodeGpuId,
      // planned; slo-unreachable (a pair keeps up, none meets the SLOs); cannot-keep-up (none of the counts tried keeps up); over-gpu-budget (even the pools' lower bounds exceed --max-gpus).
      status:
        p.search.best !== null
          ? ('planned' as const)
          : plan !== null
            ? ('slo-unreachable' as const)
            : p.search.pairsInBudget === 0
              ? ('over-gpu-budget' as const)
              : ('cannot-keep-up' as const),
      ...(plan === null
        ? { prefill: null, decode: null, kvTransferMsPerRequest: null }
        : disaggCandidateJson(arch.value, p.prefill, p.decode, plan.prefillReplicas, plan.decodeReplicas, plan.estimate, plan.meetsSlo, p.aggregated, target)),
      prefillCapacityPerReplicaRequestsPerS: round(p.search.prefillCapacityRequestsPerS, 3),
      decodeCapacityPerReplicaRequestsPerS: round(p.search.decodeCapacityRequestsPerS, 3),
    };
  });
  const shown = top.value === undefined ? rows : rows.slice(0, top.value);
  const json = {
    model: arch.value.modelId,
    engine: engine.value,
    isl: isl.value,
    osl: osl.value,
    rate: target.ratePerS,
    burstiness: target.burstiness,
    slo: target.slo,
    simulations: result.simulations,
    computeMs: result.computeMs,
    best: rows.findIndex((r) => r.status === 'planned') >= 0 ? 0 : null,
    ...extrasJson(extras.value, engine.value, isl.value, result.pairs[0]?.decode ?? null, null),
    candidates: shown,
  };
  const p = target.slo.percentile;
  const text = [
    `${arch.value.modelId} disaggregated at ${target.ratePerS} req/s, SLOs at p${p}: ${result.pairs.length} GPU pairs, ${result.simulations} runs in ${result.computeMs} ms`,
    table(
      ['#', 'prefill', 'decode', 'plan', 'P', 'D', 'gpus', '$/h', '$/Mtok', 'ttftP99', 'itlP99', 'kvMs', 'agg gpus', 'agg $/h'],
      shown.map((r) => [
        r.rank,
        r.prefill === null ? r.prefillGpu : `${r.prefill.gpu} ${'ep' in r.prefill ? `TP${r.prefill.tp}·DP${r.prefill.dp}·EP` : `TP${r.prefill.tp}`}`,
        r.decode === null ? r.decodeGpu : `${r.decode.gpu} ${'ep' in r.decode ? `TP${r.decode.tp}·DP${r.decode.dp}·EP` : `TP${r.decode.tp}`}`,
        r.status,
        r.prefill?.replicas,
        r.decode?.replicas,
        'totalGpus' in r ? r.totalGpus : undefined,
        'costPerHour' in r ? r.costPerHour : undefined,
        'costPerMillionOutputTokens' in r ? r.costPerMillionOutputTokens : undefined,
        'ttftP99Ms' in r ? r.ttftP99Ms : undefined,
        'itlP99Ms' in r ? r.itlP99Ms : undefined,
        r.kvTransferMsPerRequest,
        'aggregated' in r ? r.aggregated?.capacityPlan.totalGpus : undefined,
        'aggregated' in r ? r.aggregated?.capacityPlan.totalCostPerHour : undefined,
      ]),
    ),
  ].join('\n');
  return ok({ json, text });
}

export const isDisagg = (values: FlagValues): boolean => readBoolean(values, 'disagg');
