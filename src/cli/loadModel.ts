/**
 * Turns the model flags (--config / --model, --params-json, --hf-quant-config) into a ModelArch.
 * Reading and parsing only: the arithmetic is the engine's parseConfig.
 */
import { parseConfig } from '../engine/arch/parseConfig';
import { parseConfigJson } from '../engine/arch/parseConfigJson';
import { findBundledModel } from '../engine/catalog/bundledModels';
import { err, ok, type Result } from '../engine/result';
import type { ConfigError, ModelArch, SafetensorsParamCounts } from '../engine/types';
import { describeHubError } from '../hub/describe';
import { fetchModelFiles, parseSafetensorsParameters } from '../hub/fetchModel';
import { readString, type FlagValues } from './flags';
import type { CliIo } from './io';

/** A failure with the exit code it maps to: 2 usage (bad flags, unreadable file), 1 model or engine error. */
export interface CliError {
  exitCode: 1 | 2;
  message: string;
}

export const usageError = (message: string): { ok: false; error: CliError } => err({ exitCode: 2, message });
export const modelError = (message: string): { ok: false; error: CliError } => err({ exitCode: 1, message });

/** One line per ConfigError kind. */
export function describeConfigError(e: ConfigError, file: string): string {
  switch (e.kind) {
    case 'malformed-json':
      return `${file} is not valid JSON${e.line !== undefined ? ` (line ${e.line}, column ${e.column ?? '?'})` : ''}: ${e.detail}`;
    case 'missing-field':
      return `${file} lacks the field "${e.field}"`;
    case 'unsupported-architecture':
      return `${file}: architecture ${e.architecture} is not supported`;
    case 'invalid-value':
      return `${file}: field "${e.field}" has an invalid value ${JSON.stringify(e.value) ?? String(e.value)}${e.reason !== undefined ? ` (${e.reason})` : ''}`;
    default: {
      const _exhaustive: never = e;
      return String(_exhaustive);
    }
  }
}

async function readJsonFile(io: CliIo, path: string, what: string): Promise<Result<unknown, CliError>> {
  const text = await io.readTextFile(path);
  if (!text.ok) return usageError(`cannot read ${what} ${path}: ${text.error}`);
  const parsed = parseConfigJson(text.value);
  if (!parsed.ok) return modelError(describeConfigError(parsed.error, path));
  return ok(parsed.value);
}

/**
 * `--params-json`: either per-dtype counts ({"BF16": n, ...}) or the Hub's model-info JSON, whose
 * `safetensors.parameters` holds the same object.
 */
export function parseParamsJson(raw: unknown, path: string): Result<SafetensorsParamCounts, CliError> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return modelError(`${path}: expected a JSON object`);
  const fromHub = 'safetensors' in raw ? parseSafetensorsParameters(raw.safetensors) : undefined;
  const counts = fromHub ?? parseSafetensorsParameters({ parameters: raw });
  if (counts === undefined) {
    return modelError(`${path}: no parameter counts found (expected {"BF16": n, ...} or safetensors.parameters)`);
  }
  return ok(counts);
}

/** "fixtures/hf/meta-llama__Llama-3.1-8B/config.json" → "meta-llama/Llama-3.1-8B". */
export function modelIdFromPath(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  const dir = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  if (dir === undefined || dir === '.' || dir === '..') return path;
  return dir.includes('__') ? dir.replace('__', '/') : dir;
}

interface ModelInputs {
  modelId: string;
  config: unknown;
  safetensors?: SafetensorsParamCounts;
  hfQuantConfig?: unknown;
}

async function fromHub(io: CliIo, modelId: string): Promise<Result<ModelInputs, CliError>> {
  const token = io.env.HF_TOKEN;
  const fetched = await fetchModelFiles(modelId, {
    ...(token !== undefined && token !== '' ? { accessToken: token } : {}),
    ...(io.fetch !== undefined ? { fetch: io.fetch } : {}),
  });
  if (fetched.ok) {
    const { config, safetensors, hfQuantConfig } = fetched.value;
    return ok({
      modelId: fetched.value.modelId,
      config,
      ...(safetensors !== undefined ? { safetensors } : {}),
      ...(hfQuantConfig !== undefined ? { hfQuantConfig } : {}),
    });
  }
  // Offline: fall back to the copy of config.json that ships with the app, when there is one.
  const bundled = findBundledModel(modelId);
  if (bundled !== undefined && (fetched.error.kind === 'offline' || fetched.error.kind === 'timeout')) {
    const config = parseConfigJson(bundled.configText);
    if (!config.ok) return modelError(describeConfigError(config.error, `${bundled.id} (bundled)`));
    let hfQuantConfig: unknown;
    if (bundled.hfQuantConfigText !== undefined) {
      const quant = parseConfigJson(bundled.hfQuantConfigText);
      if (quant.ok) hfQuantConfig = quant.value;
    }
    return ok({ modelId: bundled.id, config: config.value, ...(hfQuantConfig !== undefined ? { hfQuantConfig } : {}) });
  }
  return modelError(describeHubError(fetched.error));
}

export async function loadModel(values: FlagValues, io: CliIo): Promise<Result<ModelArch, CliError>> {
  const configPath = readString(values, 'config');
  const hubId = readString(values, 'model');
  if (configPath !== undefined && hubId !== undefined) return usageError('give either --config or --model, not both');
  if (configPath === undefined && hubId === undefined) return usageError('missing required flag --config (or --model org/name)');

  let inputs: ModelInputs;
  if (configPath !== undefined) {
    const config = await readJsonFile(io, configPath, 'config');
    if (!config.ok) return config;
    inputs = { modelId: readString(values, 'model-id') ?? modelIdFromPath(configPath), config: config.value };
  } else {
    const hub = await fromHub(io, hubId ?? '');
    if (!hub.ok) return hub;
    inputs = hub.value;
  }

  const paramsPath = readString(values, 'params-json');
  if (paramsPath !== undefined) {
    const raw = await readJsonFile(io, paramsPath, 'params JSON');
    if (!raw.ok) return raw;
    const counts = parseParamsJson(raw.value, paramsPath);
    if (!counts.ok) return counts;
    inputs.safetensors = counts.value;
  }
  const quantPath = readString(values, 'hf-quant-config');
  if (quantPath !== undefined) {
    const raw = await readJsonFile(io, quantPath, 'hf_quant_config');
    if (!raw.ok) return raw;
    inputs.hfQuantConfig = raw.value;
  }

  const arch = parseConfig(inputs.config, {
    modelId: inputs.modelId,
    ...(inputs.safetensors !== undefined ? { safetensors: inputs.safetensors } : {}),
    ...(inputs.hfQuantConfig !== undefined ? { hfQuantConfig: inputs.hfQuantConfig } : {}),
  });
  if (!arch.ok) return modelError(describeConfigError(arch.error, configPath ?? inputs.modelId));
  return ok(arch.value);
}
