/**
 * Discrete-event simulation of one replica serving a run of requests, step by step as vLLM's V1
 * scheduler runs it (vllm/v1/core/sched/scheduler.py Scheduler.schedule):
 * - waiting requests queue FCFS; at most max_num_seqs run;
 * - each step first serves the running requests in admission order (a decode is one token, a
 *   partial prefill its next chunk), then admits waiting ones while the token budget
 *   (max_num_batched_tokens), max_num_seqs and the KV pool allow — a prompt too long for what is
 *   left of the budget gets a chunk (chunked prefill) — and admits none in a step that preempted;
 * - KV blocks are allocated as a request's computed tokens cross block boundaries
 *   (kv_cache_manager.py allocate_slots); when a running request cannot get its block, the
 *   latest-admitted running request is preempted (`self.running.pop()`): its blocks are freed, its
 *   computed tokens reset to 0, and it goes back to the head of the waiting queue to recompute
 *   prompt + output so far — less what the prefix cache still holds of it (policy.preemptedKeeps;
 *   "Preempted requests' cached blocks" below);
 * - a step's duration is the step model's time for what it runs (replica.stepTimeMs); tokens are
 *   emitted at its end; a request that finishes frees its blocks at once.
 * Engine variants (policy.ts) change only the rules named there. Deterministic: the requests come
 * from a seed (load.ts), the scheduler has no randomness.
 * Speculative decoding (replica.speculative): a decode verifies k drafts — it takes k + 1 tokens of
 * the budget and KV slots for them (vLLM's num_lookahead_tokens; a tree's num_draft_tokens), the step
 * model prices the verify and the drafts — and emits 1 + A tokens, A drawn by perf/speculative.ts
 * acceptedDraftTokens (a tree: acceptedTreeDraftTokens) from
 * (opts.seed, request, tokens generated). The tokens of one step reach the client as one chunk, so
 * they add one inter-token gap (vllm bench serve counts a gap per streamed chunk:
 * vllm/benchmarks/lib/endpoint_request_func.py `output.itl.append(timestamp - most_recent_timestamp)`
 * per chunk; its TPOT, (latency − ttft) / (output_len − 1) in serve.py, is the per-token figure).
 *
 * The loop allocates nothing per step: per-request state lives in typed arrays, the step's batch
 * is one reused StepBatch, per-step records go to growable typed arrays.
 */
import type { StepBatch } from '../perf/stepBatch';
import type { SimReplica } from './replica';
import type { SimLoad, SimRequests } from './load';
import type { GrowableF64, StepLog } from './growable';
import { growableF64, pushF64, pushStep, stepLog, viewF64 } from './growable';
import { poolBlocksFor, sharedBlocksPerTokenBlock, tokenBlocksFor } from './kvPool';
import { acceptedDraftTokens, acceptedTreeDraftTokens, treeAcceptedSurvival, verifyTokensPerDecode } from '../perf/speculative';
import { hashUniform } from './prng';

/** Share of an open- or closed-loop run's first requests left out of the statistics (the ramp-up). */
export const WARMUP_FRACTION = 0.1;

/** Raw outcome of one run: per-request times (engine clock, no client overhead) and per-step records. */
export interface SimTrace {
  requests: SimRequests;
  load: SimLoad;
  /** When each request reached the engine, ms. */
  arrivalMs: Float64Array;
  /** When each request was first scheduled (its first prompt chunk's step started), ms: the end of its queue wait. */
  firstScheduledMs: Float64Array;
  firstTokenMs: Float64Array;
  finishMs: Float64Array;
  /** Times each request was preempted (recomputed). */
  preemptions: Int32Array;
  /** 1 when a request can never fit the KV pool (vLLM would refuse it); it is not served. */
  rejected: Uint8Array;
  /** Requests [measuredFrom, measuredTo) by send order enter the statistics; the rest are warm-up / drain. */
  measuredFrom: number;
  measuredTo: number;
  /** Throughput window, ms: completions and tokens inside it count. */
  windowStartMs: number;
  windowEndMs: number;
  /** Per step: end time, duration, KV blocks in use, waiting and running requests after it. */
  stepEndMs: Float64Array;
  stepMs: Float64Array;
  stepKvBlocksUsed: Float64Array;
  stepWaiting: Float64Array;
  stepRunning: Float64Array;
  /** Output tokens emitted by each step (every request). */
  stepTokens: Float64Array;
  /**
   * Inter-token gaps of measured requests as (value, weight): a request decoding in consecutive
   * steps has the step's duration as its gap, so each step contributes (its duration, its measured
   * decodes); other gaps (after a preemption or a skipped step) are their own entries of weight 1.
   */
  itlValuesMs: Float64Array;
  itlWeights: Float64Array;
  totalBlocks: number;
  preemptionsTotal: number;
  /** Tokens computed a second time after preemptions (what the prefix cache no longer held at re-admission). */
  recomputedTokens: number;
  /** Most pool blocks ever committed at once: held by running requests plus kept for preempted ones (≤ totalBlocks). */
  kvBlocksCommittedPeak: number;
  /**
   * The run stopped once it could no longer meet opts.failFast's percentile limits (its arrays stop
   * there: not a run to summarise); absent or false: it ran to the end.
   */
  stoppedEarly?: boolean;
}

/**
 * Percentile limits a run is stopped at once it has certainly broken one (simulate opts.failFast):
 * the q-th percentile of N values exceeds a limit as soon as N − ⌊q/100 · (N − 1)⌋ of them do
 * (numpy R-7: the value at rank ⌊h⌋ is then over it, and the interpolation never goes below it).
 * TTFT and E2E are counted as summarize.ts counts them (with `overheadMs`).
 */
export interface FailFastLimits {
  percentile: number;
  maxTtftMs: number | null;
  maxItlMs: number | null;
  maxE2eMs: number | null;
  overheadMs: number;
}

const NOT_YET = Number.NaN;

/**
 * The per-step logs, kept between runs and copied out at the end of each: a run at a low rate takes
 * ~100,000 steps, and growing fresh logs to that size by doubling was a fifth of its time (array
 * copies and the GC; measured with the CPU profiler). Single-threaded, like the closed form's
 * scratch batches (perf/serving.ts).
 */
const scratch: { steps: StepLog; itlValues: GrowableF64; itlWeights: GrowableF64 } = {
  steps: stepLog(),
  itlValues: growableF64(),
  itlWeights: growableF64(),
};

/** Measured range by send order: warm-up and drain excluded as WARMUP_FRACTION and the load say. */
export function measuredRange(n: number, load: SimLoad): { from: number; to: number } {
  if (load.kind === 'burst') return { from: 0, to: n };
  const concurrency = load.kind === 'closed-loop' ? Math.max(1, Math.floor(load.concurrency)) : 0;
  // Closed loop: the first wave arrives together and the last `concurrency` requests run while the
  // client stops refilling; both are transients the steady state does not have.
  const from = Math.max(Math.ceil(WARMUP_FRACTION * n), concurrency);
  const to = n - concurrency;
  return to > from ? { from, to } : { from: 0, to: n };
}

/** Sum over prompt positions s+1 … s+c of min(position, window): the context each prompt token attends to. */
function prefillContextSum(startTokens: number, chunkTokens: number, windowTokens: number): number {
  const s = startTokens;
  const c = chunkTokens;
  if (windowTokens >= s + c) return (c * (2 * s + c + 1)) / 2;
  if (windowTokens <= s + 1) return c * windowTokens;
  const w = windowTokens;
  return (w * (w + 1)) / 2 - (s * (s + 1)) / 2 + (s + c - w) * w;
}

