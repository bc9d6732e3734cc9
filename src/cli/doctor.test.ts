import { describe, expect, it } from 'vitest';
import { runCli } from './runCli';
import { captureIo } from './testIo';


describe('gpu-fit doctor', () => {
  it('prints every logged figure beside the plan of the same setup (--json)', async () => {
    const c = captureIo();
    const code = await runCli(
      ['doctor', '--log', 'fixtures/vllm-logs/llama-3.1-8b-h100-tp1-debug.log', '--config', 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct/config.json', '--json'],
      c.io,
    );
    expect(c.errText()).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(c.out()) as { gpu: string; totalMemoryFrom: string; rows: { subject: string; logged: number; matches: boolean }[] };
    expect(json.gpu).toBe('H100');
    expect(json.totalMemoryFrom).toBe('log');
    expect(json.rows.map((r) => r.subject)).toEqual(['weights', 'activation', 'nonTorch', 'kvPool', 'blocks', 'kvTokens', 'maxConcurrency', 'cudaGraphs']);
    expect(json.rows.every((r) => r.matches)).toBe(true);
    expect(json.rows[0]?.logged).toBeCloseTo(14.99, 2);
  });

  it('names the gap and its cause when the config is not the checkpoint the log ran', async () => {
    const c = captureIo();
    const code = await runCli(
      ['doctor', '--log', 'fixtures/vllm-logs/llama-3.3-70b-fp8-h100-tp2.log', '--config', 'fixtures/hf/meta-llama__Llama-3.1-70B-Instruct/config.json'],
      c.io,
    );
    expect(code).toBe(0);
    const text = c.out();
    expect(text).toMatch(/Model weights +33\.88 GiB +65\.74 GiB .*GAP/);
    expect(text).toMatch(/The log ran RedHatAI\/Llama-3.3-70B-Instruct-fp8-dynamic; the plan is of meta-llama\/Llama-3.1-70B-Instruct/);
  });

  it('refuses a missing --log and a file that is no vLLM log', async () => {
    const missing = captureIo();
    expect(await runCli(['doctor'], missing.io)).toBe(2);
    expect(missing.errText()).toMatch(/doctor needs --log/);
    const notLog = captureIo();
    expect(await runCli(['doctor', '--log', 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct/config.json', '--config', 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct/config.json'], notLog.io)).toBe(1);
    expect(notLog.errText()).toMatch(/holds no vLLM start-up line/);
  });
});
