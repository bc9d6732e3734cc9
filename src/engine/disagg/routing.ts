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
 *   internal state can (the estimates live in sim/router.ts, shared with aggregated replicas behind a
 *   router, sim/routedRun.ts):
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
import type { SimReplica } from '../sim/replica';
import type { SimRequests } from '../sim/load';
import { routeFewestOutstanding, routeRoundRobin, routeShortestWork } from '../sim/router';

export { prefillTokensPerMs } from '../sim/router';

/** Routings a P/D deployment can be simulated with (the default is vLLM's round-robin). */
export const DISAGG_ROUTINGS = ['round-robin', 'least-loaded'] as const;
export type DisaggRouting = (typeof DISAGG_ROUTINGS)[number];
export const DEFAULT_DISAGG_ROUTING: DisaggRouting = 'round-robin';

/**
 * Replica per request (index into `order`), for requests reaching the prefill pool at `atMs[id]`
 * in `order`, each carrying `workTokens[id]` prompt tokens to compute (least-loaded: sim/router.ts routeShortestWork).
 */
export function routePrefill(routing: DisaggRouting, order: ArrayLike<number>, atMs: ArrayLike<number>, workTokens: ArrayLike<number>, replicas: number, tokensPerMs: number): Int32Array {
  if (routing === 'round-robin') return routeRoundRobin(order.length, replicas);
  return routeShortestWork(order, atMs, workTokens, replicas, tokensPerMs);
}

/**
 * Replica per request for the decode pool: requests reach it at `atMs[id]` in `order` (non-decreasing
 * times), each with `outputTokens[id]` to generate at prompt `inputTokens[id]` (least-loaded: sim/router.ts routeFewestOutstanding).
 */
export function routeDecode(routing: DisaggRouting, order: ArrayLike<number>, atMs: ArrayLike<number>, requests: Pick<SimRequests, 'inputTokens' | 'outputTokens'>, replicas: number, replica: SimReplica): Int32Array {
  if (routing === 'round-robin') return routeRoundRobin(order.length, replicas);
  return routeFewestOutstanding(order, atMs, requests, replicas, replica);
}
