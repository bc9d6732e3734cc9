import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StageKvView } from './blocks';
import {
  kvCacheLayout,
  maxFittingModelLen,
  maxFittingModelLenFromCosts,
  neededBytesForOneRequest,
  neededBytesFromCosts,
  numBlocksForMemory,
  numBlocksFromCosts,
  stageKvCosts,
} from './blocks';
import type { LayerKvSpec } from './kvCache';
import { ppLayerRange } from './layouts';

// Layer specs mixing every kind, page sizes that do and do not unify, fractional Mamba states (the
// exact per-layer fallback of neededBytesFromCosts) and windows that are or are not full at the
// fitting length (the estimate of maxFittingModelLenFromCosts hits or misses).
const layerSpec: fc.Arbitrary<LayerKvSpec | null> = fc.oneof(
  fc.constantFrom(1024, 2048, 4096, 1536, 36_864).map((b): LayerKvSpec => ({ kind: 'full-attention', bytesPerToken: b, stateBytes: 0, slidingWindowTokens: null })),
  fc.constant<LayerKvSpec>({ kind: 'mla', bytesPerToken: 1152, stateBytes: 0, slidingWindowTokens: null }),
  fc
    .tuple(fc.constantFrom(1024, 2048, 4096), fc.constantFrom(128, 4096, 100_000))
    .map(([b, w]): LayerKvSpec => ({ kind: 'sliding-window', bytesPerToken: b, stateBytes: 0, slidingWindowTokens: w })),
  mambaSpec(),
  fc.constant(null),
);

function mambaSpec(): fc.Arbitrary<LayerKvSpec> {
  return fc
    .constantFrom(65_536, 1000.1, 1_000_000.3, 3_000_000)
    .map((s): LayerKvSpec => ({ kind: 'mamba', bytesPerToken: 0, stateBytes: s, slidingWindowTokens: null }));
}

const scenario = fc.record({
  // State-only models (every layer Mamba) are the 'uniform-type' layouts with fractional pages.
  specs: fc.oneof(fc.array(layerSpec, { minLength: 1, maxLength: 12 }), fc.array(mambaSpec(), { minLength: 1, maxLength: 12 })),
  blockSize: fc.constantFrom(16, 32, 544),
  maxModelLen: fc.constantFrom(2048, 8192, 131_072),
  pp: fc.integer({ min: 1, max: 4 }),
  mnbt: fc.constantFrom(512, 2048, 8192),
  // Log-uniform from bytes to a terabyte, so fitting lengths fall below, within and above the windows.
  availableBytes: fc.integer({ min: 0, max: 40 }).chain((e) => fc.oneof(fc.integer({ min: 0, max: 2 ** e }), fc.double({ min: 0, max: 2 ** e, noNaN: true }))),
  capTokens: fc.constantFrom(1, 4096, 131_072, 1_048_576),
  lens: fc.array(fc.integer({ min: 1, max: 2_000_000 }), { minLength: 1, maxLength: 5 }),
});

describe('stage KV costs', () => {
  it('numBlocksFromCosts / neededBytesFromCosts / maxFittingModelLenFromCosts equal the per-view functions on every stage', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const layout = kvCacheLayout(s.specs, s.blockSize, s.maxModelLen);
        if (!layout.ok) return;
        const pp = Math.min(s.pp, s.specs.length);
        for (let rank = 0; rank < pp; rank += 1) {
          const view: StageKvView = { layout: layout.value, ...ppLayerRange(s.specs.length, pp, rank) };
          const costs = stageKvCosts(view);
          expect(numBlocksFromCosts(costs, s.availableBytes)).toBe(numBlocksForMemory(view, s.availableBytes));
          for (const len of [...s.lens, s.maxModelLen])
            expect(neededBytesFromCosts(costs, len, s.mnbt)).toBe(neededBytesForOneRequest(view, len, s.mnbt));
          expect(maxFittingModelLenFromCosts(costs, s.availableBytes, s.mnbt, s.capTokens)).toBe(
            maxFittingModelLen(view, s.availableBytes, s.mnbt, s.capTokens),
          );
        }
      }),
      { numRuns: 2000 },
    );
  });
});
