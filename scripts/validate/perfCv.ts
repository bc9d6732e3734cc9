/**
 * `npm run validate cv`: does the perf calibration hold on measurements it was not fitted on?
 * K-fold cross-validation by MODEL: the rows of each fold's models are held out, the calibration is
 * fitted from neutral starting values (perfFitCore.ts, not the shipped values, which saw every row)
 * on the other models' rows, and the held-out rows are predicted. Prints the median absolute error
 * of the held-out predictions per metric group next to two in-sample figures: the same fit from
 * neutral values on every row (so the gap is generalization, not the optimizer) and the shipped
 * calibration. A fit per fold: minutes, not part of `npm test`.
 */
import type { GpuGeneration } from '../../src/engine/types';
import type { PerfValidationRow } from './perf';
import { evaluatePerfCases, preparePerfCases, summarize } from './perf';
import { calibrationParams, fitCalibration } from './perfFitCore';

const FOLDS = 5;
/** Sweeps per fit: as many as perfFit.ts runs. */
const SWEEPS = 12;

export function runPerfCrossValidation(): void {
  const prepared = preparePerfCases();
  const gens = [...new Set(prepared.cases.map((c) => c.base.gpu.generation))] as GpuGeneration[];
  const params = calibrationParams(gens);
  const shipped = params.map((p) => p.get());
  const inSample = summarize(evaluatePerfCases(prepared.cases, [])).summary;

  // The same procedure on every row: the in-sample baseline the held-out error compares with.
  for (const p of params) p.set(p.neutral);
  fitCalibration(prepared.cases, params, { sweeps: SWEEPS });
  const refit = summarize(evaluatePerfCases(prepared.cases, [])).summary;

  // Models in a fixed order, dealt round-robin into folds (deterministic).
  const models = [...new Set(prepared.cases.map((c) => c.row.model_id ?? ''))].sort();
  const foldOf = new Map(models.map((m, i) => [m, i % FOLDS]));
  const heldOut: PerfValidationRow[] = [];
  for (let fold = 0; fold < FOLDS; fold += 1) {
    const test = prepared.cases.filter((c) => foldOf.get(c.row.model_id ?? '') === fold);
    const train = prepared.cases.filter((c) => foldOf.get(c.row.model_id ?? '') !== fold);
    for (const p of params) p.set(p.neutral);
    fitCalibration(train, params, { sweeps: SWEEPS });
    const rows = evaluatePerfCases(test, []);
    heldOut.push(...rows);
    const s = summarize(rows).summary.map((g) => `${g.group} ${g.rows > 0 ? `${g.medianAbsErrorPct.toFixed(1)}% (${g.rows})` : '—'}`);
    const names = [...new Set(test.map((c) => c.row.model_id ?? ''))].join(', ');
    console.log(`[perf-cv] fold ${fold + 1}/${FOLDS}: held out ${names}; ${s.join(', ')}`);
  }
  params.forEach((p, i) => p.set(shipped[i] ?? p.get()));

  const cv = summarize(heldOut).summary;
  console.log(`[perf-cv] ${FOLDS}-fold by model, ${heldOut.length} held-out rows; median |error|:`);
  const pct = (xs: typeof cv, group: string): string => `${xs.find((x) => x.group === group)?.medianAbsErrorPct.toFixed(1) ?? '—'}%`;
  for (const g of cv) {
    console.log(
      `[perf-cv]   ${g.group.padEnd(10)} ${String(g.rows).padStart(4)} rows  held out ${pct(cv, g.group)}   ` +
        `in sample, same fit ${pct(refit, g.group)}   in sample, shipped ${pct(inSample, g.group)}`,
    );
  }
}
