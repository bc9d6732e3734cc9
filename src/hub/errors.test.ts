import { HubApiError, InvalidApiResponseFormatError } from '@huggingface/hub';
import { describe, expect, it } from 'vitest';
import { parseRetryAfterS, toHubError, type HubFailureContext } from './errors';

const CTX: HubFailureContext = { modelId: 'org/model', hasToken: false, file: 'config.json', aborted: false };
const apiError = (status: number, message = 'Api error') => new HubApiError('https://huggingface.co/x', status, undefined, message);
const withHeaders = (errorCode: string | null, retryAfter: string | null = null): HubFailureContext => ({
  ...CTX,
  response: { errorCode, retryAfter },
});

describe('toHubError', () => {
  it('maps 401 and 403 to gated, carrying hasToken', () => {
    expect(toHubError(apiError(401), CTX)).toEqual({ kind: 'gated', modelId: 'org/model', hasToken: false });
    expect(toHubError(apiError(403), { ...CTX, hasToken: true })).toEqual({ kind: 'gated', modelId: 'org/model', hasToken: true });
    expect(toHubError(apiError(401), withHeaders('GatedRepo'))).toMatchObject({ kind: 'gated' });
  });

  it('maps 401 with X-Error-Code RepoNotFound to not-found (the Hub hides missing repos behind 401)', () => {
    expect(toHubError(apiError(401), withHeaders('RepoNotFound'))).toEqual({ kind: 'not-found', modelId: 'org/model' });
    // Header unreadable (CORS): fall back to the body's message.
    expect(toHubError(apiError(401, 'Repository not found. URL: …'), CTX)).toEqual({ kind: 'not-found', modelId: 'org/model' });
    const headerMessage: HubFailureContext = { ...CTX, response: { errorCode: null, errorMessage: 'Repository not found', retryAfter: null } };
    expect(toHubError(apiError(401), headerMessage)).toEqual({ kind: 'not-found', modelId: 'org/model' });
  });

  it('maps 404 to not-found', () => {
    expect(toHubError(apiError(404), CTX)).toEqual({ kind: 'not-found', modelId: 'org/model' });
  });

  it('maps 429 to rate-limited with Retry-After seconds', () => {
    expect(toHubError(apiError(429), withHeaders(null, '120'))).toEqual({ kind: 'rate-limited', retryAfterS: 120 });
    expect(toHubError(apiError(429), CTX)).toEqual({ kind: 'rate-limited' });
  });

  it('maps 5xx and unexpected statuses to server-error with the status', () => {
    expect(toHubError(apiError(500), CTX)).toEqual({ kind: 'server-error', status: 500 });
    expect(toHubError(apiError(502), CTX)).toEqual({ kind: 'server-error', status: 502 });
    expect(toHubError(apiError(400), CTX)).toEqual({ kind: 'server-error', status: 400 });
  });

  it('maps network TypeErrors to offline and aborts to timeout', () => {
    expect(toHubError(new TypeError('Failed to fetch'), CTX)).toEqual({ kind: 'offline' });
    expect(toHubError(new DOMException('aborted', 'AbortError'), CTX)).toEqual({ kind: 'timeout' });
    expect(toHubError(new DOMException('timed out', 'TimeoutError'), CTX)).toEqual({ kind: 'timeout' });
    // Whatever the runtime throws once our own signal fired is a timeout.
    expect(toHubError(new TypeError('terminated'), { ...CTX, aborted: true })).toEqual({ kind: 'timeout' });
  });

  it('maps unreadable API responses to malformed, naming the file', () => {
    expect(toHubError(new InvalidApiResponseFormatError('Expected ETag'), CTX)).toEqual({ kind: 'malformed', file: 'config.json', detail: 'Expected ETag' });
    expect(toHubError(new SyntaxError('Unexpected token <'), { ...CTX, file: 'api/models' })).toMatchObject({ kind: 'malformed', file: 'api/models' });
  });
});

describe('parseRetryAfterS', () => {
  it('reads delta-seconds and HTTP-dates (RFC 9110 §10.2.3)', () => {
    expect(parseRetryAfterS('0')).toBe(0);
    expect(parseRetryAfterS(' 45 ')).toBe(45);
    const nowMs = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfterS('Wed, 21 Oct 2015 07:29:30 GMT', nowMs)).toBe(90);
    expect(parseRetryAfterS('Wed, 21 Oct 2015 07:27:00 GMT', nowMs)).toBe(0);
    expect(parseRetryAfterS('soon')).toBeUndefined();
    expect(parseRetryAfterS(null)).toBeUndefined();
  });
});
