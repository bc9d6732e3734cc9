/**
 * Answers every Hugging Face Hub request from the project's fixtures (fixtures/hf/<org>__<name>/),
 * so e2e tests never touch the network. Any other non-local request is aborted and recorded.
 */
import type { Page, Route } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES_DIR = join(process.cwd(), 'fixtures', 'hf');

export interface HubRouteOptions {
  /** Model ids that answer 401 without a token and 403 with a token other than `validToken`. */
  gated?: Record<string, { validToken: string }>;
  /** Per-model HTTP status to force (e.g. 429, 500) for every request about it. */
  statusFor?: Record<string, number>;
  /** Extra models served from other folders: id → directory holding config.json. */
  extra?: Record<string, string>;
  /** Simulate no network at all: every Hub request fails at the network level. */
  offline?: boolean;
}

export interface HubLog {
  /** Every request the page made to a host other than the local server. */
  external: { url: string; authorization: string | null }[];
}

/** A route whose fulfil always carries the Hub's CORS headers. */
function withCors(route: Route): Pick<Route, 'fulfill' | 'abort'> {
  return {
    fulfill: (opts = {}) => route.fulfill({ ...opts, headers: { ...CORS, ...(opts.headers ?? {}) } }),
    abort: (code) => route.abort(code),
  };
}

function fixtureDir(modelId: string, extra: Record<string, string>): string | null {
  if (extra[modelId]) return extra[modelId];
  const dir = join(FIXTURES_DIR, modelId.replace('/', '__'));
  return existsSync(join(dir, 'config.json')) ? dir : null;
}

/** /api/models/<org>/<name>[/...] or /<org>/<name>/resolve/<rev>/<file> */
function parseHubPath(pathname: string): { modelId: string; file: string | null } | null {
  const api = /^\/api\/models\/([^/]+)\/([^/]+)(?:\/.*)?$/.exec(pathname);
  if (api) return { modelId: `${api[1]}/${api[2]}`, file: null };
  const resolve = /^\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(pathname);
  if (resolve) return { modelId: `${resolve[1]}/${resolve[2]}`, file: decodeURIComponent(resolve[3] ?? '') };
  return null;
}

/** The Hub answers cross-origin requests from any page and exposes the headers @huggingface/hub reads. */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, range, accept, content-type',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-expose-headers': 'content-range, etag, x-linked-etag, x-linked-size, x-error-code, x-error-message, retry-after, link',
};

export async function routeHub(page: Page, options: HubRouteOptions = {}): Promise<HubLog> {
  const log: HubLog = { external: [] };
  const extra = options.extra ?? {};
  await page.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    async (rawRoute: Route) => {
      const route = withCors(rawRoute);
      const request = rawRoute.request();
      if (request.method() === 'OPTIONS') {
        await rawRoute.fulfill({ status: 204, headers: CORS });
        return;
      }
      const url = new URL(request.url());
      const authorization = (await request.allHeaders())['authorization'] ?? null;
      log.external.push({ url: request.url(), authorization });
      if (options.offline || !/(^|\.)huggingface\.co$/.test(url.hostname)) {
        await route.abort('internetdisconnected');
        return;
      }
      const parsed = parseHubPath(url.pathname);
      if (!parsed) {
        await route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"not found"}' });
        return;
      }
      const forced = options.statusFor?.[parsed.modelId];
      if (forced) {
        await route.fulfill({
          status: forced,
          headers: forced === 429 ? { 'retry-after': '30' } : {},
          contentType: 'application/json',
          body: JSON.stringify({ error: `status ${forced}` }),
        });
        return;
      }
      const gate = options.gated?.[parsed.modelId];
      if (gate) {
        const token = authorization?.replace(/^Bearer\s+/i, '') ?? null;
        if (token !== gate.validToken) {
          const status = token ? 403 : 401;
          await route.fulfill({
            status,
            headers: { 'x-error-code': 'GatedRepo' },
            contentType: 'application/json',
            body: JSON.stringify({ error: `Access to model ${parsed.modelId} is restricted.` }),
          });
          return;
        }
      }
      const dir = fixtureDir(parsed.modelId, extra);
      if (!dir) {
        await route.fulfill({
          status: 404,
          headers: { 'x-error-code': 'RepoNotFound' },
          contentType: 'application/json',
          body: JSON.stringify({ error: 'Repository not found' }),
        });
        return;
      }
      if (parsed.file === null) {
        // Model info: the id and no safetensors block (the engine then counts parameters from the config).
        await route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ _id: parsed.modelId, id: parsed.modelId, modelId: parsed.modelId, private: false, gated: gate ? 'manual' : false }),
        });
        return;
      }
      const path = join(dir, parsed.file);
      if (!existsSync(path)) {
        await route.fulfill({ status: 404, headers: { 'x-error-code': 'EntryNotFound' }, body: 'Entry not found' });
        return;
      }
      // fileDownloadInfo asks for `Range: bytes=0-0` and reads the size from Content-Range and an ETag.
      const body = readFileSync(path);
      const etag = `"${body.length.toString(16)}-fixture"`;
      const range = request.headers()['range'];
      if (range === 'bytes=0-0') {
        await route.fulfill({
          status: 206,
          headers: { 'content-range': `bytes 0-0/${body.length}`, etag },
          contentType: 'application/json',
          body: body.subarray(0, 1),
        });
        return;
      }
      await route.fulfill({ status: 200, headers: { etag }, contentType: 'application/json', body });
    },
  );
  return log;
}
