/**
 * The start-up-log doctor: plans the setup a vLLM log ran (parseVllmLog.ts) and lays each figure the
 * log printed beside the plan's, with the setting that explains a gap. The plan is vLLM 0.19's
 * accounting (memory/planMemory.ts); what changed in other versions is named where it explains a gap
 * (fixtures/truth README: activation peak fell ~60 % in 0.17, non-torch rose in 0.18).
 *
 * Tolerances below are what the planner is validated to (`npm run validate memory`: weights and
 * KV pool within ~0.2 % on vLLM ≥ 0.18 starts); a gap beyond them is worth a sentence.
 */
import type { GpuSpec, KvCacheDtype, Layout, MemoryPlan, ModelArch, ModelDtypeOption, ResolvedServingOptions, WeightPrecision } from '../types';
import { GiB } from '../units';
import { vllmDefaultMaxNumBatchedTokens, vllmDefaultMaxNumSeqs } from '../memory/servingDefaults';
import { vllmVersionOf } from '../memory/vllmVersion';
import { DEFAULT_RESOLVED_SERVING_OPTIONS } from '../defaults';
import type { VllmStartupLog } from './parseVllmLog';
import { parseVllmLog } from './parseVllmLog';

/** The figures compared, in the order vLLM prints them. */
export const DOCTOR_SUBJECTS = ['weights', 'activation', 'nonTorch', 'activationAndNonTorch', 'kvPool', 'blocks', 'kvTokens', 'maxConcurrency', 'cudaGraphs'] as const;
export type DoctorSubject = (typeof DOCTOR_SUBJECTS)[number];

export interface DoctorRow {
  subject: DoctorSubject;
  label: string;
  unit: 'bytes' | 'tokens' | 'blocks' | 'requests';
  logged: number;
  planned: number;
  /** (planned − logged) / logged × 100. */
  gapPct: number;
  /** Within the tolerance the planner is validated to. */
  matches: boolean;
  /** Why they differ and what setting would close it; null when they match. */
  explanation: string | null;
}

export interface LogSetup {
  gpu: GpuSpec;
  layout: Layout;
  serving: ResolvedServingOptions;
  /** Where the device total came from: the log's own figure, or the GPU catalog (INFO-level logs of 0.19 do not print it). */
  totalMemoryFrom: 'log' | 'catalog';
}

export interface LogDiagnosis {
  setup: LogSetup;
  plan: MemoryPlan;
  rows: DoctorRow[];
  /** Sentences about the whole start: model mismatch, version, the failure and its fix. */
  notes: string[];
}

/** Relative tolerance per figure (fraction) and an absolute floor (bytes) under which a gap is noise. */
const TOLERANCE: Readonly<Record<DoctorSubject, { rel: number; absBytes: number }>> = {
  weights: { rel: 0.02, absBytes: 0.05 * GiB },
  // The profile run's peak varies with backend and compile choices; ±15 % is the spread seen on 0.19 starts.
  activation: { rel: 0.15, absBytes: 0.15 * GiB },
  nonTorch: { rel: 0.25, absBytes: 0.15 * GiB },
  activationAndNonTorch: { rel: 0.15, absBytes: 0.2 * GiB },
  kvPool: { rel: 0.02, absBytes: 0.1 * GiB },
  blocks: { rel: 0.02, absBytes: 0 },
  kvTokens: { rel: 0.02, absBytes: 0 },
  maxConcurrency: { rel: 0.02, absBytes: 0 },
  // 0.19 prints its own estimate; the plan's is a coarser rule (memory/overheads.ts).
  cudaGraphs: { rel: 0.35, absBytes: 0.2 * GiB },
};

const gib = (bytes: number): string => `${(bytes / GiB).toFixed(2)} GiB`;

function modelDtypeOf(dtype: string | null): ModelDtypeOption {
  if (dtype === 'float32') return 'fp32';
  if (dtype === 'float16' || dtype === 'half') return 'fp16';
  if (dtype === 'bfloat16') return 'bf16';
  return 'auto';
}

