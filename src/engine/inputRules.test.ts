import { describe, expect, it } from 'vitest';
import {
  checkConcurrency,
  checkGpuBudget,
  checkGpuMemoryUtilization,
  checkPriceUsdPerHour,
  checkSloMs,
  checkTokenCount,
  MAX_CONCURRENCY,
  MAX_GPU_BUDGET,
  MAX_PRICE_USD_PER_HOUR,
  MAX_REQUEST_TOKENS,
  MAX_SLO_MS,
} from './inputRules';

describe('input rules', () => {
  it('checkGpuMemoryUtilization accepts (0, 1] as vLLM CacheConfig does (gt=0, le=1)', () => {
    for (const v of [0.01, 0.9, 1]) expect(checkGpuMemoryUtilization(v)).toEqual({ ok: true, value: v });
    for (const v of [0, -0.1, 1.0001, Number.NaN, Number.POSITIVE_INFINITY, '0.9', null]) expect(checkGpuMemoryUtilization(v).ok, String(v)).toBe(false);
    const r = checkGpuMemoryUtilization(1.5);
    expect(r.ok ? null : r.error.expected).toBe('a fraction above 0 and at most 1 (e.g. 0.9)');
  });

  it.each([
    ['checkTokenCount', checkTokenCount, MAX_REQUEST_TOKENS],
    ['checkGpuBudget', checkGpuBudget, MAX_GPU_BUDGET],
    ['checkConcurrency', checkConcurrency, MAX_CONCURRENCY],
  ] as const)('%s takes whole numbers from 1 to its maximum', (_, rule, max) => {
    expect(rule(1)).toEqual({ ok: true, value: 1 });
    expect(rule(max)).toEqual({ ok: true, value: max });
    for (const v of [0, -1, 1.5, max + 1, Number.NaN, Number.POSITIVE_INFINITY, '8']) expect(rule(v).ok, String(v)).toBe(false);
    const r = rule(0);
    expect(r.ok ? null : r.error.expected).toBe(`a whole number from 1 to ${max}`);
  });

  it('checkSloMs takes milliseconds above 0 up to one hour', () => {
    expect(checkSloMs(0.5)).toEqual({ ok: true, value: 0.5 });
    expect(checkSloMs(MAX_SLO_MS).ok).toBe(true);
    for (const v of [0, -1, MAX_SLO_MS + 1, Number.NaN, Number.POSITIVE_INFINITY, null]) expect(checkSloMs(v).ok, String(v)).toBe(false);
  });

  it('checkPriceUsdPerHour takes 0 (hardware already paid for) up to its typo guard', () => {
    expect(checkPriceUsdPerHour(0)).toEqual({ ok: true, value: 0 });
    expect(checkPriceUsdPerHour(MAX_PRICE_USD_PER_HOUR).ok).toBe(true);
    for (const v of [-0.01, MAX_PRICE_USD_PER_HOUR + 1, Number.NaN]) expect(checkPriceUsdPerHour(v).ok, String(v)).toBe(false);
  });
});
