/**
 * The one hand-built verdict row the verdict tests share (VerdictLine.test.tsx, verdictText.test.ts):
 * 1 × H100 TP1 at 32 concurrent requests. Numbers picked by hand, none computed; tests override the
 * fields their case needs.
 */
import type { VerdictRow } from '../../engine/types';

export function makeVerdictRow(over: Partial<VerdictRow> = {}): VerdictRow {
  return {
    index: 0,
    gpuId: 'H100',
    gpuCount: 1,
    layout: { tp: 1, pp: 1, dp: 1, ep: false },
    concurrency: 32,
    ttftMs: 210,
    itlMs: 12.4,
    e2eMs: 13000,
    usdPerMillionOutputTokens: 0.05,
    outputTokensPerS: 2000,
    costUsdPerHour: 3.78,
    ...over,
  };
}
