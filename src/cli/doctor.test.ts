import { describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { readTextFileFromDisk } from './io';
import { runCli } from './runCli';

function capture(): { io: CliIo; out: string[]; errs: string[] } {
  const out: string[] = [];
  const errs: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => errs.push(t),
    readTextFile: readTextFileFromDisk,
    env: {},
    fetch: async () => {
      throw new TypeError('fetch failed');
    },
  };
  return { io, out, errs };
}

describe('gpu-fit doctor', () => {
  it('prints every logged figure beside the plan of the same setup (--json)', async () => {
    const c = capture();
    const code = await runCli(
      ['doctor', '--log', 'fixtures/vllm-logs/llama-3.1-8b-h100-tp1-debug.log', '--config', 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct/config.json', '--json'],
      c.io,
    );
    expect(c.errs).toEqual([]);
    expect(code).toBe(0);
    const json = JSON.parse(c.out.join('')) as { gpu: string; totalMemoryFrom: string; rows: { subject: string; logged: number; matches: boolean }[] };
    expect(json.gpu).toBe('H100');
    expect(json.totalMemoryFrom).toBe('log');
    expect(json.rows.map((r) => r.subject)).toEqual(['weights', 'activation', 'nonTorch', 'kvPool', 'blocks', 'kvTokens', 'maxConcurrency', 'cudaGraphs']);
    expect(json.rows.every((r) => r.matches)).toBe(true);
    expect(json.rows[0]?.logged).toBeCloseTo(14.99, 2);
  });

  it('names the gap and its cause when the config is not the checkpoint the log ran', async () => {
    const c = capture();
    const code = await runCli(
      ['doctor', '--log', 'fixtures/vllm-logs/llama-3.3-70b-fp8-h100-tp2.log', '--config', 'fixtures/hf/meta-llama__Llama-3.1-70B-Instruct/config.json'],
      c.io,
    );
    expect(code).toBe(0);
    const text = c.out.join('');
    expect(text).toMatch(/Model weights +33\.88 GiB +65\.74 GiB .*GAP/);
    expect(text).toMatch(/The log ran RedHatAI\/Llama-3.3-70B-Instruct-fp8-dynamic; the plan is of meta-llama\/Llama-3.1-70B-Instruct/);
  });

  it('refuses a missing --log and a file that is no vLLM log', async () => {
    const missing = capture();
    expect(await runCli(['doctor'], missing.io)).toBe(2);
    expect(missing.errs.join('')).toMatch(/doctor needs --log/);
    const notLog = capture();
    expect(await runCli(['doctor', '--log', 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct/config.json', '--config', 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct/config.json'], notLog.io)).toBe(1);
    expect(notLog.errs.join('')).toMatch(/holds no vLLM start-up line/);
  });
});
