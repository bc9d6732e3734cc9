/**
 * One function per input rule, shared by every front end: the engine's request check
 * (recommend.ts validateRecommendRequest), the page's form and links (state/inputRules.ts) and the
 * CLI's flags (cli/options.ts). Before this file each rule lived three times, with three different
 * bounds (tokens: 2^24 on the page, 1e8 in the engine and the CLI; GPU budget: 1024 vs 4096).
 *
 * A rule takes a value already turned into a number by its front end (text parsing stays there: the
 * page and the CLI accept different spellings) and returns it, or what it expects as a noun phrase
 * ("a fraction above 0 and at most 1") that each front end puts in its own sentence: the engine
 * "must be …", the page "Enter ….", the CLI "--flag must be …, got …".
 */
import { SLO_PERCENTILES, type SloPercentile } from './sim/maxRate';
import type { Result } from './types';
import { err, ok } from './result';
import { MAX_SPEC_DRAFT_TOKENS, MAX_SPEC_TOKENS, MAX_SPEC_TOPK } from './perf/speculative';

/** Why a value was refused: what the rule expects, as a noun phrase. */
export interface RuleViolation {
  expected: string;
}

export type RuleResult<T> = Result<T, RuleViolation>;

/** Longest request length accepted (tokens): far above any model's context; beyond it the input is a typo. */
export const MAX_REQUEST_TOKENS = 1e8;
/** Largest GPU budget accepted: beyond a few thousand GPUs the layout enumeration is meaningless. */
export const MAX_GPU_BUDGET = 4096;
/** Far above vLLM's largest default max_num_seqs (1024, vllm/engine/arg_utils.py get_batch_defaults); a typo guard, not a limit of vLLM. */
export const MAX_CONCURRENCY = 100_000;
/** One hour: an SLO above this is a typo (latencies are ms). */
export const MAX_SLO_MS = 3_600_000;
/** USD per GPU-hour: the dearest cloud GPU lists under ~15 USD/h; 1000 is a typo guard. */
export const MAX_PRICE_USD_PER_HOUR = 1000;

const violation = (expected: string): { ok: false; error: RuleViolation } => err({ expected });

function wholeNumberFrom1(value: unknown, max: number): RuleResult<number> {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    return violation(`a whole number from 1 to ${max}`);
  }
  return ok(value);
}

/** Prompt, output, max_model_len and max_num_batched_tokens lengths (tokens). */
export function checkTokenCount(tokens: unknown): RuleResult<number> {
  return wholeNumberFrom1(tokens, MAX_REQUEST_TOKENS);
}

/** vLLM --block-size (tokens per KV block). vLLM offers a few sizes per backend; the engine plans any whole size. */
export function checkBlockSizeTokens(tokens: unknown): RuleResult<number> {
  return wholeNumberFrom1(tokens, MAX_REQUEST_TOKENS);
}

/** The most GPUs a configuration may use, all replicas together. */
export function checkGpuBudget(gpus: unknown): RuleResult<number> {
  return wholeNumberFrom1(gpus, MAX_GPU_BUDGET);
}

/**
 * The page's GPU budget (issue 13: up to 64 on the page, the CLI goes further): the page recomputes
 * the whole table on every edit (in the worker), and at 64 a recommendation plans 2.5× the
 * configurations of an 8-GPU budget and posts a 3.8 MB result (`BENCH_MAX_GPUS=64 npm run bench`,
 * Llama-3.1-8B: 1,585 vs 640 candidates; fresh 83–247 ms over the benched models on a shared box).
 */
export const MAX_PAGE_GPU_BUDGET = 64;

export function checkPageGpuBudget(gpus: unknown): RuleResult<number> {
  return wholeNumberFrom1(gpus, MAX_PAGE_GPU_BUDGET);
}

/** A fixed number of requests in flight (closed-loop concurrency), and vLLM --max-num-seqs. */
export function checkConcurrency(requests: unknown): RuleResult<number> {
  return wholeNumberFrom1(requests, MAX_CONCURRENCY);
}

/** vLLM CacheConfig: gpu_memory_utilization is Field(gt=0, le=1) (vllm/config/cache.py). */
export function checkGpuMemoryUtilization(fraction: unknown): RuleResult<number> {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 1)) return violation('a fraction above 0 and at most 1 (e.g. 0.9)');
  return ok(fraction);
}

/** Most memory other processes may hold on one GPU, GiB: the largest custom GPU's memory (catalog/customGpu). */
export const MAX_OTHER_MEMORY_GIB = 1024;

/** Memory other processes already hold on each GPU at start (GiB); 0 = none. */
export function checkOtherMemoryGiB(gib: unknown): RuleResult<number> {
  if (typeof gib !== 'number' || !(gib >= 0 && gib <= MAX_OTHER_MEMORY_GIB)) return violation(`GiB from 0 to ${MAX_OTHER_MEMORY_GIB}`);
  return ok(gib);
}

