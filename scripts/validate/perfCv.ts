/**
 * `npm run validate cv`: does the perf calibration hold on measurements it was not fitted on?
 * Two cross-validations, each fold's calibration fitted from neutral starting values (perfFitCore.ts
 * fitCalibration, with its fixed perturbed starts; not the shipped values, which saw every row) on
 * the other rows and scored on the held-out ones (`--start=shipped` or `--start=perturbed` starts
 * every fit elsewhere, to check the figures do not depend on the start):
 *  - by MODEL: 5 folds, models dealt round-robin in sorted order (a model the fit has not seen);
 *  - by SOURCE (leave-one-source-out): each benchmark source of perf_calibration.csv (its `source`
 *    column: one table of one document, or one GPUStack performance-lab page) held out in turn
 *    (a harness, engine release and set of runs the fit has not seen: the error to expect on an
 *    unseen setup, issue 11).
 * Prints per fold, the held-out medians per metric group next to two in-sample figures (the same fit
 * from neutral values on every row, so the gap is generalization and not the optimizer, and the
 * shipped calibration), the held-out-by-source error by source / engine / precision / GPU generation
 * / metric with the worst source × engine × precision groups, and last, exactly:
 *   cv by model: throughput X %, ITL Y %, TTFT Z %
 *   cv by source: throughput X %, ITL Y %, TTFT Z %
 * (median absolute % error of the held-out rows). 23 fits (1 + 5 model folds + 17 sources), each from several starts: about a quarter of an hour (estimated), not part of `npm test`.
 * Above those two lines, the simulator (perfSim.ts) scored on the same held-out rows with each
 * fold's calibration, side by side with the closed form, and its own two lines
 * `sim cv by model: …` / `sim cv by source: …`.
 */
import { formatErrorTable, shortSourceName } from './errorTables';
import type { PerfValidationResult, PerfValidationRow, PreparedCase } from './perf';
import { evaluatePerfCases, preparePerfCases, summarize } from './perf';
import { breakdownLines, worstRegimes } from './perfBreakdown';
import type { FitStart, Param } from './perfFitCore';
import { calibrationParams, fitCalibration, fitStartValues } from './perfFitCore';
import type { SimValidationRow } from './perfSim';
import { evaluateSimCases, formatSideBySide, sideBySide, simCvLine, ttftQueueingVerdict } from './perfSim';

const MODEL_FOLDS = 5;
/** Worst held-out regimes to list, and the fewest rows a regime needs to be listed. */
const WORST_REGIMES = 12;
const WORST_REGIME_MIN_ROWS = 4;

type Summary = PerfValidationResult['summary'];

/** Fit from `start` (one value per parameter) on `train`, estimate `test` (the calibration objects are left at the fit). */
function fitAndScore(train: readonly PreparedCase[], test: readonly PreparedCase[], params: readonly Param[], start: readonly number[]): PerfValidationRow[] {
  params.forEach((p, i) => p.set(start[i] ?? p.neutral));
  fitCalibration(train, params);
  return evaluatePerfCases(test, []);
}

/**
 * The simulator's held-out rows: each fold's test rows simulated with that fold's calibration (the
 * fit is the closed form's, perfFitCore.ts; the simulator prices its steps with the same step model,
 * so it is held out the same way). Collected by crossValidate.
 */
const simHeldOut: { model: SimValidationRow[]; source: SimValidationRow[] } = { model: [], source: [] };

const groupLine = (s: Summary): string => s.map((g) => `${g.group} ${g.rows > 0 ? `${g.medianAbsErrorPct.toFixed(1)}% (${g.rows})` : '—'}`).join(', ');

/**
 * Held-out rows of a cross-validation whose folds are the distinct values of `foldKey` dealt into
 * `folds` groups (round-robin in sorted order; `folds` = null: one fold per value).
 */
export function crossValidate(
  label: string,
  cases: readonly PreparedCase[],
  params: readonly Param[],
  start: readonly number[],
  foldKey: (c: PreparedCase) => string,
  folds: number | null,
  describe: (keys: readonly string[]) => string,
  simOut?: SimValidationRow[],
): PerfValidationRow[] {
  const keys = [...new Set(cases.map(foldKey))].sort();
  const n = folds ?? keys.length;
  const foldOf = new Map(keys.map((k, i) => [k, i % n]));
  const gens = new Set(cases.map((c) => c.base.gpu.generation));
  const heldOut: PerfValidationRow[] = [];
  for (let fold = 0; fold < n; fold += 1) {
    const inFold = (c: PreparedCase): boolean => foldOf.get(foldKey(c)) === fold;
    const test = cases.filter(inFold);
    const train = cases.filter((c) => !inFold(c));
    const rows = fitAndScore(train, test, params, start);
    heldOut.push(...rows);
    simOut?.push(...evaluateSimCases(test).rows);
    // A generation only the held-out rows run on keeps its neutral values: say so.
    const trained = new Set(train.map((c) => c.base.gpu.generation));
    const unseen = [...gens].filter((g) => !trained.has(g));
    const note = unseen.length > 0 ? `; no training rows on ${unseen.join(', ')} (its efficiencies stay neutral)` : '';
    console.log(`[perf-cv] ${label} ${fold + 1}/${n}: held out ${describe(keys.filter((k) => foldOf.get(k) === fold))}; ${groupLine(summarize(rows).summary)}${note}`);
  }
  return heldOut;
}

