/**
 * One simulated run end to end: draw the requests (load.ts), simulate the replica (simulate.ts),
 * summarise (summarize.ts). What session.simulate and the rate search call.
 */
import type { SloLimits } from '../types';
import { DEFAULT_BENCHMARK_NUM_REQUESTS } from '../calibration';
import type { LengthDistribution, SimLoad } from './load';
import { drawRequests } from './load';
import type { SimReplica } from './replica';
import type { SimResult } from './summarize';
import { summarize } from './summarize';
import type { FailFastLimits } from './simulate';
import { simulate } from './simulate';
import { withPrefixCache } from './prefix';

export interface SimRunSpec {
  load: SimLoad;
  inputTokens: number;
  outputTokens: number;
  /** Default fixed (vllm bench serve --random-range-ratio 0). */
  inputLengths?: LengthDistribution;
  outputLengths?: LengthDistribution;
  /** Requests sent (vllm bench serve --num-prompts); default 1000 as there. */
  numRequests?: number;
  /** Default 1. */
  seed?: number;
  /** Per-request limits for goodput; null = every completion counts. */
  slo?: SloLimits | null;
  /** max_model_len: drawn lengths are clipped so prompt + output fit it. */
  maxRequestTokens?: number;
  /**
   * Open loop only: count inter-token gaps only until the last request is sent, leaving out the
   * drain after it (fewer prompts then interleave with the decodes). The rate search's short probes
   * use it: their drain is a far larger share of the run than a full-size run's (maxRate.ts).
   */
  itlWhileArriving?: boolean;
}

export const DEFAULT_SIM_SEED = 1;
const FIXED: LengthDistribution = { kind: 'fixed' };

export function runSimulation(replica: SimReplica, spec: SimRunSpec): SimResult {
  const r = runOrFail(replica, spec, undefined);
  if (r === null) throw new Error('a run without failFast never stops early');
  return r;
}

/**
 * The run, or null as soon as it has broken one of the percentile limits for certain (simulate's
 * failFast): what the rate search runs where a failure is all it needs to know (maxRate.ts).
 * A run that meets them runs to the end and is the same result as runSimulation's.
 */
export function runUnlessFailing(replica: SimReplica, spec: SimRunSpec, limits: Omit<FailFastLimits, 'overheadMs'>): SimResult | null {
  return runOrFail(replica, spec, { ...limits, overheadMs: replica.requestOverheadMs });
}

function runOrFail(replica: SimReplica, spec: SimRunSpec, failFast: FailFastLimits | undefined): SimResult | null {
  const drawn = drawRequests({
    count: spec.numRequests ?? DEFAULT_BENCHMARK_NUM_REQUESTS,
    meanInputTokens: spec.inputTokens,
    meanOutputTokens: spec.outputTokens,
    inputLengths: spec.inputLengths ?? FIXED,
    outputLengths: spec.outputLengths ?? FIXED,
    maxRequestTokens: spec.maxRequestTokens ?? Infinity,
    load: spec.load,
    seed: spec.seed ?? DEFAULT_SIM_SEED,
  });
  const requests = withPrefixCache(drawn, replica.prefixCache);
  const seed = spec.seed ?? DEFAULT_SIM_SEED;
  const itlUntilMs = spec.itlWhileArriving === true && spec.load.kind === 'open-loop' ? (requests.sendMs[requests.count - 1] ?? Infinity) : Infinity;
  // Summarised at once and dropped: the trace may view the simulator's reused logs, and the
  // summary may reorder its inter-token entries.
  const trace = simulate(replica, requests, spec.load, { viewLogs: true, seed, itlUntilMs, ...(failFast === undefined ? {} : { failFast }) });
  if (trace.stoppedEarly === true) return null;
  return summarize(trace, replica.requestOverheadMs, spec.slo ?? null, { itlReorderable: true });
}
