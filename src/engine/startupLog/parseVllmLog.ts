/**
 * Reads a pasted vLLM start-up log: the setup it ran (model, parallel sizes, max_model_len,
 * utilization, dtypes, scheduler limits) and the memory figures it printed. Tolerant by design: any
 * line may be missing, reordered, interleaved from several ranks or wrapped by a log collector; a
 * figure not found stays null. Pure text in, data out (runs in the page, nothing leaves it).
 *
 * Line forms, as printed by vLLM's source (the files named are where each line is logged):
 * - banner `version 0.19.0` / `vLLM API server version 0.8.5` (entrypoints/utils.py, api_server.py);
 * - `non-default args: {...}` (entrypoints/utils.py), a Python dict literal of the CLI flags;
 * - `Initializing a V1 LLM engine (v0.19.0) with config: model='…', … tensor_parallel_size=2, …`
 *   (v1/engine/core.py; V0: llm_engine.py "Initializing an LLM engine");
 * - `Model loading took 33.88 GiB memory and 54.2 seconds` (v1/worker/gpu_model_runner.py; before
 *   0.11 `Model loading took 14.99 GiB and 4.5 seconds`);
 * - `Memory profiling takes … Total non KV cache memory: …; torch peak memory increase: …;
 *   non-torch forward increase memory: …; weights memory: …` (v1/worker/gpu_worker.py; DEBUG in 0.19);
 *   V0 worker.py: `model weights take …GiB; non_torch_memory takes …GiB; PyTorch activation peak memory
 *   takes …GiB; the rest of the memory reserved for KV Cache is …GiB` and `total_gpu_memory (…GiB) x
 *   gpu_memory_utilization (0.90) = …GiB`;
 * - `Available KV cache memory: 37.28 GiB` (gpu_worker.py), `GPU KV cache size: 244,304 tokens` and
 *   `Maximum concurrency for 8,192 tokens per request: 29.82x` (v1/core/kv_cache_utils.py),
 *   `# GPU blocks: 2345` / `# cuda blocks: …` (V0 executor);
 * - `worker init memory snapshot: … total_memory=79.19GiB …` and `Initial free memory: 77.66 GiB`
 *   (gpu_worker.py, DEBUG);
 * - `Graph capturing finished in 8 secs, took 1.79 GiB` (gpu_model_runner.py),
 *   `Estimated CUDA graph memory: 1.82 GiB total` (0.19's estimate).
 * With TP/PP every rank prints its own lines; rank 0's (or an unranked line) wins, as the truth set
 * and the memory planner describe rank 0.
 */
import { GiB } from '../units';

export interface VllmStartupLog {
  vllmVersion: string | null;
  modelId: string | null;
  tensorParallelSize: number | null;
  pipelineParallelSize: number | null;
  dataParallelSize: number | null;
  enableExpertParallel: boolean | null;
  maxModelLenTokens: number | null;
  gpuMemoryUtilization: number | null;
  /** `--dtype` as resolved (`torch.bfloat16` → 'bfloat16'). */
  dtype: string | null;
  /** `quantization=` of the engine config ('fp8', 'compressed-tensors', …); null when None or not logged. */
  quantization: string | null;
  kvCacheDtype: string | null;
  blockSizeTokens: number | null;
  maxNumBatchedTokens: number | null;
  maxNumSeqs: number | null;
  enforceEager: boolean | null;
  disableCustomAllReduce: boolean | null;
  /** Memory figures, bytes (the log prints GiB = 2^30 bytes). */
  totalMemoryBytes: number | null;
  initialFreeBytes: number | null;
  weightsBytes: number | null;
  activationPeakBytes: number | null;
  nonTorchBytes: number | null;
  availableKvBytes: number | null;
  cudaGraphBytes: number | null;
  cudaGraphEstimateBytes: number | null;
  kvCacheTokens: number | null;
  numGpuBlocks: number | null;
  maxConcurrency: { requests: number; atTokens: number } | null;
  /** The last error line of a failed start (`ValueError: …`, `torch.OutOfMemoryError: …`), else null. */
  failure: string | null;
  /** How many of the fields above were found (0: not a vLLM start-up log). */
  fieldsFound: number;
}

/** Terminal colour codes (ESC [ … m) a log copied from a terminal may carry. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** A number as vLLM prints it: thousands separators allowed. */
const NUM = String.raw`(\d[\d,]*(?:\.\d+)?)`;
const toNumber = (s: string): number => Number(s.replace(/,/g, ''));

