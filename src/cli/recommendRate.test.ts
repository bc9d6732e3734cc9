import { describe, expect, it } from 'vitest';
import { runCli } from './runCli';
import { captureIo } from './testIo';

const LLAMA_8B = 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct/config.json';

async function run(args: string[]): Promise<{ code: number; json: Record<string, unknown>; errs: string; out: string }> {
  const c = captureIo();
  const code = await runCli(args, c.io);
  const out = c.out();
  return { code, json: code === 0 && args.includes('--json') ? (JSON.parse(out) as Record<string, unknown>) : {}, errs: c.errText(), out };
}

const recommend = (extra: string[], numRequests: string[] = ['--num-requests', '150']) =>
  run(['recommend', '--config', LLAMA_8B, '--isl', '1000', '--osl', '200', '--gpus', 'H100,L40S', '--max-gpus', '2', ...numRequests, ...extra]);
const estimate = (extra: string[]) =>
  run(['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--dp', '2', '--isl', '1000', '--osl', '200', '--num-requests', '300', ...extra, '--json']);

type Row = Record<string, unknown>;

describe('gpu-fit recommend --rate (issue 10 part 5: capacity planning)', () => {
  it('returns replicasNeeded per candidate with total GPUs and cost at the target, cheapest planned first', async () => {
    const { code, json } = await recommend(['--rate', '20', '--max-ttft-ms', '2000', '--max-itl-ms', '80', '--all-layouts', '--json']);
    expect(code).toBe(0);
    expect(json.rate).toBe(20);
    expect(json.sloPercentile).toBe(99);
    const rows = json.candidates as Row[];
    const planned = rows.filter((r) => r.capacityStatus === 'planned');
    expect(planned.length).toBeGreaterThan(0);
    expect(rows[0]?.capacityStatus).toBe('planned');
    for (const r of planned) {
      expect(typeof r.replicasNeeded).toBe('number');
      // Copies added beyond ⌈target ÷ max rate per copy⌉ are part of replicasNeeded, never more than it.
      expect(r.replicasAdded as number).toBeGreaterThanOrEqual(0);
      expect(r.replicasAdded as number).toBeLessThan(r.replicasNeeded as number);
      expect(r.totalGpus).toBe((r.replicasNeeded as number) * (r.gpuCount as number));
      expect(r.totalCostPerHour as number).toBeCloseTo((r.replicasNeeded as number) * (r.costPerHour as number), 3);
      expect(typeof r.totalCostPerMillionOutputTokens).toBe('number');
      expect(r.ttftP99Ms as number).toBeLessThanOrEqual(2000);
      expect(r.itlP99Ms as number).toBeLessThanOrEqual(80);
    }
    const costs = planned.map((r) => r.totalCostPerHour as number);
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
    // Every fitting row says whether it was planned, unreachable or left out by the closed form.
    for (const r of rows) if (r.fits === true) expect(['planned', 'slo-unreachable', 'not-simulated']).toContain(r.capacityStatus);
    const capacity = json.capacity as Record<string, number>;
    expect(capacity.searchedReplicaShapes).toBeGreaterThan(0);
    expect(capacity.simulatedCandidates).toBe(rows.filter((r) => r.capacityStatus === 'planned' || r.capacityStatus === 'slo-unreachable').length);
  });

  it('the text table lists the plan: replicas, GPUs and cost per row', async () => {
    const { code, out } = await recommend(['--rate', '20', '--max-ttft-p99-ms', '2000']);
    expect(code).toBe(0);
    expect(out).toMatch(/at 20 req\/s, SLOs at p99/);
    expect(out).toMatch(/replicas\s+gpus\s+\$\/h/);
    expect(out).toMatch(/planned/);
  });

  it('an SLO nothing meets leaves replicasNeeded null (never Infinity) and no pick', async () => {
    const { code, json, out } = await recommend(['--rate', '5', '--max-ttft-ms', '1', '--slo-percentile', '50', '--json']);
    expect(code).toBe(0);
    expect(out).not.toMatch(/Infinity/);
    expect(json.sloPercentile).toBe(50);
    expect((json.best as Row).cheapestMeetingSlo).toBeNull();
    const rows = json.candidates as Row[];
    expect(rows.some((r) => r.capacityStatus === 'slo-unreachable' && r.replicasNeeded === null)).toBe(true);
    expect(rows.every((r) => r.capacityStatus !== 'planned')).toBe(true);
  });

  it('refuses --rate with --concurrency, and the rate-only flags without --rate', async () => {
    expect((await recommend(['--rate', '5', '--concurrency', '8'])).errs).toMatch(/--concurrency or --rate, not both/);
    expect((await recommend(['--slo-percentile', '90'], [])).errs).toMatch(/--slo-percentile needs --rate/);
    expect((await recommend(['--max-ttft-p99-ms', '900'], [])).errs).toMatch(/--max-ttft-p99-ms needs --rate/);
    expect((await recommend([])).errs).toMatch(/--num-requests needs --rate/);
    expect((await recommend(['--rate', '0'])).errs).toMatch(/--rate must be requests per second above 0/);
  });
});

