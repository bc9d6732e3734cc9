/**
 * [disagg] The two pools of a P/D deployment in tandem (issue 12): one request stream, the prefill
 * pool's departures are the decode pool's arrivals.
 *
 * Routing, as vLLM's P/D proxy does it (tests/v1/kv_connector/nixl_integration/toy_proxy_server.py,
 * `_handle_completions` with `get_next_client`: `itertools.cycle` over each pool's servers): a
 * request goes to the next prefill server in round-robin order when it arrives; when that server's
 * response (max_tokens 1, with the KV's `kv_transfer_params`) comes back, the proxy sends it to the
 * next decode server in round-robin order — so decode servers are assigned in the order prefills
 * complete. `routing` 'least-loaded' instead picks by the router's estimate of each replica's
 * outstanding work, as llm-d's inference scheduler does with its queue / KV-cache scorers (routing.ts).
 *
 * Per request i (engine clocks, ms; every pool replica is one simulator run, sim/simulate.ts):
 * - prefill: arrives at its send time; its one-token run ends at prefillDone_i;
 * - decode arrival = prefillDone_i + the KV transfer of the prompt tokens the decode replica lacks
 *   (NixlConnector pulls `len(prompt) − num_computed_tokens`, the decode side's own prefix-cache hit
 *   excluded: nixl_connector.py get_num_new_matched_tokens / update_state_after_alloc "Get unhashed
 *   blocks to pull from remote"); the simulator admits it at its next step boundary, which is the
 *   scheduler noticing the finished read (scheduler.py _update_waiting_for_remote_kv);
 * - the read itself starts when the decode scheduler first schedules the request (the worker's
 *   start_load_kv runs in that step): a wait to the decode replica's next step boundary, its mean
 *   residual (simulateDisagg.ts stepResidualMs) added to TTFT. A constant shift of every decode
 *   arrival leaves the decode run unchanged but for the shift, so adding it afterwards is the same
 *   run (APPROXIMATION: each request's wait is the mean, not drawn).
 * Deterministic: one seeded stream (sim/load.ts drawRequests), round-robin routing, ties in
 * completion order broken by request id; speculative acceptance draws seeded per decode replica.
 */
import type { SimLoad, SimRequests } from '../sim/load';
import { requestsOf } from '../sim/load';
import { groupByReplica, promptWork, routeRoundRobin } from '../sim/router';
import type { SimReplica } from '../sim/replica';
import type { SimTrace } from '../sim/simulate';
import { simulate } from '../sim/simulate';
import { summarize } from '../sim/summarize';
import { withPrefixCache } from '../sim/prefix';
import { keepsUpWithArrivals } from '../sim/maxRate';
import type { DisaggRouting } from './routing';
import { prefillTokensPerMs, routeDecode, routePrefill } from './routing';

export { DISAGG_ROUTINGS, type DisaggRouting } from './routing';

/** One pool's replicas in a tandem run. */
export interface TandemPool {
  replicas: number;
  /** One simulator run per replica, its requests in the order they reached it. */
  traces: SimTrace[];
  /** Per replica: the deployment's request id of each of its requests (local index → stream index). */
  ids: Int32Array[];
  requestOverheadMs: number;
  /** Every replica's completions ÷ arrivals within RATE_KEEP_UP_FRACTION (maxRate.ts keepsUpWithArrivals). */
  keepsUp: boolean;
  /** Summed over the replicas. */
  requestsPerS: number;
  outputTokensPerS: number;
  preemptions: number;
}

/** Per stream request (NaN where it never got that far): the times the pools saw it, engine clocks, ms. */
export interface TandemRequestTimes {
  sendMs: Float64Array;
  /** The prefill replica emitted its one token: the prefill is complete and its KV ready to read. */
  prefillDoneMs: Float64Array;
  /** Prompt tokens the transfer carried: the prompt less the decode replica's own prefix-cache hit. */
  transferTokens: Int32Array;
  transferMs: Float64Array;
  /** The read finished: the request reached the decode replica's scheduler. */
  decodeArrivalMs: Float64Array;
  /** The decode replica first scheduled it. */
  decodeStartMs: Float64Array;
  decodeFirstTokenMs: Float64Array;
  decodeFinishMs: Float64Array;
  /** Decode replica index per request (−1: never sent to decode). */
  decodeReplica: Int32Array;
  /** 1 when the request is in both its prefill and its decode replica's measured window and served by both. */
  measured: Uint8Array;
}

export interface TandemRun {
  prefill: TandemPool;
  decode: TandemPool;
  requests: TandemRequestTimes;
  routing: DisaggRouting;
}