/** The rank a line was printed by (`Worker_TP1`, `Worker_PP1_TP0`, `[rank1]`), null when it names none. */
function lineRank(line: string): number | null {
  const m = /Worker(?:_PP(\d+))?_TP(\d+)/.exec(line) ?? /\(Worker_PP(\d+)()/.exec(line);
  if (m !== null) return Number(m[1] ?? 0) * 1000 + Number(m[2] === '' || m[2] === undefined ? 0 : m[2]);
  const r = /\[rank(\d+)\]/.exec(line);
  return r === null ? null : Number(r[1]);
}

/** A Python literal from a repr: numbers, quoted strings, True/False/None. */
function pyValue(raw: string): string | number | boolean | null {
  const v = raw.trim();
  if (v === 'True') return true;
  if (v === 'False') return false;
  if (v === 'None') return null;
  const q = /^'(.*)'$/.exec(v) ?? /^"(.*)"$/.exec(v);
  if (q !== null) return q[1] ?? '';
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

/** key: value pairs of `non-default args: {...}` (flat values only; nested dicts are skipped). */
function nonDefaultArgs(line: string): Map<string, string | number | boolean | null> {
  const out = new Map<string, string | number | boolean | null>();
  const body = /non-default args: \{(.*)\}/.exec(line)?.[1];
  if (body === undefined) return out;
  const pair = /'(\w+)': ('(?:[^'\\]|\\.)*'|"[^"]*"|[-\w.]+)/g;
  for (let m = pair.exec(body); m !== null; m = pair.exec(body)) out.set(m[1] ?? '', pyValue(m[2] ?? ''));
  return out;
}

/** key=value pairs of the engine's config line (`tensor_parallel_size=2, quantization=fp8, …`). */
function configPairs(line: string): Map<string, string> {
  const out = new Map<string, string>();
  const pair = /\b(\w+)=('(?:[^'\\]|\\.)*'|[^,\s)]+)/g;
  for (let m = pair.exec(line); m !== null; m = pair.exec(line)) {
    const key = m[1] ?? '';
    if (!out.has(key)) out.set(key, (m[2] ?? '').replace(/^'(.*)'$/, '$1'));
  }
  return out;
}

const asBool = (v: string | number | boolean | null | undefined): boolean | null =>
  typeof v === 'boolean' ? v : v === 'True' ? true : v === 'False' ? false : null;
const asNumber = (v: string | number | boolean | null | undefined): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
const asText = (v: string | number | boolean | null | undefined): string | null =>
  v === null || v === undefined || v === 'None' || v === '' ? null : String(v);

/**
 * The first line that names why a start failed: an exception line that is not a wrapper re-raising
 * it ("Engine core initialization failed. See root cause above"), not a traceback's `raise X(`, not a
 * DEBUG or WARNING line; pydantic's config errors put the reason on the line after the exception.
 */
function rootCause(line: string, afterValidationError: boolean): string | null {
  if (/\b(?:DEBUG|WARNING)\b/.test(line)) return null;
  if (afterValidationError) {
    const value = /Value error, (.+)$/.exec(line);
    if (value !== null) return `ValueError: ${(value[1] ?? '').trim()}`;
  }
  const m = /\b((?:\w+\.)*\w*(?:Error|Exception)): (.+)$/.exec(line);
  if (m === null || /^\s*raise\b/.test(line) || /See root cause|initialization failed|Exception raised from|validation error for/.test(line)) return null;
  return `${m[1]}: ${(m[2] ?? '').trim()}`;
}

type Field = Exclude<keyof VllmStartupLog, 'fieldsFound'>;

