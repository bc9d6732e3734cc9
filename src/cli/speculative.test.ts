import { describe, expect, it } from 'vitest';
import { runCli } from './runCli';
import { captureIo } from './testIo';

const LLAMA_70B = 'fixtures/hf/meta-llama__Llama-3.1-70B-Instruct/config.json';
const LLAMA_8B = 'fixtures/hf/meta-llama__Llama-3.1-8B/config.json';
const BASE = ['estimate', '--config', LLAMA_70B, '--gpu', 'H100', '--tp', '4', '--isl', '1024', '--osl', '256', '--concurrency', '1', '--num-requests', '20', '--json'];

async function run(argv: string[]) {
  const c = captureIo();
  const code = await runCli(argv, c.io);
  const json = code === 0 ? (JSON.parse(c.out()) as Record<string, unknown>) : null;
  return { code, json, stderr: c.errText() };
}

describe('estimate --spec-method', () => {
  it('reports the settings used and the expected tokens per step, and lowers ITL at batch 1', async () => {
    const base = await run(BASE);
    const eagle = await run([...BASE, '--spec-method', 'eagle3', '--spec-tokens', '3', '--spec-acceptance', '0.8']);
    expect(base.code).toBe(0);
    expect(eagle.code).toBe(0);
    const spec = eagle.json?.speculative as Record<string, unknown>;
    expect(spec).toMatchObject({ method: 'eagle3', tokens: 3, acceptance: 0.8, acceptanceSource: 'user' });
    // (1 − 0.8⁴) / (1 − 0.8) = 2.952
    expect(spec.expectedTokensPerStep).toBeCloseTo(2.952, 3);
    expect(eagle.json?.itlMs as number).toBeLessThan(base.json?.itlMs as number);
    expect(base.json).not.toHaveProperty('speculative');
  });

  it('uses a draft model from --draft-config and the method default acceptance', async () => {
    const r = await run([...BASE, '--spec-method', 'draft', '--spec-tokens', '4', '--draft-config', LLAMA_8B]);
    expect(r.code).toBe(0);
    expect(r.json?.speculative).toMatchObject({ method: 'draft', tokens: 4, acceptance: 0.75 });
    expect((r.json?.speculative as { draftWeightsGiBPerGpu: number }).draftWeightsGiBPerGpu).toBeGreaterThan(0);
  });

  it.each([
    [['--spec-method', 'medusa'], /--spec-method must be one of draft, eagle, eagle3, mtp/],
    [['--spec-method', 'eagle', '--spec-tokens', '0'], /--spec-tokens must be a whole number from 1 to 16/],
    [['--spec-method', 'eagle', '--spec-acceptance', '1.5'], /--spec-acceptance must be a fraction from 0 to 1/],
    [['--spec-tokens', '3'], /--spec-tokens needs --spec-method/],
    [['--spec-method', 'draft'], /--draft-config/],
    [['--spec-method', 'eagle', '--draft-config', LLAMA_8B], /--draft-config is for --spec-method draft/],
  ])('refuses %j with a clear message (exit 2)', async (extra, message) => {
    const r = await run([...BASE, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--spec-topk / --spec-draft-tokens: an SGLang token tree reports its shape, accepts more per step than the chain of the same depth, and a chain\'s JSON has no tree fields', async () => {
    const SG = [...BASE, '--engine', 'sglang', '--spec-method', 'eagle', '--spec-tokens', '5', '--spec-acceptance', '0.7'];
    const chain = await run(SG);
    const tree = await run([...SG, '--spec-topk', '4', '--spec-draft-tokens', '8']);
    expect(chain.code).toBe(0);
    expect(tree.code).toBe(0);
    const c = chain.json?.speculative as Record<string, unknown>;
    const t = tree.json?.speculative as Record<string, unknown>;
    expect(c).not.toHaveProperty('topk');
    expect(t).toMatchObject({ method: 'eagle', tokens: 5, topk: 4, draftTokens: 8 });
    expect(t.expectedTokensPerStep as number).toBeGreaterThan(c.expectedTokensPerStep as number);
    // --spec-topk 1 is the chain exactly.
    const one = await run([...SG, '--spec-topk', '1']);
    expect(one.json).toEqual(chain.json);
  });

  it('refuses a tree without its verified tokens, on another engine, or larger than the tree drafts (exit 2, nothing run)', async () => {
    const SG = [...BASE, '--spec-method', 'eagle', '--spec-tokens', '2'];
    const noCount = await run([...SG, '--engine', 'sglang', '--spec-topk', '4']);
    expect(noCount.code).toBe(2);
    expect(noCount.stderr).toMatch(/--spec-draft-tokens/);
    const vllm = await run([...SG, '--spec-topk', '4', '--spec-draft-tokens', '8']);
    expect(vllm.code).toBe(2);
    expect(vllm.stderr).toMatch(/SGLang only/);
    const tooMany = await run([...SG, '--engine', 'sglang', '--spec-topk', '2', '--spec-draft-tokens', '20']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/at most 7/);
    const stray = await run([...BASE, '--spec-topk', '2']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/needs --spec-method/);
  });

  it('refuses MTP on a config that declares no MTP layers (exit 1)', async () => {
    const r = await run([...BASE, '--spec-method', 'mtp']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no MTP layers/);
  });
});

describe('recommend --spec-method', () => {
  const REC = ['recommend', '--config', LLAMA_8B, '--gpus', 'H100', '--max-gpus', '1', '--isl', '1024', '--osl', '256', '--concurrency', '1', '--json'];
  const itlOf = (json: Record<string, unknown> | null): number => ((json?.candidates as { itlMs: number }[] | undefined)?.[0]?.itlMs ?? NaN);

  it('ranks with the speculative ITL and reports the settings', async () => {
    const base = await run(REC);
    const eagle = await run([...REC, '--spec-method', 'eagle', '--spec-tokens', '2']);
    expect(base.code).toBe(0);
    expect(eagle.code).toBe(0);
    expect(eagle.json?.speculative).toMatchObject({ method: 'eagle', tokens: 2, acceptance: 0.75 });
    expect(itlOf(eagle.json)).toBeLessThan(itlOf(base.json));
  });

  it('with --rate the simulator runs the verify steps: recommend plans with it, estimate reports per-token TPOT below the plain run and per-chunk ITL above it', async () => {
    const r = await run(['recommend', '--config', LLAMA_8B, '--gpus', 'H100', '--max-gpus', '1', '--isl', '1024', '--osl', '256', '--rate', '2', '--num-requests', '150', '--spec-method', 'eagle', '--json']);
    expect(r.code).toBe(0);
    expect(r.json?.speculative).toMatchObject({ method: 'eagle' });
    const candidates = r.json?.candidates as Record<string, unknown>[];
    expect(candidates[0]?.replicasNeeded).toBeGreaterThanOrEqual(1);
    const rate = ['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '1024', '--osl', '256', '--rate', '0.5', '--num-requests', '100', '--json'];
    const plain = await run(rate);
    const eagle = await run([...rate, '--spec-method', 'eagle3', '--spec-tokens', '4']);
    expect(plain.code).toBe(0);
    expect(eagle.code).toBe(0);
    expect((eagle.json?.speculative as Record<string, unknown>).simulatorModelsSpeculation).toBe(true);
    const sim = (x: typeof eagle) => x.json?.simulated as { tpotMs: number; itlMs: number };
    expect(sim(eagle).tpotMs).toBeLessThan(sim(plain).tpotMs);
    // vllm bench serve's ITL: one gap per streamed chunk, and a verify's tokens are one chunk.
    expect(eagle.json?.itlP50Ms as number).toBeGreaterThan(plain.json?.itlP50Ms as number);
    expect(sim(eagle).itlMs).toBeGreaterThan(2 * sim(eagle).tpotMs);
  });
});

describe('estimate --spec-method mtp on a config that declares MTP layers', () => {
  it('loads DeepSeek-V3 MTP layer, shrinks the KV pool and reports it', async () => {
    const DS = ['estimate', '--config', 'fixtures/hf/deepseek-ai__DeepSeek-V3/config.json', '--gpu', 'H200', '--tp', '8', '--isl', '1024', '--osl', '256', '--concurrency', '1', '--num-requests', '10', '--json'];
    const base = await run(DS);
    const mtp = await run([...DS, '--spec-method', 'mtp', '--spec-tokens', '1']);
    expect(base.code).toBe(0);
    expect(mtp.code).toBe(0);
    expect(mtp.json?.speculative).toMatchObject({ method: 'mtp', tokens: 1, acceptance: 0.85 });
    // (1 − 0.85²) / (1 − 0.85) = 1.85
    expect((mtp.json?.speculative as { expectedTokensPerStep: number }).expectedTokensPerStep).toBeCloseTo(1.85, 3);
    expect(mtp.json?.kvCacheTokens as number).toBeLessThan(base.json?.kvCacheTokens as number);
    // One MTP token pays at batch 1 with and without async scheduling. Without it (vLLM before 0.14)
    // the draft's host launch after the verify is serial (the proposer waits for the verify's
    // accepted tokens on the host), so the gain is small. With it (the current release's default;
    // vllm PRs #24799, #31998: padded drafter batch, no host sync in the draft loop) the draft's
    // launch runs under the GPU with the step's other host work (perf/step.ts hideHostPart), and
    // the step is the verify's GPU time (2 rows: ~2× the routed experts touched) plus one MTP
    // layer and the LM head, over E = 1.85 tokens: ~1.3× (published MTP-1 gains at batch 1 are
    // 1.5–1.8×; the verify's doubled expert reads are what the model charges against them).
    const baseSync = await run([...DS, '--no-async-scheduling']);
    const mtpSync = await run([...DS, '--no-async-scheduling', '--spec-method', 'mtp', '--spec-tokens', '1']);
    const syncGain = (baseSync.json?.itlMs as number) / (mtpSync.json?.itlMs as number);
    const asyncGain = (base.json?.itlMs as number) / (mtp.json?.itlMs as number);
    expect(syncGain).toBeGreaterThan(1);
    expect(asyncGain).toBeGreaterThan(1.25);
    expect(asyncGain).toBeGreaterThan(syncGain);
  });
});
