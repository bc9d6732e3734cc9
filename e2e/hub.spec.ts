/**
 * Hub failures and gated models (issues 4 and 5): each with a clear message, the other inputs kept,
 * and a retry; the token never leaves the Hub request.
 */
import { expect, test } from '@playwright/test';
import { routeHub } from './hubRoutes';
import { loadModel, waitForResults, watchConsole } from './helpers';

const DEFAULT_MODEL = 'Qwen/Qwen3-8B';
const GATED = 'acme/gated-model';
const TOKEN = 'hf_e2eSecretToken1234567890';

test('a gated model asks for a token, a wrong one is refused, the right one loads; the token leaks nowhere', async ({ page }) => {
  const log = await routeHub(page, {
    gated: { [GATED]: { validToken: TOKEN } },
    extra: { [GATED]: 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct' },
  });
  const seen = watchConsole(page);
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  await loadModel(page, GATED);
  await expect(page.getByRole('alert').filter({ hasText: /token/i })).toBeVisible();
  const tokenField = page.getByLabel('Hugging Face access token');
  await expect(tokenField).toHaveAttribute('type', 'password');

  await tokenField.fill('hf_wrongTokenForThisModel000');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /refused|access|wrong|denied/i })).toBeVisible();

  await tokenField.fill(TOKEN);
  await page.getByRole('button', { name: 'Retry' }).click();
  await waitForResults(page, GATED);

  expect(page.url()).not.toContain(TOKEN);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(stored).not.toContain(TOKEN);
  expect(seen.messages.join('\n')).not.toContain(TOKEN);
  for (const r of log.external) {
    if (r.authorization?.includes(TOKEN)) expect(new URL(r.url).hostname).toBe('huggingface.co');
    expect(r.url).not.toContain(TOKEN);
  }
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /Download JSON/ }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
});

for (const { name, status, message } of [
  { name: 'an unknown model (404)', status: 404, message: /not found|does not exist|no model/i },
  { name: 'rate limiting (429)', status: 429, message: /rate|too many|limit/i },
  { name: 'a server error (500)', status: 500, message: /server|500|error/i },
]) {
  test(`${name} gets a clear message, keeps the inputs, and Retry works once the Hub answers`, async ({ page }) => {
    const statusFor: Record<string, number> = { 'acme/flaky-model': status };
    await routeHub(page, { statusFor, extra: { 'acme/flaky-model': 'fixtures/hf/Qwen__Qwen3-0.6B' } });
    await page.goto('./');
    await waitForResults(page, DEFAULT_MODEL);
    const input = page.getByLabel('Input tokens per request');
    await input.fill('2048');
    await input.press('Enter');
    await loadModel(page, 'acme/flaky-model');
    await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
    await expect(input).toHaveValue('2048');
    delete statusFor['acme/flaky-model'];
    if (status === 404) return; // a missing repo is not retryable: the message is the answer
    await page.getByRole('button', { name: 'Retry' }).click();
    await waitForResults(page, 'acme/flaky-model');
  });
}

test('offline: a Hub id says the network is unreachable and the bundled model still works', async ({ page }) => {
  await routeHub(page, { offline: true });
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  await loadModel(page, 'acme/anything');
  await expect(page.getByRole('alert').filter({ hasText: /offline|network|connect|reach/i })).toBeVisible();
});

test('a config the engine cannot read names the missing field', async ({ page }) => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'gpufit-e2e-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 4096, vocab_size: 32000, num_attention_heads: 32, intermediate_size: 11008, max_position_embeddings: 4096 }));
  await routeHub(page, { extra: { 'acme/broken': dir } });
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  await loadModel(page, 'acme/broken');
  await expect(page.getByText(/num_hidden_layers/)).toBeVisible();
});
