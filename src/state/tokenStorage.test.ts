import { describe, expect, it } from 'vitest';
import { readToken, TOKEN_STORAGE_KEY, writeToken, type KeyValueStorage } from './tokenStorage';
import { memoryStorage } from './memoryStorage';

const throwing: KeyValueStorage = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

describe('token storage (sessionStorage only)', () => {
  it('writes, reads back and clears the token under one key', () => {
    const session = memoryStorage();
    writeToken(session, 'hf_abc');
    expect(session.data).toEqual({ [TOKEN_STORAGE_KEY]: 'hf_abc' });
    expect(readToken(session)).toBe('hf_abc');
    writeToken(session, '');
    expect(session.data).toEqual({});
  });

  it('storage that throws (privacy mode, sandboxed frame) means "not remembered", never a crash', () => {
    expect(() => writeToken(throwing, 'hf_abc')).not.toThrow();
    expect(readToken(throwing)).toBe('');
    expect(readToken(null)).toBe('');
  });
});
