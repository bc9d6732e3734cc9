import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KV_CACHE_DTYPES, REPLICA_ROUTINGS, SERVING_ENGINES, SLO_PERCENTILES, VLLM_VERSIONS, WEIGHT_PRECISIONS } from '../engine/types';
import { RESULT_COLUMNS } from './tableState';
import { MAX_CONCURRENCY, MAX_OTHER_MEMORY_GIB, MAX_PAGE_GPU_BUDGET, MAX_PRICE_USD_PER_HOUR, MAX_REQUEST_TOKENS, MAX_SLO_MS } from '../engine/inputRules';
import { DEFAULT_INPUTS, LOAD_KINDS, PAGE_SPEC_METHODS, SERVING_SHAPES, type Inputs } from './inputs';
import { MAX_PAGE_DISAGG_GPUS_PER_ROLE } from '../engine/disagg/disaggRows';
import { MAX_SPEC_TOKENS } from '../engine/perf/speculative';
import { DISAGG_ROUTINGS } from '../engine/disagg/routing';
import { decodeInputs, encodeInputs } from './urlCodec';

const GPU_IDS = ['h100-sxm', 'h200', 'a100-sxm-80gb', 'l40s', 'mi300x'];
const ctx = { knownGpuIds: GPU_IDS };

const tokens = fc.integer({ min: 1, max: MAX_REQUEST_TOKENS });
const sloMs = fc.option(fc.double({ min: Number.MIN_VALUE, max: MAX_SLO_MS, noNaN: true }), { nil: null });
const gpuSubset = fc.subarray(GPU_IDS);
// Engine flags: null = the engine's default (omitted from the link).
const fraction = fc.option(fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }), { nil: null });
const optionalCount = fc.option(tokens, { nil: null });
// Model ids: printable text without control characters, trimmed, non-empty.
const modelId = fc
  .string({ minLength: 1, maxLength: 80, unit: 'grapheme' })
  .map((s) => s.replace(/\p{Cc}/gu, '').trim())
  .filter((s) => s.length > 0);

const inputsArb: fc.Arbitrary<Inputs> = fc
  .record({
  modelId,
  inputTokens: tokens,
  outputTokens: tokens,
  concurrency: fc.oneof(fc.constant<'max'>('max'), fc.constant<'sweep'>('sweep'), fc.integer({ min: 1, max: MAX_CONCURRENCY })),
  loadKind: fc.constantFrom(...LOAD_KINDS),
  ratePerS: fc.double({ min: 1e-3, max: 100_000, noNaN: true }),
  burstiness: fc.double({ min: 1e-3, max: 100, noNaN: true }),
  sloPercentile: fc.constantFrom(...SLO_PERCENTILES),
  prefixSharedTokens: fc.integer({ min: 0, max: MAX_REQUEST_TOKENS }),
  prefixHitRate: fc.double({ min: 0, max: 1, noNaN: true }),
  specMethod: fc.constantFrom(...PAGE_SPEC_METHODS),
  specTokens: fc.integer({ min: 1, max: MAX_SPEC_TOKENS }),
  specAcceptance: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  specTopk: fc.integer({ min: 1, max: 16 }),
  specDraftTokens: fc.integer({ min: 2, max: 256 }),
  maxModelLenTokens: tokens,
  maxModelLenAuto: fc.boolean(),
  weightPrecision: fc.constantFrom(...WEIGHT_PRECISIONS),
  kvCacheDtype: fc.constantFrom(...KV_CACHE_DTYPES),
  gpuMemoryUtilization: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
  disableCustomAllReduce: fc.boolean(),
  maxTtftMs: sloMs,
  maxItlMs: sloMs,
  maxE2eMs: sloMs,
  maxGpus: fc.integer({ min: 1, max: MAX_PAGE_GPU_BUDGET }),
  gpuIds: fc.option(gpuSubset, { nil: null }),
  priceOverridesUsdPerHour: fc.dictionary(fc.constantFrom(...GPU_IDS), fc.double({ min: 0, max: MAX_PRICE_USD_PER_HOUR, noNaN: true, noDefaultInfinity: true })),
  engine: fc.constantFrom(...SERVING_ENGINES),
  vllmVersion: fc.constantFrom(...VLLM_VERSIONS),
  asyncScheduling: fc.constantFrom(null, true, false),
  sglang: fc.record({ memFractionStatic: fraction, chunkedPrefillSizeTokens: optionalCount, maxRunningRequests: optionalCount, cudaGraphMaxBs: optionalCount }),
  trtllm: fc.record({ kvCacheFreeGpuMemoryFraction: fraction, maxBatchSize: optionalCount, maxNumTokens: optionalCount }),
  otherMemoryGiB: fc.double({ min: 0, max: MAX_OTHER_MEMORY_GIB, noNaN: true }).map((v) => (v === 0 ? 0 : v)),
  servingShape: fc.constantFrom(...SERVING_SHAPES),
  disaggRouting: fc.constantFrom(...DISAGG_ROUTINGS),
  replicaRouting: fc.constantFrom(...REPLICA_ROUTINGS),
  prefillGpuIds: fc.option(fc.uniqueArray(fc.constantFrom(...GPU_IDS), { minLength: 1, maxLength: MAX_PAGE_DISAGG_GPUS_PER_ROLE }), { nil: null }),
  decodeGpuIds: fc.option(fc.uniqueArray(fc.constantFrom(...GPU_IDS), { minLength: 1, maxLength: MAX_PAGE_DISAGG_GPUS_PER_ROLE }), { nil: null }),
  selectedDisaggPair: fc.option(fc.tuple(fc.constantFrom(...GPU_IDS), fc.constantFrom(...GPU_IDS)).map(([p, d]) => `${p}>${d}`), { nil: null }),
  sort: fc.record({ column: fc.constantFrom(...RESULT_COLUMNS), descending: fc.boolean() }),
  filters: fc.record({ fitsOnly: fc.boolean(), meetsSloOnly: fc.boolean() }),
  selectedConfig: fc.option(
    fc
      .tuple(fc.constantFrom(...GPU_IDS), fc.integer({ min: 1, max: 64 }), fc.constantFrom(1, 2, 4, 8), fc.constantFrom(1, 2, 4), fc.integer({ min: 1, max: 64 }), fc.boolean())
      .map(([g, n, tp, pp, dp, ep]) => `${g}|${n}|${tp}|${pp}|${dp}|${ep ? 'ep' : ''}`),
    { nil: null },
  ),
  compareConfigs: fc.uniqueArray(
    fc
      .tuple(fc.constantFrom(...GPU_IDS), fc.integer({ min: 1, max: 64 }), fc.constantFrom(1, 2, 4, 8), fc.constantFrom(1, 2, 4), fc.integer({ min: 1, max: 64 }), fc.boolean())
      .map(([g, n, tp, pp, dp, ep]) => `${g}|${n}|${tp}|${pp}|${dp}|${ep ? 'ep' : ''}`),
    { maxLength: 12 },
  ),
  })
  // A max_model_len that follows the request is not in the link: its stored value stays the default.
  .map((i) => (i.maxModelLenAuto ? { ...i, maxModelLenTokens: DEFAULT_INPUTS.maxModelLenTokens } : i));

