import { describe, expect, it } from 'vitest';
import type { Layout, ResolvedServingOptions } from '../types';
import { joinKeys, keyBuilder } from './keys';
import { planServingKey, prepareServingKey } from './cacheKeys';
import { boundedCache } from './boundedCache';

const SERVING: ResolvedServingOptions = {
  maxModelLenTokens: 8192,
  gpuMemoryUtilization: 0.9,
  weightPrecision: 'auto',
  kvCacheDtype: 'auto',
  blockSizeTokens: null,
  maxNumBatchedTokens: 8192,
  maxNumSeqs: 1024,
  enforceEager: false,
};

describe('keyBuilder', () => {
  it('requires a role for every field of the type (a forgotten field fails tsc)', () => {
    // @ts-expect-error 'ep' has no role: adding a field to Layout without deciding its role in this key must not compile
    const partial = keyBuilder<Layout>('layout', { tp: 'key', pp: 'key', dp: 'key' });
    expect(typeof partial).toBe('function');
    // @ts-expect-error a field the type does not have is refused too
    keyBuilder<Layout>('layout', { tp: 'key', pp: 'key', dp: 'key', ep: 'key', cp: 'key' });
  });

  it('writes the key fields in order and leaves the ignored ones out', () => {
    const k = keyBuilder<Layout>('layout', { tp: 'key', pp: 'key', dp: 'ignored', ep: 'key' });
    expect(k({ tp: 2, pp: 1, dp: 4, ep: true })).toBe('layout|2|1|true');
    expect(k({ tp: 2, pp: 1, dp: 1, ep: true })).toBe(k({ tp: 2, pp: 1, dp: 8, ep: true }));
  });

  it('tells null, undefined and objects apart', () => {
    const k = keyBuilder<{ a: number | null | undefined | { x: number } }>('t', { a: 'key' });
    expect(new Set([k({ a: null }), k({ a: undefined }), k({ a: { x: 1 } }), k({ a: { x: 2 } })]).size).toBe(4);
  });

  it('every serving option changes the plan key; the prepare key ignores only the budget and CUDA-graph options', () => {
    const changed: Partial<ResolvedServingOptions>[] = [
      { maxModelLenTokens: 4096 },
      { gpuMemoryUtilization: 0.8 },
      { weightPrecision: 'fp8' },
      { kvCacheDtype: 'fp8' },
      { blockSizeTokens: 32 },
      { maxNumBatchedTokens: 2048 },
      { maxNumSeqs: 256 },
      { enforceEager: true },
      { modelDtype: 'fp16' },
    ];
    for (const c of changed) expect(planServingKey({ ...SERVING, ...c })).not.toBe(planServingKey(SERVING));
    const sameForPrepare = changed.filter((c) => prepareServingKey({ ...SERVING, ...c }) === prepareServingKey(SERVING));
    expect(sameForPrepare).toEqual([{ gpuMemoryUtilization: 0.8 }, { enforceEager: true }]);
  });

  it('joinKeys keeps the parts apart', () => {
    expect(joinKeys('a|1', 'b|2')).toBe('a|1#b|2');
  });
});

describe('boundedCache', () => {
  it('computes once per key and drops the oldest entry past its bound', () => {
    const cache = boundedCache<number>(2);
    let calls = 0;
    const get = (k: string): number => cache.getOrCompute(k, () => (calls += 1));
    expect(get('a')).toBe(1);
    expect(get('a')).toBe(1);
    expect(get('b')).toBe(2);
    expect(get('c')).toBe(3); // evicts 'a'
    expect(cache.size).toBe(2);
    expect(get('b')).toBe(2);
    expect(get('a')).toBe(4); // recomputed
  });

  it('keeps undefined and null values as hits', () => {
    const cache = boundedCache<null>(4);
    let calls = 0;
    cache.getOrCompute('x', () => ((calls += 1), null));
    cache.getOrCompute('x', () => ((calls += 1), null));
    expect(calls).toBe(1);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => boundedCache(0)).toThrow(/positive integer/);
  });
});
