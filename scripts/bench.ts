/**
 * `npm run bench`: wall time of one full recommendation in Node — every catalog GPU × every valid
 * layout up to 8 GPUs per replica × a 12-point concurrency sweep — median of repeated runs.
 * Target (issue 3): < 20 ms for the FRESH figure. Prints the figures; not an assertion (STYLE.md §6).
 *
 * Three figures per model, so the memory-plan cache cannot flatter the result:
 * - first run: the very first recommend() for the model in this process (JIT cold for the first model),
 *   before a warm-up of WARMUP_RUNS runs of every model;
 * - fresh: median over runs, each on a newly parsed ModelArch, so recommend()'s cross-call plan cache
 *   (keyed by the arch object) never hits: what a new model or new serving options cost;
 * - cached: median over runs on the same ModelArch with a different input length each run: what moving
 *   the workload / SLO inputs costs (plans reused, perf recomputed).
 * Also the result's size: JSON characters and v8.serialize bytes (the structured clone the worker posts).
 *
 * The engine is bundled with esbuild first (as the site ships it): running the TypeScript sources
 * through tsx adds per-access module getters and name helpers that triple the time.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { serialize } from 'node:v8';
import { build } from 'esbuild';
import { DEFAULT_SERVING_OPTIONS } from '../src/engine/defaults';
import type { GpuSpec, ModelArch, RecommendRequest, RecommendResult, Result, ConfigError } from '../src/engine/types';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODELS = ['meta-llama__Llama-3.1-8B-Instruct', 'Qwen__Qwen3-30B-A3B', 'meta-llama__Llama-3.1-70B-Instruct'];
const RUNS = 60;
/** Runs of every model before timing (JIT warm-up; a page's worker is warm after a few inputs). */
const WARMUP_RUNS = 10;
const TARGET_MS = 20;

interface EngineBundle {
  parseConfigJson: (text: string) => Result<unknown, ConfigError>;
  parseConfig: (raw: unknown, opts: { modelId: string }) => Result<ModelArch, ConfigError>;
  createEngineSession: (arch: ModelArch, options?: { gpus?: readonly GpuSpec[] }) => { recommend: (req: RecommendRequest, clock?: () => number) => RecommendResult };
  GPU_CATALOG: readonly GpuSpec[];
}

async function loadEngine(): Promise<EngineBundle> {
  const entry = [
    "export { parseConfigJson } from './src/engine/arch/parseConfigJson';",
    "export { parseConfig } from './src/engine/arch/parseConfig';",
    "export { createEngineSession } from './src/engine/session';",
    "export { GPU_CATALOG } from './src/engine/catalog/gpus';",
  ].join('\n');
  const out = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    minify: true,
    write: false,
  });
  const file = join(mkdtempSync(join(tmpdir(), 'gpu-fit-bench-')), 'engine.mjs');
  writeFileSync(file, out.outputFiles[0]?.text ?? '');
  return (await import(pathToFileURL(file).href)) as EngineBundle;
}

const request: RecommendRequest = {
  inputTokens: 2000,
  outputTokens: 500,
  concurrency: 'sweep',
  serving: DEFAULT_SERVING_OPTIONS,
  slo: { maxTtftMs: 2000, maxItlMs: 50, maxE2eMs: null },
  maxGpus: 8,
  gpuIds: null,
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const engine = await loadEngine();
const load = (dir: string): ModelArch => {
  const raw = engine.parseConfigJson(readFileSync(join(ROOT, 'fixtures', 'hf', dir, 'config.json'), 'utf8'));
  if (!raw.ok) throw new Error(`${dir}: ${raw.error.kind}`);
  const arch = engine.parseConfig(raw.value, { modelId: dir.replace('__', '/') });
  if (!arch.ok) throw new Error(`${dir}: ${JSON.stringify(arch.error)}`);
  return arch.value;
};

// First runs, then a warm-up of every model (a page's worker runs the engine many times; the first
// run of each model is printed separately).
const firstMs = new Map<string, number>();
const firstResult = new Map<string, RecommendResult>();
for (const dir of MODELS) {
  const t0 = performance.now();
  firstResult.set(dir, engine.createEngineSession(load(dir)).recommend(request, () => performance.now()));
  firstMs.set(dir, performance.now() - t0);
}
for (let i = 0; i < WARMUP_RUNS; i += 1) for (const dir of MODELS) engine.createEngineSession(load(dir)).recommend({ ...request, inputTokens: request.inputTokens + i });

let firstModel = true;
for (const dir of MODELS) {
  const fresh: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const arch = load(dir);
    const t1 = performance.now();
    // A new session per run: nothing cached (session creation included).
    engine.createEngineSession(arch).recommend(request, () => performance.now());
    fresh.push(performance.now() - t1);
  }
  const session = engine.createEngineSession(load(dir));
  session.recommend(request);
  const cached: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t1 = performance.now();
    session.recommend({ ...request, inputTokens: request.inputTokens + i + 1 }, () => performance.now());
    cached.push(performance.now() - t1);
  }
  const freshMs = median(fresh);
  const cachedMs = median(cached);
  const first = firstResult.get(dir);
  if (first === undefined) continue;
  const points = first.candidates.reduce((a, c) => a + c.sweep.length, 0);
  const omitted = first.candidates.filter((c) => c.sweepOmitted === true).length;
  const jsonChars = JSON.stringify(first).length;
  const cloneBytes = serialize(first).length;
  console.log(
    `[bench] ${dir}: ${engine.GPU_CATALOG.length} GPUs, ${first.candidates.length} candidates ` +
      `(${omitted} with sweep omitted, ${points} sweep points kept) — first run ${(firstMs.get(dir) ?? 0).toFixed(1)} ms${firstModel ? ' (JIT cold)' : ''}, ` +
      `fresh median ${freshMs.toFixed(1)} ms, cached median ${cachedMs.toFixed(1)} ms over ${RUNS} runs ` +
      `(target < ${TARGET_MS} ms fresh: ${freshMs < TARGET_MS ? 'OK' : 'OVER'}; cached: ${cachedMs < TARGET_MS ? 'OK' : 'OVER'}); ` +
      `result ${(jsonChars / 1e6).toFixed(2)} MB JSON, ${(cloneBytes / 1e6).toFixed(2)} MB structured clone`,
  );
  firstModel = false;
}
