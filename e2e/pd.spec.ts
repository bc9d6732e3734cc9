/**
 * Journey (issue 12 item 5): choose disaggregated prefill/decode serving. With a concurrency load the
 * page says P/D needs a request rate and offers the switch; at a rate the worker sizes the chosen
 * prefill × decode GPU pair, the P/D table, the verdict's P/D sentence and the cost vs TTFT chart of
 * both shapes appear; a P/D row's launch commands use vLLM's NixlConnector; the share link carries the
 * shape, the pools' GPUs and the selected row, and a fresh context opening it shows them again.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEFAULT_MODEL, downloadText, expect, inFreshContext, openApp, setField, test, waitForResults } from './helpers';

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
  await page.getByLabel('Routing', { exact: true }).selectOption('least-loaded');
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

  // The main CSV / JSON carry the P/D row beside the aggregated ones (a Shape column; `disaggregated`).
  const csv = await downloadText(page, /^Download CSV \(\d+ rows \+ 1 P\/D\)$/);
  const header = csv.split('\r\n')[0]?.split(',') ?? [];
  expect(header).toContain('Shape');
  expect(header).toContain('Prefill replicas');
  expect(csv).toMatch(/\r\n,H100>H100,\d*,.*,P\/D,/);
  expect(JSON.parse(await downloadText(page, /^Download JSON$/))).toHaveProperty('disaggregated.0.prefillGpu', 'H100');

  await expect.poll(() => page.url()).toMatch(/pdr=H100%3EH100/);
  const link = page.url();
  expect(link).toMatch(/sh=pd/);
  expect(link).toMatch(/pg=H100/);
  expect(link).toMatch(/dg=H100/);
  expect(link).toMatch(/prt=least-loaded/);
  const verdict = await page.getByTestId('disagg-verdict').innerText();

  await inFreshContext(browser, link, async (fresh) => {
    await expect(fresh.getByLabel('Serving shape', { exact: true })).toHaveValue('pd');
    await expect(fresh.getByLabel('Load', { exact: true })).toHaveValue('rate');
    await expect(fresh.getByLabel('Routing', { exact: true })).toHaveValue('least-loaded');
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

test.describe('on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('P/D rows are cards with their "?", the keyboard moves and selects them, the page never scrolls sideways, and the main export points to the P/D downloads', async ({ page }) => {
    test.setTimeout(120_000);
    // Two prefill GPUs, one decode GPU: two rows to move between; no row selected in the link.
    await openApp(page, { offline: true }, { path: './#v=2&sh=pd&pg=H100,A100-80GB&dg=H100&ld=rate&r=10&n=8' });
    const rows = pdTable(page).locator('tbody tr');
    await expect(rows).toHaveCount(2, { timeout: 60_000 });
    await expect(page.getByRole('status').filter({ hasText: /2 of 2 GPU pairs simulated/ })).toBeVisible({ timeout: 60_000 });
    const [first, second] = [rows.nth(0), rows.nth(1)];

    // Keyboard first (before any tap, so the focus ring shows): one Tab stop, arrows move, Enter selects.
    await expect(first).toHaveAttribute('tabindex', '0');
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await expect(second).toBeFocused();
    expect(await second.evaluate((el) => el.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none')).toBe(true);
    await page.keyboard.press('Enter');
    await expect(second).toHaveAttribute('aria-current', 'true');
    await expect(page.getByRole('region', { name: 'P/D launch commands' })).toContainText('--kv-transfer-config');
    await expect.poll(() => page.url()).toMatch(/pdr=A100-80GB%3EH100/);

    // Cards: each fits the screen and labels its fields; the term fields carry their own "?".
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
    const box = await first.boundingBox();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? Infinity) <= 390).toBe(true);
    for (const label of ['Prefill pool', 'Decode pool', 'p99 TTFT (ms)', 'p99 ITL (ms)', 'GPUs', '$/h', '$/M tokens', 'Aggregated, same GPUs']) {
      await expect(first.locator(`td[data-label="${label}"]`)).toBeVisible();
    }
    const help = first.getByRole('button', { name: 'What is KV transfer?' });
    await expect(help).toBeVisible();
    await help.tap();
    const note = first.getByRole('note', { name: 'About KV transfer' });
    await expect(note).toBeVisible();
    const noteBox = await note.boundingBox();
    expect((noteBox?.x ?? -1) >= 0 && (noteBox?.x ?? 0) + (noteBox?.width ?? Infinity) <= 390).toBe(true);
    await expect(second).toHaveAttribute('aria-current', 'true'); // the tap opened the popover, not the row
    await help.tap();
    await expect(note).toBeHidden();

    // The main export says its CSV/JSON hold the P/D rows too and takes the user to the P/D section's own downloads.
    const exportNote = page.getByRole('note', { name: 'P/D rows in the exports' });
    await exportNote.getByRole('button', { name: 'Go to the P/D downloads' }).tap();
    await expect(page.getByRole('button', { name: 'Download P/D CSV (2 rows)' })).toBeFocused();

    // axe-core: nothing serious or critical in the P/D cards or the export note, light and dark themes.
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const axe = await new AxeBuilder({ page }).include('.disagg-section').include('.disagg-export-note').analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${theme} ${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});
