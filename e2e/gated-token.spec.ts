/**
 * Journey: a gated model. Without a token the Hub answers 401 and the page asks for one (a password
 * field); a wrong token (403) is refused with a message; the right one loads. The token must appear
 * nowhere but in the Authorization header of requests to huggingface.co and in sessionStorage.
 */
import { DEFAULT_MODEL, downloadText, expect, loadModel, openApp, test, waitForResults } from './helpers';

const GATED = 'acme/gated-model';
const TOKEN = 'hf_e2eSecretToken1234567890';
const WRONG_TOKEN = 'hf_wrongTokenForThisModel000';

test('a gated model asks for a token, refuses a wrong one, loads with the right one; the token leaks nowhere', async ({ page, consoleLog }) => {
  const log = await openApp(page, {
    gated: { [GATED]: { validToken: TOKEN } },
    extra: { [GATED]: 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct' },
  });
  await loadModel(page, GATED);
  const alert = page.getByRole('alert').filter({ hasText: GATED });
  await expect(alert).toContainText(/gated.*token/i);
  const tokenField = page.getByLabel('Hugging Face access token');
  await expect(tokenField).toBeVisible();
  await expect(tokenField).toHaveAttribute('type', 'password');

  await tokenField.fill(WRONG_TOKEN);
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(alert).toContainText(/token was refused/i);

  await tokenField.fill(TOKEN);
  await tokenField.press('Enter'); // Enter in the token field retries too
  await waitForResults(page, GATED);
  expect(DEFAULT_MODEL).not.toBe(GATED);

  // Requests: the token only ever goes to huggingface.co, in the Authorization header.
  const withToken = log.external.filter((r) => r.authorization?.includes(TOKEN));
  expect(withToken.length).toBeGreaterThan(0);
  for (const r of log.external) {
    expect(r.url).not.toContain(TOKEN);
    if (r.authorization !== null) expect(new URL(r.url).hostname).toBe('huggingface.co');
  }
  // Address bar, storage, console.
  expect(page.url()).not.toContain(TOKEN);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(TOKEN);
  expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }))).toContain(TOKEN);
  expect(await page.evaluate(() => document.cookie)).not.toContain(TOKEN);
  expect(consoleLog.messages.join('\n')).not.toContain(TOKEN);
  expect(consoleLog.messages.join('\n')).not.toContain(WRONG_TOKEN);
  // The page's text and markup, outside the password field's value.
  expect(await page.locator('body').innerText()).not.toContain(TOKEN);
  // Exports.
  expect(await downloadText(page, /Download JSON/)).not.toContain(TOKEN);
  expect(await downloadText(page, /Download CSV/)).not.toContain(TOKEN);
  // After a reload the token comes back from sessionStorage (the gated model loads again), still not in the URL.
  await page.reload();
  await waitForResults(page, GATED);
  expect(page.url()).not.toContain(TOKEN);
});
