/**
 * Validation of every user-typed value, shared by the form (text the user typed) and the URL codec
 * (text from a link). A value is accepted as is or rejected with a sentence for the user; nothing
 * outside these ranges ever reaches the engine, and no NaN or Infinity can.
 */
import type { Result } from '../engine/result';
import { err, ok } from '../engine/result';
import type { ConcurrencyInput } from './inputs';

/** 2^24 tokens: above the longest context any known config declares (Llama 4 Scout, 10,485,760). */
export const MAX_TOKENS = 2 ** 24;
/** Far above vLLM's default max_num_seqs (256, vllm/engine/arg_utils.py); a typo guard, not a limit of vLLM. */
export const MAX_CONCURRENCY = 100_000;
/** 128 nodes of 8 GPUs: beyond any single serving deployment the recommender enumerates. */
export const MAX_GPUS = 1024;
/** One hour: an SLO above this is a typo (latencies are ms). */
export const MAX_SLO_MS = 3_600_000;
/** USD per GPU-hour: the dearest cloud GPU lists under ~15 USD/h; 1000 is a typo guard. */
export const MAX_PRICE_USD_PER_HOUR = 1000;

export type Parsed<T> = Result<T, string>;

function parseFiniteNumber(text: string): number | null {
  const trimmed = text.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal notation only.
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

export function parseIntegerIn(text: string, min: number, max: number): Parsed<number> {
  const value = parseFiniteNumber(text);
  if (value === null) return err('Enter a whole number.');
  if (!Number.isInteger(value)) return err('Enter a whole number.');
  if (value < min || value > max) return err(`Enter a number from ${min} to ${max}.`);
  return ok(value);
}

export const parseTokens = (text: string): Parsed<number> => parseIntegerIn(text, 1, MAX_TOKENS);
export const parseMaxGpus = (text: string): Parsed<number> => parseIntegerIn(text, 1, MAX_GPUS);

export function parseConcurrency(text: string): Parsed<ConcurrencyInput> {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'max' || trimmed === 'sweep') return ok(trimmed);
  const parsed = parseIntegerIn(trimmed, 1, MAX_CONCURRENCY);
  return parsed.ok ? parsed : err(`Enter 'sweep', 'max' or a whole number from 1 to ${MAX_CONCURRENCY}.`);
}

/** vLLM CacheConfig: gpu_memory_utilization is Field(gt=0, le=1) (vllm/config/cache.py). */
export function parseGpuMemoryUtilization(text: string): Parsed<number> {
  const value = parseFiniteNumber(text);
  if (value === null || value <= 0 || value > 1) return err('Enter a fraction above 0 and at most 1 (e.g. 0.9).');
  return ok(value);
}

/** An SLO limit in ms; empty text means "no limit". */
export function parseSloMs(text: string): Parsed<number | null> {
  if (text.trim() === '') return ok(null);
  const value = parseFiniteNumber(text);
  if (value === null || value <= 0 || value > MAX_SLO_MS) {
    return err(`Enter milliseconds above 0 and at most ${MAX_SLO_MS}, or leave empty for no limit.`);
  }
  return ok(value);
}

export function parsePriceUsdPerHour(text: string): Parsed<number> {
  const value = parseFiniteNumber(text);
  if (value === null || value < 0 || value > MAX_PRICE_USD_PER_HOUR) {
    return err(`Enter USD per GPU-hour from 0 to ${MAX_PRICE_USD_PER_HOUR}.`);
  }
  return ok(value);
}

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
