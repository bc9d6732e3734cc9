/**
 * Which engine's start-up accounting plans a configuration: `ResolvedServingOptions.engine` (absent = vLLM).
 * vLLM's plan is memory/planMemory.ts; SGLang's and TensorRT-LLM's are the modules beside this one.
 * planMemory.ts calls `planNonVllmMemoryIn` for the other two, so every caller (engine sessions,
 * recommend, the CLI) gets the request's engine from one place.
 */
import type { ModelCaches } from '../../cache/modelCaches';
import type { GpuSpec, Layout, MemoryPlan, ServingEngine, ResolvedServingOptions } from '../../types';
import { planSglangMemoryIn } from './sglangPlan';
import { planTrtllmMemoryIn } from './trtllmPlan';

export function planNonVllmMemoryIn(engine: Exclude<ServingEngine, 'vllm'>, caches: ModelCaches, gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions): MemoryPlan {
  switch (engine) {
    case 'sglang':
      return planSglangMemoryIn(caches, gpu, layout, serving);
    case 'trtllm':
      return planTrtllmMemoryIn(caches, gpu, layout, serving);
    default: {
      const _exhaustive: never = engine;
      return _exhaustive;
    }
  }
}

/** The serving options with the request's engine set (unchanged, same object, when it already is). */
export function withEngine(serving: ResolvedServingOptions, engine: ServingEngine): ResolvedServingOptions {
  return (serving.engine ?? 'vllm') === engine ? serving : { ...serving, engine };
}
