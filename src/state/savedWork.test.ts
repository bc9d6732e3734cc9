import { describe, expect, it } from 'vitest';
import { createAppStore } from './store';
import { DEFAULT_INPUTS } from './inputs';
import { readSavedWork, SAVED_WORK_KEY, withRememberedPrices, writeSavedWork, type SavedWork } from './savedWork';
import { memoryStorage } from './memoryStorage';

const KNOWN = ['H100', 'A100-80GB'];

describe('saved work in localStorage', () => {
  it('round-trips price overrides and scenarios', () => {
    const storage = memoryStorage();
    const work: SavedWork = {
      priceOverridesUsdPerHour: { H100: 2.1 },
      scenarios: [{ name: 'chat', fragment: 'v=1&i=2048', savedAtIso: '2026-11-27T00:00:00.000Z' }],
      customGpus: [],
    };
    writeSavedWork(storage, work);
    expect(readSavedWork(storage, KNOWN)).toEqual({ work, notice: null });
  });

  it('round-trips the results snapshot of a scenario; an unusable snapshot is dropped, the scenario kept', () => {
    const storage = memoryStorage();
    const snapshot = {
      modelId: 'org/m',
      headline: 'Serve m on 1 × H100 (TP1)',
      passes: true,
      row: { gpuId: 'H100', gpuCount: 1, layout: { tp: 1, pp: 1, dp: 1, ep: false }, concurrency: 32, ttftMs: 120, itlMs: 20, usdPerMillionOutputTokens: 0.5, outputTokensPerS: 1500, costUsdPerHour: 3 },
    };
    const work: SavedWork = {
      priceOverridesUsdPerHour: {},
      scenarios: [{ name: 'chat', fragment: 'v=1&i=2048', savedAtIso: '2026-11-27T00:00:00.000Z', snapshot }],
      customGpus: [],
    };
    writeSavedWork(storage, work);
    expect(readSavedWork(storage, KNOWN)).toEqual({ work, notice: null });

    const tampered = { version: 1, scenarios: [{ name: 'chat', fragment: 'v=1', savedAtIso: 'x', snapshot: { ...snapshot, row: { ...snapshot.row, itlMs: 'fast' } } }] };
    storage.setItem(SAVED_WORK_KEY, JSON.stringify(tampered));
    const read = readSavedWork(storage, KNOWN);
    expect(read.notice).toBeNull();
    expect(read.work.scenarios).toEqual([{ name: 'chat', fragment: 'v=1', savedAtIso: 'x' }]);
  });

  it.each([
    ['not JSON', '{oops'],
    ['a wrong version', JSON.stringify({ version: 99 })],
    ['a negative price', JSON.stringify({ version: 1, priceOverridesUsdPerHour: { H100: -1 } })],
    ['a malformed scenario', JSON.stringify({ version: 1, scenarios: [{ name: 3 }] })],
  ])('corrupt data (%s) is reported once and reset, never fatal', (_label, text) => {
    const storage = memoryStorage({ [SAVED_WORK_KEY]: text });
    const { work, notice } = readSavedWork(storage, KNOWN);
    expect(work).toEqual({ priceOverridesUsdPerHour: {}, scenarios: [], customGpus: [] });
    expect(notice).toMatch(/could not be read .* reset/);
    expect(storage.data[SAVED_WORK_KEY]).toBeUndefined();
  });

  it('drops prices of GPUs the catalog no longer has', () => {
    const storage = memoryStorage({ [SAVED_WORK_KEY]: JSON.stringify({ version: 1, priceOverridesUsdPerHour: { H100: 2, GONE: 1 } }) });
    expect(readSavedWork(storage, KNOWN).work.priceOverridesUsdPerHour).toEqual({ H100: 2 });
  });

  it("a link's own prices win over remembered ones", () => {
    const remembered: SavedWork = { priceOverridesUsdPerHour: { H100: 2 }, scenarios: [], customGpus: [] };
    expect(withRememberedPrices(DEFAULT_INPUTS, remembered).priceOverridesUsdPerHour).toEqual({ H100: 2 });
    const linked = { ...DEFAULT_INPUTS, priceOverridesUsdPerHour: { 'A100-80GB': 1.5 } };
    expect(withRememberedPrices(linked, remembered).priceOverridesUsdPerHour).toEqual({ 'A100-80GB': 1.5 });
  });

  it('a store scenario saves the inputs, loads them back, and never holds the token', () => {
    const store = createAppStore({ hubToken: 'hf_secretTokenValue123' });
    store.getState().setInput('inputTokens', 3000);
    store.getState().saveScenario('long prompts', '2026-11-27T00:00:00.000Z');
    store.getState().setInput('inputTokens', 100);
    store.getState().loadScenario('long prompts');
    expect(store.getState().inputs.inputTokens).toBe(3000);
    const storage = memoryStorage();
    writeSavedWork(storage, { priceOverridesUsdPerHour: {}, scenarios: store.getState().scenarios, customGpus: [] });
    expect(JSON.stringify(storage.data)).not.toContain('hf_secretTokenValue123');
    store.getState().deleteScenario('long prompts');
    expect(store.getState().scenarios).toEqual([]);
  });
});
