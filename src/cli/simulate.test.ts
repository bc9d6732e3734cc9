import { describe, expect, it } from 'vitest';
import { runCli } from './runCli';
import { captureIo } from './testIo';

const LLAMA_8B = 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct/config.json';


async function estimate(args: string[]): Promise<{ code: number; json: Record<string, unknown>; errs: string }> {
  const c = captureIo();
  const code = await runCli(['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '1000', '--osl', '200', '--num-requests', '300', ...args, '--json'], c.io);
  return { code, json: code === 0 ? (JSON.parse(c.out()) as Record<string, unknown>) : {}, errs: c.errText() };
}

describe('gpu-fit estimate with the request-level simulator (issue 10 CLI contract)', () => {
  it('--concurrency keeps the closed form\'s mean fields and adds the simulated percentiles', async () => {
    const { code, json } = await estimate(['--concurrency', '8']);
    expect(code).toBe(0);
    for (const field of ['ttftMs', 'itlMs', 'e2eMs', 'requestsPerS', 'outputTokensPerS', 'ttftP50Ms', 'ttftP90Ms', 'ttftP99Ms', 'itlP50Ms', 'itlP90Ms', 'itlP99Ms', 'e2eP50Ms', 'e2eP99Ms', 'goodputRequestsPerS', 'preemptions', 'simulatedRequests']) {
      expect(typeof json[field], field).toBe('number');
    }
    expect(json.simulatedRequests).toBe(300);
    expect(json.ttftP99Ms as number).toBeGreaterThanOrEqual(json.ttftP50Ms as number);
    expect(json.maxRateMeetingSloRequestsPerS).toBeNull();
  });

  it('--rate simulates an open loop; p99 SLOs give the largest rate meeting them, below an overloading rate', async () => {
    const light = await estimate(['--rate', '1', '--seed', '3']);
    expect(light.code).toBe(0);
    expect(light.json.rate).toBe(1);
    // Below saturation the replica completes what is offered.
    expect(light.json.requestsPerS as number).toBeGreaterThan(0.8);
    expect(light.json.requestsPerS as number).toBeLessThan(1.2);
    const slo = await estimate(['--rate', '1', '--max-ttft-p99-ms', '3000', '--max-itl-p99-ms', '200']);
    expect(typeof slo.json.maxRateMeetingSloRequestsPerS).toBe('number');
    expect(slo.json.maxRateMeetingSloRequestsPerS as number).toBeGreaterThan(1);
  });

  it('--osl-range reaches the closed form too: an all-at-once run of varying answers ends with its longest (perf/burstTail.ts)', async () => {
    // 300 chat-sized requests (100 prompt tokens: a short prefill phase), all running at once.
    const burst = async (extra: string[]): Promise<number> => {
      const c = captureIo();
      const args = ['estimate', '--config', LLAMA_8B, '--gpu', 'H100', '--isl', '100', '--osl', '300', '--num-requests', '300', '--concurrency', 'max', ...extra, '--json'];
      expect(await runCli(args, c.io)).toBe(0);
      return (JSON.parse(c.out()) as { requestsPerS: number }).requestsPerS;
    };
    expect(await burst(['--osl-range', '0.9'])).toBeLessThan(await burst([]));
    // A closed loop's steady state does not read the spread.
    expect((await estimate(['--concurrency', '8', '--osl-range', '0.9'])).json.itlMs).toBe((await estimate(['--concurrency', '8'])).json.itlMs);
  });

  it('refuses both loads at once, and limits of two kinds at once', async () => {
    expect((await estimate(['--rate', '2', '--concurrency', '8'])).errs).toMatch(/--concurrency or --rate, not both/);
    expect((await estimate([])).errs).toMatch(/--concurrency .* or --rate/);
    expect((await estimate(['--rate', '2', '--max-ttft-p99-ms', '100', '--max-itl-ms', '5'])).errs).toMatch(/not both/);
    expect((await estimate(['--rate', '0'])).errs).toMatch(/--rate must be requests per second above 0/);
    expect((await estimate(['--rate', '2', '--slo-percentile', '80', '--max-ttft-ms', '100'])).errs).toMatch(/--slo-percentile must be one of 50, 90, 95, 99/);
  });
});