/**
 * `itlUntilMs`: inter-token gaps ending after it are not recorded (default: all are).
 * `viewLogs`: the trace's per-step arrays and ITL entries are views of the reused logs, valid only
 * until the next simulate() call (runSimulation summarises at once: no copy of ~100,000 steps per
 * run, a rate search's main garbage); default false: copies.
 * `failFast`: stop the run as soon as it has broken one of these percentile limits for certain
 * (FailFastLimits; the rate search's trials whose failure closes its bracket, maxRate.ts); the
 * trace then says stoppedEarly. Up to there every step is the one the whole run has.
 */
export function simulate(
  replica: SimReplica,
  requests: SimRequests,
  load: SimLoad,
  opts: { viewLogs?: boolean; seed?: number; itlUntilMs?: number; failFast?: FailFastLimits } = {},
): SimTrace {
  const itlUntilMs = opts.itlUntilMs ?? Infinity;
  const n = requests.count;
  const isl = requests.inputTokens;
  const osl = requests.outputTokens;
  const pool = replica.kvPool;
  const policy = replica.policy;
  const windows = replica.windowsTokens;
  const nWindows = windows.length;
  const maxSeqs = Math.max(1, Math.floor(replica.maxNumSeqs));
  const budgetTokens = Math.max(1, Math.floor(replica.maxNumBatchedTokens));
  const totalBlocks = pool.totalBlocks;
  const specTokens = replica.speculative === undefined ? 0 : Math.max(0, Math.floor(replica.speculative.tokens));
  const specAcceptance = replica.speculative?.acceptance ?? 0;
  // The verify's extra rows (budget and KV slots): k for a chain, a tree's num_draft_tokens − 1.
  const specRows = replica.speculative === undefined || specTokens === 0 ? 0 : verifyTokensPerDecode(replica.speculative) - 1;
  // A tree's P(A ≥ d), drawn by inversion (perf/speculative.ts treeAcceptedSurvival); null = the chain's law.
  const specTree =
    replica.speculative !== undefined && (replica.speculative.topk ?? 1) > 1
      ? treeAcceptedSurvival(specAcceptance, specTokens, replica.speculative.topk ?? 1, verifyTokensPerDecode(replica.speculative))
      : null;
  const specSeed = opts.seed ?? 1;

  const arrivalMs = new Float64Array(n).fill(NOT_YET);
  const firstScheduledMs = new Float64Array(n).fill(NOT_YET);
  const firstTokenMs = new Float64Array(n).fill(NOT_YET);
  const finishMs = new Float64Array(n).fill(NOT_YET);
  /** Index of the step that emitted each request's latest token (its time is that step's end). */
  const lastTokenStep = new Int32Array(n).fill(-2);
  const preemptions = new Int32Array(n);
  const rejected = new Uint8Array(n);
  // Prefix caching (sim/prefix.ts): a request starts — and restarts after a preemption — with its
  // cached prompt tokens computed (at most isl − 1: the last prompt token is always computed), so its
  // prefill chunks cover only the rest and prefillContextSum charges each suffix token the whole
  // prompt before it, as perf/prefixCache.ts suffixPrefillContextTokens charges the closed form.
  // APPROXIMATION: after a preemption the hit is found again (vLLM keeps freed cached blocks as
  // evictable; the shared prefix stays referenced by the other requests).
  const cachedPrompt = requests.cachedPromptTokens;
  const startTokens = (id: number): number => (cachedPrompt === undefined ? 0 : Math.max(0, Math.min(cachedPrompt[id] ?? 0, (isl[id] ?? 0) - 1)));
  const computed = new Int32Array(n);
  if (cachedPrompt !== undefined) for (let i = 0; i < n; i += 1) computed[i] = startTokens(i);
  const generated = new Int32Array(n);
  const tokenBlocks = new Int32Array(n);
  const heldBlocks = new Float64Array(n);
  const { from: measuredFrom, to: measuredTo } = measuredRange(n, load);

  // Waiting queue: a ring of request ids (each request is in it at most once).
  const ringSize = n + 1;
  const ring = new Int32Array(ringSize);
  let head = 0;
  let waitingCount = 0;
  const pushBack = (id: number): void => {
    ring[(head + waitingCount) % ringSize] = id;
    waitingCount += 1;
  };
  const pushFront = (id: number): void => {
    head = (head - 1 + ringSize) % ringSize;
    ring[head] = id;
    waitingCount += 1;
  };
  const peek = (): number => ring[head] ?? -1;
  const popFront = (): void => {
    head = (head + 1) % ringSize;
    waitingCount -= 1;
  };

  // Running requests in admission order; the step's scheduled requests and their token counts.
  const running = new Int32Array(n);
  let runningCount = 0;
  const schedId = new Int32Array(n);
  const schedTokens = new Int32Array(n);
  /** 1 when the scheduled entry is a decode (a verify with speculative decoding). */
  const schedDecode = new Uint8Array(n);
  let schedCount = 0;

  const batch: StepBatch = {
    decodeRequests: 0,
    decodeContextTokens: new Float64Array(nWindows),
    prefillTokens: 0,
    prefillContextTokens: new Float64Array(nWindows),
    finishingPrefills: 0,
  };

  const steps = scratch.steps;
  const itlValues = scratch.itlValues;
  const itlWeights = scratch.itlWeights;
  steps.length = 0;
  itlValues.length = 0;
  itlWeights.length = 0;

  // Mutable fractional numbers live in a typed array: a `let` double captured by the closures below
  // is a heap number, re-allocated on every store (measured: ~10 % of a run in the GC).
  const st = new Float64Array(5);
  const USED_BLOCKS = 0;
  const NOW_MS = 1;
  /** Pool blocks preempted requests' cached KV takes: free (allocatable) but not yet evicted. */
  const CACHED_BLOCKS = 2;
  const RECOMPUTED_TOKENS = 3;
  const COMMITTED_PEAK = 4;
  // The shared prefix's whole blocks of the full-attention layers are held once (vLLM's block
  // ref_cnt, SGLang's radix nodes), as the closed form's kvCapacityRequests holds them: the pool
  // keeps them for the run, each request holds its blocks less those (APPROXIMATION: never evicted).
  const sharedPrefix = requests.sharedPrefixTokens;
  const sharedBlocksPerTb = sharedPrefix === undefined ? 0 : sharedBlocksPerTokenBlock(pool);
  const sharedTb = new Int32Array(sharedBlocksPerTb > 0 ? n : 0);
  let sharedTbMax = 0;
  for (let i = 0; i < sharedTb.length; i += 1) {
    sharedTb[i] = Math.floor(Math.min(sharedPrefix?.[i] ?? 0, startTokens(i)) / pool.blockSizeTokens);
    sharedTbMax = Math.max(sharedTbMax, sharedTb[i] ?? 0);
  }
  st[USED_BLOCKS] = sharedBlocksPerTb * sharedTbMax;
  st[COMMITTED_PEAK] = st[USED_BLOCKS] ?? 0;
  /** Pool blocks the shared prefix spares request `id` when it spans `tb` token blocks. */
  const sharedCredit = (id: number, tb: number): number => (sharedBlocksPerTb === 0 ? 0 : sharedBlocksPerTb * Math.min(tb, sharedTb[id] ?? 0));
  let preemptionsTotal = 0;
  let done = 0;
  let sent = 0;

  /** A request whose whole length can never fit the pool is refused (vLLM checks this against max_model_len at start-up). */
  const neverFits = (id: number): boolean => {
    const tb = tokenBlocksFor(pool, (isl[id] ?? 0) + (osl[id] ?? 0));
    return poolBlocksFor(pool, tb) - sharedCredit(id, tb) > totalBlocks - sharedBlocksPerTb * sharedTbMax;
  };

  // failFast: how many values over each limit break it for certain (Infinity: never stops). The
  // measured requests' TTFTs and E2Es are one each (the refused ones none); their inter-token gaps
  // one per output token after the first — known ahead only when every gap is recorded and one
  // token comes per step (no itlUntilMs, no speculative decoding).
  const ff = opts.failFast;
  let overTtft = 0;
  let overItl = 0;
  let overE2e = 0;
  let stopTtft = Infinity;
  let stopItl = Infinity;
  let stopE2e = Infinity;
  let failed = false;
  if (ff !== undefined) {
    let values = 0;
    let gaps = 0;
    for (let i = measuredFrom; i < measuredTo; i += 1) {
      if (neverFits(i)) continue;
      values += 1;
      gaps += Math.max(0, (osl[i] ?? 1) - 1);
    }
    const q = Math.min(Math.max(ff.percentile, 0), 100) / 100;
    const breaking = (count: number): number => count - Math.floor(q * (count - 1));
    if (ff.maxTtftMs !== null && values > 0) stopTtft = breaking(values);
    if (ff.maxE2eMs !== null && values > 0) stopE2e = breaking(values);
    if (ff.maxItlMs !== null && gaps > 0 && itlUntilMs === Infinity && specTokens === 0) stopItl = breaking(gaps);
  }
  const ffTtftMs = ff?.maxTtftMs ?? Infinity;
  const ffItlMs = ff?.maxItlMs ?? Infinity;
  const ffE2eMs = ff?.maxE2eMs ?? Infinity;
  const ffOverheadMs = ff?.overheadMs ?? 0;

  /** The client sends request `id` at `t`. */
  const send = (id: number, t: number): void => {
    arrivalMs[id] = t;
    if (neverFits(id)) {
      rejected[id] = 1;
      done += 1;
      return;
    }
    pushBack(id);
  };

  const isClosed = load.kind === 'closed-loop';
  const concurrency = isClosed ? Math.max(1, Math.floor(load.concurrency)) : n;
  const sendTimes = requests.sendMs;
  // Closed loop and burst: the first wave at t = 0; open loop: by the schedule.
  if (load.kind !== 'open-loop') {
    const first = Math.min(n, concurrency);
    for (; sent < first; sent += 1) send(sent, 0);
  }
  /** Closed loop: a completion (or refusal) lets the client send its next request at once. */
  const refill = (t: number): void => {
    while (isClosed && sent < n && sent - done < concurrency) {
      send(sent, t);
      sent += 1;
    }
  };
  refill(0);

  // The pool's terms in locals (kvPool.ts poolBlocksFor, inlined: it runs for every block crossing).
  const blockTokens = pool.blockSizeTokens;
  const nGroups = pool.groups.length;
  const groupBlocks = Float64Array.from(pool.groups, (g) => g.blocksPerTokenBlock);
  const groupCap = Float64Array.from(pool.groups, (g) => g.maxTokenBlocks);
  const stateBlocks = pool.stateBlocksPerRequest;
  const poolBlocks = (tb: number): number => {
    let blocks = stateBlocks;
    for (let g = 0; g < nGroups; g += 1) blocks += (groupBlocks[g] ?? 0) * Math.min(tb, groupCap[g] ?? 0);
    return blocks;
  };
  const tokenBlocksOf = (tokens: number): number => (tokens <= 0 ? 0 : Math.ceil(tokens / blockTokens));
  /** Pool blocks request `id` holds itself at `tb` token blocks (the shared prefix's are the pool's). */
  const ownBlocks = (id: number, tb: number): number => (sharedBlocksPerTb === 0 ? poolBlocks(tb) : poolBlocks(tb) - sharedCredit(id, tb));

  const growsAsNeeded = policy.kvReservation === 'as-needed';
  /** Blocks request `id` needs beyond what it holds to have `tokens` computed. */
  const extraBlocksFor = (id: number, tokens: number): number => {
    const tb = tokenBlocksOf(tokens);
    if (tb <= (tokenBlocks[id] ?? 0)) return 0;
    return ownBlocks(id, tb) - (heldBlocks[id] ?? 0);
  };

  // --- Preempted requests' cached blocks ---
  // vLLM V1 frees a preempted request's blocks with their hashes (prefix caching, on by default):
  // they join the free queue as eviction candidates (vllm/v1/core/block_pool.py BlockPool.free_blocks,
  // "ordered by their eviction priority"), in reverse order so that the tail blocks are evicted first
  // (single_type_kv_cache_manager.py free: `ordered_blocks = reversed(req_blocks)`); the full blocks
  // of generated tokens are hashed as well (cache_full_blocks). A block is evicted only when an
  // allocation pops it from the queue's head (get_new_blocks → _maybe_evict_cached_block). At
  // re-admission get_computed_blocks finds the longest cached prefix, at most num_tokens − 1 tokens
  // (kv_cache_manager.py `max_cache_hit_length = request.num_tokens - 1`), in whole blocks, and
  // allocate_slots counts the hit blocks still in the free queue as blocks to allocate
  // (`num_evictable_computed_blocks`): the request needs its hit blocks plus its chunk's new ones
  // among the free blocks, cached ones included. So the simulator counts a victim's kept blocks as
  // free (admission and growth test against totalBlocks − USED_BLOCKS, as before) and, whenever an
  // allocation leaves USED_BLOCKS + CACHED_BLOCKS over the pool, evicts the difference from the
  // victims, the earliest preempted first (LRU), each from its tail; a re-admitted victim starts with
  // the prefix it still has computed and recomputes only the rest. SGLang's retract_decode keeps the
  // prompt in its radix tree ('prompt', policy.ts). APPROXIMATIONS: blocks freed by finished requests
  // (and never-used ones) are evicted before any victim's, where vLLM's LRU queue would take a
  // victim's first if it was freed earlier (a few blocks at most before its re-admission, which
  // follows a finish at once); a hybrid pool evicts token block by token block over every group
  // (vLLM's sliding-window hit needs the window's blocks at the hit point); pools with
  // per-request state (Mamba, linear attention) keep nothing (ASSUMED: a hit needs the state at its
  // boundary, which vLLM keeps, if at all, only in releases whose hybrid prefix caching is on). No admission
  // watermark: the releases of the truth rows (V1 up to 0.11) test only the free blocks; recent
  // releases add KVCacheManager.watermark_blocks for waiting/preempted requests, whose
  // constructor default is 0.0 (off).
  const keeps = policy.preemptedKeeps ?? 'nothing';
  const keepCache = keeps !== 'nothing' && growsAsNeeded && stateBlocks === 0 && totalBlocks !== Infinity;
  const cachedTb = new Int32Array(keepCache ? n : 0);
  const cachedBlocks = new Float64Array(keepCache ? n : 0);
  /** Computed tokens each request had when it was last preempted (for recomputedTokens). */
  const lostFrom = new Int32Array(n);
  // Victims holding cached blocks, in preemption order (a doubly linked list; −1 ends it).
  const lruNext = new Int32Array(keepCache ? n : 0).fill(-1);
  const lruPrev = new Int32Array(keepCache ? n : 0).fill(-1);
  let lruHead = -1;
  let lruTail = -1;
  const lruUnlink = (id: number): void => {
    const prev = lruPrev[id] ?? -1;
    const next = lruNext[id] ?? -1;
    if (prev >= 0) lruNext[prev] = next;
    else lruHead = next;
    if (next >= 0) lruPrev[next] = prev;
    else lruTail = prev;
    lruPrev[id] = -1;
    lruNext[id] = -1;
  };
  /** The victim's kept blocks: the full blocks of what it had computed ('prompt': of its prompt part). */
  const keepOnPreempt = (id: number): void => {
    const tokens = keeps === 'prompt' ? Math.min(computed[id] ?? 0, isl[id] ?? 0) : (computed[id] ?? 0);
    const tb = Math.floor(tokens / blockTokens);
    if (tb <= 0) return;
    const blocks = ownBlocks(id, tb);
    cachedTb[id] = tb;
    cachedBlocks[id] = blocks;
    st[CACHED_BLOCKS] = (st[CACHED_BLOCKS] ?? 0) + blocks;
    lruPrev[id] = lruTail;
    lruNext[id] = -1;
    if (lruTail >= 0) lruNext[lruTail] = id;
    else lruHead = id;
    lruTail = id;
  };
  /** A re-admitted victim takes its cached blocks back (they become its own). */
  const takeCached = (id: number): void => {
    if ((cachedTb[id] ?? 0) <= 0) return;
    st[CACHED_BLOCKS] = (st[CACHED_BLOCKS] ?? 0) - (cachedBlocks[id] ?? 0);
    cachedTb[id] = 0;
    cachedBlocks[id] = 0;
    lruUnlink(id);
  };
  /** Evict victims' cached blocks, earliest victim first, tail first, until in use + cached fit the pool. */
  const evictOverflow = (): void => {
    let excess = (st[USED_BLOCKS] ?? 0) + (st[CACHED_BLOCKS] ?? 0) - totalBlocks;
    while (excess > 1e-9 && lruHead >= 0) {
      const id = lruHead;
      let tb = cachedTb[id] ?? 0;
      let blocks = cachedBlocks[id] ?? 0;
      while (tb > 0 && excess > 1e-9) {
        tb -= 1;
        const kept = tb > 0 ? ownBlocks(id, tb) : 0;
        excess -= blocks - kept;
        st[CACHED_BLOCKS] = (st[CACHED_BLOCKS] ?? 0) - (blocks - kept);
        blocks = kept;
      }
      cachedTb[id] = tb;
      cachedBlocks[id] = blocks;
      if (tb === 0) lruUnlink(id);
    }
  };
  const noteCommitted = (): void => {
    const committed = (st[USED_BLOCKS] ?? 0) + (st[CACHED_BLOCKS] ?? 0);
    if (committed > (st[COMMITTED_PEAK] ?? 0)) st[COMMITTED_PEAK] = committed;
  };
  /** Tokens of waiting request `id` its cached blocks give back at admission (≤ its known tokens − 1, whole blocks). */
  const cachedHitTokens = (id: number): number => {
    const tb = cachedTb[id] ?? 0;
    if (tb <= 0) return 0;
    return Math.min(tb, Math.floor((knownTokens(id) - 1) / blockTokens)) * blockTokens;
  };

  const allocate = (id: number, tokens: number): void => {
    const tb = tokenBlocksOf(tokens);
    if (tb <= (tokenBlocks[id] ?? 0)) return;
    const blocks = ownBlocks(id, tb);
    st[USED_BLOCKS] = (st[USED_BLOCKS] ?? 0) + blocks - (heldBlocks[id] ?? 0);
    heldBlocks[id] = blocks;
    tokenBlocks[id] = tb;
    if ((st[CACHED_BLOCKS] ?? 0) > 0) evictOverflow();
    noteCommitted();
  };
  const release = (id: number): void => {
    st[USED_BLOCKS] = (st[USED_BLOCKS] ?? 0) - (heldBlocks[id] ?? 0);
    heldBlocks[id] = 0;
    tokenBlocks[id] = 0;
  };
  /** Tokens the request's KV must hold before its next sample: prompt + output so far. */
  const knownTokens = (id: number): number => (isl[id] ?? 0) + (generated[id] ?? 0);
  const decodeCtx = batch.decodeContextTokens;
  const prefillCtx = batch.prefillContextTokens;
  const windowArr = Float64Array.from(windows);
  /** Schedule `tokens` of request `id` this step and add them to the step's batch at once (one pass). */
  const addToStep = (id: number, tokens: number, decoding: boolean): void => {
    schedId[schedCount] = id;
    schedTokens[schedCount] = tokens;
    schedDecode[schedCount] = decoding ? 1 : 0;
    schedCount += 1;
    const start = computed[id] ?? 0;
    if (decoding) {
      batch.decodeRequests += 1;
      const context = start + 1;
      for (let w = 0; w < nWindows; w += 1) decodeCtx[w] = (decodeCtx[w] ?? 0) + Math.min(context, windowArr[w] ?? 0);
      return;
    }
    batch.prefillTokens += tokens;
    for (let w = 0; w < nWindows; w += 1) prefillCtx[w] = (prefillCtx[w] ?? 0) + prefillContextSum(start, tokens, windowArr[w] ?? 0);
    if (start + tokens === knownTokens(id)) batch.finishingPrefills += 1;
  };

  /** Preempt the latest-admitted running request (vLLM `self.running.pop()`); returns its id. */
  const preemptLatest = (): number => {
    runningCount -= 1;
    const victim = running[runningCount] ?? -1;
    if ((cruiseBase[victim] ?? -1) >= 0) endCruise(victim, steps.length);
    release(victim);
    lostFrom[victim] = computed[victim] ?? 0;
    if (keepCache) keepOnPreempt(victim);
    computed[victim] = startTokens(victim);
    preemptions[victim] = (preemptions[victim] ?? 0) + 1;
    preemptionsTotal += 1;
    pushFront(victim);
    return victim;
  };

  /**
   * Serve running requests in order (`which`: all, prompts only, or decodes only), within the
   * budget; returns the budget left, or -1 when a preemption happened this step.
   */
  /** Decodes of this step applied while scheduling (scheduleRunning), and how many are measured. */
  let stepDecodesApplied = 0;
  let stepMeasuredDecodes = 0;

  // --- Cruising decodes (per-event decode) ---
  // A running request that decodes one token per step, step after step, with no window to cross
  // and no finish ahead, changes the step only by +1 context per step: it "cruises" from step
  // cruiseBase to cruiseEnd (inclusive), its computed / generated counts frozen at their values
  // before cruiseBase, and the step's batch takes every cruiser's decode at once from sums over them
  // (per window: linear cruisers add computed0 − base + 1 + k at step k, capped ones the window).
  // Every term is an integer, so the sums equal the per-request ones exactly.
  // A step keeps the cruises only when the running requests' whole want fits the token budget —
  // then the order the requests are served in changes nothing, and a cruiser needs no block at a
  // step that is not its crossing; otherwise every cruiser is brought up to date first and the step
  // runs request by request. A cruiser that is preempted is brought up to date first.
  // A cruiser's next block crossing (the step whose decode first needs a token block more) does not
  // end its cruise: at a step where every running request cruises, the crossings due are allocated
  // in place when their blocks together fit the pool, and the cruise goes on. That is what the
  // request-by-request pass would do at that step (it allocates each and preempts none when they
  // all fit), in another order — the same sums when every block count is exact in binary
  // (exactBlocks below; else a crossing ends the cruise as a finish does).
  // Events: a cruiser crosses a block every blockTokens steps, so cruisers sit in a wheel of
  // blockTokens slots by their crossings' phase (slot k mod blockTokens holds those crossing at k,
  // from their first crossing on); the cruises' ends sit in a binary min-heap by step. A step with
  // neither due costs no pass over the running list (without this, ~2 of every 3 decode steps of
  // the bench's open loop left the shortcut at some request's 16-token block boundary).
  // In a pool where every crossing costs the same blocks (full-attention groups only, no shared
  // prefix: `uniformCrossing`), a step's crossings cost the slot's count times that, and a
  // cruiser's token and pool blocks are brought up to date only when its cruise ends (syncBlocks).
  // vLLM V1 and TensorRT-LLM only (SGLang alternates prefill and decode batches: request by request).
  // Speculative decodes emit a random number of tokens per step: they never cruise.
  const canCruise = policy.prefillWithDecodes && specTokens === 0;
  const cruiseBase = new Int32Array(n).fill(-1);
  const cruiseEnd = new Int32Array(n);
  const linCount = new Float64Array(nWindows);
  const linSum = new Float64Array(nWindows);
  const capCount = new Float64Array(nWindows);
  let cruisers = 0;
  let cruisersMeasured = 0;
  // Block counts whose sums are exact in any order (multiples of 2^-20, well inside 2^53): a
  // crossing may then be allocated in the wheel's order rather than the running list's.
  const exactBlocks = (x: number): boolean => Number.isInteger(x * 2 ** 20) && Math.abs(x) < 2 ** 30;
  const blocksInCruise =
    growsAsNeeded && exactBlocks(stateBlocks) && groupBlocks.every(exactBlocks) && (totalBlocks === Infinity || exactBlocks(totalBlocks)) && exactBlocks(sharedBlocksPerTb);
  const NEVER = 0x7fffffff;
  /** The step whose decode first needs another token block in this cruise (NEVER: blocks end the cruise instead). */
  const firstCross = new Int32Array(n).fill(NEVER);
  // The wheel: a doubly linked list and a count per slot (slotOf −1: not in the wheel).
  const wheelSlots = blocksInCruise ? blockTokens : 0;
  const slotHead = new Int32Array(wheelSlots).fill(-1);
  const slotCount = new Int32Array(wheelSlots);
  const slotOf = new Int32Array(n).fill(-1);
  const slotNext = new Int32Array(n);
  const slotPrev = new Int32Array(n);
  const uniformCrossing = blocksInCruise && sharedBlocksPerTb === 0 && groupCap.every((cap) => cap === Infinity);
  /** Pool blocks one more token block costs a request (uniformCrossing: the same at every length). */
  const blocksPerCrossing = poolBlocks(2) - poolBlocks(1);
  const wheelAdd = (id: number, step: number): void => {
    const slot = step % wheelSlots;
    const first = slotHead[slot] ?? -1;
    slotCount[slot] = (slotCount[slot] ?? 0) + 1;
    slotOf[id] = slot;
    slotPrev[id] = -1;
    slotNext[id] = first;
    if (first >= 0) slotPrev[first] = id;
    slotHead[slot] = id;
  };
  const wheelRemove = (id: number): void => {
    const slot = slotOf[id] ?? -1;
    if (slot < 0) return;
    const prev = slotPrev[id] ?? -1;
    const next = slotNext[id] ?? -1;
    if (prev >= 0) slotNext[prev] = next;
    else slotHead[slot] = next;
    if (next >= 0) slotPrev[next] = prev;
    slotCount[slot] = (slotCount[slot] ?? 0) - 1;
    slotOf[id] = -1;
  };
  /**
   * uniformCrossing: a cruiser's token and pool blocks before step k — its crossings at steps
   * firstCross, firstCross + blockTokens, … < k taken (the pool's count took them step by step).
   */
  const syncBlocks = (id: number, k: number): void => {
    const first = firstCross[id] ?? NEVER;
    if (first >= k) return;
    const tb = (tokenBlocks[id] ?? 0) + Math.floor((k - 1 - first) / blockTokens) + 1;
    tokenBlocks[id] = tb;
    heldBlocks[id] = ownBlocks(id, tb);
  };
  // The ends' heap: cruisers by cruiseEnd, with each one's position (heapPos −1: not in it).
  const heap = new Int32Array(n);
  const heapPos = new Int32Array(n).fill(-1);
  let heapSize = 0;
  const heapPlace = (id: number, i: number): void => {
    heap[i] = id;
    heapPos[id] = i;
  };
  const siftUp = (i0: number): void => {
    let i = i0;
    const id = heap[i] ?? 0;
    const key = cruiseEnd[id] ?? 0;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pid = heap[parent] ?? 0;
      if ((cruiseEnd[pid] ?? 0) <= key) break;
      heapPlace(pid, i);
      i = parent;
    }
    heapPlace(id, i);
  };
  const siftDown = (i0: number): void => {
    let i = i0;
    const id = heap[i] ?? 0;
    const key = cruiseEnd[id] ?? 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heapSize) break;
      let child = l;
      let childKey = cruiseEnd[heap[l] ?? 0] ?? 0;
      if (l + 1 < heapSize) {
        const rk = cruiseEnd[heap[l + 1] ?? 0] ?? 0;
        if (rk < childKey) {
          child = l + 1;
          childKey = rk;
        }
      }
      if (childKey >= key) break;
      heapPlace(heap[child] ?? 0, i);
      i = child;
    }
    heapPlace(id, i);
  };
  const heapPush = (id: number): void => {
    heapSize += 1;
    heapPlace(id, heapSize - 1);
    siftUp(heapSize - 1);
  };
  const heapRemove = (id: number): void => {
    const i = heapPos[id] ?? -1;
    if (i < 0) return;
    heapPos[id] = -1;
    heapSize -= 1;
    if (i === heapSize) return;
    const last = heap[heapSize] ?? 0;
    heapPlace(last, i);
    siftDown(i);
    siftUp(heapPos[last] ?? 0);
  };
  /** The step whose decode first needs a token block more, for a cruise from `base` at computed c0. */
  const blockStepOf = (id: number, base: number, c0: number): number => base + (tokenBlocks[id] ?? 0) * blockTokens - c0;
  /** Requests that emitted a token this step and keep running: candidates to cruise from the next. */
  const toCruise = new Int32Array(n);
  let toCruiseCount = 0;
  const startCruise = (id: number, base: number): void => {
    const c0 = computed[id] ?? 0;
    const g0 = generated[id] ?? 0;
    // The last step before the one that decodes its final token (a finish is applied per request).
    let end = base + (osl[id] ?? 1) - g0 - 2;
    if (growsAsNeeded && (!blocksInCruise || blockStepOf(id, base, c0) >= base + blockTokens)) end = Math.min(end, blockStepOf(id, base, c0) - 1);
    for (let w = 0; w < nWindows; w += 1) {
      const win = windowArr[w] ?? 0;
      if (c0 + 1 <= win) end = Math.min(end, base + win - c0 - 1);
    }
    if (end < base) return;
    cruiseBase[id] = base;
    cruiseEnd[id] = end;
    heapPush(id);
    if (blocksInCruise && blockStepOf(id, base, c0) <= end) {
      // The blocks it holds are those of its computed tokens (allocated as they were scheduled), so
      // its first crossing is within blockTokens steps: every visit of its slot from then on is one.
      const cross = blockStepOf(id, base, c0);
      firstCross[id] = cross;
      wheelAdd(id, cross);
    }
    cruisers += 1;
    if (id >= measuredFrom && id < measuredTo) cruisersMeasured += 1;
    for (let w = 0; w < nWindows; w += 1) {
      if (c0 + 1 <= (windowArr[w] ?? 0)) {
        linCount[w] = (linCount[w] ?? 0) + 1;
        linSum[w] = (linSum[w] ?? 0) + c0 - base + 1;
      } else capCount[w] = (capCount[w] ?? 0) + 1;
    }
  };
  /**
   * Bring a cruiser up to date before step k (it decoded in steps base … k − 1) and take it out of
   * the sums; `leaveEvents`: not out of the heap and the wheel (endAllCruises empties them at once).
   */
  const endCruise = (id: number, k: number, leaveEvents = false): void => {
    const base = cruiseBase[id] ?? 0;
    const c0 = computed[id] ?? 0;
    for (let w = 0; w < nWindows; w += 1) {
      if (c0 + 1 <= (windowArr[w] ?? 0)) {
        linCount[w] = (linCount[w] ?? 0) - 1;
        linSum[w] = (linSum[w] ?? 0) - (c0 - base + 1);
      } else capCount[w] = (capCount[w] ?? 0) - 1;
    }
    computed[id] = c0 + (k - base);
    generated[id] = (generated[id] ?? 0) + (k - base);
    lastTokenStep[id] = k - 1;
    cruiseBase[id] = -1;
    if (uniformCrossing) syncBlocks(id, k);
    if (leaveEvents) {
      heapPos[id] = -1;
      slotOf[id] = -1;
    } else {
      heapRemove(id);
      wheelRemove(id);
    }
    firstCross[id] = NEVER;
    cruisers -= 1;
    if (id >= measuredFrom && id < measuredTo) cruisersMeasured -= 1;
  };
  /**
   * Before step k, where every running request cruises and no cruise ends: the block crossings due
   * at k (the wheel's slot), allocated in place when they all fit (true); false when they do not
   * (the full pass then ends them and decides, as without crossings in the cruise).
   */
  const crossInCruise = (k: number): boolean => {
    const slot = k % wheelSlots;
    if (uniformCrossing) {
      // Every member of the slot crosses at k (see startCruise), each taking blocksPerCrossing.
      const count = slotCount[slot] ?? 0;
      const blocks = count * blocksPerCrossing;
      // The full pass's test, in which these decodes would be counted twice in the want sum.
      if (cruisers + count > budgetTokens || !(blocks <= totalBlocks - (st[USED_BLOCKS] ?? 0))) return false;
      st[USED_BLOCKS] = (st[USED_BLOCKS] ?? 0) + blocks;
      if ((st[CACHED_BLOCKS] ?? 0) > 0) evictOverflow();
      noteCommitted();
      return true;
    }
    let count = 0;
    let blocksSum = 0;
    for (let id = slotHead[slot] ?? -1; id >= 0; id = slotNext[id] ?? -1) {
      if ((firstCross[id] ?? NEVER) > k) continue;
      count += 1;
      blocksSum += extraBlocksFor(id, (computed[id] ?? 0) + (k - (cruiseBase[id] ?? 0)) + 1);
    }
    if (cruisers + count > budgetTokens || !(blocksSum <= totalBlocks - (st[USED_BLOCKS] ?? 0))) return false;
    for (let id = slotHead[slot] ?? -1; id >= 0; id = slotNext[id] ?? -1) {
      if ((firstCross[id] ?? NEVER) > k) continue;
      allocate(id, (computed[id] ?? 0) + (k - (cruiseBase[id] ?? 0)) + 1);
    }
    return true;
  };
  /** Whether cruiser `id` must leave its cruise before step k (its end, or a crossing the fast path did not take). */
  const cruiseDue = (id: number, k: number): boolean => (cruiseEnd[id] ?? 0) < k || ((firstCross[id] ?? NEVER) <= k && slotOf[id] === k % wheelSlots);
  /**
   * Before step k: end the cruises that are over, and decide whether the step can keep the others
   * cruising (true) or must run request by request (every cruiser ended; false: the running
   * requests want more than the token budget, so the order they are served in decides who is).
   */
  const prepareCruise = (k: number): boolean => {
    // Every running request cruises and none is due (or only block crossings that fit): the pass
    // below would add nothing (the fast path of a steady decode phase; same result).
    if (runningCount === cruisers && cruisers <= budgetTokens && (heapSize === 0 || (cruiseEnd[heap[0] ?? 0] ?? 0) >= k)) {
      if (wheelSlots === 0 || (slotCount[k % wheelSlots] ?? 0) === 0 || crossInCruise(k)) return true;
    }
    let wantSum = cruisers;
    for (let idx = 0; idx < runningCount; idx += 1) {
      const id = running[idx] ?? 0;
      if ((cruiseBase[id] ?? -1) >= 0) {
        if (!cruiseDue(id, k)) continue;
        endCruise(id, k);
      }
      const c = computed[id] ?? 0;
      const want = (isl[id] ?? 0) + (generated[id] ?? 0) - c;
      if (want > 0) wantSum += want;
    }
    // The whole want fits the budget: every request is served whatever the order, and the pass
    // request by request (scheduleRunning) allocates blocks only for those it serves — the cruisers
    // need none at k — so they go on decoding unless one is preempted when the pool runs short
    // (preemptLatest ends its cruise first): the same step as with every cruise ended.
    if (wantSum <= budgetTokens) return true;
    endAllCruises(k);
    return false;
  };
  /** End every cruise before step k; the heap and the wheel are emptied whole (a preemption's step ends ~all of them). */
  const endAllCruises = (k: number): void => {
    for (let idx = 0; idx < runningCount && cruisers > 0; idx += 1) {
      const id = running[idx] ?? 0;
      if ((cruiseBase[id] ?? -1) >= 0) endCruise(id, k, true);
    }
    heapSize = 0;
    for (let slot = 0; slot < wheelSlots; slot += 1) {
      slotHead[slot] = -1;
      slotCount[slot] = 0;
    }
  };
  /** Every cruiser's decode of step k into the batch. */
  const addCruisersToStep = (k: number): void => {
    batch.decodeRequests += cruisers;
    for (let w = 0; w < nWindows; w += 1) {
      const capped = capCount[w] ?? 0;
      decodeCtx[w] = (decodeCtx[w] ?? 0) + (linSum[w] ?? 0) + (linCount[w] ?? 0) * k + (capped > 0 ? capped * (windowArr[w] ?? 0) : 0);
    }
    stepDecodesApplied += cruisers;
    stepMeasuredDecodes += cruisersMeasured;
  };
  const scheduleRunning = (which: 'all' | 'prompts' | 'decodes', budget: number): number => {
    let preempted = false;
    let left = budget;
    const skipDecodes = which === 'prompts';
    const skipPrompts = which === 'decodes';
    for (let idx = 0; idx < runningCount && left > 0; idx += 1) {
      const id = running[idx] ?? 0;
      if ((cruiseBase[id] ?? -1) >= 0) continue;
      const computedTokens = computed[id] ?? 0;
      const g = generated[id] ?? 0;
      const want = (isl[id] ?? 0) + g - computedTokens;
      const decoding = g >= 1 && want === 1;
      if ((skipDecodes && decoding) || (skipPrompts && !decoding)) continue;
      const tokens = want < left ? want : left;
      if (tokens <= 0) continue;
      const target = computedTokens + tokens;
      // A verify writes KV for its k drafts too (vLLM allocate_slots' num_lookahead_tokens), never past the request's end.
      const slots = decoding && specTokens > 0 ? Math.min(target + specRows, (isl[id] ?? 0) + (osl[id] ?? 1)) : target;
      // Most steps of a request stay inside the blocks it holds: only a block crossing allocates.
      if (growsAsNeeded && slots > (tokenBlocks[id] ?? 0) * blockTokens) {
        let self = false;
        while (extraBlocksFor(id, slots) > totalBlocks - (st[USED_BLOCKS] ?? 0)) {
          preempted = true;
          // Requests after idx are popped first; if `id` itself is popped, nothing more runs this step.
          if (preemptLatest() === id) {
            self = true;
            break;
          }
        }
        if (self) break;
        allocate(id, slots);
      }
      // A verify takes its k + 1 query rows of the token budget (vLLM schedules the spec tokens as new tokens).
      left -= decoding && specTokens > 0 ? Math.min(left, tokens + specRows) : tokens;
      if (decoding && specTokens === 0 && g + 1 < (osl[id] ?? 1) && lastTokenStep[id] === steps.length - 1) {
        // A decode that continues from the previous step and does not finish: applied here, in the
        // scheduling pass (its gap is this step's duration, whatever it turns out to be).
        batch.decodeRequests += 1;
        for (let w = 0; w < nWindows; w += 1) decodeCtx[w] = (decodeCtx[w] ?? 0) + Math.min(target, windowArr[w] ?? 0);
        computed[id] = target;
        generated[id] = g + 1;
        lastTokenStep[id] = steps.length;
        if (canCruise) {
          toCruise[toCruiseCount] = id;
          toCruiseCount += 1;
        }
        stepDecodesApplied += 1;
        if (id >= measuredFrom && id < measuredTo) stepMeasuredDecodes += 1;
        continue;
      }
      addToStep(id, tokens, decoding);
    }
    return preempted ? -1 : left;
  };

  /**
   * Admit waiting requests FCFS while the budget, max_num_seqs and the pool allow. Under vLLM's async
   * scheduling (SimReplica.schedulesOneStepAhead) a step is scheduled when the previous one starts, so
   * while requests keep running it sees only the requests that had arrived by then and not the slots
   * and blocks the previous step's finishes free (perf/serving.ts admissionLagSteps, the closed form's rule).
   */
  const admitWaiting = (budget: number): void => {
    let left = budget;
    const lagging = scheduleAhead && runningCount > 0;
    const seenUntilMs = lagging ? prevStepStartMs : Infinity;
    const heldSlots = lagging ? lateSlots : 0;
    const heldBlocks = lagging ? lateBlocks : 0;
    while (waitingCount > 0 && left > 0 && runningCount + heldSlots < maxSeqs) {
      const id = peek();
      if ((arrivalMs[id] ?? 0) > seenUntilMs) break;
      // A victim starts from what the prefix cache still holds of it (its own hit, or the prompt's).
      const base = keepCache ? Math.max(computed[id] ?? 0, cachedHitTokens(id)) : (computed[id] ?? 0);
      const want = knownTokens(id) - base;
      if (!policy.chunkedPrefill && want > left && want <= budgetTokens) break;
      const tokens = Math.min(want, left);
      const need =
        policy.kvReservation === 'whole-request'
          ? ownBlocks(id, tokenBlocksOf((isl[id] ?? 0) + (osl[id] ?? 0)))
          : extraBlocksFor(id, base + tokens);
      // FCFS: a head that does not fit blocks the queue (vLLM breaks out of the waiting loop). Its
      // own cached blocks count on both sides, as allocate_slots counts its evictable hit blocks.
      if (need > totalBlocks - (st[USED_BLOCKS] ?? 0) - heldBlocks) break;
      if ((preemptions[id] ?? 0) > 0) st[RECOMPUTED_TOKENS] = (st[RECOMPUTED_TOKENS] ?? 0) + Math.max(0, (lostFrom[id] ?? 0) - base);
      if (keepCache) takeCached(id);
      computed[id] = base;
      lostFrom[id] = 0;
      if (policy.kvReservation === 'whole-request') allocate(id, (isl[id] ?? 0) + (osl[id] ?? 0));
      else allocate(id, base + tokens);
      popFront();
      if (Number.isNaN(firstScheduledMs[id] ?? 0)) firstScheduledMs[id] = st[NOW_MS] ?? 0;
      running[runningCount] = id;
      runningCount += 1;
      addToStep(id, tokens, false);
      left -= tokens;
    }
  };

  let nextOpen = 0;
  const sendOpenArrivals = (t: number): void => {
    if (load.kind !== 'open-loop') return;
    while (nextOpen < n && (sendTimes[nextOpen] ?? 0) <= t) {
      send(nextOpen, sendTimes[nextOpen] ?? 0);
      nextOpen += 1;
    }
    sent = nextOpen;
  };

  let retractedLastStep: boolean = false;
  // Async scheduling (admitWaiting): the previous step's start, and the slots and blocks its finishes freed.
  const scheduleAhead = replica.schedulesOneStepAhead === true;
  let prevStepStartMs = 0;
  let lateSlots = 0;
  let lateBlocks = 0;
  while (done < n && !failed) {
    sendOpenArrivals(st[NOW_MS] ?? 0);
    if (runningCount === 0 && waitingCount === 0) {
      // Idle engine: jump to the next arrival.
      if (load.kind === 'open-loop' && nextOpen < n) {
        st[NOW_MS] = Math.max(st[NOW_MS] ?? 0, sendTimes[nextOpen] ?? 0);
        continue;
      }
      break;
    }

    // --- the steady decode phase: steps where every running request cruises, in one tight loop ---
    // Each is the step the general path below would run: nothing can be admitted (none waits, or
    // max_num_seqs run) and nothing arrives, no cruise ends,
    // and the block crossings due fit (crossInCruise, as prepareCruise's fast path); its batch is
    // the cruisers' decodes (addCruisersToStep's sums), nothing else is scheduled, nothing finishes.
    // The loop stops before a step where any of that fails, and the general path takes that step.
    if (canCruise && (waitingCount === 0 || runningCount >= maxSeqs) && cruisers > 0 && runningCount === cruisers && cruisers <= budgetTokens) {
      const nextSendMs = load.kind === 'open-loop' && nextOpen < n ? (sendTimes[nextOpen] ?? 0) : Infinity;
      let nowMs = st[NOW_MS] ?? 0;
      let ran = 0;
      for (;;) {
        const k = steps.length;
        if (nextSendMs <= nowMs) break;
        if (heapSize > 0 && (cruiseEnd[heap[0] ?? 0] ?? 0) < k) break;
        if (wheelSlots > 0 && (slotCount[k % wheelSlots] ?? 0) > 0 && !crossInCruise(k)) break;
        batch.decodeRequests = cruisers;
        batch.prefillTokens = 0;
        batch.finishingPrefills = 0;
        for (let w = 0; w < nWindows; w += 1) {
          const capped = capCount[w] ?? 0;
          decodeCtx[w] = (linSum[w] ?? 0) + (linCount[w] ?? 0) * k + (capped > 0 ? capped * (windowArr[w] ?? 0) : 0);
          prefillCtx[w] = 0;
        }
        const durationMs = Math.max(0, replica.stepTimeMs(batch));
        prevStepStartMs = nowMs;
        nowMs += durationMs;
        if (cruisersMeasured > 0 && nowMs <= itlUntilMs) {
          pushF64(itlValues, durationMs);
          pushF64(itlWeights, cruisersMeasured);
          if (durationMs > ffItlMs) overItl += cruisersMeasured;
        }
        pushStep(steps, nowMs, durationMs, st[USED_BLOCKS] ?? 0, waitingCount, runningCount, cruisers);
        ran += 1;
        if (overItl >= stopItl) {
          failed = true;
          break;
        }
      }
      st[NOW_MS] = nowMs;
      if (ran > 0) {
        lateSlots = 0;
        lateBlocks = 0;
        retractedLastStep = false;
        continue;
      }
    }

    // --- schedule one step (filling its batch, in the step model's terms, as requests are scheduled) ---
    schedCount = 0;
    stepDecodesApplied = 0;
    stepMeasuredDecodes = 0;
    batch.decodeRequests = 0;
    batch.prefillTokens = 0;
    batch.finishingPrefills = 0;
    // A loop, not TypedArray fill: two builtin calls per step were a third of the loop's own time (CPU profile).
    for (let w = 0; w < nWindows; w += 1) {
      decodeCtx[w] = 0;
      prefillCtx[w] = 0;
    }
    toCruiseCount = 0;
    const cruising = cruisers > 0 && prepareCruise(steps.length);
    // SGLang after a retraction: the decode batch runs before any new prefill. retract_decode raises
    // new_token_ratio, which makes PrefillAdder (python/sglang/srt/managers/schedule_policy.py)
    // hold back prefills while the running decodes need the memory; without this, the retracted
    // request was re-admitted in the next step and retracted again in the one after, for ever.
    const holdPrefill: boolean = !policy.prefillWithDecodes && retractedLastStep && runningCount > 0;
    // All running requests cruising: scheduleRunning would skip every one of them.
    const left: number = holdPrefill ? budgetTokens : cruising && runningCount === cruisers ? budgetTokens - cruisers : scheduleRunning(policy.prefillWithDecodes ? 'all' : 'prompts', cruising ? budgetTokens - cruisers : budgetTokens);
    if (cruising) addCruisersToStep(steps.length);
    if (left > 0 && !holdPrefill) admitWaiting(left);
    let preemptedThisStep: boolean = left < 0;
    // SGLang: a prefill batch (partial prompts, then new ones) runs alone when there is one, else the decodes.
    if (!policy.prefillWithDecodes && schedCount + stepDecodesApplied === 0 && !preemptedThisStep) preemptedThisStep = scheduleRunning('decodes', Infinity) < 0;
    retractedLastStep = preemptedThisStep;
    if (schedCount + stepDecodesApplied === 0 && runningCount === 0 && !preemptedThisStep) {
      // Guard against a stuck queue: nothing runs, nothing was preempted, and the head cannot start
      // in an empty pool. neverFits refuses such requests on arrival, so this is not expected; it is
      // refused here rather than looping forever.
      const id = peek();
      popFront();
      rejected[id] = 1;
      done += 1;
      refill(st[NOW_MS] ?? 0);
      continue;
    }

    let measuredDecodes = stepMeasuredDecodes;
    const stepStartMs = st[NOW_MS] ?? 0;
    const stepIndex = steps.length;
    const durationMs = schedCount + stepDecodesApplied > 0 ? Math.max(0, replica.stepTimeMs(batch)) : 0;
    const nowMs = stepStartMs + durationMs;
    st[NOW_MS] = nowMs;
    prevStepStartMs = stepStartMs;
    lateSlots = 0;
    lateBlocks = 0;

    // --- apply: computed tokens, samples, finishes ---
    let emitted = stepDecodesApplied;
    let finishedAny = false;
    for (let k = 0; k < schedCount; k += 1) {
      const id = schedId[k] ?? 0;
      const c = (computed[id] ?? 0) + (schedTokens[k] ?? 0);
      computed[id] = c;
      if (c !== knownTokens(id)) continue;
      let g = (generated[id] ?? 0) + 1;
      if (specTokens > 0 && schedDecode[k] === 1) {
        // The verify's accepted drafts, emitted with the target's own token (never past the answer's end).
        const u = hashUniform(specSeed, id, g);
        const accepted = Math.min(specTree === null ? acceptedDraftTokens(u, specAcceptance, specTokens) : acceptedTreeDraftTokens(u, specTree), (osl[id] ?? 1) - g);
        g += accepted;
        computed[id] = c + accepted;
        emitted += accepted;
      }
      generated[id] = g;
      emitted += 1;
      const measured = id >= measuredFrom && id < measuredTo;
      if (g === 1) {
        firstTokenMs[id] = nowMs;
        if (measured && nowMs - (arrivalMs[id] ?? 0) + ffOverheadMs > ffTtftMs) overTtft += 1;
      } else if (measured && nowMs <= itlUntilMs) {
        const last = lastTokenStep[id] ?? -2;
        if (last === stepIndex - 1 && (steps.endMs[last] ?? NOT_YET) === stepStartMs) measuredDecodes += 1;
        else {
          const gapMs = nowMs - (steps.endMs[last] ?? 0);
          pushF64(itlValues, gapMs);
          pushF64(itlWeights, 1);
          if (gapMs > ffItlMs) overItl += 1;
        }
      }
      lastTokenStep[id] = stepIndex;
      if (g >= (osl[id] ?? 1)) {
        finishMs[id] = nowMs;
        if (measured && nowMs - (arrivalMs[id] ?? 0) + ffOverheadMs > ffE2eMs) overE2e += 1;
        lateSlots += 1;
        lateBlocks += heldBlocks[id] ?? 0;
        release(id);
        done += 1;
        finishedAny = true;
      } else if (canCruise) {
        toCruise[toCruiseCount] = id;
        toCruiseCount += 1;
      }
    }
    if (finishedAny) {
      // Drop finished requests from the running list, keeping admission order.
      let kept = 0;
      for (let r = 0; r < runningCount; r += 1) {
        const id = running[r] ?? 0;
        if (Number.isNaN(finishMs[id] ?? NOT_YET)) {
          running[kept] = id;
          kept += 1;
        }
      }
      runningCount = kept;
      refill(nowMs);
    }
    if (measuredDecodes > 0 && nowMs <= itlUntilMs) {
      pushF64(itlValues, durationMs);
      pushF64(itlWeights, measuredDecodes);
      if (durationMs > ffItlMs) overItl += measuredDecodes;
    }
    pushStep(steps, nowMs, durationMs, st[USED_BLOCKS] ?? 0, waitingCount, runningCount, emitted);
    for (let t = 0; t < toCruiseCount; t += 1) startCruise(toCruise[t] ?? 0, stepIndex + 1);
    if (overTtft >= stopTtft || overItl >= stopItl || overE2e >= stopE2e) failed = true;
  }

  const view = opts.viewLogs === true;
  const part = (a: Float64Array): Float64Array => (view ? a.subarray(0, steps.length) : a.slice(0, steps.length));
  const { windowStartMs, windowEndMs } = throughputWindow(load, arrivalMs, finishMs, measuredFrom, measuredTo);
  return {
    requests,
    load,
    arrivalMs,
    firstScheduledMs,
    firstTokenMs,
    finishMs,
    preemptions,
    rejected,
    measuredFrom,
    measuredTo,
    windowStartMs,
    windowEndMs,
    // The reused logs' filled parts: copies (the next run overwrites the logs), or views.
    stepEndMs: part(steps.endMs),
    stepMs: part(steps.durationMs),
    stepKvBlocksUsed: part(steps.kvBlocksUsed),
    stepWaiting: part(steps.waiting),
    stepRunning: part(steps.running),
    stepTokens: part(steps.tokens),
    itlValuesMs: view ? viewF64(itlValues) : viewF64(itlValues).slice(),
    itlWeights: view ? viewF64(itlWeights) : viewF64(itlWeights).slice(),
    totalBlocks,
    preemptionsTotal,
    recomputedTokens: st[RECOMPUTED_TOKENS] ?? 0,
    kvBlocksCommittedPeak: st[COMMITTED_PEAK] ?? 0,
    ...(failed ? { stoppedEarly: true } : {}),
  };
}

