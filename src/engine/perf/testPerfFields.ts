/**
 * The PerfEstimate fields that the property tests require to be finite and ≥ 0 (estimatePerf and
 * engine invariants). Test-only: nothing in the engine imports this file.
 */
import type { PerfEstimate } from '../types';

/** Every number-valued PerfEstimate field (decodeStep is a record, checked per entry by the tests). */
export const PERF_NUMBER_FIELDS = [
  'effectiveConcurrency',
  'ttftMs',
  'itlMs',
  'e2eMs',
  'outputTokensPerS',
  'totalTokensPerS',
  'requestsPerS',
  'outputTokensPerSPerGpu',
  'prefillMs',
  'queueMs',
  'costUsdPerHour',
  'usdPerMillionOutputTokens',
  'joulesPerOutputToken',
] as const satisfies readonly (keyof PerfEstimate)[];