/** A latency limit (TTFT, ITL, E2E); "no limit" is each front end's own absent value (null, empty text, no flag). */
export function checkSloMs(ms: unknown): RuleResult<number> {
  if (typeof ms !== 'number' || !(ms > 0 && ms <= MAX_SLO_MS)) return violation(`milliseconds above 0 and at most ${MAX_SLO_MS}`);
  return ok(ms);
}

/** A price per GPU-hour; 0 is allowed (hardware already paid for). */
export function checkPriceUsdPerHour(usd: unknown): RuleResult<number> {
  if (typeof usd !== 'number' || !(usd >= 0 && usd <= MAX_PRICE_USD_PER_HOUR)) return violation(`USD per GPU-hour from 0 to ${MAX_PRICE_USD_PER_HOUR}`);
  return ok(usd);
}

/** Open-loop request rate of the simulator (requests per second, the whole configuration); 100,000/s is a typo guard. */
export function checkRequestRate(perS: unknown): RuleResult<number> {
  if (typeof perS !== 'number' || !(perS > 0 && perS <= 100_000)) return violation('requests per second above 0 and at most 100000');
  return ok(perS);
}

/** Gamma shape of the arrivals (vllm bench serve --burstiness): 1 = Poisson, below 1 burstier. */
export function checkBurstiness(shape: unknown): RuleResult<number> {
  if (typeof shape !== 'number' || !(shape > 0 && shape <= 100)) return violation('a number above 0 and at most 100 (1 = Poisson)');
  return ok(shape);
}

/** vllm bench serve --random-range-ratio: lengths uniform on mean × [1 − r, 1 + r], r in [0, 1). */
export function checkRangeRatio(ratio: unknown): RuleResult<number> {
  if (typeof ratio !== 'number' || !(ratio >= 0 && ratio < 1)) return violation('a ratio from 0 up to (not including) 1');
  return ok(ratio);
}

/** Requests one simulation sends (vllm bench serve --num-prompts); 100,000 keeps a run under a few seconds. */
export function checkSimulatedRequests(count: unknown): RuleResult<number> {
  return wholeNumberFrom1(count, 100_000);
}

/** The simulator's seed: any whole number from 0 to 2^31 − 1. */
export function checkSeed(seed: unknown): RuleResult<number> {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 2_147_483_647) return violation('a whole number from 0 to 2147483647');
  return ok(seed);
}

/** The percentile latency limits apply at (--slo-percentile; sim/maxRate.ts SLO_PERCENTILES). */
export function checkSloPercentile(p: unknown): RuleResult<SloPercentile> {
  const hit = SLO_PERCENTILES.find((q) => q === p);
  return hit === undefined ? violation(`one of ${SLO_PERCENTILES.join(', ')}`) : ok(hit);
}

/** Speculative tokens per step (vLLM num_speculative_tokens): 1 to perf/speculative.ts MAX_SPEC_TOKENS. */
export function checkSpecTokens(tokens: unknown): RuleResult<number> {
  return wholeNumberFrom1(tokens, MAX_SPEC_TOKENS);
}

/** Candidates per draft depth of a token tree (SGLang --speculative-eagle-topk): 1 (a chain) to perf/speculative.ts MAX_SPEC_TOPK. */
export function checkSpecTopk(topk: unknown): RuleResult<number> {
  return wholeNumberFrom1(topk, MAX_SPEC_TOPK);
}

/** Tokens a tree verifies per request, the root included (SGLang --speculative-num-draft-tokens): 2 to perf/speculative.ts MAX_SPEC_DRAFT_TOKENS. */
export function checkSpecDraftTokens(tokens: unknown): RuleResult<number> {
  if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 2 || tokens > MAX_SPEC_DRAFT_TOKENS) return violation(`a whole number from 2 to ${MAX_SPEC_DRAFT_TOKENS}`);
  return ok(tokens);
}

/** Per-token acceptance probability of speculative decoding: 0 (nothing accepted) to 1 (everything). */
export function checkSpecAcceptance(fraction: unknown): RuleResult<number> {
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) return violation('a fraction from 0 to 1 (e.g. 0.8)');
  return ok(fraction);
}

/**
 * [prefix] Tokens every prompt shares with the prefix cache (system prompt, few-shot): a whole number
 * from 0 to the prompt length `inputTokens` (a prefix cannot be longer than the prompt it starts).
 */
export function checkPrefixTokens(tokens: unknown, inputTokens: number): RuleResult<number> {
  const most = Math.max(0, Math.floor(inputTokens));
  if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 0 || tokens > most) {
    return violation(`a whole number from 0 to the prompt length (${most} tokens)`);
  }
  return ok(tokens);
}

/** [prefix] Fraction of each prompt's tokens found in the prefix cache: 0 (none) to 1 (all but the last block). */
export function checkPrefixHitRate(fraction: unknown): RuleResult<number> {
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) return violation('a fraction from 0 to 1 (e.g. 0.6)');
  return ok(fraction);
}
