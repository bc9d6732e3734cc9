/**
 * Workload presets (issue 14 item 2): typical request shapes and latency limits, each with the
 * source of its figures. A preset writes only the workload and SLO inputs it names (lengths, the
 * concurrency mode, the three latency limits); everything else stays as the user set it.
 *
 * Latency limits are MLPerf Inference's (MLCommons, `loadgen/mlperf.conf` in github.com/mlcommons/inference,
 * "Target Latencies for interactive setting"): `ttft_latency` / `tpot_latency` in ms, checked there at
 * the 99th percentile. This page compares them with its steady-state estimates (closer to a mean):
 * an APPROXIMATION the preset's note states.
 * Lengths: 1k/1k and 8k/1k are two of the ISL/OSL points SemiAnalysis InferenceMAX runs (and the
 * shape of many shared/truth/perf_calibration.csv rows); code completion's 1k/128 is illustrative
 * (a file prefix in, a few lines out) and said so.
 */
import type { Inputs } from './inputs';

export const PRESET_IDS = ['chat', 'long-prompt', 'code', 'batch'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** The inputs a preset sets (today's workload and SLO fields). */
export type PresetFields = Pick<Inputs, 'inputTokens' | 'outputTokens' | 'concurrency' | 'maxTtftMs' | 'maxItlMs' | 'maxE2eMs'>;

export interface WorkloadPreset {
  id: PresetId;
  label: string;
  fields: PresetFields;
  /** Where the figures come from, one sentence. */
  source: string;
  sourceUrl: string;
}

const MLPERF_CONF = 'https://github.com/mlcommons/inference/blob/master/loadgen/mlperf.conf';
const P99_NOTE = 'MLPerf checks them at the 99th percentile; this page compares them with its average-load estimate';

export const WORKLOAD_PRESETS: Readonly<Record<PresetId, WorkloadPreset>> = {
  chat: {
    id: 'chat',
    label: 'Chat',
    // The recommender picks, per configuration, the highest load that meets the limits.
    fields: { inputTokens: 1024, outputTokens: 1024, concurrency: 'sweep', maxTtftMs: 450, maxItlMs: 40, maxE2eMs: null },
    source: `Limits: MLPerf Inference llama2-70b-interactive (TTFT 450 ms, time per output token 40 ms; ${P99_NOTE}). Lengths: InferenceMAX's 1k in / 1k out.`,
    sourceUrl: MLPERF_CONF,
  },
  'long-prompt': {
    id: 'long-prompt',
    label: 'Agent / RAG (long prompt)',
    fields: { inputTokens: 8192, outputTokens: 1024, concurrency: 'sweep', maxTtftMs: 4500, maxItlMs: 80, maxE2eMs: null },
    source: `Limits: MLPerf Inference llama3_1-405b-interactive, a long-context task (TTFT 4.5 s, time per output token 80 ms; ${P99_NOTE}). Lengths: InferenceMAX's 8k in / 1k out.`,
    sourceUrl: MLPERF_CONF,
  },
  code: {
    id: 'code',
    label: 'Code completion',
    fields: { inputTokens: 1024, outputTokens: 128, concurrency: 'sweep', maxTtftMs: 500, maxItlMs: 30, maxE2eMs: null },
    source: `Limits: MLPerf Inference llama3_1-8b-interactive (TTFT 500 ms, time per output token 30 ms; ${P99_NOTE}). Lengths: illustrative (a file prefix in, a few lines out).`,
    sourceUrl: MLPERF_CONF,
  },
  batch: {
    id: 'batch',
    label: 'Batch / offline',
    // Every request at once, no latency limit: the saturation throughput decides.
    fields: { inputTokens: 1024, outputTokens: 1024, concurrency: 'max', maxTtftMs: null, maxItlMs: null, maxE2eMs: null },
    source: "MLPerf Inference's Offline scenario: all requests at once, throughput only, no latency limit. Lengths: InferenceMAX's 1k in / 1k out.",
    sourceUrl: MLPERF_CONF,
  },
};

/** The page opens interactive: a latency limit is set, so no headline is a saturation point. */
export const DEFAULT_PRESET_ID: PresetId = 'chat';

export function withPreset(inputs: Inputs, id: PresetId): Inputs {
  return { ...inputs, ...WORKLOAD_PRESETS[id].fields };
}

/** The preset the inputs match exactly, or null ("custom"). */
export function matchingPreset(inputs: Inputs): PresetId | null {
  for (const id of PRESET_IDS) {
    const f = WORKLOAD_PRESETS[id].fields;
    if ((Object.keys(f) as (keyof PresetFields)[]).every((k) => inputs[k] === f[k])) return id;
  }
  return null;
}
