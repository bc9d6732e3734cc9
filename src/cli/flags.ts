/**
 * Typed readers for parsed flag values. Each returns a Result whose error is a one-line usage message
 * (exit code 2); nothing here computes engine figures.
 */
import type { RuleResult } from '../engine/inputRules';
import { err, ok, type Result } from '../engine/result';

export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

export interface UsageError {
  kind: 'usage';
  message: string;
}

export const usage = (message: string): { ok: false; error: UsageError } => err({ kind: 'usage', message });

export function readString(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function readBoolean(values: FlagValues, name: string): boolean {
  return values[name] === true;
}

export function requireString(values: FlagValues, name: string): Result<string, UsageError> {
  const value = readString(values, name);
  if (value === undefined || value.trim() === '') return usage(`missing required flag --${name}`);
  return ok(value);
}

interface NumberRule {
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
}

/** Plain decimal text → a finite number, or the usage message. */
function parseDecimal(name: string, text: string): Result<number, UsageError> {
  const trimmed = text.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal notation only.
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    return usage(`--${name} must be a number, got "${text}"`);
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return usage(`--${name} must be a finite number, got "${text}"`);
  return ok(value);
}

function parseNumber(name: string, text: string, rule: NumberRule): Result<number, UsageError> {
  const parsed = parseDecimal(name, text);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (rule.integer === true && !Number.isSafeInteger(value)) return usage(`--${name} must be a whole number, got "${text}"`);
  if (rule.min !== undefined && value < rule.min) return usage(`--${name} must be at least ${rule.min}, got ${text}`);
  if (rule.above !== undefined && value <= rule.above) return usage(`--${name} must be greater than ${rule.above}, got ${text}`);
  if (rule.max !== undefined && value > rule.max) return usage(`--${name} must be at most ${rule.max}, got ${text}`);
  return ok(value);
}

/** An input rule shared with the page and the engine (engine/inputRules.ts). */
export type SharedRule = (value: unknown) => RuleResult<number>;

function parseByRule(name: string, text: string, rule: SharedRule): Result<number, UsageError> {
  const parsed = parseDecimal(name, text);
  if (!parsed.ok) return parsed;
  const checked = rule(parsed.value);
  return checked.ok ? checked : usage(`--${name} must be ${checked.error.expected}, got "${text}"`);
}

/** An optional number flag checked by a shared input rule: undefined when absent. */
export function readRuled(values: FlagValues, name: string, rule: SharedRule): Result<number | undefined, UsageError> {
  const text = readString(values, name);
  if (text === undefined) return ok(undefined);
  return parseByRule(name, text, rule);
}

export function requireRuled(values: FlagValues, name: string, rule: SharedRule): Result<number, UsageError> {
  const text = requireString(values, name);
  if (!text.ok) return text;
  return parseByRule(name, text.value, rule);
}

/** An optional number flag: undefined when absent. */
export function readNumber(values: FlagValues, name: string, rule: NumberRule): Result<number | undefined, UsageError> {
  const text = readString(values, name);
  if (text === undefined) return ok(undefined);
  return parseNumber(name, text, rule);
}


/** A flag whose value must be one of a closed set (STYLE.md habit 4). */
export function readEnum<T extends string>(
  values: FlagValues,
  name: string,
  allowed: readonly T[],
): Result<T | undefined, UsageError> {
  const text = readString(values, name);
  if (text === undefined) return ok(undefined);
  const wanted = text.trim().toLowerCase();
  const hit = allowed.find((a) => a === wanted);
  if (hit === undefined) return usage(`--${name} must be one of ${allowed.join(', ')}, got "${text}"`);
  return ok(hit);
}

/** A count checked by a shared rule, or one of a few keywords ('max', 'sweep'). */
export function readCountOrKeyword<K extends string>(
  values: FlagValues,
  name: string,
  keywords: readonly K[],
  rule: SharedRule,
): Result<number | K | undefined, UsageError> {
  const text = readString(values, name);
  if (text === undefined) return ok(undefined);
  const keyword = keywords.find((k) => k === text.trim().toLowerCase());
  if (keyword !== undefined) return ok(keyword);
  const n = parseByRule(name, text, rule);
  if (!n.ok) {
    const expected = rule(Number.NaN);
    return usage(`--${name} must be ${expected.ok ? 'a number' : expected.error.expected} or ${keywords.join(' or ')}, got "${text}"`);
  }
  return n;
}