/**
 * vLLM's `--quantization` as the plan's weight precision: only an online quantization of a 16-bit
 * checkpoint changes what the config says ('fp8' on a checkpoint without a quantization_config); a
 * pre-quantized checkpoint logs its own method and is planned from its config.
 */
function weightPrecisionOf(quantization: string | null, arch: ModelArch): WeightPrecision {
  if (quantization === 'fp8' && arch.quantization.method === 'none') return 'fp8';
  return 'auto';
}

/** Versions compared as numbers ('0.8.5' < '0.17.0'); null when the log names none. */
function versionBefore(version: string | null, major: number, minor: number): boolean {
  if (version === null) return false;
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (m === null) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a < major || (a === major && b < minor);
}

/** The catalog GPUs whose runtime total is within 1 % of the log's (several 80 GB parts share one). */
export function gpusMatchingLog(log: VllmStartupLog, gpus: readonly GpuSpec[]): GpuSpec[] {
  const total = log.totalMemoryBytes;
  if (total === null) return [];
  return gpus.filter((g) => Math.abs(g.memoryBytes - total) / total < 0.01);
}

/** The setup the log ran, on `gpu`: the log's settings, vLLM's defaults for what it does not print. */
export function setupFromLog(log: VllmStartupLog, arch: ModelArch, gpu: GpuSpec): LogSetup {
  const totalFromLog = log.totalMemoryBytes !== null;
  const device: GpuSpec = totalFromLog ? { ...gpu, memoryBytes: log.totalMemoryBytes ?? gpu.memoryBytes } : gpu;
  const kvCacheDtype: KvCacheDtype = (log.kvCacheDtype ?? '').startsWith('fp8') ? 'fp8' : 'auto';
  const loggedVersion = log.vllmVersion === null ? null : vllmVersionOf(log.vllmVersion);
  const serving: ResolvedServingOptions = {
    // vLLM's default max_model_len is the model's own (derived from max_position_embeddings).
    maxModelLenTokens: log.maxModelLenTokens ?? arch.maxPositionTokens,
    gpuMemoryUtilization: log.gpuMemoryUtilization ?? DEFAULT_RESOLVED_SERVING_OPTIONS.gpuMemoryUtilization,
    weightPrecision: weightPrecisionOf(log.quantization, arch),
    kvCacheDtype,
    blockSizeTokens: log.blockSizeTokens,
    maxNumBatchedTokens: log.maxNumBatchedTokens ?? vllmDefaultMaxNumBatchedTokens(device),
    maxNumSeqs: log.maxNumSeqs ?? vllmDefaultMaxNumSeqs(device),
    enforceEager: log.enforceEager ?? false,
    modelDtype: modelDtypeOf(log.dtype),
    disableCustomAllReduce: log.disableCustomAllReduce ?? false,
    // The logged release's accounting (memory/vllmVersion.ts); a log that does not say: the current release.
    ...(loggedVersion === null ? {} : { vllmVersion: loggedVersion }),
  };
  const layout: Layout = {
    tp: log.tensorParallelSize ?? 1,
    pp: log.pipelineParallelSize ?? 1,
    // The plan is one rank's: data-parallel replicas each hold the same.
    dp: 1,
    ep: log.enableExpertParallel ?? false,
  };
  return { gpu: device, layout, serving, totalMemoryFrom: totalFromLog ? 'log' : 'catalog' };
}

function row(subject: DoctorSubject, label: string, unit: DoctorRow['unit'], logged: number, planned: number, explain: () => string): DoctorRow {
  const tol = TOLERANCE[subject];
  const gap = planned - logged;
  const matches = Math.abs(gap) <= Math.max(tol.rel * Math.abs(logged), unit === 'bytes' ? tol.absBytes : 0);
  return { subject, label, unit, logged, planned, gapPct: logged === 0 ? 0 : (gap / Math.abs(logged)) * 100, matches, explanation: matches ? null : explain() };
}

