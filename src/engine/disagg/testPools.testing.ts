/** Tests only: prefill / decode pools of Llama-3.1-8B on catalog GPUs, planned by an engine session. */
import { createEngineSession } from '../session';
import { GPU_CATALOG } from '../catalog/gpus';
import { LLAMA_31_8B, PERF_SERVING, testServing } from '../testArchs';
import type { GpuSpec, Layout, PrefixCacheOptions, SpeculativeModel } from '../types';
import type { DisaggPool, DisaggWorkload } from './simulateDisagg';
import { resolveSpeculative, speculativeMemoryPlan } from '../perf/speculative';

export const session = createEngineSession(LLAMA_31_8B);
export const serving = testServing({ ...PERF_SERVING });

export function catalogGpu(id: string): GpuSpec {
  const g = GPU_CATALOG.find((x) => x.id === id);
  if (g === undefined) throw new Error(`${id} missing from the catalog`);
  return g;
}

export function pool(gpuId: string, tp: number, replicas = 1, pp = 1): DisaggPool {
  const gpu = catalogGpu(gpuId);
  const layout: Layout = { tp, pp, dp: 1, ep: false };
  return {
    gpu,
    layout,
    replicas,
    serving,
    engine: 'vllm',
    memory: session.plan(gpu, layout, serving),
    cost: session.modelCost(serving, layout),
    priceUsdPerHour: gpu.priceUsdPerHour,
  };
}

export const workload = (ratePerS: number, inputTokens = 1024, outputTokens = 128): DisaggWorkload => ({
  inputTokens,
  outputTokens,
  ratePerS,
  burstiness: 1,
  numRequests: 200,
});

/** A pool with the workload's prefix-cache inputs. */
export const withPrefix = (p: DisaggPool, prefix: PrefixCacheOptions): DisaggPool => ({ ...p, serving: { ...p.serving, prefixCache: prefix } });

/** EAGLE heads for Llama-3.1-8B with k drafts at acceptance α. */
export function eagleOf(tokens: number, acceptance: number): SpeculativeModel {
  const r = resolveSpeculative(LLAMA_31_8B, { method: 'eagle', tokens, acceptance });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** A pool with the draft loaded (its KV pool less the draft's weights and KV). */
export const withSpec = (p: DisaggPool, spec: SpeculativeModel): DisaggPool => ({ ...p, memory: speculativeMemoryPlan(p.memory, LLAMA_31_8B, spec), speculative: spec });