/**
 * The window throughput is counted over. Burst: the whole run (0 to the last completion), as a
 * benchmark divides completions by its duration. Open and closed loop: from the first measured
 * request's arrival to the last request's arrival — while the offered load is on; after it the
 * replica drains with fewer requests than the steady state has.
 */
export function throughputWindow(
  load: SimLoad,
  arrivalMs: Float64Array,
  finishMs: Float64Array,
  from: number,
  to: number,
): { windowStartMs: number; windowEndMs: number } {
  let lastFinish = 0;
  for (let i = 0; i < finishMs.length; i += 1) {
    const f = finishMs[i] ?? NOT_YET;
    if (f > lastFinish) lastFinish = f;
  }
  if (load.kind === 'burst' || arrivalMs.length === 0) return { windowStartMs: 0, windowEndMs: lastFinish };
  const start = arrivalMs[from] ?? 0;
  const end = arrivalMs[arrivalMs.length - 1] ?? 0;
  if (end > start) return { windowStartMs: start, windowEndMs: end };
  // Too few requests for a window inside the load (all sent at once): the measured requests' span.
  let measuredEnd = start;
  for (let i = from; i < to; i += 1) {
    const f = finishMs[i] ?? NOT_YET;
    if (f > measuredEnd) measuredEnd = f;
  }
  return { windowStartMs: start, windowEndMs: measuredEnd };
}
