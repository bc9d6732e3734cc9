/**
 * [disagg] How a P/D proxy picks a pool's replica for each request (tandem.ts):
 *
 * - 'round-robin': vLLM's P/D proxy (tests/v1/kv_connector/nixl_integration/toy_proxy_server.py,
 *   `get_next_client`: `itertools.cycle` over each pool's servers) — request i of a pool goes to
 *   replica i mod n, whatever each replica holds.
 * - 'least-loaded': a load-aware router in the manner of llm-d's inference scheduler, whose scorers
 *   pick the pod with the shortest queue / lowest KV-cache utilisation (llm-d-inference-scheduler:
 *   queue-scorer, kv-cache-utilization-scorer; its prefix-cache scorer is not modelled). The router
 *   holds its own estimate of each replica's outstanding work, as a proxy without the engines'
 *   internal state can:
 *     prefill: the replica's outstanding prompt tokens, each replica draining them at its full-chunk
 *       prefill rate (μ = chunk tokens ÷ the step model's time for a full chunk at the prompt's mean
 *       context): a request goes to the replica whose queue empties first (join the shortest queue by
 *       work), ties to the lowest index;
 *     decode: the replica's outstanding requests, each counted until its estimated end = dispatch +
 *       its output tokens × the replica's decode step at (outstanding + 1) requests (the step model):
 *       a request goes to the replica with the fewest, ties to the one that received least recently.
 *   APPROXIMATION: the router's estimate, not the simulated replica's state, decides (llm-d scrapes the
 *   engines' metrics, which lag too); the simulated runs then serve the assignment it made.
 */
import type { StepBatch } from '../perf/stepBatch';
import type { SimReplica } from '../sim/replica';
import type { SimRequests } from '../sim/load';

/** Routings a P/D deployment can be simulated with (the default is vLLM's round-robin). */
export const DISAGG_ROUTINGS = ['round-robin', 'least-loaded'] as const;
export type DisaggRouting = (typeof DISAGG_ROUTINGS)[number];
export const DEFAULT_DISAGG_ROUTING: DisaggRouting = 'round-robin';

/** A batch of `decodes` decodes at `decodeContext` tokens each and `prefill` prompt tokens at `prefillContext` each (per-window sums clipped to each window). */
function batchOf(replica: SimReplica, decodes: number, decodeContext: number, prefill: number, prefillContext: number): StepBatch {
  const n = replica.windowsTokens.length;
  const b: StepBatch = { decodeRequests: decodes, decodeContextTokens: new Float64Array(n), prefillTokens: prefill, prefillContextTokens: new Float64Array(n), finishingPrefills: 0 };
  replica.windowsTokens.forEach((w, i) => {
    b.decodeContextTokens[i] = decodes * Math.min(decodeContext, w);
    b.prefillContextTokens[i] = prefill * Math.min(prefillContext, w);
  });
  return b;
}

/** Prompt tokens per ms one replica prefills at a full chunk (its token budget) of prompts of `meanIsl` tokens (mean context isl ÷ 2). */
export function prefillTokensPerMs(replica: SimReplica, meanIsl: number): number {
  const chunk = Math.max(1, Math.floor(replica.maxNumBatchedTokens));
  const ms = replica.stepTimeMs(batchOf(replica, 0, 0, chunk, Math.max(1, meanIsl) / 2));
  return ms > 0 ? chunk / ms : Number.POSITIVE_INFINITY;
}

/**
 * Replica per request (index into `order`), for requests reaching the prefill pool at `atMs[id]`
 * in `order`, each carrying `workTokens[id]` prompt tokens to compute.
 */
export function routePrefill(routing: DisaggRouting, order: ArrayLike<number>, atMs: ArrayLike<number>, workTokens: ArrayLike<number>, replicas: number, tokensPerMs: number): Int32Array {
  const n = order.length;
  const out = new Int32Array(n);
  const np = Math.max(1, Math.floor(replicas));
  if (routing === 'round-robin' || np === 1) {
    for (let r = 0; r < n; r += 1) out[r] = r % np;
    return out;
  }
  // Each replica's estimated time its queue empties (a FIFO of prompt tokens drained at tokensPerMs).
  const freeAtMs = new Float64Array(np).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < n; r += 1) {
    const id = order[r] ?? 0;
    const t = atMs[id] ?? 0;
    let best = 0;
    let bestStart = Number.POSITIVE_INFINITY;
    for (let k = 0; k < np; k += 1) {
      const start = Math.max(t, freeAtMs[k] ?? 0);
      if (start < bestStart) {
        bestStart = start;
        best = k;
      }
    }
    freeAtMs[best] = bestStart + (workTokens[id] ?? 0) / tokensPerMs;
    out[r] = best;
  }
  return out;
}

/**
 * Replica per request for the decode pool: requests reach it at `atMs[id]` in `order` (non-decreasing
 * times), each with `outputTokens[id]` to generate at prompt `inputTokens[id]`.
 */
export function routeDecode(routing: DisaggRouting, order: ArrayLike<number>, atMs: ArrayLike<number>, requests: Pick<SimRequests, 'inputTokens' | 'outputTokens'>, replicas: number, replica: SimReplica): Int32Array {
  const n = order.length;
  const out = new Int32Array(n);
  const nd = Math.max(1, Math.floor(replicas));
  if (routing === 'round-robin' || nd === 1) {
    for (let r = 0; r < n; r += 1) out[r] = r % nd;
    return out;
  }
  // Each replica's outstanding requests' estimated ends, and when it last received one.
  const ends: number[][] = Array.from({ length: nd }, () => []);
  const lastSent = new Float64Array(nd).fill(-1);
  const stepMsAt = new Map<string, number>();
  const decodeStepMs = (decodes: number, context: number): number => {
    const key = `${decodes}|${Math.round(context / 64)}`;
    let ms = stepMsAt.get(key);
    if (ms === undefined) {
      ms = replica.stepTimeMs(batchOf(replica, decodes, context, 0, 0));
      stepMsAt.set(key, ms);
    }
    return ms;
  };
  for (let r = 0; r < n; r += 1) {
    const id = order[r] ?? 0;
    const t = atMs[id] ?? 0;
    let best = 0;
    let bestCount = Number.POSITIVE_INFINITY;
    for (let k = 0; k < nd; k += 1) {
      const list = ends[k] ?? [];
      // Drop the requests the router estimates finished by t.
      let w = 0;
      for (const e of list) if (e > t) list[w++] = e;
      list.length = w;
      if (w < bestCount || (w === bestCount && (lastSent[k] ?? 0) < (lastSent[best] ?? 0))) {
        bestCount = w;
        best = k;
      }
    }
    const osl = requests.outputTokens[id] ?? 1;
    const isl = requests.inputTokens[id] ?? 0;
    const batch = Math.min(Math.max(1, Math.floor(replica.maxNumSeqs)), bestCount + 1);
    ends[best]?.push(t + Math.max(1, osl) * decodeStepMs(batch, isl + osl / 2));
    lastSent[best] = r;
    out[r] = best;
  }
  return out;
}