/** Memory lines: each regex's captures and which field they fill (GiB figures become bytes). */
const MEMORY_LINES: readonly { re: RegExp; fields: readonly (readonly [Field, 'gib' | 'count'])[] }[] = [
  { re: new RegExp(String.raw`Model loading took ${NUM} ?GiB`), fields: [['weightsBytes', 'gib']] },
  // V0 model_runner.py prints bytes / 2^30 labelled "GB".
  { re: new RegExp(String.raw`Loading model weights took ${NUM} ?GB`), fields: [['weightsBytes', 'gib']] },
  {
    re: new RegExp(
      String.raw`torch peak memory increase: ${NUM} ?GiB; non-torch forward increase memory: ${NUM} ?GiB; weights memory: ${NUM} ?GiB`,
    ),
    fields: [
      ['activationPeakBytes', 'gib'],
      ['nonTorchBytes', 'gib'],
      ['weightsBytes', 'gib'],
    ],
  },
  {
    re: new RegExp(
      String.raw`model weights take ${NUM} ?GiB; non_torch_memory takes ${NUM} ?GiB; PyTorch activation peak memory takes ${NUM} ?GiB; the rest of the memory reserved for KV Cache is ${NUM} ?GiB`,
    ),
    fields: [
      ['weightsBytes', 'gib'],
      ['nonTorchBytes', 'gib'],
      ['activationPeakBytes', 'gib'],
      ['availableKvBytes', 'gib'],
    ],
  },
  { re: new RegExp(String.raw`total_gpu_memory \(${NUM} ?GiB\)`), fields: [['totalMemoryBytes', 'gib']] },
  { re: new RegExp(String.raw`total_memory=${NUM} ?GiB`), fields: [['totalMemoryBytes', 'gib']] },
  { re: new RegExp(String.raw`Initial free memory:? ${NUM} ?GiB`), fields: [['initialFreeBytes', 'gib']] },
  { re: new RegExp(String.raw`Available KV cache memory: ${NUM} ?GiB`), fields: [['availableKvBytes', 'gib']] },
  { re: new RegExp(String.raw`GPU KV cache size: ${NUM} tokens`), fields: [['kvCacheTokens', 'count']] },
  { re: new RegExp(String.raw`# (?:GPU|cuda) blocks: ${NUM}`, 'i'), fields: [['numGpuBlocks', 'count']] },
  { re: new RegExp(String.raw`num_gpu_blocks(?: is)?[:=] ?${NUM}(?! with)`), fields: [['numGpuBlocks', 'count']] },
  { re: new RegExp(String.raw`Graph capturing finished in \d+(?:\.\d+)? secs?, took ${NUM} ?GiB`), fields: [['cudaGraphBytes', 'gib']] },
  { re: new RegExp(String.raw`Estimated CUDA graph memory: ${NUM} ?GiB`), fields: [['cudaGraphEstimateBytes', 'gib']] },
];

function emptyLog(): VllmStartupLog {
  return {
    vllmVersion: null,
    modelId: null,
    tensorParallelSize: null,
    pipelineParallelSize: null,
    dataParallelSize: null,
    enableExpertParallel: null,
    maxModelLenTokens: null,
    gpuMemoryUtilization: null,
    dtype: null,
    quantization: null,
    kvCacheDtype: null,
    blockSizeTokens: null,
    maxNumBatchedTokens: null,
    maxNumSeqs: null,
    enforceEager: null,
    disableCustomAllReduce: null,
    totalMemoryBytes: null,
    initialFreeBytes: null,
    weightsBytes: null,
    activationPeakBytes: null,
    nonTorchBytes: null,
    availableKvBytes: null,
    cudaGraphBytes: null,
    cudaGraphEstimateBytes: null,
    kvCacheTokens: null,
    numGpuBlocks: null,
    maxConcurrency: null,
    failure: null,
    fieldsFound: 0,
  };
}

