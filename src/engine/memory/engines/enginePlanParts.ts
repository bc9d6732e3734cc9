/**
 * What the SGLang and TensorRT-LLM plans share: the model's quantization and vLLM's
 * GPU-independent preparation of the layout (weights per stage, per-token cache cells), and the plan
 * returned when no layout can be prepared.
 */
import type { ModelCaches } from '../../cache/modelCaches';
import { quantizationFor } from '../../cache/modelCaches';
import type { GpuSpec, Layout, MemoryPlan, NoFitReason, ServingEngine, ResolvedServingOptions } from '../../types';
import { emptyPlan } from '../emptyPlan';
import { prepareMemoryLayout } from '../prepareLayout';
import type { PreparedLayout } from '../preparedLayout';

export type PreparedForEngine = { ok: true; prepared: PreparedLayout } | { ok: false; reason: NoFitReason; message: string };

/** The caches' preparation of this layout (shared with vLLM's plans of the same serving options). */
export function prepareForEngine(caches: ModelCaches, gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions, engineName: string): PreparedForEngine {
  const q = quantizationFor(caches, serving.weightPrecision);
  if (!q.ok) return { ok: false, reason: 'precision-unsupported', message: q.error.detail };
  // The vLLM release (memory/vllmVersion.ts) is vLLM's accounting, not this engine's: plan with the default's.
  const own = serving.vllmVersion === undefined ? serving : { ...serving, vllmVersion: undefined };
  const prepared = prepareMemoryLayout(caches, layout, own, q.value, gpu);
  if (prepared.kind === 'invalid-layout') return { ok: false, reason: 'invalid-layout', message: prepared.message.replace(/^vLLM/, engineName) };
  return { ok: true, prepared };
}

/**
 * A plan with nothing allocated, for a layout or precision the engine cannot run: vLLM's empty plan
 * with no budget (these engines take their fraction of free memory, not of the device), no page, and
 * the engine's own fraction and name.
 */
export function engineFailurePlan(
  caches: ModelCaches,
  gpu: GpuSpec,
  serving: ResolvedServingOptions,
  engine: Exclude<ServingEngine, 'vllm'>,
  fraction: number,
  failure: { reason: NoFitReason; message: string },
): MemoryPlan {
  return {
    ...emptyPlan(caches, gpu, serving, failure.reason, failure.message),
    budgetBytes: 0,
    blockSizeTokens: 0,
    headroomBytesPerGpu: gpu.memoryBytes,
    gpuMemoryUtilization: fraction,
    engine,
  };
}
