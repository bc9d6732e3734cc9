/**
 * The recommender: every catalog GPU × every layout vLLM accepts (tp from the model's valid TP sizes
 * ∩ {1, 2, 4, 8}, pp, data-parallel replicas, expert parallel for MoE) within the GPU budget, each
 * planned (memory) and estimated (perf) over a concurrency sweep; ranked fitting-and-meeting-the-SLO
 * first, cheapest per million output tokens first.
 */
import type { Candidate, GpuSpec, Layout, MemoryPlan, ModelArch, PerfEstimate, RecommendRequest, RecommendResult } from './types';
import { GPU_CATALOG } from './catalog/gpus';
import { planMemory } from './memory/planMemory';
import { maxPipelineParallel, validTpSizes } from './memory/layouts';
import type { ModelCost } from './perf/modelCost';
import { kvCapacityRequests, modelCostFor, perfEstimator } from './perf/estimatePerf';
import { concurrencyPoints, meetsSlo, pickOperatingPoint, sweepConcurrency } from './perf/sweep';
import type { SweepPoint } from './perf/sweep';
import { paretoFrontier } from './perf/pareto';

/** Largest TP / PP / GPUs per replica enumerated (one 8-GPU node). */
export const MAX_GPUS_PER_REPLICA = 8;
const POWERS_OF_TWO = [1, 2, 4, 8] as const;

/** Layouts to try for a model within `maxGpus`: tp × pp ≤ 8 per replica, dp replicas, EP variants for MoE. */
export function enumerateLayouts(arch: ModelArch, maxGpus: number): Layout[] {
  const tps = validTpSizes(arch, MAX_GPUS_PER_REPLICA).filter((tp) => (POWERS_OF_TWO as readonly number[]).includes(tp));
  const maxPp = Math.min(MAX_GPUS_PER_REPLICA, maxPipelineParallel(arch));
  const isMoe = arch.layers.some((l) => l.ffn.kind === 'moe');
  const out: Layout[] = [];
  for (const tp of tps) {
    for (const pp of POWERS_OF_TWO) {
      if (pp > maxPp || tp * pp > MAX_GPUS_PER_REPLICA || tp * pp > maxGpus) continue;
      for (let dp = 1; tp * pp * dp <= maxGpus; dp *= 2) {
        out.push({ tp, pp, dp, ep: false });
        // Expert parallelism needs more than one rank to spread experts over.
        if (isMoe && tp * dp > 1) out.push({ tp, pp, dp, ep: true });
      }
    }
  }
  return out;
}

const now = (): number => Date.now();

/**
 * Memory plans depend on the model, the GPU, the layout and the serving options, not on the workload
 * or the SLO: kept across recommend() calls (keyed by object identity of the arch and GPU) so that
 * moving the ISL/OSL/SLO inputs re-ranks without re-planning. Plans are plain immutable data.
 */
const planCache = new WeakMap<ModelArch, WeakMap<GpuSpec, Map<string, MemoryPlan>>>();

function cachedPlan(arch: ModelArch, gpu: GpuSpec, layout: Layout, serving: RecommendRequest['serving'], servingKey: string): MemoryPlan {
  let byGpu = planCache.get(arch);
  if (byGpu === undefined) {
    byGpu = new WeakMap();
    planCache.set(arch, byGpu);
  }
  let plans = byGpu.get(gpu);
  if (plans === undefined) {
    plans = new Map();
    byGpu.set(gpu, plans);
  }
  // Per-GPU memory does not depend on dp unless experts are spread over the replicas.
  const key = `${servingKey}|${layout.tp}/${layout.pp}/${layout.ep ? `${layout.dp}/ep` : ''}`;
  let plan = plans.get(key);
  if (plan === undefined) {
    plan = planMemory(arch, gpu, layout, serving);
    plans.set(key, plan);
  }
  return plan;
}