function poolOf(replicas: number, traces: SimTrace[], ids: Int32Array[], overheadMs: number): TandemPool {
  let keepsUp = true;
  let requestsPerS = 0;
  let outputTokensPerS = 0;
  let preemptions = 0;
  for (const t of traces) {
    const s = summarize(t, overheadMs, null);
    keepsUp &&= s.measuredRequests > 0 && s.rejectedRequests === 0 && keepsUpWithArrivals(s);
    requestsPerS += s.requestsPerS;
    outputTokensPerS += s.outputTokensPerS;
    preemptions += s.preemptions;
  }
  return { replicas, traces, ids, requestOverheadMs: overheadMs, keepsUp: keepsUp && traces.length > 0, requestsPerS, outputTokensPerS, preemptions };
}

export interface TandemPrefill {
  pool: TandemPool;
  /** How its requests were routed (routing.ts); absent = round-robin. */
  routing?: DisaggRouting;
  /** Per stream request: prefill completion (NaN: refused or never finished). */
  prefillDoneMs: Float64Array;
  /** 1 when measured in its prefill replica's window and served. */
  measured: Uint8Array;
}

/** The stream's ids routed to each prefill replica, in arrival order (routing.ts routePrefill; round-robin: i mod np). */
function prefillAssignment(replica: SimReplica, stream: SimRequests, np: number, routing: DisaggRouting): Int32Array[] {
  const n = stream.count;
  if (routing === 'round-robin') return groupByReplica(routeRoundRobin(n, np), np);
  // The prompt tokens each request leaves to compute after its prefix-cache hit (the replica's rule).
  const { workTokens, meanInputTokens } = promptWork(replica, stream);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  return groupByReplica(routePrefill(routing, order, stream.sendMs, workTokens, np, prefillTokensPerMs(replica, meanInputTokens)), np);
}

/**
 * The prefill pool on the stream: request i to replica i mod np (round-robin in arrival order; or
 * `routing` 'least-loaded', routing.ts), each replica's requests with one output token and their
 * prefix-cache hit (sim/prefix.ts, the replica's rule).
 */
export function runTandemPrefill(
  replica: SimReplica,
  stream: SimRequests,
  replicas: number,
  load: { ratePerS: number; burstiness: number },
  seed: number,
  routing: DisaggRouting = 'round-robin',
): TandemPrefill {
  const np = Math.max(1, Math.floor(replicas));
  const n = stream.count;
  const prefillDoneMs = new Float64Array(n).fill(Number.NaN);
  const measured = new Uint8Array(n);
  const traces: SimTrace[] = [];
  const idsOf: Int32Array[] = [];
  const simLoad: SimLoad = { kind: 'open-loop', ratePerS: load.ratePerS / np, burstiness: load.burstiness };
  const assigned = prefillAssignment(replica, stream, np, routing);
  for (let k = 0; k < np; k += 1) {
    const ids = assigned[k] ?? new Int32Array(0);
    const count = ids.length;
    // A prefill replica runs each prompt with one output token (as vLLM's P/D proxy sends them).
    const requests = withPrefixCache({ ...requestsOf(stream, ids), outputTokens: new Int32Array(count).fill(1) }, replica.prefixCache);
    const trace = simulate(replica, requests, simLoad, { seed: seed + k });
    for (let j = 0; j < count; j += 1) {
      const id = ids[j] ?? 0;
      if (trace.rejected[j] === 1) continue;
      prefillDoneMs[id] = trace.finishMs[j] ?? Number.NaN;
      if (j >= trace.measuredFrom && j < trace.measuredTo) measured[id] = 1;
    }
    traces.push(trace);
    idsOf.push(ids);
  }
  return { pool: poolOf(np, traces, idsOf, replica.requestOverheadMs), prefillDoneMs, measured, ...(routing === 'round-robin' ? {} : { routing }) };
}

/**
 * The decode pool fed by the prefill pool's departures (`pre`: runTandemPrefill on the same stream): decode servers assigned round-robin in
 * prefill-completion order, each request arriving when its transfer ends, with its prompt's KV present
 * but the last token (vLLM scheduler.py _update_waiting_for_remote_kv: num_computed_tokens = prompt − 1).
 * `decodeHitTokens(isl)`: the decode replica's own prefix-cache hit for a prompt (not transferred; its
 * shared part held once in the pool as sim/prefix.ts does); `transferMsOf(tokens)`: one transfer.
 */
