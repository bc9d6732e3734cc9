import { describe, expect, it } from 'vitest';
import { GPU_IDS } from '../engine/catalog/gpus';
import { COMMANDS } from './commands';
import { runCli } from './runCli';
import { captureIo } from './testIo';

const LLAMA_8B = 'fixtures/hf/meta-llama__Llama-3.1-8B/config.json';

async function runJson(argv: string[], opts?: Parameters<typeof captureIo>[0]) {
  const c = captureIo(opts);
  const code = await runCli(argv, c.io);
  const parsed: unknown = code === 0 ? JSON.parse(c.out()) : null;
  return { code, json: parsed as Record<string, unknown> | null, stderr: c.errText() };
}

function expectOneLineError(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^error: /);
}

describe('plan', () => {
  it('plan prints every contract field for Llama-3.1-8B on one H100 (vLLM: 14.99 GiB of weights)', async () => {
    const { code, json } = await runJson(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--json']);
    expect(code).toBe(0);
    for (const field of [
      'weightsGiBPerGpu',
      'activationGiBPerGpu',
      'nonTorchGiBPerGpu',
      'kvCacheGiBPerGpu',
      'kvCacheTokens',
      'maxConcurrency',
      'maxModelLen',
      'fits',
      'validTp',
      'numGpuBlocks',
      'cudaGraphGiBPerGpu',
      'kvBytesPerToken',
    ]) {
      expect(json, field).toHaveProperty(field);
    }
    expect(json?.fits).toBe(true);
    expect(json?.maxModelLen).toBe(8192);
    // 8,030,261,248 bf16 parameters = 14.96 GiB; vLLM logs "Model loading took 14.99 GiB" (embedding padding etc.).
    expect(json?.weightsGiBPerGpu).toBeGreaterThan(14.9);
    expect(json?.weightsGiBPerGpu).toBeLessThan(15.1);
    // 32 layers × 8 KV heads × 128 × 2 (K,V) × 2 bytes = 131,072 bytes per token.
    expect(json?.kvBytesPerToken).toBe(131_072);
    expect(json?.validTp).toEqual(expect.arrayContaining([1, 2, 4, 8]));
  });

  it('plan without --json prints a readable table with the same fields', async () => {
    const c = captureIo();
    expect(await runCli(['plan', '--config', LLAMA_8B, '--gpu', 'h100'], c.io)).toBe(0);
    expect(c.out()).toContain('weightsGiBPerGpu');
    expect(c.out()).toContain('kvCacheTokens');
  });

  it('plan accepts --params-json as per-dtype counts or as Hub model-info JSON', async () => {
    const files = {
      'counts.json': '{"BF16": 8030261248}',
      'info.json': '{"id": "meta-llama/Llama-3.1-8B", "safetensors": {"parameters": {"BF16": 8030261248}, "total": 8030261248}}',
    };
    for (const path of Object.keys(files)) {
      const { code, json } = await runJson(['plan', '--config', LLAMA_8B, '--params-json', path, '--gpu', 'H100', '--json'], { files });
      expect(code, path).toBe(0);
      expect(json?.paramSource, path).toBe('safetensors');
    }
  });

  it('plan passes --tp, --kv-cache-dtype and --max-model-len through to the plan', async () => {
    const base = await runJson(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--json']);
    const fp8 = await runJson(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--kv-cache-dtype', 'fp8', '--max-model-len', '4096', '--tp', '2', '--json']);
    expect(fp8.code).toBe(0);
    expect(fp8.json?.maxModelLen).toBe(4096);
    expect(fp8.json?.tp).toBe(2);
    // fp8 halves the bytes per element and TP=2 halves the KV heads per rank.
    expect(fp8.json?.kvBytesPerToken).toBe(Number(base.json?.kvBytesPerToken) / 4);
  });
});

describe('bad input', () => {
  it('an unknown GPU exits 2 with one line on stderr and nothing on stdout', async () => {
    const c = captureIo();
    expect(await runCli(['plan', '--config', LLAMA_8B, '--gpu', 'H300'], c.io)).toBe(2);
    expectOneLineError(c.errText());
    expect(c.errText()).toContain('H300');
    expect(c.out()).toBe('');
  });

  it.each([
    [['plan', '--gpu', 'H100'], 2, 'missing --config'],
    [['plan', '--config', LLAMA_8B], 2, 'missing --gpu'],
    [['plan', '--config', 'no/such/config.json', '--gpu', 'H100'], 2, 'missing file'],
    [['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--tp=-1'], 2, 'negative tp'],
    [['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--tp', '-1'], 2, 'negative tp, spaced'],
    [['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--gpu-mem-util', '1.5'], 2, 'utilization above 1'],
    [['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--max-model-len', '-8'], 2, 'negative length'],
    [['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--kv-cache-dtype', 'int3'], 2, 'bad enum'],
    [['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--bogus'], 2, 'unknown flag'],
    [['frobnicate'], 2, 'unknown command'],
    [['plan', '--config', 'bad.json', '--gpu', 'H100'], 1, 'malformed JSON'],
    [['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--tp', '3'], 1, 'tp not valid for the model'],
    [['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '1024', '--osl', '512'], 2, 'missing --concurrency'],
    [['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '-5', '--osl', '512', '--concurrency', '8'], 2, 'negative isl'],
    [['recommend', '--config', LLAMA_8B, '--isl', '1024', '--osl', '512', '--gpus', 'H100,H999'], 2, 'unknown GPU in list'],
  ])('%j exits %i (%s) with one line on stderr', async (argv, exitCode) => {
    const c = captureIo({ files: { 'bad.json': '{"model_type": "llama",' } });
    expect(await runCli(argv, c.io)).toBe(exitCode);
    expectOneLineError(c.errText());
    expect(c.out()).toBe('');
  });
});

describe('help', () => {
  it('--help lists every command and every flag, and exits 0', async () => {
    const c = captureIo();
    expect(await runCli(['--help'], c.io)).toBe(0);
    for (const [name, spec] of Object.entries(COMMANDS)) {
      expect(c.out()).toContain(name);
      for (const flag of Object.keys(spec.flags)) expect(c.out(), `${name} --${flag}`).toContain(`--${flag}`);
    }
  });

  it('<command> --help documents that command’s flags', async () => {
    for (const [name, spec] of Object.entries(COMMANDS)) {
      const c = captureIo();
      expect(await runCli([name, '--help'], c.io)).toBe(0);
      for (const flag of Object.keys(spec.flags)) expect(c.out(), `${name} --${flag}`).toContain(`--${flag}`);
    }
  });

  it('no arguments prints help on stderr and exits 2', async () => {
    const c = captureIo();
    expect(await runCli([], c.io)).toBe(2);
    expect(c.errText()).toContain('Usage:');
  });
});

describe('gpus', () => {
  it('gpus --json lists the whole catalog with sources', async () => {
    const { code, json } = await runJson(['gpus', '--json']);
    expect(code).toBe(0);
    const gpus = json?.gpus;
    expect(Array.isArray(gpus) ? gpus.map((g: { id: string }) => g.id) : null).toEqual([...GPU_IDS]);
  });

  it('gpus prints H100 memory as 79.19 GiB in the table', async () => {
    const c = captureIo();
    expect(await runCli(['gpus'], c.io)).toBe(0);
    expect(c.out()).toMatch(/H100\s+NVIDIA H100 SXM 80GB\s+79\.19/);
  });
});

describe('estimate and recommend', () => {
  it('estimate prints the contract fields', async () => {
    const { code, json, stderr } = await runJson([
      'estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--tp', '1', '--isl', '1024', '--osl', '512', '--concurrency', '32', '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const field of ['ttftMs', 'itlMs', 'e2eMs', 'outputTokensPerS', 'totalTokensPerS', 'requestsPerS', 'bottleneck', 'maxConcurrency', 'costPerHour', 'costPerMillionOutputTokens']) {
      expect(json, field).toHaveProperty(field);
    }
    expect(Number(json?.ttftMs)).toBeGreaterThan(0);
    expect(Number(json?.itlMs)).toBeGreaterThan(0);
  });

  it('estimate accepts --concurrency max', async () => {
    const { code, json } = await runJson([
      'estimate', '--config', LLAMA_8B, '--gpu', 'A100', '--isl', '1024', '--osl', '512', '--concurrency', 'max', '--precision', 'bf16', '--json',
    ]);
    expect(code).toBe(0);
    expect(json?.concurrency).toBe('max');
  });

  it('recommend ranks candidates with the contract fields', async () => {
    const { code, json } = await runJson([
      'recommend', '--config', LLAMA_8B, '--isl', '1024', '--osl', '512', '--max-ttft-ms', '2000', '--gpus', 'H100,L40S', '--max-gpus', '2', '--json',
    ]);
    expect(code).toBe(0);
    expect(json).toHaveProperty('computeMs');
    const candidates = json?.candidates;
    expect(Array.isArray(candidates) && candidates.length > 0).toBe(true);
    const first: unknown = Array.isArray(candidates) ? candidates[0] : null;
    for (const field of ['gpu', 'gpuCount', 'tp', 'pp', 'dp', 'concurrency', 'ttftMs', 'itlMs', 'e2eMs', 'outputTokensPerS', 'costPerHour', 'costPerMillionOutputTokens', 'meetsSlo', 'fits']) {
      expect(first, field).toHaveProperty(field);
    }
    for (const c of Array.isArray(candidates) ? candidates : []) expect(['H100', 'L40S']).toContain((c as { gpu: string }).gpu);
  });
});

describe('--model (Hub)', () => {
  it('falls back to the bundled config when the Hub is unreachable', async () => {
    const { code, json } = await runJson(['plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'H100', '--json']);
    expect(code).toBe(0);
    expect(json?.model).toBe('Qwen/Qwen3-8B');
  });

  it('an unknown model while offline exits 1 with one line', async () => {
    const c = captureIo();
    expect(await runCli(['plan', '--model', 'nobody/no-such-model', '--gpu', 'H100'], c.io)).toBe(1);
    expectOneLineError(c.errText());
  });

  it('never prints the HF_TOKEN, even when the Hub refuses it', async () => {
    const secret = 'hf_THIS_IS_SECRET_123';
    const refuse: typeof fetch = async () => new Response('{"error":"Invalid credentials"}', { status: 401, headers: { 'content-type': 'application/json' } });
    const c = captureIo({ env: { HF_TOKEN: secret }, fetch: refuse });
    expect(await runCli(['plan', '--model', 'meta-llama/Llama-3.1-8B', '--gpu', 'H100'], c.io)).toBe(1);
    expect(c.errText()).not.toContain(secret);
    expect(c.out()).not.toContain(secret);
  });

  it('rejects --config and --model together', async () => {
    const c = captureIo();
    expect(await runCli(['plan', '--config', LLAMA_8B, '--model', 'Qwen/Qwen3-8B', '--gpu', 'H100'], c.io)).toBe(2);
    expectOneLineError(c.errText());
  });
});

describe('vLLM flag names and near misses', () => {
  it('vLLM’s spellings give the same plan as ours (--tensor-parallel-size, -tp, --gpu-memory-utilization)', async () => {
    const ours = await runJson(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--tp', '2', '--gpu-mem-util', '0.8', '--json']);
    const vllm = await runJson(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--tensor-parallel-size', '2', '--gpu-memory-utilization=0.8', '--json']);
    const short = await runJson(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '-tp', '2', '--gpu-memory-utilization', '0.8', '--json']);
    expect(ours.code).toBe(0);
    expect(ours.json?.tp).toBe(2);
    expect(ours.json?.budgetGiB).toBeLessThan(Number(ours.json?.gpuMemoryGiB) * 0.81);
    expect(vllm.json).toEqual(ours.json);
    expect(short.json).toEqual(ours.json);
  });

  it('-pp, -dp and --enable-expert-parallel reach the layout', async () => {
    const { code, json } = await runJson(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '-pp', '2', '--data-parallel-size', '2', '--enable-expert-parallel', '--json']);
    expect(code).toBe(0);
    expect([json?.pp, json?.dp, json?.ep]).toEqual([2, 2, true]);
  });

  it('an unknown flag near a known one exits 2 with "did you mean" on one line', async () => {
    const c = captureIo();
    expect(await runCli(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--max-model-lenn', '4096'], c.io)).toBe(2);
    expectOneLineError(c.errText());
    expect(c.errText()).toContain('did you mean --max-model-len?');
    expect(c.out()).toBe('');
  });

  it('a value out of a shared input rule names the rule’s range (engine/inputRules.ts)', async () => {
    const c = captureIo();
    expect(await runCli(['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--gpu-memory-utilization', '1.5'], c.io)).toBe(2);
    expect(c.errText()).toBe('error: --gpu-mem-util must be a fraction above 0 and at most 1 (e.g. 0.9), got "1.5"');
  });
});

describe('--disable-custom-all-reduce', () => {
  it('drops the custom all-reduce buffers from the non-torch memory on TP2 H100, and changes nothing on TP1', async () => {
    const base = ['plan', '--config', LLAMA_8B, '--gpu', 'H100', '--json'];
    const on = await runJson([...base, '--tp', '2']);
    const off = await runJson([...base, '--tp', '2', '--disable-custom-all-reduce']);
    expect(on.code).toBe(0);
    expect(off.code).toBe(0);
    // memory/overheads.ts: the custom all-reduce's IPC buffers are ~2 GiB per rank (H100 NVLink, TP ≥ 2).
    expect(Number(on.json?.nonTorchGiBPerGpu) - Number(off.json?.nonTorchGiBPerGpu)).toBeGreaterThan(1);
    expect(Number(off.json?.kvCacheGiBPerGpu)).toBeGreaterThan(Number(on.json?.kvCacheGiBPerGpu));
    const tp1 = await runJson(base);
    const tp1Off = await runJson([...base, '--disable-custom-all-reduce']);
    expect(tp1Off.json).toEqual(tp1.json);
  });

  it('estimate and recommend accept it', async () => {
    const estimate = await runJson(['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--tp', '2', '--isl', '1024', '--osl', '128', '--concurrency', '8', '--disable-custom-all-reduce', '--json']);
    expect(estimate.code).toBe(0);
    const rec = await runJson(['recommend', '--config', LLAMA_8B, '--isl', '1024', '--osl', '128', '--gpus', 'H100', '--max-gpus', '2', '--disable-custom-all-reduce', '--json']);
    expect(rec.code).toBe(0);
  });
});

describe('--async-scheduling / --no-async-scheduling (vLLM; perf/asyncScheduling.ts)', () => {
  const estimate = ['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '1024', '--osl', '256', '--concurrency', '16', '--num-requests', '40', '--json'];
  it('is on by default for the current release, and hides step overhead: ITL with it below ITL without', async () => {
    const dflt = await runJson(estimate);
    const on = await runJson([...estimate, '--async-scheduling']);
    const off = await runJson([...estimate, '--no-async-scheduling']);
    expect([dflt.code, on.code, off.code]).toEqual([0, 0, 0]);
    expect(dflt.json?.asyncScheduling).toBe(true);
    expect(on.json?.itlMs).toBe(dflt.json?.itlMs);
    expect(off.json?.asyncScheduling).toBe(false);
    expect(Number(on.json?.itlMs)).toBeLessThan(Number(off.json?.itlMs));
    // One physics: the simulator's steps hide it too (the same step context, engine/sim).
    const simItl = (j: Record<string, unknown> | null): number => Number((j?.simulated as { itlMs?: number } | undefined)?.itlMs);
    expect(simItl(on.json)).toBeLessThan(simItl(off.json));
  });

  it("follows --vllm-version's default: off before 0.14 unless asked for", async () => {
    expect((await runJson([...estimate, '--vllm-version', '0.11'])).json?.asyncScheduling).toBe(false);
    expect((await runJson([...estimate, '--vllm-version', '0.11', '--async-scheduling'])).json?.asyncScheduling).toBe(true);
  });

  it('recommend reports it; both flags at once, or with another engine, are refused', async () => {
    const rec = await runJson(['recommend', '--config', LLAMA_8B, '--isl', '1024', '--osl', '128', '--gpus', 'H100', '--max-gpus', '1', '--no-async-scheduling', '--json']);
    expect(rec.code).toBe(0);
    expect(rec.json?.asyncScheduling).toBe(false);
    const both = await runJson([...estimate, '--async-scheduling', '--no-async-scheduling']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--async-scheduling and --no-async-scheduling disagree/);
    const sglang = await runJson([...estimate, '--engine', 'sglang', '--async-scheduling']);
    expect(sglang.code).toBe(2);
    expect(sglang.stderr).toMatch(/vLLM's flag/);
  });
});

describe('recommend: best layout per GPU type and count', () => {
  type Row = { rank: number; gpu: string; gpuCount: number; tp: number; pp: number; dp: number };
  const argv = ['recommend', '--config', LLAMA_8B, '--isl', '1024', '--osl', '512', '--max-ttft-ms', '2000', '--gpus', 'H100,L40S', '--max-gpus', '4', '--json'];
  const rowsOf = (json: Record<string, unknown> | null): Row[] => (Array.isArray(json?.candidates) ? (json.candidates as Row[]) : []);

  it('lists by default one row per GPU type × count (plus best picks), in rank order; --all-layouts lists every candidate', async () => {
    const compact = await runJson(argv);
    const all = await runJson([...argv, '--all-layouts']);
    expect(compact.code).toBe(0);
    expect(all.code).toBe(0);
    expect(compact.json?.layouts).toBe('best-per-gpu-count');
    expect(all.json?.layouts).toBe('all');
    const allRows = rowsOf(all.json);
    const compactRows = rowsOf(compact.json);
    expect(allRows).toHaveLength(Number(all.json?.candidateCount));
    expect(compact.json?.candidateCount).toBe(all.json?.candidateCount);
    expect(compactRows.length).toBeLessThan(allRows.length);

    const best = (compact.json?.best ?? {}) as Record<string, number | null>;
    const pickRanks = new Set(Object.values(best).filter((i): i is number => i !== null).map((i) => i + 1));
    const groups = new Set(allRows.map((r) => `${r.gpu}|${r.gpuCount}`));
    // Each hardware group's first row of the full ranking is in the compact list; other rows only as best picks.
    for (const key of groups) {
      const first = allRows.find((r) => `${r.gpu}|${r.gpuCount}` === key);
      expect(compactRows.map((r) => r.rank), key).toContain(first?.rank);
    }
    for (const row of compactRows) {
      const first = allRows.find((r) => r.gpu === row.gpu && r.gpuCount === row.gpuCount);
      expect(first?.rank === row.rank || pickRanks.has(row.rank), `rank ${row.rank}`).toBe(true);
      // The same candidate as in the full list: ranks are the engine's.
      expect(allRows[row.rank - 1]).toEqual(row);
    }
    expect(compactRows.map((r) => r.rank)).toEqual([...compactRows.map((r) => r.rank)].sort((a, b) => a - b));
  });

  it("prints the lowest-latency pick's figures at the lightest load (one request in flight), not at its row's operating point", async () => {
    const { code, json } = await runJson(argv);
    expect(code).toBe(0);
    const point = json?.lowestLatencyPoint as { concurrency: number; e2eMs: number; itlMs: number } | undefined;
    expect(point?.concurrency).toBe(1);
    const lowest = (json?.best as Record<string, number | null>).lowestLatency;
    expect(lowest).not.toBeNull();
    // No listed row runs faster end to end than the pick does with one request in flight.
    for (const row of rowsOf(json) as unknown as { e2eMs: number | null }[]) if (row.e2eMs !== null) expect(point?.e2eMs).toBeLessThanOrEqual(row.e2eMs * (1 + 1e-9));
  });

  it('--top cuts the compact list', async () => {
    const { json } = await runJson([...argv, '--top', '2']);
    expect(rowsOf(json)).toHaveLength(2);
  });

  describe('--compact folds replica copies as the page does (issue 14)', () => {
    type Folded = Row & { replicaCopies?: { rank: number; gpuCount: number; copies: number }[] };
    const eight = argv.map((a, i) => (argv[i - 1] === '--max-gpus' ? '8' : a));

    it('lists fewer rows than the default; each folded row names its copies, which are rows of the full ranking with its TP × PP', async () => {
      const folded = await runJson([...eight, '--compact']);
      const byDefault = await runJson(eight);
      const all = await runJson([...eight, '--all-layouts']);
      expect(folded.code).toBe(0);
      expect(folded.json?.layouts).toBe('compact');
      const rows = rowsOf(folded.json) as Folded[];
      const allRows = rowsOf(all.json);
      expect(rows.length).toBeLessThan(rowsOf(byDefault.json).length);
      const withCopies = rows.filter((r) => r.replicaCopies !== undefined);
      expect(withCopies.length).toBeGreaterThan(0);
      for (const row of withCopies) {
        const copies = row.replicaCopies ?? [];
        expect(copies.length).toBeGreaterThan(1);
        expect(copies.map((c) => c.rank)).toContain(row.rank);
        for (const copy of copies) {
          const same = allRows[copy.rank - 1];
          expect(same?.gpu).toBe(row.gpu);
          expect([same?.tp, same?.pp, same?.gpuCount, same?.dp]).toEqual([row.tp, row.pp, copy.gpuCount, copy.copies]);
        }
      }
      // Every hardware's best row of the full ranking is listed, or folded into a listed row.
      const shown = new Set(rows.flatMap((r) => [r.rank, ...(r.replicaCopies ?? []).map((c) => c.rank)]));
      for (const row of rowsOf(byDefault.json)) expect(shown.has(row.rank), `rank ${row.rank}`).toBe(true);
    });

    it('leaves the default listing without replicaCopies, prints a copies column only when asked, and refuses --all-layouts with it', async () => {
      const byDefault = await runJson(eight);
      expect(rowsOf(byDefault.json).some((r) => 'replicaCopies' in r)).toBe(false);
      const text = captureIo();
      expect(await runCli(eight.filter((a) => a !== '--json').concat('--compact'), text.io)).toBe(0);
      expect(text.out().split('\n')[1]).toMatch(/\+layouts\s+copies$/);
      expect(text.out()).toMatch(/\s1–\d+\n/);
      const plain = captureIo();
      expect(await runCli(eight.filter((a) => a !== '--json'), plain.io)).toBe(0);
      expect(plain.out()).not.toContain('copies');
      const both = await runJson([...eight, '--compact', '--all-layouts']);
      expect(both.code).not.toBe(0);
      expect(both.stderr).toMatch(/--all-layouts .* or --compact .*, not both/);
    });
  });
});
