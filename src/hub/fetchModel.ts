/**
 * Fetches what the engine needs about one Hub model: config.json, hf_quant_config.json (ModelOpt
 * checkpoints) and the safetensors parameter counts. The only module that makes Hub requests; it
 * returns a Result and never throws (STYLE.md §3). IO is injected (STYLE.md habit 9).
 *
 * The access token travels only as `Authorization: Bearer …` to the Hub's own origin (our fetch
 * wrapper strips it from any other host) and is never logged or copied into results or errors.
 */
import { downloadFile, modelInfo } from '@huggingface/hub';
import { parseConfigJson } from '../engine/arch/parseConfigJson';
import { err, ok, type Result } from '../engine/result';
import type { SafetensorsParamCounts } from '../engine/types';
import { toHubError, type HubError, type HubFailureContext } from './errors';
import { normalizeModelId } from './modelId';

/** The Hub's public endpoint (@huggingface/hub `HUB_URL`). */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

/**
 * Time allowed for all requests of one fetchModelFiles call. Three small files over a slow mobile
 * link take a few seconds; past this the user is better served by an error than by a spinner.
 */
export const DEFAULT_HUB_TIMEOUT_MS = 15_000;

export const CONFIG_FILE = 'config.json';
export const HF_QUANT_CONFIG_FILE = 'hf_quant_config.json';
const MODEL_INFO_ENDPOINT = 'api/models';

export interface FetchModelOptions {
  /** Hugging Face user access token (`hf_…`) for gated or private repos. */
  accessToken?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Hub origin, e.g. a mirror; defaults to https://huggingface.co. */
  hubUrl?: string;
}

/** Same shape as the worker's ModelSource: the hub result can be passed to compute as is. */
export interface HubModelFiles {
  modelId: string;
  config: unknown;
  safetensors?: SafetensorsParamCounts;
  hfQuantConfig?: unknown;
  /**
   * Why parameter counts are missing when the model-info request failed. Non-fatal: the engine then
   * counts parameters from the config (ModelArch.paramSource = 'config').
   */
  safetensorsError?: HubError;
}

interface CapturedResponse {
  errorCode: string | null;
  errorMessage: string | null;
  retryAfter: string | null;
}

function requestUrl(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/**
 * Wraps the caller's fetch: adds our abort signal, removes our token from requests to any other
 * origin (CDN redirects), and records the headers of a failed response for toHubError.
 */
function guardedFetch(
  baseFetch: typeof fetch,
  hubOrigin: string,
  bearer: string | null,
  signal: AbortSignal,
  captured: CapturedResponse,
): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const url = new URL(requestUrl(input), hubOrigin);
    if (bearer !== null && url.origin !== hubOrigin && headers.get('Authorization') === bearer) {
      headers.delete('Authorization');
    }
    const response = await baseFetch(input, { ...init, headers, signal });
    if (!response.ok) {
      captured.errorCode = response.headers.get('X-Error-Code');
      captured.errorMessage = response.headers.get('X-Error-Message');
      captured.retryAfter = response.headers.get('Retry-After');
    }
    return response;
  };
}

/** A JSON object (not array, not null): what config.json and hf_quant_config.json must be. */
function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonFile(file: string, text: string): Result<unknown, HubError> {
  const parsed = parseConfigJson(text);
  if (!parsed.ok) {
    const e = parsed.error;
    const where = e.kind === 'malformed-json' && e.line !== undefined ? ` (line ${e.line}, column ${e.column ?? '?'})` : '';
    const detail = e.kind === 'malformed-json' ? e.detail : e.kind;
    return err({ kind: 'malformed', file, detail: `${detail}${where}` });
  }
  if (!isJsonObject(parsed.value)) return err({ kind: 'malformed', file, detail: 'not a JSON object' });
  return ok(parsed.value);
}

/** `safetensors.parameters` from the model-info API, restored field by field (STYLE.md habit 8). */
export function parseSafetensorsParameters(raw: unknown): SafetensorsParamCounts | undefined {
  if (typeof raw !== 'object' || raw === null || !('parameters' in raw)) return undefined;
  const params: unknown = raw.parameters;
  if (typeof params !== 'object' || params === null) return undefined;
  const counts: SafetensorsParamCounts = {};
  let any = false;
  for (const [dtype, count] of Object.entries(params)) {
    if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) {
      counts[dtype] = count;
      any = true;
    }
  }
  return any ? counts : undefined;
}