/** Compares a log with the plan of its setup (`plan` = the engine's plan of `setup`, e.g. session.plan). */
export function diagnoseLog(log: VllmStartupLog, arch: ModelArch, setup: LogSetup, plan: MemoryPlan): LogDiagnosis {
  const rows: DoctorRow[] = [];
  const notes: string[] = [];
  const { serving, layout } = setup;
  const budget = plan.budgetBytes;

  if (log.modelId !== null && log.modelId.toLowerCase() !== arch.modelId.toLowerCase()) {
    notes.push(`The log ran ${log.modelId}; the plan is of ${arch.modelId}. Load ${log.modelId} to compare like with like.`);
  }
  if (log.vllmVersion !== null && (versionBefore(log.vllmVersion, 0, 17) || versionBefore(log.vllmVersion, 0, 18))) {
    notes.push(
      `This start is vLLM ${log.vllmVersion}; the plan uses that release's accounting (activation peak ~2.5× higher before 0.17, fitted on one model; non-torch ~0.13 GiB at TP1 before 0.18).`,
    );
  }
  const printsMemory = log.weightsBytes !== null || log.availableKvBytes !== null;
  if (setup.totalMemoryFrom === 'catalog' && printsMemory) {
    notes.push(`The log does not print the device total (DEBUG lines do); the plan uses ${gib(setup.gpu.memoryBytes)} for ${setup.gpu.name}.`);
  }

  if (log.weightsBytes !== null) {
    rows.push(
      row('weights', 'Model weights', 'bytes', log.weightsBytes, plan.weightsBytesPerGpu, () => {
        const q = log.quantization ?? 'none';
        return (
          `The log loaded ${gib(log.weightsBytes ?? 0)} (quantization ${q}, dtype ${log.dtype ?? 'not logged'}); the plan reads ` +
          `${gib(plan.weightsBytesPerGpu)} from the config (${arch.quantization.method === 'none' ? 'unquantized' : arch.quantization.method}, TP${layout.tp} PP${layout.pp}). ` +
          'A checkpoint quantized without a quantization_config in config.json, a --quantization flag, or tensors the config does not describe (a vision tower, a second copy of tied embeddings) explain a gap here.'
        );
      }),
    );
  }
  const earlyVersion = versionBefore(log.vllmVersion, 0, 17);
  if (log.activationPeakBytes !== null) {
    rows.push(
      row('activation', 'Activation peak (profile run)', 'bytes', log.activationPeakBytes, plan.activationPeakBytesPerGpu, () =>
        earlyVersion
          ? `vLLM ${log.vllmVersion} profiles more activation memory than 0.17+; the plan's pre-0.17 rule is fitted on one model (Qwen3-14B), so this gap is that rule's error.`
          : `The peak is one dummy forward of max_num_batched_tokens = ${serving.maxNumBatchedTokens} tokens; a different --max-num-batched-tokens, attention backend or compile mode moves it, and the KV pool by the same amount.`,
      ),
    );
  }
  if (log.nonTorchBytes !== null) {
    rows.push(
      row('nonTorch', 'Non-torch memory (NCCL, custom all-reduce, CUDA context)', 'bytes', log.nonTorchBytes, plan.nonTorchBytesPerGpu, () => {
        if (layout.tp >= 2 && (log.nonTorchBytes ?? 0) < 0.5 * GiB && !serving.disableCustomAllReduce)
          return 'Custom all-reduce was off in this start (PCIe-only GPUs, or --disable-custom-all-reduce): set "Disable custom all-reduce" to plan it.';
        if (versionBefore(log.vllmVersion, 0, 18) && layout.tp >= 2) return `vLLM ${log.vllmVersion} may count non-torch memory differently at TP ≥ 2 than 0.18+ (the plan's rule; no older TP ≥ 2 start tells them apart).`;
        return 'Other processes on the GPU, or NCCL/driver versions, change the non-torch figure.';
      }),
    );
  }
  if (log.availableKvBytes !== null && log.weightsBytes !== null && log.activationPeakBytes === null && log.nonTorchBytes === null) {
    // INFO-level 0.19 logs print weights and the KV pool only: their difference from the budget is the rest.
    const loggedRest = budget - log.weightsBytes - log.availableKvBytes;
    rows.push(
      row(
        'activationAndNonTorch',
        'Activation peak + non-torch (budget − weights − KV pool)',
        'bytes',
        loggedRest,
        plan.activationPeakBytesPerGpu + plan.nonTorchBytesPerGpu,
        () =>
          `Derived from the log as ${gib(budget)} budget − ${gib(log.weightsBytes ?? 0)} weights − ${gib(log.availableKvBytes ?? 0)} KV pool; ` +
          (setup.totalMemoryFrom === 'catalog' ? 'the device total is the catalog\'s (not logged), so part of this gap may be the GPU. ' : '') +
          (earlyVersion ? 'vLLM before 0.17 profiled more activation memory. ' : '') +
          (layout.tp >= 2 ? 'At TP ≥ 2 about 2 GiB of this is custom all-reduce buffers (none on PCIe-only GPUs or with --disable-custom-all-reduce).' : 'Run with VLLM_LOGGING_LEVEL=DEBUG to see the two figures apart.'),
      ),
    );
  }
  if (log.availableKvBytes !== null) {
    const explained = [
      log.weightsBytes === null ? 0 : plan.weightsBytesPerGpu - log.weightsBytes,
      log.activationPeakBytes === null ? 0 : plan.activationPeakBytesPerGpu - log.activationPeakBytes,
      log.nonTorchBytes === null ? 0 : plan.nonTorchBytesPerGpu - log.nonTorchBytes,
    ].reduce((a, b) => a + b, 0);
    rows.push(
      row('kvPool', 'KV cache memory (available)', 'bytes', log.availableKvBytes, plan.kvCacheBytesPerGpu, () => {
        const gap = plan.kvCacheBytesPerGpu - (log.availableKvBytes ?? 0);
        return (
          `KV pool = ${serving.gpuMemoryUtilization} × total − weights − activation − non-torch. The gap is ${gib(gap)}; ` +
          `the figures above account for ${gib(-explained)} of it` +
          (setup.totalMemoryFrom === 'catalog' ? ', and the device total is the catalog\'s, not the log\'s.' : '.')
        );
      }),
    );
  }
  const kvMatches = rows.find((r) => r.subject === 'kvPool')?.matches ?? true;
  const layoutHint = (): string =>
    kvMatches
      ? `The pool agrees, so the page size differs: KV dtype (log: ${log.kvCacheDtype ?? 'not logged'}), block size (log: ${log.blockSizeTokens ?? 'default'}), or the hybrid layer grouping.`
      : 'This follows from the KV pool gap above.';
  if (log.numGpuBlocks !== null) rows.push(row('blocks', 'KV cache blocks', 'blocks', log.numGpuBlocks, plan.numGpuBlocks, layoutHint));
  if (log.kvCacheTokens !== null) rows.push(row('kvTokens', 'GPU KV cache size', 'tokens', log.kvCacheTokens, plan.kvCacheTokens, layoutHint));
  if (log.maxConcurrency !== null) {
    const at = log.maxConcurrency.atTokens;
    rows.push(
      row('maxConcurrency', `Maximum concurrency at ${at} tokens per request`, 'requests', log.maxConcurrency.requests, plan.maxConcurrency, () =>
        at !== serving.maxModelLenTokens
          ? `The log's figure is at ${at} tokens, the plan's at max_model_len ${serving.maxModelLenTokens}.`
          : kvMatches
            ? 'Pool and tokens agree, so the per-request worst case differs: sliding-window groups are charged min(window − 1 + max_num_batched_tokens, max_model_len) tokens.'
            : 'This follows from the KV pool gap above.',
      ),
    );
  }
  const graphs = log.cudaGraphBytes ?? log.cudaGraphEstimateBytes;
  if (graphs !== null && !serving.enforceEager) {
    rows.push(
      row('cudaGraphs', log.cudaGraphBytes !== null ? 'CUDA graphs (captured)' : 'CUDA graphs (vLLM\'s estimate)', 'bytes', graphs, plan.cudaGraphBytesPerGpu, () =>
        'The plan\'s CUDA-graph figure is an estimate from the capture sizes (APPROXIMATION); it comes out of the 1 − utilization headroom, not the KV pool, so it moves no other figure.',
      ),
    );
  }

  const failure = failureNote(log, arch, setup, plan);
  if (failure !== null) notes.push(failure);
  return { setup, plan, rows, notes };
}