const pctOf = (s: Summary, group: string): string => {
  const g = s.find((x) => x.group === group);
  return g !== undefined && g.rows > 0 ? g.medianAbsErrorPct.toFixed(1) : '—';
};

/** The machine-readable last lines: `cv by <what>: throughput X %, ITL Y %, TTFT Z %`. */
export function cvLine(what: string, s: Summary): string {
  return `cv by ${what}: throughput ${pctOf(s, 'throughput')} %, ITL ${pctOf(s, 'itl')} %, TTFT ${pctOf(s, 'ttft')} %`;
}

/** Which values every fit starts from: `--start=neutral` (default), `shipped` or `perturbed` (perfFitCore.ts fitStartValues). */
export function fitStartOf(args: readonly string[]): FitStart {
  const arg = args.find((a) => a.startsWith('--start='));
  const v = arg?.slice('--start='.length) ?? 'neutral';
  if (v === 'neutral' || v === 'shipped' || v === 'perturbed') return v;
  throw new Error(`validate cv: --start must be neutral, shipped or perturbed (got '${v}')`);
}

export function runPerfCrossValidation(args: readonly string[] = []): void {
  const startMs = performance.now();
  const startKind = fitStartOf(args);
  const prepared = preparePerfCases();
  const cases = prepared.cases;
  const gens = [...new Set(cases.map((c) => c.base.gpu.generation))];
  const params = calibrationParams(gens);
  const shipped = params.map((p) => p.get());
  const start = fitStartValues(params, startKind, shipped);
  if (startKind !== 'neutral') console.log(`[perf-cv] every fit starts from the ${startKind} values`);
  const inSample = summarize(evaluatePerfCases(cases, [])).summary;

  // The same procedure on every row: the in-sample baseline the held-out error compares with.
  const refit = summarize(fitAndScore(cases, cases, params, start)).summary;

  const byModel = crossValidate('model fold', cases, params, start, (c) => c.row.model_id ?? '', MODEL_FOLDS, (ks) => ks.join(', '), simHeldOut.model);
  const bySource = crossValidate('source', cases, params, start, (c) => c.row.source ?? '', null, (ks) => ks.map(shortSourceName).join(', '), simHeldOut.source);
  params.forEach((p, i) => p.set(shipped[i] ?? p.get()));

  const modelSummary = summarize(byModel).summary;
  const sourceSummary = summarize(bySource).summary;
  const sources = new Set(cases.map((c) => c.row.source)).size;
  console.log(`[perf-cv] median |error|: held out by model (${MODEL_FOLDS} folds), held out by source (${sources} folds), in sample`);
  for (const g of modelSummary) {
    const pct = (s: Summary): string => `${pctOf(s, g.group)}%`.padStart(6);
    console.log(
      `[perf-cv]   ${g.group.padEnd(10)} ${String(g.rows).padStart(4)} rows  by model ${pct(modelSummary)}  by source ${pct(sourceSummary)}   ` +
        `in sample, same fit ${pct(refit)}  in sample, shipped ${pct(inSample)}`,
    );
  }
  const [heading, ...tables] = breakdownLines(bySource);
  console.log(`[perf-cv] held out by source, ${heading ?? ''}`);
  for (const l of tables) console.log(`[perf-cv] ${l}`);
  const worst = worstRegimes(bySource, WORST_REGIMES, WORST_REGIME_MIN_ROWS);
  for (const l of formatErrorTable(`worst held-out-by-source groups (source · engine · precision, ≥ ${WORST_REGIME_MIN_ROWS} rows)`, worst, 90))
    console.log(`[perf-cv] ${l}`);
  console.log(`[perf-cv] ${1 + MODEL_FOLDS + sources} fits in ${((performance.now() - startMs) / 1000).toFixed(0)} s`);
  // The simulator held out the same way, side by side with the closed form on the same rows.
  for (const [what, closed, sim] of [
    ['model', byModel, simHeldOut.model],
    ['source', bySource, simHeldOut.source],
  ] as const) {
    for (const l of formatSideBySide(`held out by ${what}: median |error|, by metric group`, sideBySide(closed, sim, (r) => r.group))) console.log(`[perf-cv-sim] ${l}`);
  }
  for (const l of formatSideBySide('held out by source: by source', sideBySide(bySource, simHeldOut.source, (r) => shortSourceName(r.source)), 90)) console.log(`[perf-cv-sim] ${l}`);
  for (const l of ttftQueueingVerdict(bySource, simHeldOut.source, (r) => shortSourceName(r.source))) console.log(`[perf-cv-sim] held out by source: ${l}`);
  console.log(simCvLine('model', simHeldOut.model));
  console.log(simCvLine('source', simHeldOut.source));
  console.log(cvLine('model', modelSummary));
  console.log(cvLine('source', sourceSummary));
}
