/**
 * [disagg] What the page's P/D plans are asked for (issue 12 item 5), from the inputs and the
 * computed (aggregated) view: the target rate, the request, and the (prefill GPU, decode GPU) pairs
 * to size, in order. P/D is sized for a request rate with percentile SLOs (engine/disagg), so with a
 * concurrency load the answer is 'needs-rate' and the page says so, never a plan at a made-up rate.
 *
 * The GPU types: the user's prefill / decode choice, else the GPU filter's set. The engine simulates
 * every pair (~0.5 s each in the worker), so a role pairs at most MAX_PAGE_DISAGG_GPUS_PER_ROLE
 * types; a larger filter set gives the first of them in the aggregated ranking (cheapest per million
 * tokens first, recommend.ts rankOrder), and the page names which.
 */
import { MAX_PAGE_DISAGG_GPUS_PER_ROLE, disaggIgnored, disaggPairKey, type DisaggRow } from '../engine/disagg/disaggRows';
import type { RecommendRequest, TargetLoad } from '../engine/types';
import type { DisaggRouting } from '../engine/disagg/routing';
import type { Inputs } from './inputs';
import type { ComputedView } from './slices';
import { requestKey, targetLoadOf } from './selectors';

export { MAX_PAGE_DISAGG_GPUS_PER_ROLE };

export interface DisaggPairIds {
  prefillGpuId: string;
  decodeGpuId: string;
  key: string;
}

/** Where a role's GPU types came from. */
export type DisaggGpuSource = 'chosen' | 'filter' | 'ranking';

export type DisaggAsk =
  | { status: 'off' }
  /** P/D chosen with a concurrency load: it is sized for a request rate. */
  | { status: 'needs-rate' }
  /** No computed view yet. */
  | { status: 'waiting' }
  | {
      status: 'ready';
      /** Names the request, target and pairs: rows computed for another key are stale. */
      key: string;
      request: RecommendRequest;
      target: TargetLoad;
      /** The page's routing choice (inputs.disaggRouting). */
      routing: DisaggRouting;
      prefillGpuIds: readonly string[];
      decodeGpuIds: readonly string[];
      prefillSource: DisaggGpuSource;
      decodeSource: DisaggGpuSource;
      /** GPU types in the filter's set (before the cap), for the page's note. */
      filterGpuCount: number;
      pairs: readonly DisaggPairIds[];
      /** Request settings the P/D pools leave out (engine/disagg/disaggRows.ts disaggIgnored; every row of the ask names the same). */
      ignored: readonly string[];
    };

/** The filter's GPU types that the aggregated result has rows for, in its ranking order. */
function rankedFilterIds(view: ComputedView): string[] {
  const seen = new Set<string>();
  const fitting: string[] = [];
  for (const c of view.result.candidates) {
    if (c.perf === null || seen.has(c.gpuId)) continue;
    seen.add(c.gpuId);
    fitting.push(c.gpuId);
  }
  // GPUs the model fits on none of (no perf) last: P/D has nothing to offer there either.
  for (const c of view.result.candidates) if (!seen.has(c.gpuId)) { seen.add(c.gpuId); fitting.push(c.gpuId); }
  return fitting;
}

function roleIds(chosen: readonly string[] | null, ranked: readonly string[]): { ids: readonly string[]; source: DisaggGpuSource } {
  if (chosen !== null && chosen.length > 0) return { ids: chosen.slice(0, MAX_PAGE_DISAGG_GPUS_PER_ROLE), source: 'chosen' };
  if (ranked.length <= MAX_PAGE_DISAGG_GPUS_PER_ROLE) return { ids: ranked, source: 'filter' };
  return { ids: ranked.slice(0, MAX_PAGE_DISAGG_GPUS_PER_ROLE), source: 'ranking' };
}

export function disaggAskOf(inputs: Inputs, view: ComputedView | null): DisaggAsk {
  if (inputs.servingShape !== 'pd') return { status: 'off' };
  const target = targetLoadOf(inputs);
  if (target === null) return { status: 'needs-rate' };
  if (view === null) return { status: 'waiting' };
  const ranked = rankedFilterIds(view);
  const p = roleIds(inputs.prefillGpuIds, ranked);
  const d = roleIds(inputs.decodeGpuIds, ranked);
  // Same-type pairs first (the usual deployment: one GPU type, one node pool), then the mixed ones.
  const pairs: DisaggPairIds[] = [];
  for (const pg of p.ids) for (const dg of d.ids) if (pg === dg) pairs.push({ prefillGpuId: pg, decodeGpuId: dg, key: disaggPairKey(pg, dg) });
  for (const pg of p.ids) for (const dg of d.ids) if (pg !== dg) pairs.push({ prefillGpuId: pg, decodeGpuId: dg, key: disaggPairKey(pg, dg) });
  const key = `${requestKey(view.request)}|${JSON.stringify(target)}|${inputs.disaggRouting}|${pairs.map((x) => x.key).join(',')}`;
  return {
    status: 'ready',
    key,
    request: view.request,
    target,
    routing: inputs.disaggRouting,
    prefillGpuIds: p.ids,
    decodeGpuIds: d.ids,
    prefillSource: p.source,
    decodeSource: d.source,
    filterGpuCount: ranked.length,
    pairs,
    ignored: disaggIgnored(view.request, view.arch),
  };
}

/** The rows computed for the current ask, in the ask's pair order (pairs not yet simulated left out). */
export function disaggRowsOf(ask: DisaggAsk, rows: Readonly<Record<string, DisaggRow>>): DisaggRow[] {
  if (ask.status !== 'ready') return [];
  return ask.pairs.flatMap((p) => {
    const row = rows[p.key];
    return row === undefined ? [] : [row];
  });
}
