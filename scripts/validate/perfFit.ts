/**
 * Fits the performance calibration (src/engine/calibration.ts, `// performance` block) to every row
 * of fixtures/truth/perf_calibration.csv (perfFitCore.ts) and prints the fitted values to paste into
 * calibration.ts; the engine reads only calibration.ts. perfCv.ts checks that such a fit holds on
 * rows it was not fitted on. The fit starts from the shipped values (and the neutral and fixed
 * perturbed starts, perfFitCore.ts fitCalibration), so a refit never ends above the shipped loss.
 *
 * Run: npx tsx scripts/validate/perfFit.ts
 */
import type { GpuGeneration } from '../../src/engine/types';
import { evaluatePerfCases, preparePerfCases, summarize } from './perf';
import { calibrationParams, fitCalibration } from './perfFitCore';

const prepared = preparePerfCases();
const gens = [...new Set(prepared.cases.map((c) => c.base.gpu.generation))] as GpuGeneration[];
const params = calibrationParams(gens);
const t0 = performance.now();
const fit = fitCalibration(prepared.cases, params, { log: (line) => console.log(`[perf-fit] ${line}`) });
console.log(
  `[perf-fit] robust loss ${fit.loss.toFixed(5)}, objective ${fit.objective.toFixed(5)} (${fit.sweeps} sweeps, ${fit.evaluations} trials, ` +
    `${fit.converged ? 'converged' : 'NOT converged: sweep cap'}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
for (const p of params) console.log(`[perf-fit] ${p.name} = ${p.get().toPrecision(3)}`);
const { summary } = summarize(evaluatePerfCases(prepared.cases, []));
for (const s of summary) console.log(`[perf-fit] ${s.group}: ${s.rows} rows, median |error| ${s.medianAbsErrorPct.toFixed(1)}%`);
