/**
 * One click on a row's fix (engine/fixes.ts FixChange): the inputs with that single change made.
 * A layout fix changes no input but the GPU budget when the layout needs more GPUs; the page then
 * selects that layout's row.
 */
import type { FixChange } from '../engine/types';
import type { Inputs } from './inputs';

export function inputsWithFix(inputs: Inputs, fix: FixChange): Inputs {
  switch (fix.kind) {
    case 'max-model-len':
      return { ...inputs, maxModelLenTokens: fix.maxModelLenTokens, maxModelLenAuto: false };
    case 'kv-cache-dtype':
      return { ...inputs, kvCacheDtype: fix.kvCacheDtype };
    case 'weight-precision':
      return { ...inputs, weightPrecision: fix.weightPrecision };
    case 'layout':
      return fix.maxGpus === null ? inputs : { ...inputs, maxGpus: Math.max(inputs.maxGpus, fix.maxGpus) };
    case 'concurrency':
      return { ...inputs, concurrency: fix.concurrency };
    case 'slo':
      return {
        ...inputs,
        maxTtftMs: fix.limits.maxTtftMs === undefined ? inputs.maxTtftMs : fix.limits.maxTtftMs,
        maxItlMs: fix.limits.maxItlMs === undefined ? inputs.maxItlMs : fix.limits.maxItlMs,
        maxE2eMs: fix.limits.maxE2eMs === undefined ? inputs.maxE2eMs : fix.limits.maxE2eMs,
      };
    default: {
      const _exhaustive: never = fix;
      return _exhaustive;
    }
  }
}
