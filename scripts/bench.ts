/**
 * `npm run bench`: wall time of one full recommendation in Node — every catalog GPU × every valid
 * layout up to 8 GPUs per replica × a 12-point concurrency sweep — median of repeated runs.
 * Target: < 20 ms. Prints the figure; not an assertion (STYLE.md §6).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/engine/arch/parseConfig';
import { parseConfigJson } from '../src/engine/arch/parseConfigJson';
import { GPU_CATALOG } from '../src/engine/catalog/gpus';
import { DEFAULT_SERVING_OPTIONS } from '../src/engine/defaults';
import { recommend } from '../src/engine/recommend';
import type { ModelArch, RecommendRequest } from '../src/engine/types';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODELS = ['meta-llama__Llama-3.1-8B-Instruct', 'Qwen__Qwen3-30B-A3B', 'meta-llama__Llama-3.1-70B-Instruct'];
const RUNS = 25;
const TARGET_MS = 20;

function load(dir: string): ModelArch {
  const raw = parseConfigJson(readFileSync(join(ROOT, 'fixtures', 'hf', dir, 'config.json'), 'utf8'));
  if (!raw.ok) throw new Error(`${dir}: ${raw.error.kind}`);
  const arch = parseConfig(raw.value, { modelId: dir.replace('__', '/') });
  if (!arch.ok) throw new Error(`${dir}: ${JSON.stringify(arch.error)}`);
  return arch.value;
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

for (const dir of MODELS) {
  const arch = load(dir);
  const times: number[] = [];
  let candidates = 0;
  let points = 0;
  for (let i = 0; i < RUNS + 3; i += 1) {
    const t0 = performance.now();
    const result = recommend(arch, request, GPU_CATALOG, () => performance.now());
    const ms = performance.now() - t0;
    if (i >= 3) times.push(ms); // first runs warm the JIT
    candidates = result.candidates.length;
    points = result.candidates.reduce((a, c) => a + c.sweep.length, 0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  console.log(
    `[bench] ${dir}: ${GPU_CATALOG.length} GPUs, ${candidates} candidates, ${points} sweep points — median ${median.toFixed(2)} ms ` +
      `over ${RUNS} runs (target < ${TARGET_MS} ms) ${median < TARGET_MS ? 'OK' : 'OVER'}`,
  );
}
