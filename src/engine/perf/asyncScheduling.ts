/**
 * vLLM's async scheduling (`--async-scheduling` / `--no-async-scheduling`): whether a configuration's
 * steps run the host's work (scheduling, input preparation, output processing) under the GPU's. The
 * step model prices the overlap (perf/step.ts stepTime; calibration.ts ASYNC_SCHEDULING).
 *
 * What vLLM does, by release (vllm/config/scheduler.py SchedulerConfig.async_scheduling,
 * vllm/config/vllm.py's check of it):
 * - 0.10.0: experimental, off by default (vllm PR #19970: the engine core schedules one step ahead,
 *   step_with_batch_queue with a queue of 2; not with speculative decoding, structured output or
 *   pipeline parallelism). 0.10.2 also overlaps the model runner's input preparation and the sampled
 *   tokens' copy to the host (PR #23569, "expected speedup 5–10 % over the current async scheduling").
 * - 0.11.1: made robust with chunked prefill, structured outputs, MTP ("We expect --async-scheduling
 *   to be enabled by default in the next release", v0.11.1 release notes).
 * - 0.14.0: ON by default ("Async scheduling is now enabled by default — Users who experience issues
 *   can disable with --no-async-scheduling. Excludes some not-yet-supported configurations: pipeline
 *   parallel, CPU backend, non-MTP/Eagle spec decoding", v0.14.0 release notes; PR #27614): with the
 *   flag unset, vllm.py turns it on unless the model is a pooling model, the speculative method is not
 *   EAGLE/MTP, or the executor backend cannot run it.
 * - Pipeline parallelism: async scheduling + PP from vllm PR #32359 (merged 2026-01-14, "Support async
 *   scheduling + PP with constraints"), taken here as 0.15; before it a PP configuration runs its own
 *   batch queue of pp micro-batches and is priced without the overlap.
 *
 * SGLang's overlap scheduler (on by default since 0.4; `--disable-overlap-schedule`) and TensorRT-LLM's
 * PyTorch executor's overlap (`disable_overlap_scheduler`, off = overlap on) are NOT modelled by this
 * option: every SGLang and TensorRT-LLM ≥ 1.0 row of the calibration set ran with them on, so those
 * engines' fitted host constants (ENGINE_EFFICIENCY.*.stepOverheadMultiplier, hostMsPerSampledToken)
 * already stand for the host time their overlap leaves exposed.
 *
 * Speculative decoding: from 0.14 with EAGLE / EAGLE-3 / MTP drafts (v0.14.0 release notes: "Now also
 * works with speculative decoding (#31998)"; a draft model or n-gram turns it off there); before 0.14
 * not at all. The overlap hides the step's host work once under the whole step, verify and drafts
 * (speculative.ts speculativeStepTime): the fixed host part and the draft loop's host launches. Async
 * scheduling runs spec decoding only with the padded drafter batch (vllm PR #24799 "Async Scheduling X
 * Spec Decoding Compatibility", PR #31998: "disabled implicitly … when padded drafter batch is
 * disabled"), whose draft inputs are prepared on the GPU from the verify's output without a host
 * sync (PR #24539 "Efficient padded speculation"), so the host launches the drafts ahead of the GPU
 * like the rest of the step (PR #25872 measures the EAGLE-3 step gaps closing under it). Without
 * async scheduling the launches are priced serially beyond the drafts' GPU time, as before (the step
 * ends in a host sync; before PR #24539 the proposer also read the accepted tokens on the host first).
 */
import type { ResolvedServingOptions, ServingEngine, SpecMethod, VllmVersion } from '../types';
import { vllmMinorOf } from '../memory/vllmVersion';

/** The first vLLM minor release that turns async scheduling on when the flag is not given (v0.14.0 release notes). */
export const ASYNC_SCHEDULING_DEFAULT_ON_FROM_MINOR = 14;
/** The first vLLM minor release that runs async scheduling with pipeline parallelism (vllm PR #32359). */
export const ASYNC_SCHEDULING_WITH_PP_FROM_MINOR = 15;

/** Whether vLLM of this release schedules asynchronously when neither flag is given (absent = the current release). */
export function asyncSchedulingDefault(version: VllmVersion | undefined): boolean {
  return vllmMinorOf(version) >= ASYNC_SCHEDULING_DEFAULT_ON_FROM_MINOR;
}

/** What the user asked for, with the release's default for null/absent. */
export function asyncSchedulingRequested(serving: Pick<ResolvedServingOptions, 'asyncScheduling' | 'vllmVersion'>): boolean {
  return serving.asyncScheduling ?? asyncSchedulingDefault(serving.vllmVersion);
}

/** The draft method a configuration decodes with, for asyncSchedulingActive: null without drafts (a draft of no tokens is plain decoding). */
export function draftingMethod(speculative: { method: SpecMethod; tokens: number } | undefined): SpecMethod | null {
  return speculative !== undefined && speculative.tokens > 0 ? speculative.method : null;
}

/** The speculative methods vLLM runs with async scheduling (from 0.14: EAGLE-family and MTP drafters). */
const ASYNC_SPEC_METHODS: readonly SpecMethod[] = ['eagle', 'eagle3', 'mtp'];

/**
 * Whether the step model overlaps the host's part of a step with the GPU's for this configuration:
 * vLLM only, asked for (or its release's default), not with pipeline parallelism before 0.15, with
 * speculative decoding (`speculativeMethod`, null = none) only for EAGLE / MTP from 0.14.
 */
export function asyncSchedulingActive(
  serving: Pick<ResolvedServingOptions, 'asyncScheduling' | 'vllmVersion'>,
  engine: ServingEngine,
  pp: number,
  speculativeMethod: SpecMethod | null,
): boolean {
  if (engine !== 'vllm' || !asyncSchedulingRequested(serving)) return false;
  const minor = vllmMinorOf(serving.vllmVersion);
  if (pp > 1 && minor < ASYNC_SCHEDULING_WITH_PP_FROM_MINOR) return false;
  if (speculativeMethod !== null && (minor < ASYNC_SCHEDULING_DEFAULT_ON_FROM_MINOR || !ASYNC_SPEC_METHODS.includes(speculativeMethod))) return false;
  return true;
}
