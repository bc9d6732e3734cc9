/**
 * Shared fixtures of the speculative-decoding tests (speculative.test.ts, speculativeTree.test.ts):
 * Llama-3.1-8B in bf16 on one GPU, a 32-request × 4,096-token pool, and a resolved speculation.
 */
import { buildModelCost } from './modelCost';
import { resolveSpeculative, type SpeculativeModel, type SpeculativeSettings } from './speculative';
import { LLAMA_31_8B, NO_QUANT, memoryPlan } from '../testArchs';

export const specTestCost = buildModelCost(LLAMA_31_8B, NO_QUANT, { tp: 1, pp: 1, dp: 1, ep: false });
export const specTestPlan = memoryPlan(32, 4096, 50e9);

/** The speculation the settings resolve to on Llama-3.1-8B; throws on a refusal (a test fixture). */
export function specOf(settings: SpeculativeSettings): SpeculativeModel {
  const r = resolveSpeculative(LLAMA_31_8B, settings);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}
