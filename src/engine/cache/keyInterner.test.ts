import { describe, expect, it } from 'vitest';
import { keyInterner } from './keyInterner';

describe('keyInterner', () => {
  it('gives the same key the same id and different keys different ids', () => {
    const interner = keyInterner(8);
    const a = interner.idOf('gpu|H100|…');
    const b = interner.idOf('gpu|H200|…');
    expect(interner.idOf('gpu|H100|…')).toBe(a);
    expect(b).not.toBe(a);
    expect(interner.size).toBe(2);
  });

  it('never reuses an id: a key evicted and asked again gets a new one, no other key ever had', () => {
    const interner = keyInterner(2);
    const first = interner.idOf('k1');
    const second = interner.idOf('k2');
    interner.idOf('k3'); // evicts k1
    const again = interner.idOf('k1');
    expect(again).not.toBe(first);
    expect(new Set([first, second, again]).size).toBe(3);
  });

  it("ids cannot equal a key (keys start with their type's name, ids with '@')", () => {
    expect(keyInterner(4).idOf('layout|1|1|1|false').startsWith('@')).toBe(true);
  });
});
