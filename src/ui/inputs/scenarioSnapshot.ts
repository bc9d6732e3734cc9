/**
 * What a saved scenario keeps of the results on screen (state/savedWork.ts ScenarioSnapshot): the
 * verdict sentence and its row's figures, copied from the engine's verdict. Only a fresh answer is
 * kept (while the engine recomputes, the screen shows the previous inputs' answer).
 */
import type { ResultsState } from '../../state/slices';
import type { ScenarioSnapshot } from '../../state/savedWork';
import type { VerdictRow } from '../../engine/types';
import { verdictWords } from '../results/verdictText';

function shortName(modelId: string): string {
  return modelId.slice(modelId.lastIndexOf('/') + 1);
}

export function scenarioSnapshot(results: ResultsState): ScenarioSnapshot | undefined {
  if (results.status !== 'ready') return undefined;
  const { arch, result } = results.view;
  const verdict = result.verdict;
  if (verdict === undefined) return undefined;
  const verdictRow: VerdictRow | null = verdict.kind === 'pick' ? verdict.pick : verdict.kind === 'none-meets-slo' ? verdict.closest : null;
  return {
    modelId: arch.modelId,
    headline: verdictWords(verdict, shortName(arch.modelId)).headline,
    passes: verdict.kind === 'pick',
    row:
      verdictRow === null
        ? null
        : {
            gpuId: verdictRow.gpuId,
            gpuCount: verdictRow.gpuCount,
            layout: { ...verdictRow.layout },
            concurrency: verdictRow.concurrency,
            ttftMs: verdictRow.ttftMs,
            itlMs: verdictRow.itlMs,
            usdPerMillionOutputTokens: verdictRow.usdPerMillionOutputTokens,
            outputTokensPerS: verdictRow.outputTokensPerS,
            costUsdPerHour: verdictRow.costUsdPerHour,
          },
  };
}
