/**
 * The computation the worker runs, as plain functions (STYLE.md habit 1): config → ModelArch →
 * recommend(). Pure and synchronous, so Node tests and the CLI call it directly; engine.worker.ts
 * only moves messages in and out.
 */
import { parseConfig } from '../engine/arch/parseConfig';
import type { EngineSession } from '../engine/session';
import { createEngineSession } from '../engine/session';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { err, ok, type Result } from '../engine/result';
import type { ConfigError, GpuSpec, ModelArch, RecommendRequest, RecommendResult, SafetensorsParamCounts } from '../engine/types';
import { CUSTOM_GPU_ID_PREFIX, type EngineRequest, type EngineResponse } from './protocol';

/** A model to compute: what src/hub's fetchModelFiles returns, or a bundled / pasted config. */
export interface ModelSource {
  modelId: string;
  /** Parsed config.json (see parseConfigJson), still unvalidated. */
  config: unknown;
  safetensors?: SafetensorsParamCounts;
  hfQuantConfig?: unknown;
}

export interface ComputeSuccess {
  arch: ModelArch;
  result: RecommendResult;
}

/** Parses the config and ranks GPU configurations. A bad config is a value, not a throw. */
/**
 * The last model parsed, by content. Every message carries a fresh copy of the config (structured
 * clone), so without this each input change would parse again and, worse, hand recommend() a new
 * ModelArch object, defeating its per-model memory-plan cache (keyed by object identity): a change of
 * output length re-planned every GPU × layout (~100–200 ms instead of ~10–30 ms).
 */
let lastParsed: { key: string; arch: Result<ModelArch, ConfigError>; session: { gpusKey: string; session: EngineSession } | null } | null = null;

function parseModel(model: ModelSource): NonNullable<typeof lastParsed> {
  const key = JSON.stringify([model.modelId, model.config, model.safetensors ?? null, model.hfQuantConfig ?? null]);
  if (lastParsed !== null && lastParsed.key === key) return lastParsed;
  const arch = parseConfig(model.config, { modelId: model.modelId, safetensors: model.safetensors, hfQuantConfig: model.hfQuantConfig });
  lastParsed = { key, arch, session: null };
  return lastParsed;
}

export function computeRecommendation(
  model: ModelSource,
  request: RecommendRequest,
  gpus?: readonly GpuSpec[],
): Result<ComputeSuccess, ConfigError> {
  const parsed = parseModel(model);
  const arch = parsed.arch;
  if (!arch.ok) return err(arch.error);
  // One engine session per model and GPU list (its caches keep the plans across inputs).
  const gpusKey = gpus === undefined ? '' : JSON.stringify(gpus);
  if (parsed.session === null || parsed.session.gpusKey !== gpusKey) {
    parsed.session = { gpusKey, session: createEngineSession(arch.value, gpus === undefined ? {} : { gpus }) };
  }
  return ok({ arch: arch.value, result: parsed.session.session.recommend(request) });
}

/**
 * The catalog plus the user's GPUs; undefined (recommend's default, the catalog) when there are none.
 * A custom GPU without the prefix could shadow a catalog row, so it is left out.
 */
export function gpusWithCustom(customGpus: readonly GpuSpec[] | undefined): readonly GpuSpec[] | undefined {
  const custom = (customGpus ?? []).filter((g) => g.id.startsWith(CUSTOM_GPU_ID_PREFIX));
  return custom.length === 0 ? undefined : [...GPU_CATALOG, ...custom];
}

/**
 * One request in, one response out, never throws: an engine exception (a bug) becomes an
 * 'internal-error' response carrying the requestId, so the client can settle the right promise.
 */
export function handleEngineRequest(message: EngineRequest, nowMs: () => number = () => performance.now()): EngineResponse {
  const startMs = nowMs();
  const { requestId } = message;
  try {
    const outcome = computeRecommendation(message.model, message.request, gpusWithCustom(message.customGpus));
    const computeMs = nowMs() - startMs;
    return outcome.ok
      ? { type: 'computed', requestId, computeMs, arch: outcome.value.arch, result: outcome.value.result }
      : { type: 'config-error', requestId, computeMs, error: outcome.error };
  } catch (failure) {
    const detail = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    return { type: 'internal-error', requestId, computeMs: nowMs() - startMs, message: detail };
  }
}
