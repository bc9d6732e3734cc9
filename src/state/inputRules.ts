/**
 * Validation of every user-typed value, shared by the form (text the user typed) and the URL codec
 * (text from a link). A value is accepted as is or rejected with a sentence for the user; nothing
 * outside these ranges ever reaches the engine, and no NaN or Infinity can. The numeric rules
 * themselves are the engine's (engine/inputRules.ts), shared with the CLI and validateRecommendRequest.
 */
import type { Result } from '../engine/result';
import { err, ok } from '../engine/result';
import {
  checkBurstiness,
  checkConcurrency,
  checkPageGpuBudget,
  checkRequestRate,
  checkSloPercentile,
  checkGpuMemoryUtilization,
  checkOtherMemoryGiB,
  checkPriceUsdPerHour,
  checkSloMs,
  checkTokenCount,
  checkPrefixHitRate,
  checkPrefixTokens,
  checkSpecAcceptance,
  checkSpecTokens,
  checkSpecTopk,
  checkSpecDraftTokens,
  MAX_CONCURRENCY,
  MAX_REQUEST_TOKENS,
  type RuleResult,
} from '../engine/inputRules';
import type { ConcurrencyInput } from './inputs';
import type { SloPercentile } from '../engine/types';

export type Parsed<T> = Result<T, string>;

function parseFiniteNumber(text: string): number | null {
  const trimmed = text.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal notation only.
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/**
 * Text → number → the engine's rule (engine/inputRules.ts), whose expectation becomes the field's
 * message ("Enter a whole number from 1 to 4096."). Text that is no number gets the same message.
 */
function parseByRule(text: string, rule: (value: unknown) => RuleResult<number>): Parsed<number> {
  const checked = rule(parseFiniteNumber(text));
  return checked.ok ? checked : err(`Enter ${checked.error.expected}.`);
}

export const parseTokens = (text: string): Parsed<number> => parseByRule(text, checkTokenCount);
/** The page's budget (engine/inputRules.ts MAX_PAGE_GPU_BUDGET: 64, eight 8-GPU nodes); the CLI allows more. */
export const parseMaxGpus = (text: string): Parsed<number> => parseByRule(text, checkPageGpuBudget);
/** A fixed number of concurrent requests (the keywords are parseConcurrency's). */
export const parseConcurrencyCount = (text: string): Parsed<number> => parseByRule(text, checkConcurrency);

export function parseConcurrency(text: string): Parsed<ConcurrencyInput> {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'max' || trimmed === 'sweep') return ok(trimmed);
  const parsed = parseConcurrencyCount(trimmed);
  return parsed.ok ? parsed : err(`Enter 'sweep', 'max' or a whole number from 1 to ${MAX_CONCURRENCY}.`);
}

export const parseGpuMemoryUtilization = (text: string): Parsed<number> => parseByRule(text, checkGpuMemoryUtilization);

/** [engine options] Memory other processes hold on each GPU, GiB; empty = 0 (none). */
export function parseOtherMemoryGiB(text: string): Parsed<number> {
  return text.trim() === '' ? ok(0) : parseByRule(text, checkOtherMemoryGiB);
}

/** An engine flag left to the engine's default when empty (null); otherwise checked by `rule`. */
function parseOptional(text: string, rule: (value: unknown) => RuleResult<number>): Parsed<number | null> {
  if (text.trim() === '') return ok(null);
  const parsed = parseByRule(text, rule);
  return parsed.ok ? parsed : err(`${parsed.error.slice(0, -1)}, or leave empty for the engine's default.`);
}

/**
 * [engine options] SGLang --mem-fraction-static and TensorRT-LLM --kv_cache_free_gpu_memory_fraction,
 * by the utilization rule (0, 1] the engine's request check applies (recommend.ts engineFlagChecks).
 */
export const parseOptionalFraction = (text: string): Parsed<number | null> => parseOptional(text, checkGpuMemoryUtilization);
/** [engine options] The engines' token and request caps, by the token-count rule the request check applies. */
export const parseOptionalCount = (text: string): Parsed<number | null> => parseOptional(text, checkTokenCount);

/** An SLO limit in ms; empty text means "no limit". */
export function parseSloMs(text: string): Parsed<number | null> {
  if (text.trim() === '') return ok(null);
  const parsed = parseByRule(text, checkSloMs);
  return parsed.ok ? parsed : err(`${parsed.error.slice(0, -1)}, or leave empty for no limit.`);
}

export const parseRatePerS = (text: string): Parsed<number> => parseByRule(text, checkRequestRate);
export const parseBurstiness = (text: string): Parsed<number> => parseByRule(text, checkBurstiness);

/** 50, 90, 95 or 99 (a link's text). */
export function parseSloPercentile(text: string): Parsed<SloPercentile> {
  const checked = checkSloPercentile(parseFiniteNumber(text));
  return checked.ok ? checked : err(`Enter ${checked.error.expected}.`);
}

/**
 * [prefix] Shared prefix tokens: a whole number from 0 (the request clamps it to the prompt length,
 * selectors.ts buildRecommendRequest, so a link read before its prompt length is never refused for it).
 */
export const parsePrefixTokens = (text: string): Parsed<number> => parseByRule(text, (v) => checkPrefixTokens(v, MAX_REQUEST_TOKENS));
export const parsePrefixHitRate = (text: string): Parsed<number> => parseByRule(text, checkPrefixHitRate);
export const parseSpecTokens = (text: string): Parsed<number> => parseByRule(text, checkSpecTokens);
export const parseSpecTopk = (text: string): Parsed<number> => parseByRule(text, checkSpecTopk);
export const parseSpecDraftTokens = (text: string): Parsed<number> => parseByRule(text, checkSpecDraftTokens);
/** Acceptance 0–1; empty text means the method's published default. */
export function parseSpecAcceptance(text: string): Parsed<number | null> {
  if (text.trim() === '') return ok(null);
  const parsed = parseByRule(text, checkSpecAcceptance);
  return parsed.ok ? parsed : err(`${parsed.error.slice(0, -1)}, or leave empty for the published default.`);
}

export const parsePriceUsdPerHour = (text: string): Parsed<number> => parseByRule(text, checkPriceUsdPerHour);

/** A closed set member, compared exactly (as const tuples, STYLE.md §2.4). */
/** A link's on/off flag: '1' or '0'. */
export function parseFlag(text: string): Parsed<boolean> {
  if (text === '1') return ok(true);
  if (text === '0') return ok(false);
  return err(`expected 1 or 0, got "${text}"`);
}

export function parseMember<T extends string>(text: string, members: readonly T[]): Parsed<T> {
  const found = members.find((m) => m === text);
  return found === undefined ? err(`Expected one of ${members.join(', ')}.`) : ok(found);
}

/** Hub ids are `org/name` (or a bare legacy name); pasted models are named freely. Text only, bounded. */
export const MAX_MODEL_ID_CHARS = 200;
export function parseModelId(text: string): Parsed<string> {
  const trimmed = text.trim();
  if (trimmed === '') return err('Enter a model id.');
  if (trimmed.length > MAX_MODEL_ID_CHARS) return err(`A model id has at most ${MAX_MODEL_ID_CHARS} characters.`);
  // Control characters never belong in an id (and would garble the URL and the page).
  if (/\p{Cc}/u.test(trimmed)) return err('A model id cannot contain control characters.');
  return ok(trimmed);
}
