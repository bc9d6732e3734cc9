/**
 * Does the perf calibration fit (perfFitCore.ts) land in the same place whatever it starts from?
 *  - `fits` (default): fits every row of perf_calibration.csv from the neutral values, the shipped
 *    values and two perturbed starts; prints each fit's loss, time and values, then each parameter's
 *    spread across the starts (max − min of ln value) and the in-sample medians per start.
 *  - `cv`: the closed-form cross-validation (perfCv.ts, by model and by source, without the simulator)
 *    from the neutral start and from a slightly perturbed one (±`--amount`, default 0.05 in log
 *    space); prints both `cv by …` lines: how much of cv's figure is the fitter's.
 *
 * Run: npx tsx scripts/validate/perfFitStarts.ts [fits|cv] [--amount=0.05]
 */
import { shortSourceName } from './errorTables';
import { evaluatePerfCases, preparePerfCases, summarize } from './perf';
import { crossValidate, cvLine } from './perfCv';
import type { Param } from './perfFitCore';
import { calibrationParams, fitCalibration, fitStartValues, robustLoss } from './perfFitCore';

const mode = process.argv[2] ?? 'fits';
const amountArg = process.argv.find((a) => a.startsWith('--amount='));
const cases = preparePerfCases().cases;
const params: Param[] = calibrationParams([...new Set(cases.map((c) => c.base.gpu.generation))]);
const shipped = params.map((p) => p.get());

const starts: { label: string; values: number[] }[] =
  mode === 'cv'
    ? [
        { label: 'neutral', values: fitStartValues(params, 'neutral', shipped) },
        { label: 'perturbed', values: fitStartValues(params, 'perturbed', shipped, Number(amountArg?.split('=')[1] ?? 0.05)) },
      ]
    : [
        { label: 'neutral', values: fitStartValues(params, 'neutral', shipped) },
        { label: 'shipped', values: fitStartValues(params, 'shipped', shipped) },
        { label: 'perturbed1', values: fitStartValues(params, 'perturbed', shipped, Number(amountArg?.split('=')[1] ?? 0.2), 11) },
        { label: 'perturbed2', values: fitStartValues(params, 'perturbed', shipped, Number(amountArg?.split('=')[1] ?? 0.2), 12) },
      ];

if (mode === 'cv') {
  for (const s of starts) {
    const t0 = performance.now();
    const log = console.log;
    console.log = () => undefined; // the per-fold lines
    const byModel = crossValidate('model fold', cases, params, s.values, (c) => c.row.model_id ?? '', 5, (ks) => ks.join(', '));
    const bySource = crossValidate('source', cases, params, s.values, (c) => c.row.source ?? '', null, (ks) => ks.map(shortSourceName).join(', '));
    console.log = log;
    console.log(`[fit-starts] cv from ${s.label} (${((performance.now() - t0) / 1000).toFixed(0)} s):`);
    console.log(`[fit-starts]   ${cvLine('model', summarize(byModel).summary)}`);
    console.log(`[fit-starts]   ${cvLine('source', summarize(bySource).summary)}`);
  }
} else {
  const fitted: number[][] = [];
  for (const s of starts) {
    params.forEach((p, i) => p.set(s.values[i] ?? p.neutral));
    const startLoss = robustLoss(cases);
    const t0 = performance.now();
    const fit = fitCalibration(cases, params);
    const loss = fit.objective;
    const sec = (performance.now() - t0) / 1000;
    fitted.push(params.map((p) => p.get()));
    const med = summarize(evaluatePerfCases(cases, [])).summary.map((g) => `${g.group} ${g.medianAbsErrorPct.toFixed(2)}%`).join(', ');
    console.log(`[fit-starts] from ${s.label}: loss ${startLoss.toFixed(5)} → objective ${loss.toFixed(5)} (robust loss ${robustLoss(cases).toFixed(5)}; ${fit.sweeps} sweeps, ${fit.evaluations} trials${fit.converged ? '' : ', NOT converged'}) in ${sec.toFixed(1)} s; ${med}`);
  }
  console.log(`[fit-starts] ${'parameter'.padEnd(46)} ${starts.map((s) => s.label.padStart(11)).join(' ')}  spread (max−min of ln)`);
  let worst = 0;
  params.forEach((p, i) => {
    const vs = fitted.map((f) => f[i] ?? NaN);
    const lns = vs.map(Math.log);
    const spread = Math.max(...lns) - Math.min(...lns);
    worst = Math.max(worst, spread);
    console.log(`[fit-starts] ${p.name.padEnd(46)} ${vs.map((v) => v.toPrecision(4).padStart(11)).join(' ')}  ${spread.toFixed(4)}`);
  });
  console.log(`[fit-starts] largest spread ${worst.toFixed(4)} (ln)`);
  // The robust loss on the straight line (in log space) from the first fit to each other one: a rise
  // on the way means two separate minima, a steady fall means the first fit stopped short.
  for (let k = 1; k < fitted.length; k += 1) {
    const a = fitted[0] ?? [];
    const b = fitted[k] ?? [];
    const line: string[] = [];
    for (let t = 0; t <= 10; t += 1) {
      params.forEach((p, i) => p.set(Math.exp((1 - t / 10) * Math.log(a[i] ?? 1) + (t / 10) * Math.log(b[i] ?? 1))));
      line.push(robustLoss(cases).toFixed(4));
    }
    console.log(`[fit-starts] ${starts[0]?.label} → ${starts[k]?.label}: ${line.join(' ')}`);
  }
  params.forEach((p, i) => p.set(shipped[i] ?? p.get()));
}
