/**
 * `--spec-method draft|eagle|eagle3|mtp --spec-tokens N --spec-acceptance 0..1 [--draft-config path]`
 * (issue 12's CLI contract) → the engine's speculative model (engine/perf/speculative.ts), and the
 * JSON block that reports what was used. `--spec-topk N --spec-draft-tokens N` (with --engine sglang)
 * draft a token tree: --spec-tokens is then its depth (SGLang --speculative-num-steps), --spec-topk
 * SGLang's --speculative-eagle-topk and --spec-draft-tokens its --speculative-num-draft-tokens.
 */
import { checkSpecAcceptance, checkSpecDraftTokens, checkSpecTokens, checkSpecTopk } from '../engine/inputRules';
import { ok, type Result } from '../engine/result';
import type { MemoryPlan, ModelArch } from '../engine/types';
import { resolveSpeculative, SPEC_METHODS, treeShapeError, type SpeculativeModel } from '../engine/perf/speculative';
import { readEngine } from './options';
import { readEnum, readRuled, readString, type FlagValues } from './flags';
import type { CliIo } from './io';
import { loadModel, modelError, usageError, type CliError } from './loadModel';

/** Default k when --spec-method is given alone (engine/perf/speculative.ts, shared with the page). */
export { DEFAULT_SPEC_TOKENS } from '../engine/perf/speculative';
import { DEFAULT_SPEC_TOKENS } from '../engine/perf/speculative';

const SPEC_FLAGS = ['spec-tokens', 'spec-acceptance', 'draft-config', 'spec-topk', 'spec-draft-tokens'] as const;

/** The speculative model the flags ask for; undefined without --spec-method. */
export async function readSpeculative(values: FlagValues, io: CliIo, arch: ModelArch): Promise<Result<SpeculativeModel | undefined, CliError>> {
  const method = readEnum(values, 'spec-method', SPEC_METHODS);
  if (!method.ok) return usageError(method.error.message);
  if (method.value === undefined) {
    const stray = SPEC_FLAGS.find((n) => readString(values, n) !== undefined);
    return stray === undefined ? ok(undefined) : usageError(`--${stray} needs --spec-method ${SPEC_METHODS.join('|')}`);
  }
  const tokens = readRuled(values, 'spec-tokens', checkSpecTokens);
  if (!tokens.ok) return usageError(tokens.error.message);
  const acceptance = readRuled(values, 'spec-acceptance', checkSpecAcceptance);
  if (!acceptance.ok) return usageError(acceptance.error.message);
  const topk = readRuled(values, 'spec-topk', checkSpecTopk);
  if (!topk.ok) return usageError(topk.error.message);
  const draftTokens = readRuled(values, 'spec-draft-tokens', checkSpecDraftTokens);
  if (!draftTokens.ok) return usageError(draftTokens.error.message);
  const engine = readEngine(values);
  if (!engine.ok) return usageError(engine.error.message);
  const k = tokens.value ?? DEFAULT_SPEC_TOKENS;
  if ((topk.value ?? 1) > 1 && draftTokens.value === undefined) return usageError(`--spec-topk ${topk.value} needs --spec-draft-tokens N (SGLang --speculative-num-draft-tokens: the tree's verified tokens)`);
  const shapeError = treeShapeError(engine.value, k, topk.value, draftTokens.value);
  if (shapeError !== null) return usageError(`--spec-topk / --spec-draft-tokens: ${shapeError}`);
  const draftPath = readString(values, 'draft-config');
  if (draftPath !== undefined && method.value !== 'draft') return usageError('--draft-config is for --spec-method draft');
  let draftArch: ModelArch | undefined;
  if (draftPath !== undefined) {
    const draft = await loadModel({ config: draftPath }, io);
    if (!draft.ok) return draft;
    draftArch = draft.value;
  }
  const resolved = resolveSpeculative(arch, {
    method: method.value,
    tokens: k,
    acceptance: acceptance.value ?? null,
    ...((topk.value ?? 1) > 1 ? { topk: topk.value, ...(draftTokens.value === undefined ? {} : { draftTokens: draftTokens.value }) } : {}),
    ...(draftArch !== undefined ? { draftArch } : {}),
  });
  if (!resolved.ok) return method.value === 'draft' ? usageError(resolved.error) : modelError(resolved.error);
  return ok(resolved.value);
}

/** The settings used and the expected accepted tokens per step (recommend's `speculative` block). */
export function speculativeSettingsJson(spec: SpeculativeModel, acceptanceGiven: boolean) {
  return {
    speculative: {
      method: spec.method,
      tokens: spec.tokens,
      acceptance: spec.acceptance,
      acceptanceSource: acceptanceGiven ? 'user' : 'published default (engine/perf/speculative.ts defaultSpecAcceptance: DEFAULT_SPEC_ACCEPTANCE for a chain, solved from TREE_DEFAULT_SOURCES for a tree)',
      expectedTokensPerStep: Math.round(spec.expectedTokensPerStep * 1000) / 1000,
      // A token tree (SGLang --speculative-eagle-topk > 1): absent for a chain, so a chain's JSON is as before.
      ...(spec.topk === undefined || spec.topk <= 1 ? {} : { topk: spec.topk, draftTokens: spec.draftTokens ?? spec.tokens + 1 }),
    },
  };
}

/** The `speculative` block of estimate's JSON: the settings, the expected accepted tokens per step and the draft's memory. */
export function speculativeJson(spec: SpeculativeModel, acceptanceGiven: boolean, withSpec: MemoryPlan, without: MemoryPlan) {
  return {
    speculative: {
      ...speculativeSettingsJson(spec, acceptanceGiven).speculative,
      draftWeightsGiBPerGpu: Math.round(((withSpec.weightsBytesPerGpu - without.weightsBytesPerGpu) / 2 ** 30) * 1000) / 1000,
      kvCacheGiBPerGpuWithout: Math.round((without.kvCacheBytesPerGpu / 2 ** 30) * 1000) / 1000,
      // The request-level simulator runs the verify steps and draws the accepted tokens (engine/sim/simulate.ts).
      simulatorModelsSpeculation: true,
    },
  };
}
