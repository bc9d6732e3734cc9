/**
 * User journeys of issue 4 against the built site under a sub-path, Hub answered from fixtures.
 */
import { expect, test } from '@playwright/test';
import { routeHub } from './hubRoutes';
import { loadModel, resultsTable, topRows, waitForResults, watchConsole } from './helpers';

const DEFAULT_MODEL = 'Qwen/Qwen3-8B';

test('the default model works offline: table with headers, nothing leaves localhost', async ({ page }) => {
  const log = await routeHub(page, { offline: true });
  const seen = watchConsole(page);
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  await expect(page.getByRole('combobox', { name: /Model/ })).toHaveValue(DEFAULT_MODEL);
  const table = resultsTable(page);
  await expect(table.locator('thead th').first()).toBeVisible();
  expect(await table.locator('thead th[aria-sort]').count()).toBeGreaterThan(10);
  expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
  expect(log.external).toEqual([]);
  expect(seen.errors).toEqual([]);
  // The built page carries a Content-Security-Policy (src/csp.ts) and nothing the app does violates it.
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
  expect(seen.messages.filter((m) => /Content Security Policy/i.test(m))).toEqual([]);
  await page.screenshot({ path: 'e2e/output/main-view.png' });
});

test('a Hub id loads through @huggingface/hub, with a loading state, then its table', async ({ page }) => {
  // Served under an id that is not bundled, so the app must fetch it.
  const log = await routeHub(page, { extra: { 'acme/tiny-model': 'fixtures/hf/Qwen__Qwen3-0.6B' } });
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  await loadModel(page, 'acme/tiny-model');
  await waitForResults(page, 'acme/tiny-model');
  expect(log.external.some((r) => r.url.includes('acme/tiny-model'))).toBe(true);
  expect(log.external.every((r) => new URL(r.url).hostname === 'huggingface.co')).toBe(true);
});

test('clicking a column header sorts the table and sets aria-sort', async ({ page }) => {
  await routeHub(page, { offline: true });
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  const header = resultsTable(page).locator('thead th').filter({ has: page.getByRole('button', { name: /^GPUs/ }) });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', /ascending|descending/);
  const first = await header.getAttribute('aria-sort');
  const counts = async () =>
    (await resultsTable(page).locator('tbody tr td:nth-child(3)').allInnerTexts()).map((t) => Number(t.trim()));
  const before = await counts();
  const sorted = [...before].sort((a, b) => (first === 'ascending' ? a - b : b - a));
  expect(before).toEqual(sorted);
  // Keyboard: focus the header button and press Enter to flip the order.
  await header.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(header).not.toHaveAttribute('aria-sort', first ?? '');
  const after = await counts();
  expect(after).toEqual([...after].sort((a, b) => (first === 'ascending' ? b - a : a - b)));
});

test('a share link reproduces the inputs and the top rows in a fresh page', async ({ page, browser }) => {
  await routeHub(page, { offline: true });
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  const output = page.getByLabel('Output tokens per request');
  await output.fill('256');
  await output.press('Enter');
  await expect(page).toHaveURL(/#v=1/);
  await expect.poll(() => page.url()).toMatch(/256/);
  await waitForResults(page, DEFAULT_MODEL);
  await expect(page.getByRole('status', { name: /Computing/ })).toHaveCount(0);
  const link = page.url();
  const rows = await topRows(page, 5);

  const fresh = await (await browser.newContext()).newPage();
  await routeHub(fresh, { offline: true });
  await fresh.goto(link);
  await waitForResults(fresh, DEFAULT_MODEL);
  await expect(fresh.getByLabel('Output tokens per request')).toHaveValue('256');
  expect(await topRows(fresh, 5)).toEqual(rows);
});

test('a tampered link falls back to defaults with a notice and never crashes', async ({ page }) => {
  await routeHub(page, { offline: true });
  const seen = watchConsole(page);
  await page.goto('./#v=1&i=-5&o=abc&c=%E0%A4%A&zz=<script>&g=NOPE');
  await waitForResults(page, DEFAULT_MODEL);
  await expect(page.getByRole('alert').filter({ hasText: /not used/i })).toBeVisible();
  await expect(page.getByLabel('Input tokens per request')).not.toHaveValue('-5');
  await page.goto('./#%%%garbage');
  await waitForResults(page, DEFAULT_MODEL);
  expect(seen.errors).toEqual([]);
});

test('accessibility: no serious or critical axe-core violations on the main view', async ({ page }) => {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  await routeHub(page, { offline: true });
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target.join(' ')})`);
  expect(serious).toEqual([]);
});

test('saved scenarios and price overrides survive a reload; corrupt saved data is reported and reset', async ({ page }) => {
  await routeHub(page, { offline: true });
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  const input = page.getByLabel('Input tokens per request');
  await input.fill('3000');
  await input.press('Enter');
  await page.getByLabel('Scenario name').fill('long prompts');
  await page.getByRole('button', { name: 'Save scenario' }).click();
  await input.fill('100');
  await input.press('Enter');

  await page.goto('./');
  await page.reload();
  await waitForResults(page, DEFAULT_MODEL);
  await page.getByRole('button', { name: 'Load scenario long prompts' }).click();
  await expect(page.getByLabel('Input tokens per request')).toHaveValue('3000');

  await page.evaluate(() => localStorage.setItem('gpu-fit.saved.v1', '{not json'));
  await page.reload();
  await waitForResults(page, DEFAULT_MODEL);
  await expect(page.getByRole('alert').filter({ hasText: /could not be read/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /Load scenario/ })).toHaveCount(0);
});

test('a custom GPU joins the recommendation and is remembered after a reload', async ({ page }) => {
  await routeHub(page, { offline: true });
  await page.goto('./');
  await waitForResults(page, DEFAULT_MODEL);
  await page.getByText(/^Custom GPUs/).click();
  const json = page.getByLabel(/Custom GPU JSON/);
  await json.fill('{"name": "Acme X1", "memoryGiB": 94, "memBandwidthGBPerS": -3, "bf16Tflops": 800, "interconnect": "nvlink", "interconnectGBPerS": 450, "gpusPerNode": 8, "tdpWatts": 700, "priceUsdPerHour": 0.5}');
  await page.getByRole('button', { name: 'Add custom GPU' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /memBandwidthGBPerS/ })).toBeVisible();
  await json.fill('{"name": "Acme X1", "memoryGiB": 94, "memBandwidthGBPerS": 3900, "bf16Tflops": 800, "interconnect": "nvlink", "interconnectGBPerS": 450, "gpusPerNode": 8, "tdpWatts": 700, "priceUsdPerHour": 0.5}');
  await page.getByRole('button', { name: 'Add custom GPU' }).click();
  await expect(resultsTable(page).locator('tbody tr').filter({ hasText: 'custom:Acme X1' }).first()).toBeVisible();

  await page.reload();
  await waitForResults(page, DEFAULT_MODEL);
  await expect(page.getByText(/^Custom GPUs \(1\)/)).toBeVisible();
  await expect(resultsTable(page).locator('tbody tr').filter({ hasText: 'custom:Acme X1' }).first()).toBeVisible();
});
