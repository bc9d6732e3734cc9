/** Tests only: real P/D rows of Llama-3.1-8B at 10 req/s (engine/disagg/disaggRows.ts), computed once. */
import { DEFAULT_SERVING_SETTINGS } from '../../engine/defaults';
import { disaggPairRow, type DisaggRow } from '../../engine/disagg/disaggRows';
import { createEngineSession } from '../../engine/session';
import { LLAMA_31_8B } from '../../engine/testArchs';
import type { RecommendRequest, TargetLoad } from '../../engine/types';

export const PD_REQUEST: RecommendRequest = {
  inputTokens: 2048,
  outputTokens: 256,
  concurrency: 'sweep',
  serving: { ...DEFAULT_SERVING_SETTINGS, maxModelLenTokens: 8192 },
  slo: { maxTtftMs: 1500, maxItlMs: 40, maxE2eMs: null },
  maxGpus: 16,
  gpuIds: ['H100', 'A100-80GB'],
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
};
export const PD_TARGET: TargetLoad = { ratePerS: 10, burstiness: 1, slo: { percentile: 99, maxTtftMs: 1500, maxItlMs: 40, maxE2eMs: null }, numRequests: 120 };

let rows: DisaggRow[] | null = null;

export function pdRows(): DisaggRow[] {
  if (rows === null) {
    const session = createEngineSession(LLAMA_31_8B);
    rows = [
      disaggPairRow(session, { request: PD_REQUEST, target: PD_TARGET, prefillGpuId: 'H100', decodeGpuId: 'H100' }),
      disaggPairRow(session, { request: PD_REQUEST, target: PD_TARGET, prefillGpuId: 'A100-80GB', decodeGpuId: 'H100' }),
      disaggPairRow(session, { request: { ...PD_REQUEST, maxGpus: 1 }, target: PD_TARGET, prefillGpuId: 'A100-80GB', decodeGpuId: 'A100-80GB' }),
    ];
  }
  return rows;
}
