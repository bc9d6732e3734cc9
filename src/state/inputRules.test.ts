import { describe, expect, it } from 'vitest';
import { checkGpuBudget, checkGpuMemoryUtilization, checkPageGpuBudget, checkTokenCount } from '../engine/inputRules';
import { parseConcurrency, parseGpuMemoryUtilization, parseMaxGpus, parsePriceUsdPerHour, parseSloMs, parseTokens } from './inputRules';

const expectedOf = (r: { ok: boolean; error?: { expected: string } }): string => (r.ok ? '' : (r.error?.expected ?? ''));

describe('form and link rules', () => {
  it('parseGpuMemoryUtilization applies the engine rule and says what it expects', () => {
    expect(parseGpuMemoryUtilization('0.95')).toEqual({ ok: true, value: 0.95 });
    expect(parseGpuMemoryUtilization('1.5')).toEqual({ ok: false, error: `Enter ${expectedOf(checkGpuMemoryUtilization(1.5))}.` });
    expect(parseGpuMemoryUtilization('0').ok).toBe(false);
    expect(parseGpuMemoryUtilization('abc').ok).toBe(false);
  });

  it('parseTokens uses the engine bound (the page once capped tokens at 2^24); parseMaxGpus the page budget of 64 GPUs (issue 13)', () => {
    expect(parseTokens('100000000')).toEqual({ ok: true, value: 1e8 });
    expect(parseTokens('0')).toEqual({ ok: false, error: `Enter ${expectedOf(checkTokenCount(0))}.` });
    expect(parseTokens('1.5').ok).toBe(false);
    expect(parseMaxGpus('64')).toEqual({ ok: true, value: 64 });
    expect(parseMaxGpus('65')).toEqual({ ok: false, error: `Enter ${expectedOf(checkPageGpuBudget(65))}.` });
    expect(parseMaxGpus('65')).toEqual({ ok: false, error: 'Enter a whole number from 1 to 64.' });
    // The engine and the CLI go further (one replica or EP group up to 256 GPUs).
    expect(checkGpuBudget(256).ok).toBe(true);
  });

  it('parseSloMs reads empty text as no limit; parseConcurrency takes the keywords', () => {
    expect(parseSloMs('  ')).toEqual({ ok: true, value: null });
    expect(parseSloMs('-1')).toEqual({ ok: false, error: 'Enter milliseconds above 0 and at most 3600000, or leave empty for no limit.' });
    expect(parseConcurrency('Sweep')).toEqual({ ok: true, value: 'sweep' });
    expect(parseConcurrency('64')).toEqual({ ok: true, value: 64 });
    expect(parseConcurrency('0').ok).toBe(false);
    expect(parsePriceUsdPerHour('0')).toEqual({ ok: true, value: 0 });
  });
});
