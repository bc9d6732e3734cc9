import { describe, expect, it } from 'vitest';
import { describeHubError } from './describe';
import { HUB_ERROR_KINDS, type HubError } from './errors';

const EXAMPLES: HubError[] = [
  { kind: 'invalid-id', modelId: 'llama 3' },
  { kind: 'invalid-token' },
  { kind: 'not-found', modelId: 'org/missing' },
  { kind: 'gated', modelId: 'meta-llama/Llama-3.1-8B-Instruct', hasToken: false },
  { kind: 'gated', modelId: 'meta-llama/Llama-3.1-8B-Instruct', hasToken: true },
  { kind: 'rate-limited', retryAfterS: 30 },
  { kind: 'rate-limited' },
  { kind: 'server-error', status: 503 },
  { kind: 'offline' },
  { kind: 'timeout' },
  { kind: 'malformed', file: 'config.json', detail: 'Unexpected token } (line 3, column 1)' },
];

describe('describeHubError', () => {
  it('gives one non-empty sentence for every kind', () => {
    expect(new Set(EXAMPLES.map((e) => e.kind))).toEqual(new Set(HUB_ERROR_KINDS));
    for (const e of EXAMPLES) {
      const text = describeHubError(e);
      expect(text.length).toBeGreaterThan(20);
      expect(text).not.toMatch(/undefined|null|\[object/);
      expect(text).not.toContain('\n');
    }
  });

  it('tells "paste a token" from "the token was refused" for gated models', () => {
    expect(describeHubError({ kind: 'gated', modelId: 'a/b', hasToken: false })).toMatch(/gated.*token/);
    expect(describeHubError({ kind: 'gated', modelId: 'a/b', hasToken: true })).toMatch(/token was refused.*a\/b/);
  });

  it('names the model, the file, the status and the wait', () => {
    expect(describeHubError({ kind: 'not-found', modelId: 'org/missing' })).toContain('org/missing');
    expect(describeHubError({ kind: 'malformed', file: 'hf_quant_config.json', detail: 'x' })).toContain('hf_quant_config.json');
    expect(describeHubError({ kind: 'server-error', status: 503 })).toContain('503');
    expect(describeHubError({ kind: 'rate-limited', retryAfterS: 30 })).toContain('30 s');
  });
});
