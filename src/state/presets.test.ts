import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS } from './inputs';
import { DEFAULT_PRESET_ID, matchingPreset, PRESET_IDS, WORKLOAD_PRESETS, withPreset } from './presets';

describe('workload presets', () => {
  it('the page opens on the interactive default preset, with a latency limit set', () => {
    expect(matchingPreset(DEFAULT_INPUTS)).toBe(DEFAULT_PRESET_ID);
    expect(DEFAULT_INPUTS.maxItlMs).not.toBeNull();
  });
  it('a preset sets only its workload and SLO fields, and is then the matching one', () => {
    const custom = { ...DEFAULT_INPUTS, maxGpus: 4, kvCacheDtype: 'fp8' as const };
    for (const id of PRESET_IDS) {
      const next = withPreset(custom, id);
      expect(matchingPreset(next)).toBe(id);
      expect(next.maxGpus).toBe(4);
      expect(next.kvCacheDtype).toBe('fp8');
    }
  });
  it('only batch saturates; every interactive preset sets a latency limit; each cites a source', () => {
    for (const id of PRESET_IDS) {
      const p = WORKLOAD_PRESETS[id];
      expect(p.source.length).toBeGreaterThan(20);
      expect(p.sourceUrl).toMatch(/^https:\/\//);
      if (id === 'batch') expect(p.fields.concurrency).toBe('max');
      else expect(p.fields.maxItlMs !== null || p.fields.maxTtftMs !== null).toBe(true);
    }
  });
  it('an edited field makes the inputs custom', () => {
    expect(matchingPreset({ ...DEFAULT_INPUTS, maxItlMs: 41 })).toBeNull();
  });
});
