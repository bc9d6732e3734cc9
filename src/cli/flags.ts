/**
 * Typed readers for parsed flag values. Each returns a Result whose error is a one-line usage message
 * (exit code 2); nothing here computes engine figures.
 */
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

function parseNumber(name: string, text: string, rule: NumberRule): Result<number, UsageError> {
  const trimmed = text.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal notation only.
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    return usage(`--${name} must be a number, got "${text}"`);
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return usage(`--${name} must be a finite number, got "${text}"`);
  if (rule.integer === true && !Number.isSafeInteger(value)) return usage(`--${name} must be a whole number, got "${text}"`);
  if (rule.min !== undefined && value < rule.min) return usage(`--${name} must be at least ${rule.min}, got ${text}`);
  if (rule.above !== undefined && value <= rule.above) return usage(`--${name} must be greater than ${rule.above}, got ${text}`);
  if (rule.max !== undefined && value > rule.max) return usage(`--${name} must be at most ${rule.max}, got ${text}`);
  return ok(value);
}

/** An optional number flag: undefined when absent. */
export function readNumber(values: FlagValues, name: string, rule: NumberRule): Result<number | undefined, UsageError> {
  const text = readString(values, name);
  if (text === undefined) return ok(undefined);
  return parseNumber(name, text, rule);
}

export function requireNumber(values: FlagValues, name: string, rule: NumberRule): Result<number, UsageError> {
  const text = requireString(values, name);
  if (!text.ok) return text;
  return parseNumber(name, text.value, rule);
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

/** A positive integer or one of a few keywords ('max', 'sweep'). */
export function readCountOrKeyword<K extends string>(
  values: FlagValues,
  name: string,
  keywords: readonly K[],
): Result<number | K | undefined, UsageError> {
  const text = readString(values, name);
  if (text === undefined) return ok(undefined);
  const keyword = keywords.find((k) => k === text.trim().toLowerCase());
  if (keyword !== undefined) return ok(keyword);
  const n = parseNumber(name, text, { integer: true, min: 1 });
  if (!n.ok) return usage(`--${name} must be a positive whole number or ${keywords.join(' or ')}, got "${text}"`);
  return n;
}
