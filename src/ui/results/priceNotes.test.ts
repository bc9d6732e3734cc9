import { describe, expect, it } from 'vitest';
import { priceSentence, selectPrices } from './priceNotes';

const rows = { candidates: [{ gpuId: 'H100' }, { gpuId: 'H20' }, { gpuId: 'H100' }, { gpuId: 'unknown-gpu' }] } as unknown as Parameters<typeof selectPrices>[0];

describe('selectPrices', () => {
  it('gives each GPU type of the result its price, source and date; overrides are the user\'s', () => {
    const prices = selectPrices(rows, { priceOverridesUsdPerHour: { H20: 1.2 } });
    expect([...prices.keys()]).toEqual(['H100', 'H20']);
    expect(prices.get('H100')).toMatchObject({ status: 'sourced', retrieved: '2026-05-07' });
    expect(prices.get('H20')).toMatchObject({ status: 'override', usdPerHour: 1.2 });
  });
});

describe('priceSentence', () => {
  it('names the price, its status, the date read and the page', () => {
    const h100 = selectPrices(rows, { priceOverridesUsdPerHour: {} }).get('H100');
    expect(h100).toBeDefined();
    if (h100 === undefined) return;
    expect(priceSentence(h100)).toMatch(/^\$3\.78 per GPU-hour for H100: on-demand list price, read 2026-05-07 — Lambda 1x H100 SXM on-demand \(https:\/\/.+\)\.$/);
    expect(priceSentence(selectPrices(rows, { priceOverridesUsdPerHour: {} }).get('H20') ?? h100)).toMatch(/estimate \(no public on-demand price\)/);
  });
});
