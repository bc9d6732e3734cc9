import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigJson } from './parseConfigJson';

describe('parseConfigJson', () => {
  it('accepts bare Infinity in a real config (Nemotron-H time_step_limit)', () => {
    const text = readFileSync('fixtures/hf/nvidia__Nemotron-H-56B-Base-8K/config.json', 'utf8');
    const r = parseConfigJson(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as { time_step_limit: number[] };
    expect(v.time_step_limit).toEqual([0, Number.POSITIVE_INFINITY]);
  });

  it('accepts -Infinity and NaN outside strings and leaves them alone inside strings', () => {
    const r = parseConfigJson('{"a": -Infinity, "b": NaN, "c": "Infinity and NaN", "d": [Infinity]}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as Record<string, unknown>;
    expect(v.a).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(v.b)).toBe(true);
    expect(v.c).toBe('Infinity and NaN');
    expect(v.d).toEqual([Number.POSITIVE_INFINITY]);
  });

  it('handles escaped quotes inside strings', () => {
    const r = parseConfigJson('{"a": "say \\"NaN\\"", "b": 1}');
    expect(r).toEqual({ ok: true, value: { a: 'say "NaN"', b: 1 } });
  });

  it('reports line and column of a syntax error', () => {
    const r = parseConfigJson('{\n  "a": 1,\n  "b": 2,,\n}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('malformed-json');
    if (r.error.kind !== 'malformed-json') return;
    expect(r.error.line).toBe(3);
    expect(r.error.column).toBe(10);
    expect(r.error.detail.length).toBeGreaterThan(0);
  });

  it('reports an unterminated object at the end', () => {
    const r = parseConfigJson('{"a": 1');
    expect(r.ok).toBe(false);
    if (r.ok || r.error.kind !== 'malformed-json') return;
    expect(r.error.line).toBe(1);
    expect(r.error.column).toBe(8);
  });
});