export function runTandem(
  pre: TandemPrefill,
  decodeReplica: SimReplica,
  stream: SimRequests,
  decodeReplicas: number,
  load: { ratePerS: number; burstiness: number },
  seed: number,
  transferMsOf: (promptTokens: number) => number,
  routing: DisaggRouting = 'round-robin',
): TandemRun {
  const nd = Math.max(1, Math.floor(decodeReplicas));
  const n = stream.count;
  const times: TandemRequestTimes = {
    sendMs: stream.sendMs,
    prefillDoneMs: pre.prefillDoneMs,
    transferTokens: new Int32Array(n),
    transferMs: new Float64Array(n).fill(Number.NaN),
    decodeArrivalMs: new Float64Array(n).fill(Number.NaN),
    decodeStartMs: new Float64Array(n).fill(Number.NaN),
    decodeFirstTokenMs: new Float64Array(n).fill(Number.NaN),
    decodeFinishMs: new Float64Array(n).fill(Number.NaN),
    decodeReplica: new Int32Array(n).fill(-1),
    measured: new Uint8Array(n),
  };
  // Prefill completion order (ties by id): the order the proxy hands requests to the decode servers.
  const done: number[] = [];
  for (let i = 0; i < n; i += 1) if (Number.isFinite(pre.prefillDoneMs[i] ?? Number.NaN)) done.push(i);
  done.sort((a, b) => (pre.prefillDoneMs[a] ?? 0) - (pre.prefillDoneMs[b] ?? 0) || a - b);
  const rule = decodeReplica.prefixCache;
  const byReplica: number[][] = Array.from({ length: nd }, () => []);
  // The proxy sends each request on when its prefill returns: round-robin, or by the router's load estimate (routing.ts).
  const to = routeDecode(routing, done, pre.prefillDoneMs, stream, nd, decodeReplica);
  for (let r = 0; r < done.length; r += 1) {
    const id = done[r] ?? 0;
    const k = to[r] ?? 0;
    const isl = stream.inputTokens[id] ?? 0;
    const hit = rule === undefined ? 0 : Math.min(rule(isl).cachedTokensPerRequest, isl);
    const tokens = Math.max(0, isl - hit);
    const xfer = Math.max(0, transferMsOf(tokens));
    times.transferTokens[id] = tokens;
    times.transferMs[id] = xfer;
    times.decodeArrivalMs[id] = (pre.prefillDoneMs[id] ?? 0) + xfer;
    times.decodeReplica[id] = k;
    byReplica[k]?.push(id);
  }
  const traces: SimTrace[] = [];
  const idsOf: Int32Array[] = [];
  for (let k = 0; k < nd; k += 1) {
    // The simulator takes arrivals in send order: by arrival (transfers differ by prompt length), ties by id.
    const list = byReplica[k] ?? [];
    list.sort((a, b) => (times.decodeArrivalMs[a] ?? 0) - (times.decodeArrivalMs[b] ?? 0) || a - b);
    const ids = Int32Array.from(list);
    const count = ids.length;
    const sendMs = new Float64Array(count);
    const cached = new Int32Array(count);
    const shared = new Int32Array(count);
    for (let j = 0; j < count; j += 1) {
      const id = ids[j] ?? 0;
      const isl = stream.inputTokens[id] ?? 0;
      sendMs[j] = times.decodeArrivalMs[id] ?? 0;
      cached[j] = Math.max(0, isl - 1);
      shared[j] = rule === undefined ? 0 : Math.min(rule(isl).sharedPoolTokens, cached[j] ?? 0);
    }
    const requests: SimRequests = { ...requestsOf(stream, ids), sendMs, cachedPromptTokens: cached, ...(rule === undefined ? {} : { sharedPrefixTokens: shared }) };
    const trace = simulate(decodeReplica, requests, { kind: 'open-loop', ratePerS: load.ratePerS / nd, burstiness: load.burstiness }, { seed: seed + 7919 * (k + 1) });
    for (let j = 0; j < count; j += 1) {
      const id = ids[j] ?? 0;
      if (trace.rejected[j] === 1) continue;
      times.decodeStartMs[id] = trace.firstScheduledMs[j] ?? Number.NaN;
      times.decodeFirstTokenMs[id] = trace.firstTokenMs[j] ?? Number.NaN;
      times.decodeFinishMs[id] = trace.finishMs[j] ?? Number.NaN;
      if (pre.measured[id] === 1 && j >= trace.measuredFrom && j < trace.measuredTo) times.measured[id] = 1;
    }
    traces.push(trace);
    idsOf.push(ids);
  }
  return { prefill: pre.pool, decode: poolOf(nd, traces, idsOf, decodeReplica.requestOverheadMs), requests: times, routing };
}
