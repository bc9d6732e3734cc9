import { describe, expect, it } from 'vitest';
import { GPU_CATALOG } from './catalog/gpus';
import { catalogPriceStatus, priceProvenance } from './priceSource';

describe('priceProvenance', () => {
  it('names the page, the date and the status of a catalog price', () => {
    const h100 = priceProvenance('H100', GPU_CATALOG, {});
    expect(h100).toMatchObject({ gpuId: 'H100', status: 'sourced', retrieved: '2026-05-07' });
    expect(h100?.url).toMatch(/^https:\/\//);
    expect(h100?.usdPerHour).toBe(GPU_CATALOG.find((g) => g.id === 'H100')?.priceUsdPerHour);
  });

  it('tells unverified list prices and estimates apart from sourced ones', () => {
    expect(priceProvenance('H200', GPU_CATALOG, {})?.status).toBe('unverified');
    expect(priceProvenance('H20', GPU_CATALOG, {})?.status).toBe('estimate');
  });

  it('an override is the user\'s price, with no page', () => {
    expect(priceProvenance('H100', GPU_CATALOG, { H100: 1.99 })).toEqual({ gpuId: 'H100', usdPerHour: 1.99, status: 'override', url: null, retrieved: null, note: null });
  });

  it('is null for a GPU it does not know', () => {
    expect(priceProvenance('nope', GPU_CATALOG, {})).toBeNull();
  });

  it('every catalog price has a page and an ISO date', () => {
    for (const gpu of GPU_CATALOG) {
      expect(gpu.priceSource.url, gpu.id).toMatch(/^https:\/\//);
      expect(gpu.priceSource.retrieved, gpu.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['sourced', 'unverified', 'estimate']).toContain(catalogPriceStatus(gpu));
    }
  });
});
