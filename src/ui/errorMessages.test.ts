import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../engine/types';
import type { HubError } from '../hub/errors';
import { describeConfigError, describeHubFailure, describeModelLoadError } from './errorMessages';

const CONFIG_ERRORS: readonly ConfigError[] = [
  { kind: 'missing-field', field: 'num_hidden_layers' },
  { kind: 'unsupported-architecture', architecture: 'FancyForCausalLM' },
  { kind: 'invalid-value', field: 'hidden_size', value: -1 },
  { kind: 'malformed-json', detail: 'Unexpected token', line: 3, column: 20 },
];

describe('errorMessages', () => {
  // The bug this guards: a config.json the Hub served broken (truncated, or fixed upstream since)
  // got no Retry, while network and HTTP failures did.
  it('describeModelLoadError offers Retry for a malformed config.json from the Hub, and says what Retry does', () => {
    const malformed: HubError = { kind: 'malformed', file: 'config.json', detail: 'Unexpected token (line 3, column 20)' };
    expect(describeHubFailure(malformed).retryable).toBe(true);
    const message = describeModelLoadError({ kind: 'hub', error: malformed });
    expect(message.retryable).toBe(true);
    expect(message.text).toMatch(/config\.json from the Hub could not be read: Unexpected token \(line 3, column 20\)\./);
    expect(message.text).toMatch(/Retry/);
  });

  it.each(CONFIG_ERRORS.map((e) => [e.kind, e] as const))('describeConfigError offers Retry for a Hub config (%s), never for a bundled or pasted one', (_kind, e) => {
    const fromHub = describeConfigError(e, 'hub');
    expect(fromHub.retryable).toBe(true);
    expect(fromHub.text).toMatch(/Retry/);
    expect(describeConfigError(e, 'bundled').retryable).toBe(false);
    expect(describeConfigError(e, 'pasted').retryable).toBe(false);
    expect(describeConfigError(e).retryable).toBe(false);
  });

  it('describeModelLoadError keeps Retry for network and HTTP failures and for a cancelled load', () => {
    expect(describeModelLoadError({ kind: 'hub', error: { kind: 'offline' } }).retryable).toBe(true);
    expect(describeModelLoadError({ kind: 'hub', error: { kind: 'server-error', status: 500 } }).retryable).toBe(true);
    expect(describeModelLoadError({ kind: 'cancelled' }).retryable).toBe(true);
    expect(describeModelLoadError({ kind: 'hub', error: { kind: 'invalid-id', modelId: 'x' } }).retryable).toBe(false);
  });
});
