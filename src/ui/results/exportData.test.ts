import { describe, expect, it } from 'vitest';
import type { Candidate, CapacityPlan, RecommendRequest, SloPercentile, TargetLoad } from '../../engine/types';
import type { CandidateRow } from './contract';
import { CSV_COLUMNS, csvEscape, exportFileName, rateCsvColumns, toCsv, toResultJson } from './exportData';
import { selectVisibleRows } from './tableRows';
import { makeArch, makeMemory, makeRequest, makeResult } from './testData';

describe('csvEscape', () => {
  it('quotes fields with commas, quotes and line breaks, doubling inner quotes (RFC 4180)', () => {
    expect(csvEscape('plain')).toBe('plain');
    expect(csvEscape('a,b')).toBe('"a,b"');
    expect(csvEscape('say "hi"')).toBe('"say ""hi"""');
    expect(csvEscape('two\nlines')).toBe('"two\nlines"');
    expect(csvEscape('cr\rhere')).toBe('"cr\rhere"');
  });
});

describe('toCsv', () => {
  const result = makeResult();
  const rows = selectVisibleRows(result, { fitsOnly: false, meetsSloOnly: false }, { column: 'costPerMTokens', descending: false });

  it('puts units in the headers of every measured column', () => {
    const header = toCsv(rows, result.best).split('\r\n')[0];
    expect(header).toContain('Weights / GPU (GiB)');
    expect(header).toContain('KV pool / GPU (GiB)');
    expect(header).toContain('TTFT (ms)');
    expect(header).toContain('ITL (ms)');
    expect(header).toContain('Output tok/s (tokens/s)');
    expect(header).toContain('$/hour (USD/h)');
    expect(header).toContain('$/M output tokens (USD)');
  });

  it('writes one line per visible row in screen order, with raw numbers in the header units', () => {
    const lines = toCsv(rows, result.best).split('\r\n');
    expect(lines).toHaveLength(rows.length + 2); // header + rows + final empty after the last CRLF
    const first = lines[1]?.split(',') ?? [];
    const weightsAt = CSV_COLUMNS.findIndex((c) => c.header === 'Weights / GPU (GiB)');
    expect(first[weightsAt]).toBe('15.00'); // makeMemory: 15 GiB of weights
    expect(first[0]).toBe('1'); // cheapest first: engine rank 1
    expect(lines.at(-2)).toContain('a100-40gb');
  });

  it('quotes a no-fit message that contains a comma', () => {
    const withComma = makeResult();
    const noFit = withComma.candidates[7];
    if (noFit === undefined) throw new Error('fixture changed');
    const candidate = { ...noFit, memory: makeMemory({ fits: false, reason: 'no-kv-memory', message: 'No KV memory, raise utilization' }) };
    const csv = toCsv([{ index: 7, candidate }], withComma.best);
    expect(csv).toContain('"No KV memory, raise utilization"');
  });
});

describe('exports carry the prefix cache and speculative decoding', () => {
  const result = makeResult();
  const rows = selectVisibleRows(result, { fitsOnly: false, meetsSloOnly: false }, { column: 'costPerMTokens', descending: false });
  const base = makeRequest();
  const request: RecommendRequest = {
    ...base,
    serving: { ...base.serving, prefixCache: { sharedPrefixTokens: 1000, hitRate: 0.5 } },
    speculativeSettings: { method: 'eagle3', tokens: 4, acceptance: null },
  };

  it('CSV: two settings columns, filled on every row, empty without them', () => {
    const lines = toCsv(rows, result.best, request).split('\r\n');
    expect(lines[0]?.endsWith(',Prefix cache,Speculative decoding')).toBe(true);
    expect(lines[1]?.endsWith(',shared prefix 1000 tokens; hit rate 0.5,eagle3; 4 tokens; acceptance default')).toBe(true);
    expect(toCsv(rows, result.best, base).split('\r\n')[1]?.endsWith(',,')).toBe(true);
  });

  it("CSV: vLLM's async scheduling as the rows were computed (the release's default unless set); empty for other engines", () => {
    const header = toCsv(rows, result.best, base).split('\r\n')[0] ?? '';
    expect(header.endsWith(',Async scheduling,Prefix cache,Speculative decoding')).toBe(true);
    expect(toCsv(rows, result.best, base).split('\r\n')[1]?.endsWith(',on,,')).toBe(true);
    const off: RecommendRequest = { ...base, serving: { ...base.serving, asyncScheduling: false } };
    expect(toCsv(rows, result.best, off).split('\r\n')[1]?.endsWith(',off,,')).toBe(true);
    const old: RecommendRequest = { ...base, serving: { ...base.serving, vllmVersion: '0.11' } };
    expect(toCsv(rows, result.best, old).split('\r\n')[1]?.endsWith(',off,,')).toBe(true);
    expect(toCsv(rows, result.best, { ...base, engine: 'sglang' }).split('\r\n')[1]?.endsWith(',,,')).toBe(true);
    const parsed: unknown = JSON.parse(toResultJson({ arch: makeArch(), request: off, result }));
    expect(parsed).toHaveProperty('request.serving.asyncScheduling', false);
  });

  it('JSON: the request keeps its prefix cache and speculative settings', () => {
    const parsed: unknown = JSON.parse(toResultJson({ arch: makeArch(), request, result }));
    expect(parsed).toHaveProperty('request.serving.prefixCache', { sharedPrefixTokens: 1000, hitRate: 0.5 });
    expect(parsed).toHaveProperty('request.speculativeSettings', { method: 'eagle3', tokens: 4, acceptance: null });
  });

  it('a token tree names its top-k and verified tokens in the CSV and keeps them in the JSON', () => {
    const tree: RecommendRequest = { ...request, engine: 'sglang', speculativeSettings: { method: 'eagle', tokens: 5, acceptance: 0.7, topk: 4, draftTokens: 8 } };
    expect(toCsv(rows, result.best, tree).split('\r\n')[1]?.endsWith(',eagle; 5 tokens; top-k 4; 8 verified; acceptance 0.7')).toBe(true);
    const parsed: unknown = JSON.parse(toResultJson({ arch: makeArch(), request: tree, result }));
    expect(parsed).toHaveProperty('request.speculativeSettings', { method: 'eagle', tokens: 5, acceptance: 0.7, topk: 4, draftTokens: 8 });
  });
});

