import { describe, expect, it } from 'vitest';
import { usdPerMillionTokens } from './cost';

describe('usdPerMillionTokens', () => {
  it('divides the hourly price by the tokens made in an hour, per million (hand calculation)', () => {
    // $3/h at 800 tok/s: 800 × 3600 = 2.88 M tokens an hour → 3 / 2.88 = $1.041666… per M tokens.
    expect(usdPerMillionTokens(3, 800)).toBeCloseTo(1.0416667, 6);
    // $36/h at 10,000 tok/s: 36 M tokens an hour → $1 per M tokens.
    expect(usdPerMillionTokens(36, 10_000)).toBeCloseTo(1, 12);
  });

  it('is linear in price and inverse in throughput', () => {
    const base = usdPerMillionTokens(4, 500) ?? NaN;
    expect(usdPerMillionTokens(8, 500)).toBeCloseTo(2 * base, 12);
    expect(usdPerMillionTokens(4, 1000)).toBeCloseTo(base / 2, 12);
  });

  it('has no price per token when nothing is produced', () => {
    expect(usdPerMillionTokens(3, 0)).toBeNull();
    expect(usdPerMillionTokens(3, -1)).toBeNull();
    expect(usdPerMillionTokens(3, Number.NaN)).toBeNull();
    expect(usdPerMillionTokens(3, Number.POSITIVE_INFINITY)).toBeNull();
  });
});
