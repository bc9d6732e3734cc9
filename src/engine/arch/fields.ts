/**
 * Field-by-field reading of an untrusted config.json object (STYLE.md §2.8).
 *
 * Every reader names the field it reads, so a bad value becomes a ConfigError that says which
 * field: never NaN, never a silent default. Readers throw `ConfigFault`, an internal early exit that
 * `parseConfig` catches and returns as a `Result` value; it never escapes the arch module's public
 * functions.
 */
import type { ConfigError } from '../types';

export class ConfigFault extends Error {
  readonly error: ConfigError;
  constructor(error: ConfigError) {
    super(`${error.kind}${'field' in error ? `: ${error.field}` : ''}`);
    this.error = error;
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One config object and the prefix that error field names get (e.g. `text_config.`). */
export interface Cfg {
  obj: Record<string, unknown>;
  prefix: string;
}

export const cfgOf = (obj: Record<string, unknown>, prefix = ''): Cfg => ({ obj, prefix });

export function invalid(cfg: Cfg, field: string, value: unknown, reason: string): never {
  throw new ConfigFault({ kind: 'invalid-value', field: cfg.prefix + field, value, reason });
}

export function missing(cfg: Cfg, field: string): never {
  throw new ConfigFault({ kind: 'missing-field', field: cfg.prefix + field });
}

/** The first key present with a non-null value. */
function pick(cfg: Cfg, keys: string | readonly string[]): { key: string; value: unknown } | undefined {
  for (const key of typeof keys === 'string' ? [keys] : keys) {
    const value = cfg.obj[key];
    if (value !== undefined && value !== null) return { key, value };
  }
  return undefined;
}

export const has = (cfg: Cfg, keys: string | readonly string[]): boolean => pick(cfg, keys) !== undefined;

/**
 * Upper bound for a shape field (widths, heads, vocab, experts). The widest real configs are ~10^5
 * (hidden 16384, vocab 262144); 2^24 leaves room while keeping products of two or three dimensions
 * exact in float64 (2^53), so parameter and byte counts never lose integers or become Infinity.
 */
export const MAX_SHAPE_INT = 2 ** 24;
/** Token counts (max_position_embeddings, windows): Llama-4 Scout has 10,485,760; 2^31 is int32's limit. */
export const MAX_TOKENS_INT = 2 ** 31 - 1;
/** Layer count: the deepest published decoders have ~100–200 layers (Llama-3.1-405B: 126); the layer
 *  list is materialised, so a bound keeps an absurd value from exhausting memory. */
export const MAX_LAYERS = 10_000;

/** An integer in [min, max] (min default 1, max default MAX_SHAPE_INT), or undefined when absent/null. */
export function optInt(cfg: Cfg, keys: string | readonly string[], min = 1, max = MAX_SHAPE_INT): number | undefined {
  const hit = pick(cfg, keys);
  if (!hit) return undefined;
  const { key, value } = hit;
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value)) {
    return invalid(cfg, key, value, 'expected an integer');
  }
  if (value < min) return invalid(cfg, key, value, `must be ≥ ${min}`);
  if (value > max) return invalid(cfg, key, value, `must be ≤ ${max} (no real model is this large)`);
  return value;
}

export function reqInt(cfg: Cfg, keys: string | readonly string[], min = 1, max = MAX_SHAPE_INT): number {
  const v = optInt(cfg, keys, min, max);
  if (v === undefined) return missing(cfg, typeof keys === 'string' ? keys : (keys[0] ?? '?'));
  return v;
}

export function optNum(cfg: Cfg, keys: string | readonly string[]): number | undefined {
  const hit = pick(cfg, keys);
  if (!hit) return undefined;
  if (typeof hit.value !== 'number' || Number.isNaN(hit.value)) return invalid(cfg, hit.key, hit.value, 'expected a number');
  return hit.value;
}

export function optBool(cfg: Cfg, keys: string | readonly string[]): boolean | undefined {
  const hit = pick(cfg, keys);
  if (!hit) return undefined;
  if (typeof hit.value !== 'boolean') return invalid(cfg, hit.key, hit.value, 'expected true or false');
  return hit.value;
}

export function optStr(cfg: Cfg, keys: string | readonly string[]): string | undefined {
  const hit = pick(cfg, keys);
  if (!hit) return undefined;
  if (typeof hit.value !== 'string') return invalid(cfg, hit.key, hit.value, 'expected a string');
  return hit.value;
}

export function optArray(cfg: Cfg, keys: string | readonly string[]): readonly unknown[] | undefined {
  const hit = pick(cfg, keys);
  if (!hit) return undefined;
  if (!Array.isArray(hit.value)) return invalid(cfg, hit.key, hit.value, 'expected a list');
  return hit.value;
}

/** A list of strings, e.g. `layer_types`. */
export function optStrArray(cfg: Cfg, key: string): readonly string[] | undefined {
  const arr = optArray(cfg, key);
  if (!arr) return undefined;
  return arr.map((v, i) => (typeof v === 'string' ? v : invalid(cfg, `${key}[${i}]`, v, 'expected a string')));
}

/** A list of non-negative integers, e.g. `mlp_only_layers`. */
export function optIntArray(cfg: Cfg, key: string, min = 0): readonly number[] | undefined {
  const arr = optArray(cfg, key);
  if (!arr) return undefined;
  return arr.map((v, i) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min ? v : invalid(cfg, `${key}[${i}]`, v, `expected an integer ≥ ${min}`),
  );
}

export function optRecord(cfg: Cfg, key: string): Record<string, unknown> | undefined {
  const hit = pick(cfg, key);
  if (!hit) return undefined;
  if (!isRecord(hit.value)) return invalid(cfg, key, hit.value, 'expected an object');
  return hit.value;
}
