/**
 * Journeys of issue 14: the answer first. The verdict is above the fold on first load, after loading a
 * Hub model and after a preset change; a failing row shows its fix, and applying it makes that row
 * pass; "Lowest latency" is shown at the lightest load.
 */
import { DEFAULT_MODEL, expect, loadModel, openApp, resultsTable, SMALL_FIXTURE, test, waitForResults } from './helpers';

test('the verdict is above the fold on first load, with its operating point, and a preset change updates it', async ({ page }) => {
  await openApp(page, { offline: true });
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText(`Serve ${DEFAULT_MODEL.split('/')[1] ?? ''} on`);
  await expect(verdict).toContainText(/@ [\d,]+ concurrent/);
  const box = await verdict.boundingBox();
  const viewport = page.viewportSize();
  expect(box).not.toBeNull();
  expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThanOrEqual(viewport?.height ?? 0);

  const before = await verdict.innerText();
  await page.getByRole('radio', { name: 'Batch / offline' }).check();
  await expect(verdict).toContainText('@ saturation');
  expect(await verdict.innerText()).not.toBe(before);
});

test('after loading a Hub model the verdict names it, above the fold; lowest latency is at the lightest load', async ({ page }) => {
  const hubId = 'acme/tiny-model';
  await openApp(page, { offline: false, delayMs: 0, extra: { [hubId]: SMALL_FIXTURE } });
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText(`Serve ${DEFAULT_MODEL.split('/')[1] ?? ''} on`);
  await loadModel(page, hubId);
  await waitForResults(page, hubId);
  await expect(verdict).toContainText('Serve tiny-model on');
  await expect(verdict).toContainText(/@ [\d,]+ concurrent/);
  const box = await verdict.boundingBox();
  expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThanOrEqual(page.viewportSize()?.height ?? 0);
  // The lowest-latency card quotes its figures with one request in flight, whatever the rows' load.
  const lowest = page.locator('.best-pick-lowestLatency');
  await expect(lowest).toContainText('@ 1 concurrent');
  await expect(lowest).toContainText('At the lightest load: one request in flight.');
});

test('a failing row shows its fix; applying it makes that row pass', async ({ page }) => {
  // 64 concurrent requests under a 30 ms ITL limit on two mid-range GPUs: some rows miss it and pass at a lower load.
  await openApp(page, { offline: true }, { path: './#v=2&c=64&ti=30&g=L40S,A100-80GB&s=howToPass' });
  const table = resultsTable(page);
  // A fix of the row's own settings (a layout fix selects another row: the layout it names).
  const fix = table.locator('tbody tr').filter({ has: page.locator('button.apply-fix', { hasNotText: /^Use \d/ }) }).first();
  await expect(fix).toBeVisible();
  const gpu = (await fix.locator('td').nth(1).locator('button').innerText()).trim();
  const count = (await fix.locator('td').nth(2).innerText()).trim();
  const layout = (await fix.locator('td').nth(3).innerText()).replace(/\s*\+\d+ more/, '').trim();
  await fix.locator('button.apply-fix').click();
  // The fixed configuration stays selected across the recompute and now passes.
  const selected = table.locator('tbody tr[aria-current="true"]');
  await expect(selected).toContainText('Passes');
  await expect(selected.locator('td').nth(1)).toContainText(gpu);
  await expect(selected.locator('td').nth(2)).toHaveText(count);
  await expect(selected.locator('td').nth(3)).toContainText(layout);
});

test('the share link restores the selected row; Back steps through input changes', async ({ page, browser }) => {
  await openApp(page, { offline: true });
  await page.getByTestId('verdict').getByRole('button', { name: 'Show this configuration' }).click();
  const table = resultsTable(page);
  const selected = table.locator('tbody tr[aria-current="true"]');
  await expect(selected).toHaveCount(1);
  const selectedText = (await selected.innerText()).replace(/\s+/g, ' ').trim();
  await expect(page.locator('section.row-detail')).toBeFocused();
  await expect.poll(() => page.url()).toMatch(/[#&]row=/);
  const link = page.url();

  const fresh = await browser.newPage();
  await fresh.route(/huggingface\.co/, (route) => route.abort());
  await fresh.goto(link);
  const freshSelected = resultsTable(fresh).locator('tbody tr[aria-current="true"]');
  await expect(freshSelected).toHaveCount(1);
  expect((await freshSelected.innerText()).replace(/\s+/g, ' ').trim()).toBe(selectedText);
  await fresh.close();

  // Back returns to the previous inputs (a preset change pushed a history entry).
  await page.getByRole('radio', { name: 'Code completion' }).check();
  await expect(page.getByRole('radio', { name: 'Code completion' })).toBeChecked();
  await page.goBack();
  await expect(page.getByRole('radio', { name: 'Chat' })).toBeChecked();
  await page.goForward();
  await expect(page.getByRole('radio', { name: 'Code completion' })).toBeChecked();
});
