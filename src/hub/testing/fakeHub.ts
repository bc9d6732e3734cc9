/**
 * A fake Hugging Face Hub for tests (STYLE.md habit 9; huggingface.js parse-safetensors-metadata.spec.ts
 * `fetchForFile`): serves repo files from memory through a `fetch`-compatible function, answering the
 * requests @huggingface/hub makes (resolve with `Range: bytes=0-0`, then the body; /api/models/…).
 * Test-only: nothing in the app imports it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FAKE_HUB_URL = 'https://huggingface.co';

/** modelId → file path → text. */
export type FakeRepos = Record<string, Record<string, string>>;

export interface FakeHubOptions {
  repos: FakeRepos;
  hubUrl?: string;
  /** Gated models: modelId → the one token granted access. */
  gated?: Record<string, string>;
  /** `safetensors` block of the model-info answer, per model. */
  safetensors?: Record<string, { parameters: Record<string, number>; total: number }>;
  /** Answer a request before the fake Hub does (return undefined to fall through). */
  intercept?: (url: URL, headers: Headers) => Response | Promise<Response> | undefined;
}

export interface RecordedRequest {
  url: string;
  authorization: string | null;
  headers: Record<string, string>;
}

export interface FakeHub {
  fetch: typeof fetch;
  requests: RecordedRequest[];
}

/** Loads fixtures/hf/<org>__<name>/*.json into FakeRepos. */
export function loadFixtureRepos(fixturesDir: string): FakeRepos {
  const repos: FakeRepos = {};
  for (const entry of readdirSync(fixturesDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.includes('__')) continue;
    const modelId = entry.name.replace('__', '/');
    const files: Record<string, string> = {};
    for (const file of readdirSync(join(fixturesDir, entry.name))) {
      const path = join(fixturesDir, entry.name, file);
      if (existsSync(path)) files[file] = readFileSync(path, 'utf8');
    }
    repos[modelId] = files;
  }
  return repos;
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** The Hub's answers for a missing repo: 401 without a token (hides private repos), 404 with one. */
function repoNotFound(hasAuth: boolean): Response {
  return jsonResponse(hasAuth ? 404 : 401, { error: 'Repository not found' }, { 'X-Error-Code': 'RepoNotFound' });
}

function requestUrl(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

export function createFakeHub(options: FakeHubOptions): FakeHub {
  const hubUrl = options.hubUrl ?? FAKE_HUB_URL;
  const requests: RecordedRequest[] = [];

  const accessDenied = (modelId: string, authorization: string | null): Response | undefined => {
    const granted = options.gated?.[modelId];
    if (granted === undefined || authorization === `Bearer ${granted}`) return undefined;
    return jsonResponse(authorization === null ? 401 : 403, { error: `Access to model ${modelId} is restricted.` }, { 'X-Error-Code': 'GatedRepo' });
  };

  const serve = (url: URL, headers: Headers): Response => {
    const authorization = headers.get('Authorization');
    if (url.origin !== new URL(hubUrl).origin) return new Response('not the hub', { status: 502 });
    const path = decodeURIComponent(url.pathname);

    const api = /^\/api\/models\/(.+)\/revision\/([^/]+)$/.exec(path);
    if (api) {
      const modelId = api[1] ?? '';
      const files = options.repos[modelId];
      if (files === undefined) return repoNotFound(authorization !== null);
      const safetensors = options.safetensors?.[modelId];
      return jsonResponse(200, {
        _id: `fake-${modelId}`,
        id: modelId,
        private: false,
        gated: options.gated?.[modelId] === undefined ? false : 'manual',
        downloads: 0,
        likes: 0,
        lastModified: '2025-01-01T00:00:00.000Z',
        siblings: Object.keys(files).map((rfilename) => ({ rfilename })),
        ...(safetensors === undefined ? {} : { safetensors }),
      });
    }

    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (resolve) {
      const modelId = resolve[1] ?? '';
      const filePath = resolve[3] ?? '';
      const files = options.repos[modelId];
      if (files === undefined) return repoNotFound(authorization !== null);
      const denied = accessDenied(modelId, authorization);
      if (denied !== undefined) return denied;
      const text = files[filePath];
      if (text === undefined) {
        return jsonResponse(404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound' });
      }
      const bytes = new TextEncoder().encode(text);
      const etag = `"fake-${bytes.length}"`;
      if (headers.get('Range') === 'bytes=0-0') {
        return new Response(bytes.slice(0, 1), {
          status: 206,
          headers: { 'Content-Range': `bytes 0-0/${bytes.length}`, ETag: etag },
        });
      }
      return new Response(bytes, { status: 200, headers: { ETag: etag, 'Content-Length': String(bytes.length) } });
    }
    return jsonResponse(404, { error: 'Not found' });
  };

  const fakeFetch: typeof fetch = async (input, init) => {
    const url = new URL(requestUrl(input));
    const headers = new Headers(init?.headers);
    requests.push({ url: url.href, authorization: headers.get('Authorization'), headers: Object.fromEntries(headers.entries()) });
    if (init?.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const intercepted = await options.intercept?.(url, headers);
    return intercepted ?? serve(url, headers);
  };

  return { fetch: fakeFetch, requests };
}
