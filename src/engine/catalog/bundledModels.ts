/**
 * Popular models whose config.json ships with the app, so the page computes without the network and
 * search-as-you-type has something to suggest. The data (raw config text: ~150 kB as a module, ~14 kB gzip)
 * lives in the generated bundledModels.data.ts; the UI may `import()` this module lazily.
 *
 * Config texts are kept verbatim and parsed at use with parseConfigJson (bare Infinity tolerated).
 */
import { parseConfigJson } from '../arch/parseConfigJson';
import { err, ok } from '../result';
import type { ConfigError, Result } from '../types';
import type { BundledModel } from './bundledModel';
import { BUNDLED_MODEL_DATA } from './bundledModels.data';

export type { BundledModel } from './bundledModel';

export const BUNDLED_MODELS: readonly BundledModel[] = BUNDLED_MODEL_DATA;

/** The model the page opens with: a common 8B dense GQA model that fits one 24 GB+ GPU. */
export const DEFAULT_MODEL_ID = 'Qwen/Qwen3-8B';

export function findBundledModel(modelId: string): BundledModel | undefined {
  const wanted = modelId.trim().toLowerCase();
  return BUNDLED_MODELS.find((m) => m.id.toLowerCase() === wanted);
}

/**
 * The bundled files parsed, in the shape the worker's ModelSource and src/hub's HubModelFiles share
 * (no safetensors counts: the engine counts parameters from the config).
 */
export function parseBundledModel(
  model: BundledModel,
): Result<{ modelId: string; config: unknown; hfQuantConfig?: unknown }, ConfigError> {
  const config = parseConfigJson(model.configText);
  if (!config.ok) return err(config.error);
  if (model.hfQuantConfigText === undefined) return ok({ modelId: model.id, config: config.value });
  const quant = parseConfigJson(model.hfQuantConfigText);
  if (!quant.ok) return err(quant.error);
  return ok({ modelId: model.id, config: config.value, hfQuantConfig: quant.value });
}

/** Default suggestion count for search-as-you-type. */
const DEFAULT_SEARCH_LIMIT = 10;

/** Query tokens: split on whitespace and on the separators people type between id parts. */
function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s/_:]+/)
    .filter((t) => t.length > 0);
}

/**
 * Rank of `model` for `query` (lower is better), null when it does not match. Exact id, then name
 * prefix, id prefix, substring of the id, then every query token a substring of the id
 * ('llama 8b' → meta-llama/Llama-3.1-8B). Hyphens inside a token are kept: 'qwen3-8b' is a substring.
 */
function matchRank(model: BundledModel, queryLower: string, tokens: readonly string[]): number | null {
  const id = model.id.toLowerCase();
  const name = model.label.toLowerCase();
  if (id === queryLower || name === queryLower) return 0;
  if (name.startsWith(queryLower)) return 1;
  if (id.startsWith(queryLower)) return 2;
  if (id.includes(queryLower)) return 3;
  if (tokens.length > 0 && tokens.every((t) => id.includes(t))) return 4;
  return null;
}

/**
 * Search-as-you-type over bundled ids, case-insensitive. An empty query lists the first `limit`
 * models with the default first. Ties keep catalog order (by id).
 */
export function searchBundledModels(query: string, limit: number = DEFAULT_SEARCH_LIMIT): BundledModel[] {
  const maxResults = Math.max(0, Math.floor(limit));
  const queryLower = query.trim().toLowerCase();
  if (queryLower === '') {
    const first = BUNDLED_MODELS.filter((m) => m.id === DEFAULT_MODEL_ID);
    return [...first, ...BUNDLED_MODELS.filter((m) => m.id !== DEFAULT_MODEL_ID)].slice(0, maxResults);
  }
  const tokens = tokenize(queryLower);
  const ranked: { model: BundledModel; rank: number; index: number }[] = [];
  BUNDLED_MODELS.forEach((model, index) => {
    const rank = matchRank(model, queryLower, tokens);
    if (rank !== null) ranked.push({ model, rank, index });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.slice(0, maxResults).map((r) => r.model);
}
