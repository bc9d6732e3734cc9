/**
 * Everything that can go wrong talking to the Hugging Face Hub, as values (STYLE.md §3), and the ONE
 * function that turns a thrown failure into one of them (huggingface.js funnels every response
 * through `createApiError` in hub/src/error.ts; we funnel every catch through `toHubError`).
 */
import { HubApiError, InvalidApiResponseFormatError } from '@huggingface/hub';

export const HUB_ERROR_KINDS = [
  'invalid-id',
  'invalid-token',
  'not-found',
  'gated',
  'rate-limited',
  'server-error',
  'offline',
  'timeout',
  'malformed',
] as const;
export type HubErrorKind = (typeof HUB_ERROR_KINDS)[number];

export type HubError =
  /** Not a Hub repo id (`org/name`); checked before any request. */
  | { kind: 'invalid-id'; modelId: string }
  /** The token is not an `hf_…` token (@huggingface/hub refuses others); checked before any request. */
  | { kind: 'invalid-token' }
  | { kind: 'not-found'; modelId: string }
  /** 401/403: gated or private. `hasToken` says whether a token was sent (then it was refused). */
  | { kind: 'gated'; modelId: string; hasToken: boolean }
  | { kind: 'rate-limited'; retryAfterS?: number }
  /** 5xx, or another unexpected HTTP status. */
  | { kind: 'server-error'; status: number }
  | { kind: 'offline' }
  /** Our time limit or the caller's AbortSignal ended the request. */
  | { kind: 'timeout' }
  | { kind: 'malformed'; file: string; detail: string };

/** What `toHubError` needs besides the thrown value. Never holds the token itself. */
export interface HubFailureContext {
  modelId: string;
  hasToken: boolean;
  /** File (or API endpoint) being fetched, named in 'malformed'. */
  file: string;
  /** Our timeout or the caller's signal fired before the failure was seen. */
  aborted: boolean;
  /**
   * Headers of the last failed response, captured by our fetch wrapper (HubApiError keeps only the
   * status). `X-Error-Code` tells RepoNotFound from GatedRepo: the Hub answers 401 for a missing repo
   * when no token is sent, so as not to reveal private repos.
   */
  response?: { errorCode: string | null; errorMessage?: string | null; retryAfter: string | null };
  /** Clock for HTTP-date Retry-After values (tests pin it). */
  nowMs?: number;
}

/**
 * Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns whole seconds ≥ 0, or
 * undefined when absent or unreadable.
 */
export function parseRetryAfterS(header: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, Math.ceil((dateMs - nowMs) / 1000));
}

function isAbortError(failure: unknown): boolean {
  // fetch rejects with a DOMException named AbortError (or TimeoutError for AbortSignal.timeout).
  return (
    typeof failure === 'object' &&
    failure !== null &&
    'name' in failure &&
    (failure.name === 'AbortError' || failure.name === 'TimeoutError')
  );
}

/**
 * The Hub says "Repository not found" (body or X-Error-Message) for missing repos; used only when
 * X-Error-Code is not readable (a browser sees only CORS-exposed headers). huggingface_hub's
 * `hf_raise_for_status` tells the two apart the same way: GatedRepo first, then RepoNotFound.
 */
function saysRepoNotFound(failure: HubApiError, errorMessage: string | null | undefined): boolean {
  const notFound = /repository not found/i;
  return notFound.test(failure.message) || notFound.test(errorMessage ?? '');
}

function fromStatus(failure: HubApiError, ctx: HubFailureContext): HubError {
  const status = failure.statusCode;
  const errorCode = ctx.response?.errorCode ?? null;
  if (status === 404) return { kind: 'not-found', modelId: ctx.modelId };
  if (status === 401 || status === 403) {
    if (errorCode === 'RepoNotFound' || (errorCode === null && saysRepoNotFound(failure, ctx.response?.errorMessage))) {
      return { kind: 'not-found', modelId: ctx.modelId };
    }
    return { kind: 'gated', modelId: ctx.modelId, hasToken: ctx.hasToken };
  }
  if (status === 429) {
    const retryAfterS = parseRetryAfterS(ctx.response?.retryAfter, ctx.nowMs);
    return retryAfterS === undefined ? { kind: 'rate-limited' } : { kind: 'rate-limited', retryAfterS };
  }
  // 5xx, and any other status the Hub is not documented to send for reads (400, 410, 451 …).
  return { kind: 'server-error', status };
}

/** The one mapping from a thrown failure (HubApiError, network TypeError, abort …) to a HubError. */
export function toHubError(failure: unknown, ctx: HubFailureContext): HubError {
  if (failure instanceof HubApiError) return fromStatus(failure, ctx);
  if (ctx.aborted || isAbortError(failure)) return { kind: 'timeout' };
  if (failure instanceof InvalidApiResponseFormatError || failure instanceof SyntaxError) {
    return { kind: 'malformed', file: ctx.file, detail: failure.message };
  }
  // fetch signals DNS, TLS, CORS and connection failures as TypeError ("Failed to fetch", "fetch
  // failed"). Anything else thrown from inside a request is treated the same: we got no answer.
  return { kind: 'offline' };
}