describe('toResultJson', () => {
  it('holds the whole result, the request and the arch under a versioned format tag', () => {
    const parsed: unknown = JSON.parse(toResultJson({ arch: makeArch(), request: makeRequest(), result: makeResult() }));
    expect(parsed).toMatchObject({ format: 'gpu-fit-result', version: 1, modelId: 'meta-llama/Llama-3.1-8B' });
    expect(parsed).toHaveProperty('result.candidates.length', 8);
    expect(parsed).toHaveProperty('request.maxGpus', 8);
  });

  it('carries no token anywhere, even when one rides along on a wider request object', () => {
    // The bug this guards: spreading the app's input state (which holds the token) into the export.
    const requestWithToken: RecommendRequest & { accessToken: string } = { ...makeRequest(), accessToken: 'hf_abcdefghijklmnopqrstuvwxyz' };
    const arch = { ...makeArch(), token: 'hf_zyxwvutsrqponmlkjihgfedcba', assumptions: ['hf_zyxwvutsrqponmlkjihgfedcba'] };
    const json = toResultJson({ arch, request: requestWithToken, result: makeResult() });
    expect(json).not.toContain('hf_');
    expect(json).not.toMatch(/"(accessToken|token)"/);
  });
});

describe('exportFileName', () => {
  it('names the file after the model without its org', () => {
    expect(exportFileName('meta-llama/Llama-3.1-8B', 'csv')).toBe('Llama-3.1-8B-results.csv');
    expect(exportFileName('weird name?', 'json')).toBe('weird_name_-results.json');
  });
});

