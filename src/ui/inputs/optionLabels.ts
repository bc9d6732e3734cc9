/** Display names of the closed sets the form offers (labels only; the values are the engine's). */
import type { KvCacheDtype, ReplicaRouting, ServingEngine, SloPercentile, VllmVersion, WeightPrecision } from '../../engine/types';
import type { LoadKind, PageSpecMethod } from '../../state/inputs';

export const WEIGHT_PRECISION_LABELS: Record<WeightPrecision, string> = {
  auto: 'As in the checkpoint',
  bf16: 'BF16',
  fp8: 'FP8 (W8A8; runtime --quantization fp8 on a 16-bit checkpoint)',
  int8: 'INT8 (W8A8)',
  int4: 'INT4 (AWQ/GPTQ W4A16, group 128)',
  fp4: 'FP4 (NVFP4, group 16)',
};

export const KV_CACHE_DTYPE_LABELS: Record<KvCacheDtype, string> = {
  auto: 'Same as the model (auto)',
  fp8: 'FP8',
};

export const REPLICA_ROUTING_LABELS: Readonly<Record<ReplicaRouting, string>> = {
  random: 'Random (even split)',
  'round-robin': 'Round-robin',
  'least-loaded': 'Least-loaded (≈ llm-d)',
};

export const ENGINE_LABELS: Record<ServingEngine, string> = {
  vllm: 'vLLM',
  sglang: 'SGLang',
  trtllm: 'TensorRT-LLM',
};

export const VLLM_VERSION_LABELS: Record<VllmVersion, string> = {
  '0.10': '0.10',
  '0.11': '0.11',
  '0.12': '0.12',
  '0.13': '0.13',
  '0.14': '0.14',
  '0.15': '0.15',
  '0.16': '0.16',
  '0.17': '0.17',
  '0.18': '0.18',
  '0.19': '0.19',
  '0.20': '0.20',
  '0.21+': '0.21 or later (current)',
};

export const CONCURRENCY_MODES = ['sweep', 'max', 'fixed'] as const;
export type ConcurrencyMode = (typeof CONCURRENCY_MODES)[number];

export const CONCURRENCY_MODE_LABELS: Record<ConcurrencyMode, string> = {
  sweep: 'Sweep (best point per configuration)',
  max: 'Max (all requests at once)',
  fixed: 'Fixed number of requests',
};

export const LOAD_KIND_LABELS: Record<LoadKind, string> = {
  concurrency: 'Concurrency (closed loop, as benchmarks run)',
  rate: 'Request rate (replicas for a target load, simulated)',
};

/** The percentile selector's options as text (a <select> holds strings). */
export const SLO_PERCENTILE_OPTIONS = ['50', '90', '95', '99'] as const;
export type SloPercentileOption = (typeof SLO_PERCENTILE_OPTIONS)[number];
export const SLO_PERCENTILE_LABELS: Record<SloPercentileOption, string> = { '50': 'p50 (median)', '90': 'p90', '95': 'p95', '99': 'p99' };
export const SLO_PERCENTILE_OF: Record<SloPercentileOption, SloPercentile> = { '50': 50, '90': 90, '95': 95, '99': 99 };

export const SPEC_METHOD_LABELS: Record<PageSpecMethod, string> = {
  none: 'None',
  eagle: 'EAGLE head',
  eagle3: 'EAGLE-3 head',
  mtp: "MTP layers (the model's own)",
};
