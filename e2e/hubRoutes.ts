/**
 * Answers every Hugging Face Hub request from the project's fixtures (fixtures/hf/<org>__<name>/),
 * so e2e tests never touch the network. Any other non-local request is aborted and recorded.
 *
 * What src/hub/fetchModel.ts asks for, through @huggingface/hub 2.x:
 *   GET /api/models/<org>/<name>/revision/HEAD?expand=…&expand=safetensors&expand=siblings  (modelInfo)
 *   GET /<org>/<name>/resolve/main/config.json  with `Range: bytes=0-0` (fileDownloadInfo: size from
 *       Content-Range, an ETag required), then the whole file (WebBlob.text)
 *   GET /<org>/<name>/resolve/main/hf_quant_config.json  when the file list names it (a 404 with
 *       X-Error-Code: EntryNotFound means "no such file")
 * HEAD and CORS preflights are answered too, in case a library version uses them.
 *
 * The options object is read on every request: a test may change it (e.g. delete a forced status)
 * to make the Hub "recover" before pressing Retry.
 */
import type { BrowserContext, Page, Route } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const FIXTURES_DIR = join(process.cwd(), 'fixtures', 'hf');

export interface HubRouteOptions {
  /** Model ids that answer 401 without a token and 403 with a token other than `validToken`. */
  gated?: Record<string, { validToken: string }>;
  /** Per-model HTTP status to force (e.g. 404, 429, 500) for every request about it. */
  statusFor?: Record<string, number>;
  /** Extra models served from other folders: id → directory holding config.json. */
  extra?: Record<string, string>;
  /** Simulate no network at all: every Hub request fails at the network level. */
  offline?: boolean;
  /** Hold every Hub answer this long (lets a test see the loading state). */
  delayMs?: number;
}

export interface HubRequest {
  method: string;
  url: string;
  authorization: string | null;
}

export interface HubLog {
  /** Every request the page made to a host other than the local server (Hub or not). */
  external: HubRequest[];
}

/** The Hub answers cross-origin requests from any page and exposes the headers @huggingface/hub reads. */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, range, accept, content-type',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-expose-headers':
    'content-range, etag, x-linked-etag, x-linked-size, x-error-code, x-error-message, retry-after, link',
};

function fixtureDir(modelId: string, extra: Record<string, string>): string | null {
  const mapped = extra[modelId];
  if (mapped !== undefined) return mapped;
  const dir = join(FIXTURES_DIR, modelId.replace('/', '__'));
  return existsSync(join(dir, 'config.json')) ? dir : null;
}

/** /api/models/<org>/<name>[/revision/HEAD] or /<org>/<name>/resolve/<rev>/<file> */
function parseHubPath(pathname: string): { modelId: string; file: string | null } | null {
  const api = /^\/api\/models\/([^/]+)\/([^/]+)(?:\/.*)?$/.exec(pathname);
  if (api) return { modelId: `${api[1]}/${api[2]}`, file: null };
  const resolve = /^\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(pathname);
  if (resolve) return { modelId: `${resolve[1]}/${resolve[2]}`, file: decodeURIComponent(resolve[3] ?? '') };
  return null;
}

/** Hub safetensors totals from fixtures/hf/param_counts.csv (kind hub_safetensors_total_params), by model id. */
function loadParamCounts(): Map<string, { dtype: string; count: number }> {
  const out = new Map<string, { dtype: string; count: number }>();
  const path = join(FIXTURES_DIR, 'param_counts.csv');
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const [id, value, kind, dtype] = line.split(',');
    if (kind === 'hub_safetensors_total_params' && id && value && dtype) out.set(id, { dtype, count: Number(value) });
  }
  return out;
}

/** The Hub's safetensors dtype keys (model-info API), from the CSV's torch dtype names. */
const HUB_DTYPE: Record<string, string> = { bfloat16: 'BF16', float16: 'F16', float32: 'F32', float8_e4m3fn: 'F8_E4M3' };