describe('the CSV at a target request rate carries the capacity plans (the rate columns)', () => {
  const result = makeResult();
  const rows = selectVisibleRows(result, { fitsOnly: false, meetsSloOnly: false }, { column: 'costPerMTokens', descending: false });
  const request = makeRequest();

  it('at a concurrency the CSV is byte for byte what it was before the rate columns', () => {
    // The output of toCsv without the rate columns (the async scheduling setting included), for the same fixture (no target, or a null one).
    const before =
      'Rank,GPU,GPUs,TP,PP,DP,EP,Fits,Reason,Weights / GPU (GiB),KV pool / GPU (GiB),KV capacity (full-length requests) (requests),Load (requests),TTFT (ms),ITL (ms),E2E (ms),Output tok/s (tokens/s),Tok/s per GPU (tokens/s),$/hour (USD/h),$/M output tokens (USD),Meets SLO,Best,Async scheduling,Prefix cache,Speculative decoding\r\n' +
      '1,h100,1,1,1,1,no,yes,,15.00,54.75,54.75,32,120.00,20.000,20580.0,1500.0,1500.0,3.00,0.5600,yes,Cheapest meeting SLO,on,,\r\n' +
      '4,h100,8,1,1,8,no,yes,,15.00,54.75,54.75,256,120.00,20.000,20580.0,12000.0,1500.0,24.00,0.5600,yes,Highest throughput,on,,\r\n' +
      '2,h200,1,1,1,1,no,yes,,15.00,54.75,54.75,32,110.00,17.000,20580.0,1800.0,1800.0,4.00,0.6200,yes,,on,,\r\n' +
      '3,h100,2,2,1,1,no,yes,,15.00,54.75,54.75,32,70.00,11.000,20580.0,2600.0,1300.0,6.00,0.6400,yes,,on,,\r\n' +
      '7,h100,8,2,1,4,no,yes,,15.00,54.75,54.75,32,70.00,11.000,20580.0,10400.0,1300.0,24.00,0.6400,yes,,on,,\r\n' +
      '6,h100,8,4,1,2,no,yes,,15.00,54.75,54.75,32,60.00,8.000,20580.0,8000.0,1000.0,24.00,0.8300,yes,,on,,\r\n' +
      '5,h100,8,8,1,1,no,yes,,15.00,54.75,54.75,32,2500.00,5.000,20580.0,6000.0,750.0,24.00,1.1100,no,Lowest latency,on,,\r\n' +
      '8,a100-40gb,1,1,1,1,no,no,Weights need 14.96 GiB per GPU but only 12.00 GiB remain after activations.,15.00,,,,,,,,,,,no,,on,,\r\n';
    expect(toCsv(rows, result.best, request)).toBe(before);
    expect(toCsv(rows, result.best, request, null)).toBe(before);
    expect(rateCsvColumns(null)).toEqual([]);
  });

  const atTarget = {
    ...{ ttftMs: 300, ttftP50Ms: 250, ttftP90Ms: 600, ttftP95Ms: 800, ttftP99Ms: 1234.5 },
    ...{ itlMs: 20, itlP50Ms: 18, itlP90Ms: 30, itlP95Ms: 35, itlP99Ms: 45.6 },
    ...{ e2eMs: 5000, e2eP50Ms: 4800, e2eP90Ms: 6000, e2eP95Ms: 6500, e2eP99Ms: 7000 },
    preemptions: 0,
    simulatedRequests: 300,
  };
  const planned: CapacityPlan = {
    status: 'planned',
    targetRequestsPerS: 40,
    maxRatePerReplicaRequestsPerS: 15.5,
    replicasNeeded: 2,
    totalGpus: 2,
    costUsdPerHour: 6,
    usdPerMillionOutputTokens: 0.4321,
    atTarget,
    simulations: 10,
    routing: 'least-loaded',
    replicasSavedByRouting: 1,
  };
  const unreachable: CapacityPlan = {
    status: 'slo-unreachable',
    targetRequestsPerS: 40,
    maxRatePerReplicaRequestsPerS: 0,
    replicasNeeded: null,
    totalGpus: null,
    costUsdPerHour: null,
    usdPerMillionOutputTokens: null,
    atTarget: null,
    simulations: 9,
  };
  const waiting: CapacityPlan = { status: 'not-simulated', targetRequestsPerS: 40, boundUsdPerHour: 5 };
  /** The rows as resultWithCapacity gives them: a planned row, one waiting for the simulator, an unreachable one, one with no plan, one that does not fit. */
  const rateRows = (): CandidateRow[] => {
    const c = result.candidates;
    const at = (i: number): Candidate => {
      const candidate = c[i];
      if (candidate === undefined) throw new Error('fixture changed');
      return candidate;
    };
    return [
      { index: 0, candidate: { ...at(0), capacity: planned, sloBasis: 'simulated', meetsSlo: true } },
      { index: 1, candidate: { ...at(1), capacity: waiting, sloBasis: 'closed-form-estimate' } },
      { index: 4, candidate: { ...at(4), capacity: unreachable, sloBasis: 'simulated', meetsSlo: false } },
      { index: 2, candidate: { ...at(2), sloBasis: 'closed-form-estimate' } },
      { index: 7, candidate: { ...at(7), capacity: null } },
    ];
  };
  const target = (percentile: SloPercentile): TargetLoad => ({
    ratePerS: 40,
    burstiness: 1,
    slo: { percentile, maxTtftMs: 2000, maxItlMs: null, maxE2eMs: null },
    routing: 'least-loaded',
  });
  /** Each line as header → cell (these rows hold no quoted field). */
  const cellsOf = (csv: string): Record<string, string>[] => {
    const [head, ...lines] = csv.split('\r\n').filter((l) => l !== '');
    const headers = head?.split(',') ?? [];
    return lines.map((line) => {
      const cells = line.split(',');
      expect(cells).toHaveLength(headers.length);
      return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
    });
  };

  it('at p99: the rate columns follow the table\'s, before the settings, named with their units', () => {
    const header = toCsv(rateRows(), result.best, request, target(99)).split('\r\n')[0] ?? '';
    const tableHeaders = CSV_COLUMNS.map((c) => c.header).join(',');
    expect(header).toBe(
      `${tableHeaders},Target rate (requests/s),Plan at target,Copies needed,GPUs for the target,Cost of the copies (USD/h),$/M output tokens at target (USD),` +
        'p99 TTFT at target (ms),p99 ITL at target (ms),p99 E2E at target (ms),Max rate per copy (requests/s),SLO basis,Routing,Copies saved by routing,Async scheduling,Prefix cache,Speculative decoding',
    );
  });

  it('a planned row carries its copies, cost, simulated latencies at the percentile, routing and basis, unformatted', () => {
    const [row] = cellsOf(toCsv(rateRows(), result.best, request, target(99)));
    expect(row).toMatchObject({
      'Target rate (requests/s)': '40',
      'Plan at target': 'planned',
      'Copies needed': '2',
      'GPUs for the target': '2',
      'Cost of the copies (USD/h)': '6.00',
      '$/M output tokens at target (USD)': '0.4321',
      'p99 TTFT at target (ms)': '1234.50',
      'p99 ITL at target (ms)': '45.600',
      'p99 E2E at target (ms)': '7000.0',
      'Max rate per copy (requests/s)': '15.500',
      'Meets SLO': 'yes',
      'SLO basis': 'simulated',
      Routing: 'least-loaded',
      'Copies saved by routing': '1',
    });
  });

  it('a row waiting for the simulator, an unreachable one, one without a plan and one that does not fit: no figure is guessed', () => {
    const [, wait, unreach, none, noFit] = cellsOf(toCsv(rateRows(), result.best, request, target(99)));
    const figures = ['Copies needed', 'GPUs for the target', 'Cost of the copies (USD/h)', '$/M output tokens at target (USD)', 'p99 TTFT at target (ms)', 'p99 ITL at target (ms)', 'p99 E2E at target (ms)', 'Copies saved by routing'];
    for (const row of [wait, unreach, none, noFit]) for (const f of figures) expect(row?.[f]).toBe('');
    expect(wait).toMatchObject({ 'Target rate (requests/s)': '40', 'Plan at target': 'not simulated yet', 'SLO basis': 'closed-form estimate', Routing: '', 'Max rate per copy (requests/s)': '' });
    // Simulated: no rate meets the limits, under the target's router.
    expect(unreach).toMatchObject({ 'Plan at target': 'SLO unreachable', 'SLO basis': 'simulated', 'Meets SLO': 'no', Routing: 'least-loaded', 'Max rate per copy (requests/s)': '0.000' });
    expect(none).toMatchObject({ 'Target rate (requests/s)': '', 'Plan at target': '', 'SLO basis': 'closed-form estimate', Routing: '' });
    expect(noFit).toMatchObject({ 'Target rate (requests/s)': '', 'Plan at target': '', 'SLO basis': 'not simulated', 'Meets SLO': 'no' });
  });

  it('at another percentile: its latencies, then the table\'s p99 ones', () => {
    const csv = toCsv(rateRows(), result.best, request, target(90));
    expect(csv.split('\r\n')[0]).toContain(',p90 TTFT at target (ms),p90 ITL at target (ms),p90 E2E at target (ms),p99 TTFT at target (ms),p99 ITL at target (ms),p99 E2E at target (ms),');
    expect(cellsOf(csv)[0]).toMatchObject({
      'p90 TTFT at target (ms)': '600.00',
      'p90 ITL at target (ms)': '30.000',
      'p90 E2E at target (ms)': '6000.0',
      'p99 TTFT at target (ms)': '1234.50',
    });
  });

  it('a plan without a routing field was planned under the default random split', () => {
    const rowsNoRouting = rateRows().slice(0, 1).map((r) => ({ ...r, candidate: { ...r.candidate, capacity: { ...planned, routing: undefined, replicasSavedByRouting: undefined } } }));
    expect(cellsOf(toCsv(rowsNoRouting, result.best, request, { ...target(99), routing: undefined }))[0]).toMatchObject({ Routing: 'random', 'Copies saved by routing': '0' });
  });

  it('the JSON carries the target as request.load beside the rows\' plans; none at a concurrency', () => {
    const rateResult = { ...result, candidates: rateRows().map((r) => r.candidate) };
    const parsed: unknown = JSON.parse(toResultJson({ arch: makeArch(), request, result: rateResult, target: target(90) }));
    expect(parsed).toHaveProperty('request.load.slo.percentile', 90);
    expect(parsed).toHaveProperty('request.load.routing', 'least-loaded');
    expect(parsed).toHaveProperty('result.candidates.0.capacity.replicasNeeded', 2);
    expect(parsed).toHaveProperty('result.candidates.0.sloBasis', 'simulated');
    const concurrency: unknown = JSON.parse(toResultJson({ arch: makeArch(), request, result }));
    expect(concurrency).not.toHaveProperty('request.load');
  });
});