export function recommend(
  arch: ModelArch,
  req: RecommendRequest,
  gpus: readonly GpuSpec[] = GPU_CATALOG,
  clock: () => number = now,
): RecommendResult {
  const t0 = clock();
  const wanted = req.gpuIds === null ? gpus : gpus.filter((g) => req.gpuIds?.includes(g.id));
  const layouts = enumerateLayouts(arch, req.maxGpus);
  // Per-model aggregates depend on the layout only: built once per layout, shared by every GPU.
  const costs = new Map<string, ModelCost>();
  const costFor = (layout: Layout): ModelCost => {
    const key = `${layout.tp}/${layout.pp}/${layout.dp}/${layout.ep ? 1 : 0}`;
    let cost = costs.get(key);
    if (cost === undefined) {
      cost = modelCostFor(arch, req.serving, layout);
      costs.set(key, cost);
    }
    return cost;
  };

  const servingKey = JSON.stringify(req.serving);
  const candidates: Candidate[] = [];
  for (const gpu of wanted) {
    const price = req.priceOverridesUsdPerHour[gpu.id];
    for (const layout of layouts) {
      candidates.push(evaluate(arch, gpu, layout, cachedPlan(arch, gpu, layout, req.serving, servingKey), costFor(layout), req, price));
    }
  }

  const ranked = rank(candidates);
  const fitting = ranked.map((c, i) => ({ c, i })).filter(({ c }) => c.perf !== null);
  const firstMeeting = ranked.findIndex((c) => c.perf !== null && c.meetsSlo);
  const argBest = (score: (p: PerfEstimate) => number): number | null => {
    let best: number | null = null;
    let bestScore = Infinity;
    for (const { c, i } of fitting) {
      if (c.perf === null) continue;
      const s = score(c.perf);
      if (s < bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return best;
  };
  const pareto = paretoFrontier(
    fitting.map(({ c }) => ({ usdPerMillionOutputTokens: c.perf?.usdPerMillionOutputTokens ?? Infinity, latencyMs: c.perf?.e2eMs ?? Infinity })),
  ).map((k) => fitting[k]?.i ?? -1);

  return {
    candidates: ranked,
    best: {
      cheapestMeetingSlo: firstMeeting >= 0 ? firstMeeting : null,
      lowestLatency: argBest((p) => p.e2eMs),
      highestThroughput: argBest((p) => -p.outputTokensPerS),
    },
    pareto: pareto.filter((i) => i >= 0),
    computeMs: Math.max(0, clock() - t0),
  };
}

function evaluate(
  arch: ModelArch,
  gpu: GpuSpec,
  layout: Layout,
  memory: MemoryPlan,
  cost: ModelCost,
  req: RecommendRequest,
  priceUsdPerHour: number | undefined,
): Candidate {
  const gpuCount = layout.tp * layout.pp * layout.dp;
  const base = { gpuId: gpu.id, gpuCount, layout, memory };
  if (!memory.fits) return { ...base, perf: null, concurrency: null, meetsSlo: false, sweep: [] };
  const input = { arch, gpu, layout, serving: req.serving, engine: req.engine, memory, priceUsdPerHour };
  const at = perfEstimator(input, cost, req.inputTokens, req.outputTokens);
  // Sweep up to what the replicas can run at once: max_num_seqs or the KV pool, whichever binds.
  const perReplica = Math.min(req.serving.maxNumSeqs, kvCapacityRequests(memory, req.inputTokens + req.outputTokens));
  const sweep: SweepPoint[] = sweepConcurrency(concurrencyPoints(Math.max(1, perReplica) * layout.dp), (c) => at(c));

  if (req.concurrency === 'sweep') {
    const pick = pickOperatingPoint(sweep, req.slo);
    const point = pick === null ? undefined : sweep[pick.index];
    if (point === undefined || pick === null) return { ...base, perf: null, concurrency: null, meetsSlo: false, sweep };
    // A sweep point is a PerfEstimate (plus its concurrency): shared, not copied.
    return { ...base, perf: point, concurrency: point.concurrency, meetsSlo: pick.meetsSlo, sweep };
  }
  const perf = at(req.concurrency);
  return { ...base, perf, concurrency: req.concurrency === 'max' ? null : req.concurrency, meetsSlo: meetsSlo(perf, req.slo), sweep };
}

/** Fitting and meeting the SLO first, then fitting, then the rest; cheapest per million output tokens first. */
function rank(candidates: readonly Candidate[]): Candidate[] {
  const tier = (c: Candidate): number => (c.perf === null ? 2 : c.meetsSlo ? 0 : 1);
  const usd = (c: Candidate): number => c.perf?.usdPerMillionOutputTokens ?? Infinity;
  return [...candidates].sort((a, b) => tier(a) - tier(b) || usd(a) - usd(b) || a.gpuCount - b.gpuCount);
}
