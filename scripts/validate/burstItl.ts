/**
 * Issue 11 (session 10): the closed form's ITL beside the simulator's on the all-at-once runs
 * (GPUStack's `vllm bench serve --request-rate inf` rows), one line per row: measured, closed form,
 * simulated mean ITL and mean TPOT, and the replica's running limit, token budget and whether the
 * burst is one wave (perf/burstWave.ts), then the median |error| by engine and wave (closed form vs
 * measured, simulator vs measured, closed form vs simulator). What calibration.ts's issue-11 session-10
 * notes were read from. `npx tsx scripts/validate/burstItl.ts [source filter, default gpustack]`.
 */
import { replicaModel, perfEstimator } from '../../src/engine/perf/estimatePerf';
import { simulateConfiguration } from '../../src/engine/sim/simulateConfiguration';
import { shortSourceName } from './errorTables';
import { median } from './errorTables';
import { preparePerfCases } from './perf';

const filter = new RegExp(process.argv[2] ?? 'gpustack', 'i');
const { cases } = preparePerfCases();
const rows = cases.filter((c) => c.load.kind === 'burst' && filter.test(c.row.source ?? '') && /^mean_(itl|tpot)$/.test(c.row.metric ?? ''));
const pct = (p: number, m: number): string => `${((p / m - 1) * 100).toFixed(0).padStart(4)}%`;
const summary = new Map<string, { closed: number[]; sim: number[]; closedVsSim: number[] }>();
const absPct = (p: number, m: number): number => Math.abs(p / m - 1) * 100;
console.log('source | model isl/osl N | metric measured | closed (err) | sim itl (err) tpot (err) | maxRun kv budget wave preempt');
for (const c of rows) {
  if (c.load.kind !== 'burst') continue;
  const { gpu, layout, serving, engine, memory, frontend } = c.base;
  const m = replicaModel(c.base, c.cost, c.isl, c.osl);
  const est = perfEstimator(c.base, c.cost, c.isl, c.osl)('max', c.load.n);
  const sim = simulateConfiguration({ gpu, layout, serving, engine, memory, frontend, workload: { inputTokens: c.isl, outputTokens: c.osl, load: { kind: 'burst' }, numRequests: c.load.n, seed: 1 } }, c.cost);
  const perReplica = c.load.n / Math.max(1, layout.dp);
  const meas = c.measured;
  const wave = perReplica <= m.maxRunning ? 'wave' : 'multi';
  const key = `${engine} · ${wave === 'wave' ? 'one wave' : 'several waves'}`;
  const g = summary.get(key) ?? { closed: [], sim: [], closedVsSim: [] };
  g.closed.push(absPct(est.itlMs, meas));
  g.sim.push(absPct(sim.itlMs, meas));
  g.closedVsSim.push(absPct(est.itlMs, sim.itlMs));
  summary.set(key, g);
  console.log(
    `${shortSourceName(c.row.source ?? '').replace('gpustack ', '')} ${engine} | ${c.isl}/${c.osl} N=${c.load.n} | ${c.row.metric} ${meas} | ${est.itlMs.toFixed(1)} (${pct(est.itlMs, meas)}) | ` +
      `${sim.itlMs.toFixed(1)} (${pct(sim.itlMs, meas)}) ${sim.tpotMs.toFixed(1)} (${pct(sim.tpotMs, meas)}) | ${m.maxRunning.toFixed(0)} ${m.kvLimited ? 'kv' : 'seq'} ${m.maxNumBatchedTokens} ${wave} ${sim.preemptions}`,
  );
}
console.log('median |error| (rows): closed form vs measured, simulator vs measured, closed form vs simulator');
for (const [key, g] of [...summary].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${key} (${g.closed.length}): ${median(g.closed).toFixed(1)} %, ${median(g.sim).toFixed(1)} %, ${median(g.closedVsSim).toFixed(1)} %`);
}
