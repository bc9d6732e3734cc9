import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fetchModelFiles } from './fetchModel';
import { createFakeHub, loadFixtureRepos, type FakeHubOptions } from './testing/fakeHub';

const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/hf', import.meta.url));
const REPOS = loadFixtureRepos(FIXTURES_DIR);
const TOKEN = 'hf_testTokenThatMustNotLeak0123456789';
const GATED_ID = 'meta-llama/Llama-3.1-8B-Instruct';

function hub(overrides: Partial<FakeHubOptions> = {}) {
  return createFakeHub({ repos: REPOS, ...overrides });
}

function statusResponse(status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: 'fake' }), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

describe('fetchModelFiles', () => {
  it('fetches config.json and safetensors parameter counts (Qwen/Qwen3-8B)', async () => {
    const fake = hub({ safetensors: { 'Qwen/Qwen3-8B': { parameters: { BF16: 8190735360 }, total: 8190735360 } } });
    const result = await fetchModelFiles('Qwen/Qwen3-8B', { fetch: fake.fetch });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.modelId).toBe('Qwen/Qwen3-8B');
    expect(result.value.config).toMatchObject({ hidden_size: 4096, num_hidden_layers: 36 });
    expect(result.value.safetensors).toEqual({ BF16: 8190735360 });
    expect(result.value.hfQuantConfig).toBeUndefined();
    expect(result.value.safetensorsError).toBeUndefined();
    // The repo's file list has no hf_quant_config.json, so it is not requested.
    expect(fake.requests.some((r) => r.url.includes('hf_quant_config.json'))).toBe(false);
  });

  it('tolerates bare Infinity in config.json (Nemotron-H time_step_limit)', async () => {
    const result = await fetchModelFiles('nvidia/Nemotron-H-56B-Base-8K', { fetch: hub().fetch });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.config).toMatchObject({ time_step_limit: [0, Number.POSITIVE_INFINITY] });
  });

  it('fetches hf_quant_config.json for ModelOpt checkpoints (nvidia/Llama-3.1-70B-Instruct-FP8)', async () => {
    const result = await fetchModelFiles('nvidia/Llama-3.1-70B-Instruct-FP8', { fetch: hub().fetch });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.hfQuantConfig).toMatchObject({ quantization: { quant_algo: 'FP8' } });
  });

  it('accepts a pasted huggingface.co URL', async () => {
    const result = await fetchModelFiles(' https://huggingface.co/Qwen/Qwen3-0.6B/tree/main ', { fetch: hub().fetch });
    expect(result.ok && result.value.modelId).toBe('Qwen/Qwen3-0.6B');
  });

  it('refuses an invalid id before any request', async () => {
    const fake = hub();
    const result = await fetchModelFiles('not a model id', { fetch: fake.fetch });
    expect(result).toEqual({ ok: false, error: { kind: 'invalid-id', modelId: 'not a model id' } });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a token that is not hf_… before any request', async () => {
    const fake = hub();
    const result = await fetchModelFiles('Qwen/Qwen3-8B', { fetch: fake.fetch, accessToken: 'secret' });
    expect(result).toEqual({ ok: false, error: { kind: 'invalid-token' } });
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a missing repo to not-found, with or without a token (Hub sends 401 RepoNotFound without one)', async () => {
    for (const accessToken of [undefined, TOKEN]) {
      const result = await fetchModelFiles('nobody/does-not-exist', { fetch: hub().fetch, accessToken });
      expect(result).toEqual({ ok: false, error: { kind: 'not-found', modelId: 'nobody/does-not-exist' } });
    }
  });

  it('maps a gated repo to gated, saying whether a token was sent', async () => {
    const gated = { [GATED_ID]: TOKEN };
    const anonymous = await fetchModelFiles(GATED_ID, { fetch: hub({ gated }).fetch });
    expect(anonymous).toEqual({ ok: false, error: { kind: 'gated', modelId: GATED_ID, hasToken: false } });
    const wrong = await fetchModelFiles(GATED_ID, { fetch: hub({ gated }).fetch, accessToken: 'hf_wrong' });
    expect(wrong).toEqual({ ok: false, error: { kind: 'gated', modelId: GATED_ID, hasToken: true } });
    const right = await fetchModelFiles(GATED_ID, { fetch: hub({ gated }).fetch, accessToken: TOKEN });
    expect(right.ok).toBe(true);
  });

  it.each([
    [401, {}, { kind: 'gated', modelId: 'Qwen/Qwen3-8B', hasToken: false }],
    [403, {}, { kind: 'gated', modelId: 'Qwen/Qwen3-8B', hasToken: false }],
    [404, { 'X-Error-Code': 'RepoNotFound' }, { kind: 'not-found', modelId: 'Qwen/Qwen3-8B' }],
    [429, { 'Retry-After': '30' }, { kind: 'rate-limited', retryAfterS: 30 }],
    [429, {}, { kind: 'rate-limited' }],
    [500, {}, { kind: 'server-error', status: 500 }],
    [503, {}, { kind: 'server-error', status: 503 }],
  ] as const)('maps HTTP %i on config.json to a HubError', async (status, headers, expected) => {
    const fake = hub({ intercept: () => statusResponse(status, headers) });
    const result = await fetchModelFiles('Qwen/Qwen3-8B', { fetch: fake.fetch });
    expect(result).toEqual({ ok: false, error: expected });
  });

  it('maps a network failure (fetch TypeError) to offline', async () => {
    const failing: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    expect(await fetchModelFiles('Qwen/Qwen3-8B', { fetch: failing })).toEqual({ ok: false, error: { kind: 'offline' } });
  });

  it('maps its own time limit to timeout', async () => {
    // A Hub that never answers, except by honouring the abort signal like real fetch does.
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
      });
    expect(await fetchModelFiles('Qwen/Qwen3-8B', { fetch: hanging, timeoutMs: 10 })).toEqual({ ok: false, error: { kind: 'timeout' } });
  });

  it("maps the caller's abort signal to timeout, before and during the request", async () => {
    const before = new AbortController();
    before.abort();
    const fake = hub();
    expect(await fetchModelFiles('Qwen/Qwen3-8B', { fetch: fake.fetch, signal: before.signal })).toEqual({ ok: false, error: { kind: 'timeout' } });
    expect(fake.requests).toHaveLength(0);

    const during = new AbortController();
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        during.abort();
      });
    expect(await fetchModelFiles('Qwen/Qwen3-8B', { fetch: hanging, signal: during.signal })).toEqual({ ok: false, error: { kind: 'timeout' } });
  });

  it('reports malformed config.json naming the file', async () => {
    const repos = { 'acme/broken': { 'config.json': '{ "hidden_size": 4096,, }' } };
    const result = await fetchModelFiles('acme/broken', { fetch: createFakeHub({ repos }).fetch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ kind: 'malformed', file: 'config.json' });
  });

  it('reports a repo without config.json as malformed config.json', async () => {
    const repos = { 'acme/gguf-only': { 'model.gguf': 'x' } };
    const result = await fetchModelFiles('acme/gguf-only', { fetch: createFakeHub({ repos }).fetch });
    expect(!result.ok && result.error).toMatchObject({ kind: 'malformed', file: 'config.json' });
  });

  it('reports malformed hf_quant_config.json naming the file', async () => {
    const repos = { 'acme/modelopt': { 'config.json': REPOS['Qwen/Qwen3-8B']?.['config.json'] ?? '', 'hf_quant_config.json': '[1, 2' } };
    const result = await fetchModelFiles('acme/modelopt', { fetch: createFakeHub({ repos }).fetch });
    expect(!result.ok && result.error).toMatchObject({ kind: 'malformed', file: 'hf_quant_config.json' });
  });

  it('survives a failed model-info request: no counts, the error kept, hf_quant_config.json still asked for', async () => {
    const fake = hub({ intercept: (url) => (url.pathname.startsWith('/api/') ? statusResponse(500) : undefined) });
    const result = await fetchModelFiles('nvidia/Llama-3.1-70B-Instruct-FP8', { fetch: fake.fetch });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.safetensors).toBeUndefined();
    expect(result.value.safetensorsError).toEqual({ kind: 'server-error', status: 500 });
    expect(result.value.hfQuantConfig).toBeDefined();
    // Without the file list it asks, and a 404 for hf_quant_config.json is fine.
    const plain = await fetchModelFiles('Qwen/Qwen3-8B', { fetch: hub({ intercept: (url) => (url.pathname.startsWith('/api/') ? statusResponse(503) : undefined) }).fetch });
    expect(plain.ok && plain.value.hfQuantConfig).toBeUndefined();
  });

  // The bug this guards: a 404 for the optional hf_quant_config.json without X-Error-Code (what a
  // browser sees when CORS hides the header, or a mirror sends) failed the whole load as "not found".
  it('a 404 for hf_quant_config.json never fails the load, whatever headers it carries', async () => {
    const variants: Record<string, string>[] = [{}, { 'X-Error-Code': 'RepoNotFound' }, { 'X-Error-Code': 'EntryNotFound' }];
    for (const headers of variants) {
      const fake = hub({
        intercept: (url) => {
          if (url.pathname.startsWith('/api/')) return statusResponse(503);
          return url.pathname.endsWith('/hf_quant_config.json') ? new Response('Not found', { status: 404, headers }) : undefined;
        },
      });
      const result = await fetchModelFiles('Qwen/Qwen3-8B', { fetch: fake.fetch });
      expect(result.ok && result.value.hfQuantConfig === undefined).toBe(true);
      expect(fake.requests.some((r) => r.url.includes('hf_quant_config.json'))).toBe(true);
    }
  });

  it('a server error for hf_quant_config.json still fails the load (its quantization would be lost)', async () => {
    const fake = hub({ intercept: (url) => (url.pathname.endsWith('/hf_quant_config.json') ? statusResponse(500) : undefined) });
    const result = await fetchModelFiles('nvidia/Llama-3.1-70B-Instruct-FP8', { fetch: fake.fetch });
    expect(!result.ok && result.error).toEqual({ kind: 'server-error', status: 500 });
  });

  it('sends the token only as an Authorization header to the Hub host, and never returns it', async () => {
    const cdnHost = 'https://cdn-lfs.hf.co';
    // The Hub answers the config.json probe as if the file lived on a CDN (as LFS files do), so the
    // body is fetched from another host: our token must not go there.
    const fake = hub({
      gated: { [GATED_ID]: TOKEN },
      intercept: (url, headers) => {
        if (url.origin === cdnHost) return new Response(REPOS[GATED_ID]?.['config.json'] ?? '', { status: 200 });
        if (url.pathname.endsWith('/config.json') && headers.get('Range') === 'bytes=0-0') {
          const size = new TextEncoder().encode(REPOS[GATED_ID]?.['config.json'] ?? '').length;
          const probe = new Response('{', {
            status: 206,
            headers: { 'Content-Range': `bytes 0-0/${size}`, ETag: '"cdn"', 'X-Cache': 'Hit from cloudfront' },
          });
          Object.defineProperty(probe, 'url', { value: `${cdnHost}/repos/ab/cd/config.json?signed=1` });
          return probe;
        }
        return undefined;
      },
    });
    const result = await fetchModelFiles(GATED_ID, { fetch: fake.fetch, accessToken: TOKEN });
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain(TOKEN);

    const hubRequests = fake.requests.filter((r) => new URL(r.url).origin === 'https://huggingface.co');
    const cdnRequests = fake.requests.filter((r) => new URL(r.url).origin === cdnHost);
    expect(hubRequests.length).toBeGreaterThan(0);
    expect(cdnRequests).toHaveLength(1);
    for (const r of hubRequests) expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    for (const r of cdnRequests) expect(r.authorization).toBeNull();
    for (const r of fake.requests) {
      expect(r.url).not.toContain(TOKEN);
      const otherHeaders = Object.entries(r.headers).filter(([name]) => name !== 'authorization');
      expect(JSON.stringify(otherHeaders)).not.toContain(TOKEN);
    }

    // A refused token does not come back in the error either.
    const refused = await fetchModelFiles(GATED_ID, { fetch: hub({ gated: { [GATED_ID]: 'hf_other' } }).fetch, accessToken: TOKEN });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).not.toContain(TOKEN);
  });
});
