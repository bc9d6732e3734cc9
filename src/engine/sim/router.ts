/**
 * A router's estimate of each engine replica's outstanding work, and the replica it picks per request
 * (issue 12). Shared by the P/D proxy's pools (disagg/routing.ts, disagg/tandem.ts) and aggregated
 * replicas behind one router (sim/routedRun.ts). A router without the engines' internal state keeps
 * its own estimate, as a proxy can:
 * - shortest work (routeShortestWork): each replica's outstanding prompt tokens drained at its
 *   full-chunk prefill rate (prefillTokensPerMs); a request goes to the replica whose queue empties
 *   first (join the shortest queue by work), ties to the lowest index;
 * - fewest outstanding (routeFewestOutstanding): each replica's outstanding requests, each counted
 *   until its estimated end = dispatch + its lead time (the aggregated replica's own prefill; 0 in a
 *   decode pool) + its output tokens × the replica's decode step at (outstanding + 1) requests (the
 *   step model); a request goes to the replica with the fewest, ties to the one that received least
 *   recently — llm-d's inference scheduler's queue / KV-cache-utilisation scorers pick the pod with
 *   the least outstanding load the same way (llm-d-inference-scheduler: queue-scorer,
 *   kv-cache-utilization-scorer; its prefix-cache scorer is not modelled).
 * APPROXIMATION: the router's estimate, not the simulated replica's state, decides (llm-d scrapes the
 * engines' metrics, which lag too); the simulated runs then serve the assignment it made.
 */
import type { StepBatch } from '../perf/stepBatch';
import type { SimReplica } from './replica';
import type { SimRequests } from './load';

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
 * Each stream request's prompt tokens left to compute after the replica's prefix-cache hit (at least
 * 1; the last prompt token is always computed), and the stream's mean prompt length: the work the
 * shortest-work estimate drains at prefillTokensPerMs(replica, meanInputTokens).
 */
export function promptWork(replica: SimReplica, stream: SimRequests): { workTokens: Float64Array; meanInputTokens: number } {
  const n = stream.count;
  const rule = replica.prefixCache;
  const workTokens = new Float64Array(n);
  let islSum = 0;
  for (let i = 0; i < n; i += 1) {
    const isl = stream.inputTokens[i] ?? 0;
    islSum += isl;
    workTokens[i] = Math.max(1, isl - (rule === undefined ? 0 : Math.min(rule(isl).cachedTokensPerRequest, isl - 1)));
  }
  return { workTokens, meanInputTokens: n > 0 ? islSum / n : 1 };
}

/** The request indices routed to each replica (`to[i]`: request i's replica), each list in request order. */
export function groupByReplica(to: Int32Array, replicas: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: replicas }, () => []);
  for (let i = 0; i < to.length; i += 1) lists[to[i] ?? 0]?.push(i);
  return lists.map((l) => Int32Array.from(l));
}

/** i mod n for the i-th request in order: round-robin (vLLM's P/D proxy; a balancer cycling its servers). */
export function routeRoundRobin(count: number, replicas: number): Int32Array {
  const n = Math.max(1, Math.floor(replicas));
  const out = new Int32Array(count);
  for (let r = 0; r < count; r += 1) out[r] = r % n;
  return out;
}

/** Each replica's estimated time its FIFO of prompt tokens empties, drained at `tokensPerMs` (shortest work). */
interface PromptQueues {
  /** When a prompt reaching replica k at t would start: its queue's end, or t when it is empty. */
  startMs(k: number, t: number): number;
  /** A prompt of `tokens` starting on replica k at `startMs`. */
  add(k: number, startMs: number, tokens: number): void;
}

function promptQueues(replicas: number, tokensPerMs: number): PromptQueues {
  const freeAtMs = new Float64Array(replicas).fill(Number.NEGATIVE_INFINITY);
  return {
    startMs: (k, t) => Math.max(t, freeAtMs[k] ?? 0),
    add: (k, startMs, tokens) => {
      freeAtMs[k] = startMs + tokens / tokensPerMs;
    },
  };
}

/** Each replica's outstanding requests by their estimated ends, and when it last received one (fewest outstanding). */
interface OutstandingRequests {
  /** Replica k's requests the router estimates still running at t (those ended by t are dropped). */
  countAt(k: number, t: number): number;
  /** Index (in routing order) of the last request sent to replica k; −1: none yet. */
  lastSent(k: number): number;
  /** Request `id` (the r-th routed) to replica k at t, where `outstanding` others run, after `leadMs`. */
  add(k: number, r: number, t: number, outstanding: number, id: number, leadMs: number): void;
}

