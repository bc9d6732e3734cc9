/**
 * The GPUStack runs that ran with vLLM's --async-scheduling beside a baseline run of the same model,
 * GPU, layout and request shape (fixtures/truth/perf_calibration.csv): the measured async/baseline
 * ratio per metric beside the model's (perf/asyncScheduling.ts), and the same pair with the async
 * run estimated without the overlap (what the model gave before it). Prints one line per pair and
 * the medians.
 *
 * Run: npx tsx scripts/validate/asyncPairs.ts
 */
import { evaluatePerfCases, preparePerfCases } from './perf';
import type { PreparedCase } from './perf';
import { median } from './errorTables';

const { cases } = preparePerfCases();
const isAsync = (c: PreparedCase): boolean => c.base.serving.asyncScheduling === true;
const key = (c: PreparedCase): string =>
  [c.row.source?.split('@')[0], c.row.model_id, c.row.gpu, c.row.num_gpus, c.row.tp, c.row.pp, c.row.concurrency, c.row.metric].join('|');
const near = (a: number, b: number, tol: number): boolean => Math.abs(a / b - 1) < tol;

const baselines = new Map<string, PreparedCase[]>();
for (const c of cases) if (c.base.engine === 'vllm' && !isAsync(c)) baselines.set(key(c), [...(baselines.get(key(c)) ?? []), c]);

/** The serve flags an async row's "optimized config (vllm serve …)" note states besides --async-scheduling and the model's context length. */
function otherFlags(notes: string): string {
  const config = /optimized config \(vllm serve \S+ ([^)]*)\)/.exec(notes)?.[1] ?? '';
  return config
    .replace(/--async-scheduling/g, '')
    .replace(/--max-model-len \d+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const predicted = (c: PreparedCase): number | null => evaluatePerfCases([c], [])[0]?.predicted ?? null;
const ratios: { metric: string; measured: number; model: number; off: number; pure: boolean }[] = [];
for (const a of cases) {
  if (!isAsync(a)) continue;
  const b = (baselines.get(key(a)) ?? []).find((x) => near(x.isl, a.isl, 0.1) && near(x.osl, a.osl, 0.15));
  if (b === undefined) continue;
  const pa = predicted(a);
  const pb = predicted(b);
  const sync = predicted({ ...a, base: { ...a.base, serving: { ...a.base.serving, asyncScheduling: false } } });
  if (pa === null || pb === null || sync === null) continue;
  const other = otherFlags(a.row.notes ?? '');
  const r = { metric: a.row.metric ?? '', measured: a.measured / b.measured, model: pa / pb, off: sync / pb, pure: other === '' };
  ratios.push(r);
  console.log(
    `[async-pairs] ${a.row.model_id} ${a.row.gpu} x${a.row.num_gpus} ${a.isl}/${a.osl} c=${a.row.concurrency} ${r.metric}: measured ${r.measured.toFixed(3)}, model ${r.model.toFixed(3)} (without the overlap ${r.off.toFixed(3)})${r.pure ? '' : ` [the async run also changed: ${other}]`}`,
  );
}
const summary = (label: string, rs: typeof ratios, m: string): void =>
  console.log(
    `[async-pairs] ${m}${label}: ${rs.length} pairs, median ratio measured ${median(rs.map((r) => r.measured)).toFixed(3)}, model ${median(rs.map((r) => r.model)).toFixed(3)}, without the overlap ${median(rs.map((r) => r.off)).toFixed(3)}`,
  );
for (const m of [...new Set(ratios.map((r) => r.metric))]) {
  const rs = ratios.filter((r) => r.metric === m);
  summary('', rs, m);
  // Pairs whose async run changed nothing else (the model prices the other flags too, but they are not the flag's effect alone).
  summary(' (async flag only)', rs.filter((r) => r.pure), m);
}
