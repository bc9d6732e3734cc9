/**
 * Journey (issue 14 item 8): paste a real vLLM start-up log; the page offers to load the model the
 * log ran, then shows each logged figure beside the plan of the same setup.
 */
import { readFileSync } from 'node:fs';
import { expect, openApp, test, waitForResults } from './helpers';

const LOGGED_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const LOG = readFileSync('fixtures/vllm-logs/llama-3.1-8b-h100-tp1-debug.log', 'utf8');

test('a pasted start-up log: load the model it ran, then every logged figure beside the plan', async ({ page }) => {
  await openApp(page, { offline: false, delayMs: 0, extra: { [LOGGED_MODEL]: 'fixtures/hf/meta-llama__Llama-3.1-8B-Instruct' } });
  await page.getByText('Check a vLLM start-up log').click();
  await page.getByLabel('vLLM start-up log').fill(LOG);
  await page.getByRole('button', { name: `Load ${LOGGED_MODEL}` }).click();
  await waitForResults(page, LOGGED_MODEL);

  const table = page.getByRole('table', { name: 'Logged figures beside the plan' });
  await expect(table.locator('tbody tr')).toHaveCount(8);
  await expect(table.locator('tbody tr').filter({ hasText: 'Model weights' })).toContainText('14.99 GiB');
  await expect(table.locator('tbody tr').filter({ hasText: 'KV cache memory (available)' })).toContainText('58.11 GiB');
  // Every figure matches within the planner's validated tolerance.
  for (const text of await table.locator('tbody tr td:last-child').allInnerTexts()) expect(text.trim()).toBe('matches');
  await expect(page.getByLabel('GPU the log ran on')).toHaveValue('H100');
});
