/**
 * Fits the performance calibration (src/engine/calibration.ts, `// performance` block) to
 * fixtures/truth/perf_calibration.csv: coordinate descent in log space on a robust loss
 * (mean of min(|ln(predicted / measured)|, 1) over every evaluated row), one GPU generation's
 * kernel efficiencies and step overhead, and each engine's multipliers and request overhead.
 * Prints the fitted values to paste into calibration.ts; the engine reads only calibration.ts.
 *
 * Run: npx tsx scripts/validate/perfFit.ts
 */
import { ENGINE_EFFICIENCY, GEMM_EFFICIENCY, GENERATION_EFFICIENCY } from '../../src/engine/calibration';
import type { GpuGeneration, ServingEngine } from '../../src/engine/types';
import { evaluatePerfCases, preparePerfCases, summarize } from './perf';

interface Param {
  name: string;
  get: () => number;
  set: (v: number) => void;
  min: number;
  max: number;
}

const prepared = preparePerfCases();
const gens = [...new Set(prepared.cases.map((c) => c.base.gpu.generation))] as GpuGeneration[];
const params: Param[] = [
  {
    name: 'GEMM_EFFICIENCY.halfEfficiencyTokens',
    get: () => GEMM_EFFICIENCY.halfEfficiencyTokens,
    set: (v) => (GEMM_EFFICIENCY.halfEfficiencyTokens = v),
    min: 4,
    max: 4096,
  },
];
for (const g of gens) {
  const e = GENERATION_EFFICIENCY[g];
  params.push({ name: `${g}.computeFraction`, get: () => e.computeFraction, set: (v) => (e.computeFraction = v), min: 0.1, max: 0.8 });
  params.push({ name: `${g}.attentionFraction`, get: () => e.attentionFraction, set: (v) => (e.attentionFraction = v), min: 0.15, max: 0.75 });
  params.push({ name: `${g}.bandwidthFraction`, get: () => e.bandwidthFraction, set: (v) => (e.bandwidthFraction = v), min: 0.45, max: 0.92 });
  params.push({ name: `${g}.stepOverheadMs`, get: () => e.stepOverheadMs, set: (v) => (e.stepOverheadMs = v), min: 0.3, max: 15 });
}
for (const eng of ['sglang', 'trtllm'] as ServingEngine[]) {
  const e = ENGINE_EFFICIENCY[eng];
  params.push({ name: `${eng}.kernelMultiplier`, get: () => e.kernelMultiplier, set: (v) => (e.kernelMultiplier = v), min: 0.8, max: 1.5 });
  params.push({ name: `${eng}.stepOverheadMultiplier`, get: () => e.stepOverheadMultiplier, set: (v) => (e.stepOverheadMultiplier = v), min: 0.3, max: 3 });
}
for (const eng of ['vllm', 'sglang', 'trtllm'] as ServingEngine[]) {
  const e = ENGINE_EFFICIENCY[eng];
  params.push({ name: `${eng}.requestOverheadMs`, get: () => e.requestOverheadMs, set: (v) => (e.requestOverheadMs = v), min: 1, max: 200 });
}

function loss(): number {
  const rows = evaluatePerfCases(prepared.cases, []);
  let total = 0;
  for (const r of rows) total += Math.min(Math.abs(Math.log(Math.max(r.predicted, 1e-9) / r.measured)), 1);
  return total / rows.length;
}

let best = loss();
console.log(`[perf-fit] start loss ${best.toFixed(4)}`);
let step = 0.3;
for (let sweep = 0; sweep < 12 && step > 0.01; sweep += 1) {
  let improved = false;
  for (const p of params) {
    for (const dir of [1, -1]) {
      const old = p.get();
      const next = Math.min(p.max, Math.max(p.min, old * Math.exp(dir * step)));
      if (next === old) continue;
      p.set(next);
      const l = loss();
      if (l < best - 1e-6) {
        best = l;
        improved = true;
        break;
      }
      p.set(old);
    }
  }
  console.log(`[perf-fit] sweep ${sweep} step ${step.toFixed(3)} loss ${best.toFixed(4)}`);
  if (!improved) step /= 2;
}
for (const p of params) console.log(`[perf-fit] ${p.name} = ${p.get().toPrecision(3)}`);
const { summary } = summarize(evaluatePerfCases(prepared.cases, []));
for (const s of summary) console.log(`[perf-fit] ${s.group}: ${s.rows} rows, median |error| ${s.medianAbsErrorPct.toFixed(1)}%`);
