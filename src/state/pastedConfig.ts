/**
 * A config.json the user pasted for a model not on the Hub. Kept in sessionStorage (this tab only),
 * so a reload keeps it; a link carries only its name (a config does not fit in a URL).
 */
import { parseConfigJson } from '../engine/arch/parseConfigJson';
import type { ConfigError, Result } from '../engine/types';
import { err, ok } from '../engine/result';
import type { KeyValueStorage } from './tokenStorage';

export const PASTED_CONFIG_STORAGE_KEY = 'gpu-fit.pasted-config';

export interface PastedConfig {
  modelId: string;
  configText: string;
}

/** Parses the pasted text; errors say where (line/column from parseConfigJson). */
export function parsePastedConfig(text: string): Result<unknown, ConfigError> {
  const parsed = parseConfigJson(text);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err({ kind: 'invalid-value', field: 'config.json', value: null, reason: 'a config.json is a JSON object ({ … })' });
  }
  return ok(value);
}

export function readPastedConfig(storage: KeyValueStorage | null): PastedConfig | null {
  let raw: string | null;
  try {
    raw = storage?.getItem(PASTED_CONFIG_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const modelId: unknown = 'modelId' in value ? value.modelId : undefined;
    const configText: unknown = 'configText' in value ? value.configText : undefined;
    return typeof modelId === 'string' && typeof configText === 'string' ? { modelId, configText } : null;
  } catch {
    return null;
  }
}

export function writePastedConfig(storage: KeyValueStorage | null, pasted: PastedConfig): void {
  try {
    storage?.setItem(PASTED_CONFIG_STORAGE_KEY, JSON.stringify(pasted));
  } catch {
    // Too large for the quota or storage unavailable: it works until the tab reloads.
  }
}