function outstandingRequests(replicas: number, requests: Pick<SimRequests, 'inputTokens' | 'outputTokens'>, replica: SimReplica): OutstandingRequests {
  const ends: number[][] = Array.from({ length: replicas }, () => []);
  const lastSent = new Float64Array(replicas).fill(-1);
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
  return {
    countAt: (k, t) => {
      const list = ends[k] ?? [];
      let w = 0;
      for (const e of list) if (e > t) list[w++] = e;
      list.length = w;
      return w;
    },
    lastSent: (k) => lastSent[k] ?? 0,
    add: (k, r, t, outstanding, id, leadMs) => {
      const osl = requests.outputTokens[id] ?? 1;
      const isl = requests.inputTokens[id] ?? 0;
      const batch = Math.min(Math.max(1, Math.floor(replica.maxNumSeqs)), outstanding + 1);
      ends[k]?.push(t + leadMs + Math.max(1, osl) * decodeStepMs(batch, isl + osl / 2));
      lastSent[k] = r;
    },
  };
}

/**
 * Replica per request (index into `order`), for requests reaching the router at `atMs[id]` in
 * `order`, each carrying `workTokens[id]` prompt tokens to compute: the replica whose estimated queue
 * of prompt tokens (drained at `tokensPerMs`) empties first.
 */
export function routeShortestWork(order: ArrayLike<number>, atMs: ArrayLike<number>, workTokens: ArrayLike<number>, replicas: number, tokensPerMs: number): Int32Array {
  const n = order.length;
  const np = Math.max(1, Math.floor(replicas));
  if (np === 1) return new Int32Array(n);
  const out = new Int32Array(n);
  const queues = promptQueues(np, tokensPerMs);
  for (let r = 0; r < n; r += 1) {
    const id = order[r] ?? 0;
    const t = atMs[id] ?? 0;
    let best = 0;
    let bestStart = Number.POSITIVE_INFINITY;
    for (let k = 0; k < np; k += 1) {
      const start = queues.startMs(k, t);
      if (start < bestStart) {
        bestStart = start;
        best = k;
      }
    }
    queues.add(best, bestStart, workTokens[id] ?? 0);
    out[r] = best;
  }
  return out;
}

/**
 * Replica per request (index into `order`): requests reach the router at `atMs[id]` in `order`
 * (non-decreasing times), each with `outputTokens[id]` to generate at prompt `inputTokens[id]`: the
 * replica with the fewest outstanding requests.
 */
export function routeFewestOutstanding(order: ArrayLike<number>, atMs: ArrayLike<number>, requests: Pick<SimRequests, 'inputTokens' | 'outputTokens'>, replicas: number, replica: SimReplica): Int32Array {
  const n = order.length;
  const nd = Math.max(1, Math.floor(replicas));
  if (nd === 1) return new Int32Array(n);
  const out = new Int32Array(n);
  const outstanding = outstandingRequests(nd, requests, replica);
  for (let r = 0; r < n; r += 1) {
    const id = order[r] ?? 0;
    const t = atMs[id] ?? 0;
    let best = 0;
    let bestCount = Number.POSITIVE_INFINITY;
    for (let k = 0; k < nd; k += 1) {
      const w = outstanding.countAt(k, t);
      if (w < bestCount || (w === bestCount && outstanding.lastSent(k) < outstanding.lastSent(best))) {
        bestCount = w;
        best = k;
      }
    }
    outstanding.add(best, r, t, bestCount, id, 0);
    out[r] = best;
  }
  return out;
}

/**
 * Both estimates for replicas that prefill and decode (aggregated): the replica where the request's
 * prompt would start first (shortest work — a waiting queue delays the first token most), among
 * those equal (typically every replica with an empty prompt queue) the fewest outstanding requests,
 * then the least recently sent. Each request is counted outstanding from its dispatch through its
 * estimated prefill (its queue wait and its own prompt) and its decode. llm-d's default scheduler
 * weighs its queue scorer and its KV-cache-utilisation scorer alike; this orders them instead
 * (APPROXIMATION).
 */
export function routeLeastLoaded(
  order: ArrayLike<number>,
  atMs: ArrayLike<number>,
  workTokens: ArrayLike<number>,
  requests: Pick<SimRequests, 'inputTokens' | 'outputTokens'>,
  replicas: number,
  replica: SimReplica,
  tokensPerMs: number,
): Int32Array {
  const n = order.length;
  const nr = Math.max(1, Math.floor(replicas));
  if (nr === 1) return new Int32Array(n);
  const out = new Int32Array(n);
  const queues = promptQueues(nr, tokensPerMs);
  const outstanding = outstandingRequests(nr, requests, replica);
  const counts = new Int32Array(nr);
  for (let r = 0; r < n; r += 1) {
    const id = order[r] ?? 0;
    const t = atMs[id] ?? 0;
    let best = 0;
    let bestStart = Number.POSITIVE_INFINITY;
    for (let k = 0; k < nr; k += 1) {
      const start = queues.startMs(k, t);
      const w = outstanding.countAt(k, t);
      counts[k] = w;
      const c = counts[best] ?? 0;
      if (start < bestStart || (start === bestStart && (w < c || (w === c && outstanding.lastSent(k) < outstanding.lastSent(best))))) {
        bestStart = start;
        best = k;
      }
    }
    const work = workTokens[id] ?? 0;
    queues.add(best, bestStart, work);
    outstanding.add(best, r, t, counts[best] ?? 0, id, bestStart - t + work / tokensPerMs);
    out[r] = best;
  }
  return out;
}