describe('gpu-fit estimate --rate: replicasNeeded', () => {
  it('with SLOs: copies of the configuration for the rate, from its largest rate within them', async () => {
    const { code, json } = await estimate(['--rate', '30', '--max-ttft-p99-ms', '2000', '--max-itl-p99-ms', '80']);
    expect(code).toBe(0);
    const maxRate = json.maxRateMeetingSloRequestsPerS as number;
    expect(maxRate).toBeGreaterThan(0);
    expect(json.capacityStatus).toBe('planned');
    // ⌈rate ÷ max rate⌉, plus the copies added where the run at the split rate missed a limit (as recommend --rate).
    expect(json.replicasAdded as number).toBeGreaterThanOrEqual(0);
    expect(json.replicasNeeded).toBe(Math.ceil(30 / maxRate) + (json.replicasAdded as number));
    expect(json.totalGpus).toBe((json.replicasNeeded as number) * 2);
    expect(json.totalCostPerHour as number).toBeCloseTo((json.replicasNeeded as number) * (json.costUsdPerHour as number), 3);
  });

  it('plans a configuration as recommend --rate plans the same row (one plan, engine sim/capacity.ts planFromReplicaRate)', async () => {
    // The bug this guards: estimate --rate priced plain ⌈rate ÷ max rate⌉ copies while recommend --rate
    // added copies where the run at the split rate missed a limit, so the two could disagree on one configuration.
    const slo = ['--max-ttft-p99-ms', '600', '--max-itl-p99-ms', '25'];
    const one = await run(['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '1000', '--osl', '200', '--num-requests', '150', '--rate', '40', ...slo, '--json']);
    const rec = await run(['recommend', '--config', LLAMA_8B, '--isl', '1000', '--osl', '200', '--gpus', 'H100', '--max-gpus', '1', '--num-requests', '150', '--rate', '40', ...slo, '--json']);
    expect(one.code).toBe(0);
    expect(rec.code).toBe(0);
    const row = (rec.json.candidates as Row[])[0];
    expect(row?.capacityStatus).toBe('planned');
    for (const field of ['capacityStatus', 'replicasNeeded', 'replicasAdded', 'totalGpus', 'totalCostPerHour', 'totalCostPerMillionOutputTokens']) {
      expect(one.json[field], field).toEqual(row?.[field]);
    }
  });

  it('without SLOs or without a rate, replicasNeeded is null; unreachable SLOs give null, not Infinity', async () => {
    expect((await estimate(['--rate', '3'])).json.replicasNeeded).toBeNull();
    expect((await estimate(['--concurrency', '8'])).json.replicasNeeded).toBeNull();
    const none = await estimate(['--rate', '3', '--max-ttft-p99-ms', '1']);
    expect(none.code).toBe(0);
    expect(none.json.maxRateMeetingSloRequestsPerS).toBe(0);
    expect(none.json.replicasNeeded).toBeNull();
    expect(none.json.totalGpus).toBeNull();
    expect(none.json.capacityStatus).toBe('slo-unreachable');
    expect(none.json.replicasAdded).toBeNull();
  });
});

describe('--routing for aggregated replicas at a rate (engine sim/routedRun.ts)', () => {
  const ttft = ['--isl', '2048', '--osl', '256', '--num-requests', '150', '--rate', '30', '--burstiness', '0.5', '--max-ttft-p99-ms', '400'];
  const rec = (routing: string[]) => run(['recommend', '--config', LLAMA_8B, '--gpus', 'H100', '--max-gpus', '1', ...ttft, ...routing, '--json']);

  it('recommend --rate: random by default (the JSON says so); least-loaded plans no more copies of the same row, and says how many it saved', async () => {
    const random = await rec([]);
    const ll = await rec(['--routing', 'least-loaded']);
    expect(random.code).toBe(0);
    expect(ll.code).toBe(0);
    expect(random.json.routing).toBe('random');
    expect(ll.json.routing).toBe('least-loaded');
    const r0 = (random.json.candidates as Row[])[0];
    const l0 = (ll.json.candidates as Row[])[0];
    expect(r0?.capacityStatus).toBe('planned');
    expect(l0?.capacityStatus).toBe('planned');
    expect(r0?.replicasSavedByRouting).toBe(0);
    expect(l0?.replicasNeeded as number).toBeLessThan(r0?.replicasNeeded as number);
    expect(l0?.replicasSavedByRouting as number).toBeGreaterThan(0);
    expect(l0?.ttftP99Ms as number).toBeLessThanOrEqual(400);
    // --routing random is the default spelled out: the same JSON but its compute time.
    const spelled = await rec(['--routing', 'random']);
    expect({ ...spelled.json, computeMs: 0 }).toEqual({ ...random.json, computeMs: 0 });
  });

  it('estimate --rate routes the dp replicas and plans the copies under the routing; a bad value or a closed loop is refused', async () => {
    const plain = await estimate(['--rate', '12', '--burstiness', '0.5']);
    const ll = await estimate(['--rate', '12', '--burstiness', '0.5', '--routing', 'least-loaded']);
    expect(plain.json.routing).toBe('random');
    expect(ll.json.routing).toBe('least-loaded');
    expect(ll.json.ttftMs).not.toBe(plain.json.ttftMs);
    const bad = await estimate(['--rate', '12', '--routing', 'shortest']);
    expect(bad.code).toBe(2);
    expect(bad.errs).toMatch(/--routing/);
    const closed = await estimate(['--concurrency', '8', '--routing', 'round-robin']);
    expect(closed.code).toBe(2);
    expect(closed.errs).toMatch(/--routing needs --rate/);
  });
});