/** -0 prints as "0": compare prices by value. */
const normalize = (inputs: Inputs): Inputs => ({
  ...inputs,
  priceOverridesUsdPerHour: Object.fromEntries(Object.entries(inputs.priceOverridesUsdPerHour).map(([k, v]) => [k, v === 0 ? 0 : v])),
});

describe('urlCodec properties', () => {
  it('decode(encode(inputs)) equals inputs, with no notices', () => {
    fc.assert(
      fc.property(inputsArb, (inputs) => {
        const decoded = decodeInputs(`#${encodeInputs(inputs)}`, ctx);
        expect(decoded.notices).toEqual([]);
        expect(decoded.inputs).toEqual(normalize(inputs));
      }),
      { numRuns: 500 },
    );
  });

  it('decode(any string) never throws and always yields valid inputs', () => {
    const keyish = fc.constantFrom('v', 'm', 'i', 'o', 'c', 'l', 'w', 'k', 'u', 'tt', 'ti', 'te', 'n', 'g', 'p', 'e', 's', 'ff', 'fs', 'fg', 'row', 'cmp', 'zz');
    const pairText = fc.tuple(keyish, fc.string({ maxLength: 30 })).map(([k, v]) => `${k}=${v}`);
    const fragment = fc.oneof(fc.string({ maxLength: 200 }), fc.array(pairText, { maxLength: 12 }).map((p) => p.join('&')));
    fc.assert(
      fc.property(fragment, (text) => {
        const { inputs } = decodeInputs(text, ctx);
        for (const n of [inputs.inputTokens, inputs.outputTokens, inputs.maxModelLenTokens, inputs.maxGpus, inputs.gpuMemoryUtilization]) {
          expect(Number.isFinite(n) && n > 0).toBe(true);
        }
        // What decode accepts, encode reproduces (the address bar can be normalized safely).
        expect(decodeInputs(encodeInputs(inputs), ctx).inputs).toEqual(inputs);
      }),
      { numRuns: 1000 },
    );
  });

  it('decode of a truncated valid link never throws and keeps the untouched fields', () => {
    fc.assert(
      fc.property(inputsArb, fc.nat(), (inputs, cut) => {
        const text = encodeInputs(inputs);
        const truncated = text.slice(0, cut % (text.length + 1));
        expect(() => decodeInputs(truncated, ctx)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
