import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES_PER_OWNER, memoFor, memoSize, objectId } from './memo';

describe('memoFor', () => {
  it('computes a value once per owner and key, separately per owner', () => {
    const a = {};
    const b = {};
    let calls = 0;
    const compute = (): number => (calls += 1);
    expect(memoFor(a, 'k', compute)).toBe(1);
    expect(memoFor(a, 'k', compute)).toBe(1);
    expect(memoFor(b, 'k', compute)).toBe(2);
    expect(calls).toBe(2);
  });

  it('remembers an undefined result too', () => {
    const owner = {};
    let calls = 0;
    memoFor(owner, 'u', () => void (calls += 1));
    memoFor(owner, 'u', () => void (calls += 1));
    expect(calls).toBe(1);
  });

  it('starts an owner over once it holds MAX_ENTRIES_PER_OWNER keys (bounded while a model stays loaded)', () => {
    const owner = {};
    for (let i = 0; i < MAX_ENTRIES_PER_OWNER; i += 1) memoFor(owner, `k${i}`, () => i);
    expect(memoSize(owner)).toBe(MAX_ENTRIES_PER_OWNER);
    memoFor(owner, 'one more', () => -1);
    expect(memoSize(owner)).toBe(1);
    let recomputed = false;
    memoFor(owner, 'k0', () => (recomputed = true));
    expect(recomputed).toBe(true);
  });
});

describe('objectId', () => {
  it('names an object by identity: stable for one object, different for an equal copy', () => {
    const gpu = { id: 'H100' };
    expect(objectId(gpu)).toBe(objectId(gpu));
    expect(objectId({ ...gpu })).not.toBe(objectId(gpu));
  });
});