/** The fix for the failures a start-up commonly ends with, from the log's figures and the plan. */
function failureNote(log: VllmStartupLog, arch: ModelArch, setup: LogSetup, plan: MemoryPlan): string | null {
  if (log.failure === null) return null;
  const total = log.totalMemoryBytes ?? setup.gpu.memoryBytes;
  if (/less than desired GPU memory utilization/.test(log.failure) && log.initialFreeBytes !== null) {
    const fits = Math.floor((log.initialFreeBytes / total) * 100) / 100;
    return `The start failed: only ${gib(log.initialFreeBytes)} of ${gib(total)} was free (another process holds the rest). vLLM needs utilization × total free at start: use --gpu-memory-utilization ${fits.toFixed(2)} or lower, or free the GPU.`;
  }
  if (/out of memory/i.test(log.failure)) {
    return (
      `The start ran out of memory after the KV cache was allocated: the headroom outside the budget, ${gib(total - plan.budgetBytes)}, ` +
      `had to hold CUDA graphs (~${gib(plan.cudaGraphBytesPerGpu)}) and the sampler's warm-up for max_num_seqs = ${setup.serving.maxNumSeqs}. ` +
      'Lower --gpu-memory-utilization or --max-num-seqs.'
    );
  }
  if (/max_model_len/.test(log.failure)) {
    // vLLM's message names the model's own limit; the loaded arch may be another model's.
    const derived = /derived max_model_len \(max_position_embeddings=(\d+)/.exec(log.failure);
    const limit = derived !== null ? Number(derived[1]) : arch.maxPositionTokens;
    return `The start failed on max_model_len: the model allows ${limit} positions; set --max-model-len ${limit} or lower.`;
  }
  return `The start failed: ${log.failure.slice(0, 240)}`;
}

export interface LogDoctorResult {
  log: VllmStartupLog;
  /** Catalog GPUs whose runtime total equals the log's; empty when the log does not print it. */
  gpuCandidates: GpuSpec[];
  /** null when the text holds no vLLM start-up figure at all. */
  diagnosis: LogDiagnosis | null;
}

/** The GPU assumed when the log does not print its device total (INFO-level 0.19 logs): most published start-up logs ran on it. */
export const LOG_DEFAULT_GPU_ID = 'H100';

/**
 * The doctor end to end: parse, pick the GPU (the one asked for, else the first whose total the log
 * matches, else LOG_DEFAULT_GPU_ID, else the first of `gpus`), plan with `planOn` (a session's plan: one configuration, a few
 * ms) and compare.
 */
export function runLogDoctor(
  text: string,
  arch: ModelArch,
  gpus: readonly GpuSpec[],
  gpuId: string | null,
  planOn: (gpu: GpuSpec, layout: Layout, serving: ResolvedServingOptions) => MemoryPlan,
): LogDoctorResult {
  const log = parseVllmLog(text);
  const gpuCandidates = gpusMatchingLog(log, gpus);
  const gpu = gpus.find((g) => g.id === gpuId) ?? gpuCandidates[0] ?? gpus.find((g) => g.id === LOG_DEFAULT_GPU_ID) ?? gpus[0];
  if (log.fieldsFound === 0 || gpu === undefined) return { log, gpuCandidates, diagnosis: null };
  const setup = setupFromLog(log, arch, gpu);
  return { log, gpuCandidates, diagnosis: diagnoseLog(log, arch, setup, planOn(setup.gpu, setup.layout, setup.serving)) };
}
