import { describe, expect, it } from 'vitest';
import type { Candidate, ModelArch, RecommendRequest, RecommendResult } from '../engine/types';
import { DEFAULT_INPUTS } from './inputs';
import { candidateKey } from './selectors';
import { createAppStore } from './store';

/** Only what selection reads: the configuration of each row. */
const row = (gpuId: string, tp: number): Candidate => ({ gpuId, gpuCount: tp, layout: { tp, pp: 1, dp: 1, ep: false } }) as unknown as Candidate;
const ready = (candidates: Candidate[]) => ({
  status: 'ready' as const,
  view: { arch: {} as ModelArch, request: {} as RecommendRequest, result: { candidates, best: {}, pareto: [], computeMs: 0 } as unknown as RecommendResult, computeMs: 0 },
});

describe('selection in the link', () => {
  it('selecting a row writes its configuration into the inputs; a link naming one selects it when the result arrives', () => {
    const store = createAppStore();
    store.getState().setResults(ready([row('H100', 1), row('H100', 2)]));
    store.getState().select(1);
    const key = store.getState().inputs.selectedConfig;
    expect(key).toBe(candidateKey(row('H100', 2)));

    const fromLink = createAppStore({ inputs: { ...DEFAULT_INPUTS, selectedConfig: key } });
    fromLink.getState().setResults(ready([row('L40S', 1), row('H100', 1), row('H100', 2)]));
    expect(fromLink.getState().ui.selectedIndex).toBe(2);
    fromLink.getState().select(null);
    expect(fromLink.getState().inputs.selectedConfig).toBeNull();
  });
});

describe('compared rows in the link', () => {
  it('ticking rows writes their configurations into the inputs; a link naming them ticks them when the result arrives', () => {
    const store = createAppStore();
    store.getState().setResults(ready([row('H100', 1), row('H100', 2), row('L40S', 1)]));
    store.getState().setCompare([2, 0]);
    const keys = store.getState().inputs.compareConfigs;
    expect(keys).toEqual([candidateKey(row('L40S', 1)), candidateKey(row('H100', 1))]);

    const fromLink = createAppStore({ inputs: { ...DEFAULT_INPUTS, compareConfigs: [...keys, 'B200|1|1|1|1|'] } });
    // Re-ranked, and one named configuration is not in the result: the others are ticked.
    fromLink.getState().setResults(ready([row('H100', 1), row('L40S', 1), row('H100', 2)]));
    expect(fromLink.getState().ui.compareIndices).toEqual([1, 0]);
    fromLink.getState().setCompare([]);
    expect(fromLink.getState().inputs.compareConfigs).toEqual([]);
  });
});