/** Parses a vLLM start-up log; never throws (a text that is not a log gives fieldsFound 0). */
export function parseVllmLog(text: string): VllmStartupLog {
  const log = emptyLog();
  // Which rank set each memory field: rank 0 or an unranked line replaces a higher rank's figure.
  const rankOf = new Map<Field, number>();
  const setFigure = (field: Field, value: number, rank: number | null): void => {
    const r = rank ?? 0;
    const previous = rankOf.get(field);
    if (previous !== undefined && previous <= r) return;
    rankOf.set(field, r);
    (log as unknown as Record<Field, number>)[field] = value;
  };
  const setOnce = <K extends Field>(field: K, value: VllmStartupLog[K] | null): void => {
    if (value === null || log[field] !== null) return;
    log[field] = value as VllmStartupLog[K];
  };

  let configLine: Map<string, string> | null = null;
  let args = new Map<string, string | number | boolean | null>();
  let pendingValidation = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(ANSI_COLOUR, '');
    const rank = lineRank(line);

    const version = /\bversion (\d+\.\d+\.\d+[\w.+-]*)/.exec(line) ?? /LLM engine \(v(\d+\.\d+\.\d+[\w.+-]*)\)/.exec(line);
    if (version !== null) setOnce('vllmVersion', version[1] ?? null);
    if (line.includes('non-default args:')) args = new Map([...args, ...nonDefaultArgs(line)]);
    if (configLine === null && /Initializing an? (?:V1 )?LLM engine/.test(line)) configLine = configPairs(line);
    const maxLen = /Using max model len (\d+)/.exec(line);
    if (maxLen !== null) setOnce('maxModelLenTokens', Number(maxLen[1]));
    const chunked = /max_num_batched_tokens=(\d+)/.exec(line);
    if (chunked !== null && !line.includes('Initializing')) setOnce('maxNumBatchedTokens', Number(chunked[1]));
    const seqs = /Defaulting max_num_seqs to (\d+)/.exec(line);
    if (seqs !== null) setOnce('maxNumSeqs', Number(seqs[1]));
    const util = /gpu_memory_utilization \((\d*\.?\d+)\)/.exec(line) ?? /Requested memory: (\d*\.\d+) \(util\)/.exec(line);
    if (util !== null) setOnce('gpuMemoryUtilization', Number(util[1]));
    const conc = new RegExp(String.raw`Maximum concurrency for ${NUM} tokens per request: ${NUM}x`).exec(line);
    if (conc !== null && log.maxConcurrency === null) log.maxConcurrency = { atTokens: toNumber(conc[1] ?? ''), requests: toNumber(conc[2] ?? '') };

    for (const { re, fields } of MEMORY_LINES) {
      const m = re.exec(line);
      if (m === null) continue;
      fields.forEach(([field, unit], i) => {
        const v = toNumber(m[i + 1] ?? '');
        if (Number.isFinite(v)) setFigure(field, unit === 'gib' ? v * GiB : v, rank);
      });
    }
    const free = new RegExp(String.raw`Free memory on device \S+ \(${NUM}/${NUM} ?GiB\)`).exec(line);
    if (free !== null) {
      setFigure('initialFreeBytes', toNumber(free[1] ?? '') * GiB, rank);
      setFigure('totalMemoryBytes', toNumber(free[2] ?? '') * GiB, rank);
    }
    if (log.failure === null) log.failure = rootCause(line, pendingValidation);
    pendingValidation = /ValidationError: \d+ validation error/.test(line);
  }

  // The CLI flags the user gave win over the engine config's resolved values only where the config is silent.
  const cfg = configLine ?? new Map<string, string>();
  setOnce('modelId', asText(args.get('model')) ?? asText(args.get('model_tag')) ?? asText(cfg.get('model')));
  setOnce('tensorParallelSize', asNumber(cfg.get('tensor_parallel_size')) ?? asNumber(args.get('tensor_parallel_size')));
  setOnce('pipelineParallelSize', asNumber(cfg.get('pipeline_parallel_size')) ?? asNumber(args.get('pipeline_parallel_size')));
  setOnce('dataParallelSize', asNumber(cfg.get('data_parallel_size')) ?? asNumber(args.get('data_parallel_size')));
  setOnce('enableExpertParallel', asBool(args.get('enable_expert_parallel')));
  setOnce('maxModelLenTokens', asNumber(args.get('max_model_len')) ?? asNumber(cfg.get('max_seq_len')));
  setOnce('gpuMemoryUtilization', asNumber(args.get('gpu_memory_utilization')));
  setOnce('dtype', asText(cfg.get('dtype'))?.replace(/^torch\./, '') ?? asText(args.get('dtype')));
  setOnce('quantization', asText(cfg.get('quantization')) ?? asText(args.get('quantization')));
  setOnce('kvCacheDtype', asText(cfg.get('kv_cache_dtype')) ?? asText(args.get('kv_cache_dtype')));
  setOnce('blockSizeTokens', asNumber(args.get('block_size')));
  setOnce('maxNumBatchedTokens', asNumber(args.get('max_num_batched_tokens')));
  setOnce('maxNumSeqs', asNumber(args.get('max_num_seqs')));
  setOnce('enforceEager', asBool(cfg.get('enforce_eager')) ?? asBool(args.get('enforce_eager')));
  setOnce('disableCustomAllReduce', asBool(cfg.get('disable_custom_all_reduce')) ?? asBool(args.get('disable_custom_all_reduce')));

  let found = 0;
  for (const [key, value] of Object.entries(log)) if (key !== 'fieldsFound' && value !== null) found += 1;
  log.fieldsFound = found;
  return log;
}
