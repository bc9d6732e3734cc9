/**
 * Journey (issue 12 item 5): choose disaggregated prefill/decode serving. With a concurrency load the
 * page says P/D needs a request rate and offers the switch; at a rate the worker sizes the chosen
 * prefill × decode GPU pair, the P/D table, the verdict's P/D sentence and the cost vs TTFT chart of
 * both shapes appear; a P/D row's launch commands use vLLM's NixlConnector; the share link carries the
 * shape, the pools' GPUs and the selected row, and a fresh context opening it shows them again.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEFAULT_MODEL, expect, inFreshContext, openApp, setField, test, waitForResults } from './helpers';

const pdTable = (page: Page) => page.getByRole('table', { name: 'P/D candidates' });

test('P/D: sized at a request rate, its table, chart and verdict beside aggregated serving, and a link that restores it', async ({ page, browser }) => {
  test.setTimeout(150_000);
  await openApp(page);
  await setField(page, 'Max GPUs per configuration', '8');
  await page.getByLabel('Serving shape', { exact: true }).selectOption('pd');
  // A concurrency load: no P/D plan at a made-up rate, a clear message and the switch instead.
  await expect(page.getByText(/P\/D is sized for a request rate with percentile latency limits; the load is a concurrency/)).toBeVisible();
  await page.getByRole('button', { name: 'Use a request rate' }).click();
  await expect(page.getByLabel('Load', { exact: true })).toHaveValue('rate');
  await setField(page, 'Request rate (requests/s)', '10');
  await page.getByLabel('Prefill GPUs', { exact: true }).selectOption(['H100']);
  await page.getByLabel('Decode GPUs', { exact: true }).selectOption(['H100']);
  await waitForResults(page, DEFAULT_MODEL);

  // The worker sizes the one pair; its row shows each pool as "N × H100".
  const row = pdTable(page).locator('tbody tr[data-pair="H100>H100"]');
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText(/\d+ × H100/);
  await expect(page.getByRole('status').filter({ hasText: /1 of 1 GPU pairs simulated/ })).toBeVisible();
  await expect(page.getByTestId('disagg-verdict')).toContainText(/^P\/D: (prefill \d+ × H100|no prefill\/decode plan)/);
  const chart = page.getByRole('figure', { name: 'Cost against TTFT, P/D and aggregated' });
  await expect(chart.locator('svg.recharts-surface').first()).toBeVisible({ timeout: 30_000 });
  await expect(chart.getByText('P/D plans')).toBeVisible();

  await row.getByRole('button', { name: 'Select P/D H100 → H100' }).click();
  const launch = page.getByRole('region', { name: 'P/D launch commands' });
  await expect(launch).toContainText('--kv-transfer-config');
  await expect(launch).toContainText('NixlConnector');
  // axe-core: nothing serious or critical in the P/D inputs and results.
  const axe = await new AxeBuilder({ page }).include('.disagg-section').include('fieldset.serving-shape').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);

  await expect.poll(() => page.url()).toMatch(/pdr=H100%3EH100/);
  const link = page.url();
  expect(link).toMatch(/sh=pd/);
  expect(link).toMatch(/pg=H100/);
  expect(link).toMatch(/dg=H100/);
  const verdict = await page.getByTestId('disagg-verdict').innerText();

  await inFreshContext(browser, link, async (fresh) => {
    await expect(fresh.getByLabel('Serving shape', { exact: true })).toHaveValue('pd');
    await expect(fresh.getByLabel('Load', { exact: true })).toHaveValue('rate');
    await expect(pdTable(fresh).locator('tbody tr[data-pair="H100>H100"]')).toBeVisible({ timeout: 60_000 });
    await expect(fresh.getByRole('region', { name: 'P/D launch commands' })).toContainText('--kv-transfer-config');
    // The same inputs give the same P/D answer (the simulator is seeded).
    await expect(fresh.getByTestId('disagg-verdict')).toHaveText(verdict);
  });
});

test('a tampered P/D link value is refused with a notice and the rest of the link kept', async ({ page }) => {
  await openApp(page, { offline: true }, { path: './#v=2&sh=pd&pg=H100,H200,A100-80GB,L40S,B200&ld=rate' });
  await expect(page.getByText(/prefill GPU types .* was ignored: it lists 5 GPU types; a P\/D pool pairs at most 4/)).toBeVisible();
  await expect(page.getByLabel('Serving shape', { exact: true })).toHaveValue('pd');
});
