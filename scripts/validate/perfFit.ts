/**
 * Fits the performance calibration (src/engine/calibration.ts, `// performance` block) to every row
 * of fixtures/truth/perf_calibration.csv (perfFitCore.ts) and prints the fitted values to paste into
 * calibration.ts; the engine reads only calibration.ts. perfCv.ts checks that such a fit holds on
 * rows it was not fitted on.
 *
 * Run: npx tsx scripts/validate/perfFit.ts
 */
import type { GpuGeneration } from '../../src/engine/types';
import { evaluatePerfCases, preparePerfCases, summarize } from './perf';
import { calibrationParams, fitCalibration } from './perfFitCore';

const prepared = preparePerfCases();
const gens = [...new Set(prepared.cases.map((c) => c.base.gpu.generation))] as GpuGeneration[];
const params = calibrationParams(gens);
fitCalibration(prepared.cases, params, { log: (line) => console.log(`[perf-fit] ${line}`) });
for (const p of params) console.log(`[perf-fit] ${p.name} = ${p.get().toPrecision(3)}`);
const { summary } = summarize(evaluatePerfCases(prepared.cases, []));
for (const s of summary) console.log(`[perf-fit] ${s.group}: ${s.rows} rows, median |error| ${s.medianAbsErrorPct.toFixed(1)}%`);