/**
 * Downloads config.json, hf_quant_config.json (when the repo has one) and the safetensors
 * parameter counts of `modelId`. Expected failures come back as HubError values.
 */
export async function fetchModelFiles(
  modelIdInput: string,
  options: FetchModelOptions = {},
): Promise<Result<HubModelFiles, HubError>> {
  const idResult = normalizeModelId(modelIdInput);
  if (!idResult.ok) return idResult;
  const modelId = idResult.value;

  const token = options.accessToken?.trim() ?? '';
  // @huggingface/hub throws a TypeError for tokens not starting with hf_ (checkCredentials); that
  // would read as "offline", so refuse them here.
  if (token !== '' && !token.startsWith('hf_')) return err({ kind: 'invalid-token' });
  const accessToken = token === '' ? undefined : token;
  const hasToken = accessToken !== undefined;

  let hubUrl: string;
  try {
    hubUrl = new URL(options.hubUrl ?? DEFAULT_HUB_URL).origin;
  } catch {
    // A bad hubUrl is a programmer error (it is not user input).
    throw new Error(`fetchModelFiles: invalid hubUrl ${String(options.hubUrl)}`);
  }
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const bearer = accessToken === undefined ? null : `Bearer ${accessToken}`;

  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? DEFAULT_HUB_TIMEOUT_MS;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onCallerAbort = (): void => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  /** Runs one Hub call with its own captured headers, mapping any throw through toHubError. */
  const attempt = async <T>(file: string, call: (fetchFn: typeof fetch) => Promise<T>): Promise<Result<T, HubError>> => {
    const captured: CapturedResponse = { errorCode: null, errorMessage: null, retryAfter: null };
    try {
      if (controller.signal.aborted) return err({ kind: 'timeout' });
      return ok(await call(guardedFetch(baseFetch, hubUrl, bearer, controller.signal, captured)));
    } catch (failure) {
      const ctx: HubFailureContext = { modelId, hasToken, file, aborted: controller.signal.aborted, response: captured };
      return err(toHubError(failure, ctx));
    }
  };

  const downloadText = (path: string) =>
    attempt(path, async (fetchFn) => {
      const blob = await downloadFile({ repo: { type: 'model', name: modelId }, path, fetch: fetchFn, accessToken, hubUrl });
      return blob === null ? null : await blob.text();
    });

  try {
    const [configText, info] = await Promise.all([
      downloadText(CONFIG_FILE),
      attempt(MODEL_INFO_ENDPOINT, (fetchFn) =>
        modelInfo({ name: modelId, additionalFields: ['safetensors', 'filePaths'], fetch: fetchFn, accessToken, hubUrl }),
      ),
    ]);
    if (!configText.ok) return configText;
    if (configText.value === null) {
      return err({ kind: 'malformed', file: CONFIG_FILE, detail: 'the repository has no config.json (not a transformers checkpoint?)' });
    }
    const config = parseJsonFile(CONFIG_FILE, configText.value);
    if (!config.ok) return config;

    const files: HubModelFiles = { modelId, config: config.value };
    if (info.ok) {
      const safetensors = parseSafetensorsParameters(info.value.safetensors);
      if (safetensors !== undefined) files.safetensors = safetensors;
    } else {
      files.safetensorsError = info.error;
    }

    // The file list tells whether hf_quant_config.json exists; without one, ask (a 404 is fine).
    const filePaths = info.ok ? info.value.filePaths : [];
    const hasQuantFile = filePaths.length === 0 || filePaths.includes(HF_QUANT_CONFIG_FILE);
    if (hasQuantFile) {
      const quantText = await downloadText(HF_QUANT_CONFIG_FILE);
      // @huggingface/hub returns null only for a 404 carrying `X-Error-Code: EntryNotFound`; a 404
      // without it (a browser cannot read the header unless CORS exposes it; mirrors and proxies drop
      // it) throws and maps to not-found. The repo exists (its config.json came), so any 404 for this
      // optional file means it is absent, never that the model is missing.
      if (!quantText.ok && quantText.error.kind !== 'not-found') return quantText;
      if (quantText.ok && quantText.value !== null) {
        const quant = parseJsonFile(HF_QUANT_CONFIG_FILE, quantText.value);
        if (!quant.ok) return quant;
        files.hfQuantConfig = quant.value;
      }
    }
    return ok(files);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}
