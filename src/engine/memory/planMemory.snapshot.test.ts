/**
 * planMemory must stay bit-identical across performance work (the UI, CLI and validation read every
 * field). The snapshot (planMemory.snapshot.json) holds, per fixture model and GPU, a SHA-256 over the
 * exact JSON of every plan for a grid of layouts × serving options; it was generated from the
 * implementation before the planner was split into a memoized GPU-independent part and a cheap
 * per-GPU part. Regenerate ONLY for an intended change of the numbers or messages:
 *   UPDATE_PLAN_SNAPSHOT=1 npx vitest run src/engine/memory/planMemory.snapshot.test.ts
 *
 * The bug this guards: a memo key that misses an input (e.g. the GPU generation, max_num_seqs), so a
 * plan computed for one GPU or serving option leaks into another. Each model is planned twice on two
 * separately parsed ModelArch objects, GPUs in opposite orders, so cache hits see different histories.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../arch/parseConfig';
import { parseConfigJson } from '../arch/parseConfigJson';
import { GPU_CATALOG } from '../catalog/gpus';
import { DEFAULT_SERVING_SETTINGS, resolveServing } from '../defaults';
import type { GpuSpec, Layout, MemoryPlan, ModelArch, ServingSettings } from '../types';
import { explainMemoryPlan } from './explain';
import type { EngineSession } from '../session';
import { createEngineSession } from '../session';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'fixtures', 'hf');
const SNAPSHOT = join(__dirname, 'planMemory.snapshot.json');

/** One GPU per generation / memory class (MLA block size and MXFP4 padding depend on the generation). */
const GPU_IDS = ['H100', 'A100-40GB', 'B200', 'L4', 'MI300X', 'V100', 'T4'];

const LAYOUTS: Layout[] = [
  { tp: 1, pp: 1, dp: 1, ep: false },
  { tp: 2, pp: 1, dp: 1, ep: false },
  { tp: 4, pp: 1, dp: 1, ep: false },
  { tp: 8, pp: 1, dp: 1, ep: false },
  { tp: 1, pp: 2, dp: 1, ep: false },
  { tp: 2, pp: 2, dp: 1, ep: false },
  { tp: 1, pp: 3, dp: 1, ep: false },
  { tp: 4, pp: 2, dp: 2, ep: false },
  { tp: 2, pp: 1, dp: 2, ep: true },
  { tp: 1, pp: 1, dp: 4, ep: true },
  { tp: 8, pp: 1, dp: 1, ep: true },
  { tp: 2, pp: 4, dp: 1, ep: true },
  { tp: 1, pp: 100_000, dp: 1, ep: false },
  { tp: 3, pp: 1, dp: 1, ep: false },
];

const SERVING_VARIANTS: ServingSettings[] = [
  DEFAULT_SERVING_SETTINGS,
  { ...DEFAULT_SERVING_SETTINGS, weightPrecision: 'fp8', kvCacheDtype: 'fp8', maxModelLenTokens: 32768 },
  {
    ...DEFAULT_SERVING_SETTINGS,
    weightPrecision: 'int4',
    blockSizeTokens: 32,
    enforceEager: true,
    maxModelLenTokens: 1_000_000,
    gpuMemoryUtilization: 0.5,
    modelDtype: 'fp16',
  },
  { ...DEFAULT_SERVING_SETTINGS, weightPrecision: 'fp4', maxNumSeqs: 8, maxNumBatchedTokens: 2048, maxModelLenTokens: 2048 },
  { ...DEFAULT_SERVING_SETTINGS, weightPrecision: 'bf16', modelDtype: 'fp32', maxModelLenTokens: 131072, gpuMemoryUtilization: 0.95 },
];

function loadArch(dir: string): ModelArch {
  const json = parseConfigJson(readFileSync(join(FIXTURES, dir, 'config.json'), 'utf8'));
  if (!json.ok) throw new Error(`fixture ${dir} does not parse`);
  const arch = parseConfig(json.value, { modelId: dir.replace('__', '/') });
  if (!arch.ok) throw new Error(`fixture ${dir}: ${JSON.stringify(arch.error)}`);
  return arch.value;
}

/** JSON that also tells −0, NaN and ±Infinity apart (plain JSON writes them as 0 / null). */
function exactJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && (Object.is(v, -0) || !Number.isFinite(v)) ? `#num:${Object.is(v, -0) ? '-0' : String(v)}` : v,
  );
}

/**
 * The plan in the form the snapshot was taken of: the explanation as lines (explainMemoryPlan
 * builds them on demand since the plan carries its GPU-independent sentences instead), so the
 * hashes also prove the on-demand lines equal the ones planMemory used to build.
 */
function snapshotForm(plan: MemoryPlan): Omit<MemoryPlan, 'explainText' | 'gpuMemoryUtilization'> & { explain: string[] } {
  const { explainText: _text, gpuMemoryUtilization: _util, ...rest } = plan;
  return { ...rest, explain: explainMemoryPlan(plan) };
}

/** Plans through an engine session: its caches must give the bit-identical plans, in any GPU order. */
function hashPlans(session: EngineSession, gpu: GpuSpec): string {
  const hash = createHash('sha256');
  for (const settings of SERVING_VARIANTS) {
    const serving = resolveServing(settings, gpu);
    for (const layout of LAYOUTS) hash.update(`${exactJson(snapshotForm(session.plan(gpu, layout, serving)))}\n`);
  }
  return hash.digest('hex').slice(0, 32);
}

function gpusById(): GpuSpec[] {
  return GPU_IDS.map((id) => {
    const gpu = GPU_CATALOG.find((g) => g.id === id);
    if (gpu === undefined) throw new Error(`GPU ${id} is not in the catalog`);
    return gpu;
  });
}

const modelDirs = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(FIXTURES, d.name, 'config.json')))
  .map((d) => d.name)
  .sort();

function snapshotOf(order: 'forward' | 'reverse'): Record<string, Record<string, string>> {
  const gpus = order === 'forward' ? gpusById() : gpusById().reverse();
  const out: Record<string, Record<string, string>> = {};
  for (const dir of modelDirs) {
    const session = createEngineSession(loadArch(dir));
    const byGpu: Record<string, string> = {};
    for (const gpu of gpus) byGpu[gpu.id] = hashPlans(session, gpu);
    out[dir] = Object.fromEntries(GPU_IDS.map((id) => [id, byGpu[id] ?? '']));
  }
  return out;
}

describe('planMemory snapshot', () => {
  it('planMemory output is bit-identical to the snapshot on every fixture × GPU × layout × serving option, in any call order', () => {
    const forward = snapshotOf('forward');
    if (process.env.UPDATE_PLAN_SNAPSHOT === '1') writeFileSync(SNAPSHOT, `${JSON.stringify(forward, null, 1)}\n`);
    const expected: unknown = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
    expect(forward).toEqual(expected);
    expect(snapshotOf('reverse')).toEqual(expected);
  }, 120_000);
});
