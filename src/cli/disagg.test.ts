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

const WORKLOAD = ['--config', LLAMA_8B, '--isl', '2048', '--osl', '256', '--num-requests', '150'];
const estimate = (extra: string[]) => run(['estimate', '--disagg', ...WORKLOAD, ...extra]);
const recommend = (extra: string[]) => run(['recommend', '--disagg', ...WORKLOAD, ...extra]);

type Row = Record<string, unknown>;

describe('gpu-fit estimate --disagg (issue 12: P/D disaggregation)', () => {
  it('reports both pools, the KV transfer, the deployment’s latency and cost, aggregated at the same GPUs and the launch commands', async () => {
    const { code, json } = await estimate([
      '--gpu', 'H100', '--prefill-tp', '1', '--decode-tp', '2', '--prefill-replicas', '2', '--decode-replicas', '1',
      '--rate', '10', '--max-ttft-p99-ms', '1500', '--max-itl-p99-ms', '40', '--json',
    ]);
    expect(code).toBe(0);
    expect(json.prefill).toMatchObject({ gpu: 'H100', tp: 1, pp: 1, replicas: 2, gpuCount: 2 });
    expect(json.decode).toMatchObject({ gpu: 'H100', tp: 2, pp: 1, replicas: 1, gpuCount: 2 });
    expect(json.totalGpus).toBe(4);
    expect(json.kvTransferMsPerRequest as number).toBeGreaterThan(0);
    expect((json.kvTransferLink as Row).kind).toBe('nvlink');
    for (const f of ['ttftMs', 'ttftP99Ms', 'itlMs', 'itlP99Ms', 'requestsPerS', 'outputTokensPerS', 'costPerHour', 'costPerMillionOutputTokens']) {
      expect(typeof json[f]).toBe('number');
    }
    const parts = json.ttftParts as Row;
    expect(json.ttftMs as number).toBeCloseTo((parts.prefillMs as number) + (parts.kvTransferMs as number) + (parts.kvReadyStepWaitMs as number) + (parts.decodeFirstTokenMs as number), 0);
    expect(typeof json.meetsSlo).toBe('boolean');
    const agg = json.aggregated as { atEqualGpus: Row; capacityPlan: Row };
    expect(agg.atEqualGpus.totalGpus).toBe(4);
    expect(agg.atEqualGpus.costPerHour).toBe(json.costPerHour);
    const launch = json.launch as { prefill: Row; decode: Row; llmd: Row };
    expect(launch.prefill.command).toContain(`--kv-transfer-config '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'`);
    expect(launch.decode.command).toContain('--tensor-parallel-size 2');
    expect(launch.llmd).toEqual({ prefill: { replicas: 2, parallelism: { tensor: 1 } }, decode: { replicas: 1, parallelism: { tensor: 2 } } });
  });

  it('takes a GPU type per pool and moves the KV over the network between them', async () => {
    const { code, json } = await estimate(['--prefill-gpu', 'H100', '--decode-gpu', 'A100-80GB', '--decode-replicas', '2', '--rate', '4', '--json']);
    expect(code).toBe(0);
    expect((json.prefill as Row).gpu).toBe('H100');
    expect((json.decode as Row).gpu).toBe('A100-80GB');
    expect((json.kvTransferLink as Row).kind).toBe('network');
    expect(json.meetsSlo).toBeNull();
  });

  it.each([
    [['--gpu', 'H100'], /--disagg needs --rate/],
    [['--gpu', 'H100', '--rate', '4', '--concurrency', '8'], /give --rate, not --concurrency/],
    [['--gpu', 'H100', '--rate', '4', '--tp', '2'], /--tp does not apply with --disagg: give --prefill-tp and --decode-tp/],
    [['--rate', '4'], /--disagg needs --gpu \(both pools\) or --prefill-gpu/],
    [['--gpu', 'H100', '--rate', '4', '--prefill-tp', '0'], /--prefill-tp/],
    [['--gpu', 'H100', '--rate', '4', '--decode-gpu', 'Z9000'], /unknown GPU "Z9000" for --decode-gpu/],
    [['--gpu', 'H100', '--rate', '4', '--spec-tokens', '3'], /--spec-tokens needs --spec-method/],
    [['--gpu', 'H100', '--rate', '4', '--decode-dp', '2'], /--decode-dp needs --decode-ep/],
    [['--gpu', 'H100', '--rate', '4', '--ep'], /--ep does not apply with --disagg: give --prefill-ep/],
    [['--gpu', 'H100', '--rate', '4', '--prefix-hit-rate', '1.5'], /prefix-hit-rate/],
    [['--gpu', 'H100', '--rate', '4', '--prefix-tokens', '4096'], /prefix-tokens/],
    [['--gpu', 'H100', '--rate', '4', '--prefill-tp', '2', '--decode-tp', '3'], /must divide one another/],
  ])('refuses %j with a usage error', async (extra, message) => {
    const { code, errs } = await estimate(extra);
    expect(code).toBe(2);
    expect(errs).toMatch(message);
  });

  it('prefix caching: the prefill pool computes the uncached suffix and the transfer carries only what the decode replica lacks', async () => {
    const base = ['--gpu', 'H100', '--prefill-replicas', '1', '--decode-replicas', '1', '--rate', '3', '--json'];
    const cold = await estimate(base);
    const warm = await estimate([...base, '--prefix-tokens', '1024', '--prefix-hit-rate', '0.75']);
    expect(cold.code).toBe(0);
    expect(warm.code).toBe(0);
    expect(cold.json.prefixCache).toBeUndefined();
    // 75 % of 2,048 = 1,536 tokens, whole 16-token blocks: all of them cached; 1,024 shared.
    expect(warm.json.prefixCache).toEqual({ sharedPrefixTokens: 1024, hitRate: 0.75, cachedTokensPerRequest: 1536, sharedPoolTokens: 1024 });
    expect(warm.json.prefillCachedTokensPerRequest).toBe(1536);
    expect(warm.json.kvTransferTokensPerRequest).toBe(2048 - 1536);
    expect(cold.json.kvTransferTokensPerRequest).toBe(2048);
    expect(warm.json.kvTransferBytesPerRequest as number).toBeCloseTo((cold.json.kvTransferBytesPerRequest as number) / 4, -1);
    expect((warm.json.ttftParts as Row).prefillMs as number).toBeLessThan((cold.json.ttftParts as Row).prefillMs as number);
    expect(warm.json.arrivals).toBe('tandem');
    expect(warm.json.routing).toBe('round-robin');
  });

  it('--routing least-loaded: the JSON names it, the run differs from round-robin; random with --disagg, or --routing without a rate, is refused', async () => {
    const base = ['--gpu', 'H100', '--prefill-replicas', '2', '--decode-replicas', '2', '--rate', '6', '--burstiness', '0.3', '--json'];
    const rr = await estimate(base);
    const ll = await estimate([...base, '--routing', 'least-loaded']);
    expect(ll.code).toBe(0);
    expect(ll.json.routing).toBe('least-loaded');
    expect(rr.json.routing).toBe('round-robin');
    expect(ll.json.ttftMs).not.toBe(rr.json.ttftMs);
    // random is the aggregated rate mode's split: refused with --disagg, saying so.
    const bad = await estimate([...base, '--routing', 'random']);
    expect(bad.code).toBe(2);
    expect(bad.errs).toMatch(/--routing random is the aggregated rate mode's split/);
    // Without --disagg --routing is the aggregated router's, which needs a rate.
    const stray = await run(['estimate', ...WORKLOAD, '--gpu', 'H100', '--concurrency', '4', '--routing', 'least-loaded']);
    expect(stray.code).toBe(2);
    expect(stray.errs).toMatch(/--routing needs --rate/);
  });

  it('speculative decoding: the draft in the decode pool only, its KV pool smaller, the speculative block names the pool', async () => {
    const base = ['--gpu', 'H100', '--decode-replicas', '1', '--rate', '2', '--json'];
    const plain = await estimate(base);
    const spec = await estimate([...base, '--spec-method', 'eagle3', '--spec-tokens', '3', '--spec-acceptance', '0.7']);
    expect(spec.code).toBe(0);
    const block = spec.json.speculative as Row;
    expect(block).toMatchObject({ method: 'eagle3', tokens: 3, acceptance: 0.7, acceptanceSource: 'user', pool: 'decode' });
    expect(block.draftWeightsGiBPerGpu as number).toBeGreaterThan(0);
    const decode = spec.json.decode as Row;
    const prefill = spec.json.prefill as Row;
    expect(decode.speculative).toEqual({ method: 'eagle3', tokens: 3, acceptance: 0.7 });
    expect(prefill.speculative).toBeNull();
    expect(decode.kvCacheTokensPerReplica as number).toBeLessThan((plain.json.decode as Row).kvCacheTokensPerReplica as number);
    expect(prefill.kvCacheTokensPerReplica).toBe((plain.json.prefill as Row).kvCacheTokensPerReplica);
    // At two requests a second the decode batch is small: accepted drafts shorten the mean gap per token (TPOT is not in the JSON; E2E is).
    expect(spec.json.e2eMs as number).toBeLessThan(plain.json.e2eMs as number);
  });

  it('expert parallelism per pool (MoE): wide-EP decode replicas of tp × dp GPUs, launched with --enable-expert-parallel', async () => {
    const { code, json } = await run([
      'estimate', '--disagg', '--config', 'fixtures/hf/Qwen__Qwen3-30B-A3B/config.json', '--isl', '1024', '--osl', '128', '--num-requests', '60',
      '--gpu', 'H100', '--prefill-tp', '2', '--decode-ep', '--decode-dp', '4', '--rate', '4', '--json',
    ]);
    expect(code).toBe(0);
    expect(json.decode).toMatchObject({ gpu: 'H100', tp: 1, dp: 4, ep: true, replicas: 1, gpusPerReplica: 4, gpuCount: 4 });
    expect(json.prefill).not.toHaveProperty('ep');
    expect(json.totalGpus).toBe(6);
    expect((json.aggregated as Row).ep).toBe(true);
    const launch = json.launch as { decode: Row; llmd: { decode: Row } };
    expect(launch.decode.command).toContain('--data-parallel-size 4 --enable-expert-parallel');
    expect(launch.llmd.decode).toEqual({ replicas: 1, parallelism: { tensor: 1, data: 4, expert: true } });
  });

  it('refuses MTP for a model without MTP layers, as the aggregated commands do', async () => {
    const { code, errs } = await estimate(['--gpu', 'H100', '--rate', '4', '--spec-method', 'mtp']);
    expect(code).toBe(1);
    expect(errs).toMatch(/declares no MTP layers/);
  });

  it('refuses a pool the model does not fit, naming the pool', async () => {
    const { code, errs } = await run(['estimate', '--disagg', '--config', 'fixtures/hf/meta-llama__Llama-3.1-70B-Instruct/config.json', '--isl', '1024', '--osl', '128', '--gpu', 'L4', '--rate', '1']);
    expect(code).toBe(1);
    expect(errs).toMatch(/prefill pool/);
  });

  it('refuses P/D flags without --disagg', async () => {
    const { code, errs } = await run(['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '100', '--osl', '10', '--concurrency', '1', '--decode-replicas', '2']);
    expect(code).toBe(2);
    expect(errs).toMatch(/--decode-replicas needs --disagg/);
    const ep = await run(['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '100', '--osl', '10', '--concurrency', '1', '--decode-ep']);
    expect(ep.code).toBe(2);
    expect(ep.errs).toMatch(/--decode-ep needs --disagg/);
  });
});

describe('gpu-fit recommend --disagg', () => {
  it('answers each (prefill GPU, decode GPU) pair with the cheapest plan first, compared with aggregated serving', async () => {
    const { code, json } = await recommend(['--prefill-gpus', 'H100,A100-80GB', '--decode-gpus', 'H100', '--rate', '10', '--max-ttft-p99-ms', '1500', '--max-itl-p99-ms', '40', '--max-gpus', '16', '--json']);
    expect(code).toBe(0);
    const rows = json.candidates as Row[];
    expect(rows.map((r) => `${String(r.prefillGpu)}>${String(r.decodeGpu)}`).sort()).toEqual(['A100-80GB>H100', 'H100>H100']);
    expect(rows[0]?.status).toBe('planned');
    const planned = rows.filter((r) => r.status === 'planned');
    const costs = planned.map((r) => r.costPerHour as number);
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
    for (const r of planned) {
      expect(r.meetsSlo).toBe(true);
      expect(r.ttftP99Ms as number).toBeLessThanOrEqual(1500);
      expect(r.itlP99Ms as number).toBeLessThanOrEqual(40);
      expect(r.totalGpus as number).toBeLessThanOrEqual(16);
      expect((r.prefill as Row).replicas as number).toBeGreaterThanOrEqual(1);
      expect(typeof r.kvTransferMsPerRequest).toBe('number');
      expect((r.aggregated as { capacityPlan: Row }).capacityPlan.capacityStatus).toBeDefined();
    }
  });

  it('says when the pools’ lower bounds do not fit the GPU budget', async () => {
    const { code, json } = await recommend(['--gpus', 'H100', '--rate', '60', '--max-gpus', '2', '--json']);
    expect(code).toBe(0);
    expect((json.candidates as Row[])[0]?.status).toBe('over-gpu-budget');
    expect(json.best).toBeNull();
  });

  it('takes prefix caching and a draft for every pair, and says so once at the top', async () => {
    const { code, json } = await recommend(['--gpus', 'H100', '--rate', '6', '--max-gpus', '8', '--prefix-hit-rate', '0.5', '--spec-method', 'eagle', '--json']);
    expect(code).toBe(0);
    expect(json.prefixCache).toMatchObject({ hitRate: 0.5, cachedTokensPerRequest: 1024 });
    expect(json.speculative).toMatchObject({ method: 'eagle', acceptanceSource: expect.stringMatching(/published default/), pool: 'decode' });
    const row = (json.candidates as Row[])[0] as Row;
    expect((row.decode as Row).speculative).toMatchObject({ method: 'eagle' });
    expect(row.kvTransferTokensPerRequest).toBe(1024);
  });

  it.each([
    [['--rate', '4'], /needs the GPU types to pair: --prefill-gpus and --decode-gpus/],
    [['--gpus', 'H100'], /--disagg needs --rate/],
    [['--gpus', 'H100', '--rate', '4', '--all-layouts'], /--all-layouts does not apply with --disagg/],
    [['--prefill-gpus', 'H100,H200,A100,L40S,B200', '--decode-gpus', 'H100,H200,A100,L40S', '--rate', '4'], /more than 16/],
  ])('refuses %j with a usage error', async (extra, message) => {
    const { code, errs } = await recommend(extra);
    expect(code).toBe(2);
    expect(errs).toMatch(message);
  });
});