/** The model-info body: id, the files of the folder as `siblings`, safetensors counts when known. */
function modelInfoBody(modelId: string, dir: string, gated: boolean, counts: ReturnType<typeof loadParamCounts>): string {
  const siblings = readdirSync(dir).map((rfilename) => ({ rfilename }));
  const known = counts.get(basename(dir).replace('__', '/'));
  const safetensors = known
    ? { parameters: { [HUB_DTYPE[known.dtype] ?? known.dtype.toUpperCase()]: known.count }, total: known.count }
    : undefined;
  return JSON.stringify({
    _id: `fixture-${modelId}`,
    id: modelId,
    modelId,
    private: false,
    gated: gated ? 'manual' : false,
    downloads: 0,
    likes: 0,
    lastModified: '2025-01-01T00:00:00.000Z',
    siblings,
    ...(safetensors ? { safetensors } : {}),
  });
}

/**
 * Routes every non-local request of the page's browser context (so requests from workers are
 * covered too) through the fixture Hub; returns the log of those requests.
 */
export async function routeHub(page: Page, options: HubRouteOptions = {}): Promise<HubLog> {
  return routeHubInContext(page.context(), options);
}

export async function routeHubInContext(context: BrowserContext, options: HubRouteOptions = {}): Promise<HubLog> {
  const log: HubLog = { external: [] };
  const counts = loadParamCounts();
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    async (route: Route) => {
      const request = route.request();
      const method = request.method();
      const url = new URL(request.url());
      const authorization = (await request.allHeaders())['authorization'] ?? null;
      log.external.push({ method, url: request.url(), authorization });
      if (options.offline || !/(^|\.)huggingface\.co$/.test(url.hostname)) {
        await route.abort('internetdisconnected').catch(() => undefined);
        return;
      }
      if (method === 'OPTIONS') {
        await route.fulfill({ status: 204, headers: CORS }).catch(() => undefined);
        return;
      }
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const fulfil = (status: number, body: string | Buffer, headers: Record<string, string> = {}, contentType = 'application/json') =>
        route.fulfill({ status, headers: { ...CORS, ...headers }, contentType, body: method === 'HEAD' ? '' : body }).catch(() => undefined);

      const parsed = parseHubPath(url.pathname);
      if (!parsed) {
        await fulfil(404, '{"error":"not found"}');
        return;
      }
      const forced = options.statusFor?.[parsed.modelId];
      if (forced) {
        const headers: Record<string, string> = forced === 429 ? { 'retry-after': '30' } : forced === 404 ? { 'x-error-code': 'RepoNotFound' } : {};
        await fulfil(forced, JSON.stringify({ error: forced === 404 ? 'Repository not found' : `status ${forced}` }), headers);
        return;
      }
      const gate = options.gated?.[parsed.modelId];
      if (gate) {
        const token = authorization?.replace(/^Bearer\s+/i, '') ?? null;
        if (token !== gate.validToken) {
          await fulfil(token ? 403 : 401, JSON.stringify({ error: `Access to model ${parsed.modelId} is restricted.` }), { 'x-error-code': 'GatedRepo' });
          return;
        }
      }
      const dir = fixtureDir(parsed.modelId, options.extra ?? {});
      if (!dir) {
        await fulfil(404, JSON.stringify({ error: 'Repository not found' }), { 'x-error-code': 'RepoNotFound' });
        return;
      }
      if (parsed.file === null) {
        await fulfil(200, modelInfoBody(parsed.modelId, dir, gate !== undefined, counts));
        return;
      }
      const path = join(dir, parsed.file);
      if (!existsSync(path)) {
        await fulfil(404, 'Entry not found', { 'x-error-code': 'EntryNotFound' }, 'text/plain');
        return;
      }
      // fileDownloadInfo asks for `Range: bytes=0-0` and reads the size from Content-Range and an ETag.
      const body = readFileSync(path);
      const etag = `"${body.length.toString(16)}-fixture"`;
      if (request.headers()['range'] === 'bytes=0-0') {
        await fulfil(206, body.subarray(0, 1), { 'content-range': `bytes 0-0/${body.length}`, etag });
        return;
      }
      await fulfil(200, body, { etag });
    },
  );
  return log;
}
