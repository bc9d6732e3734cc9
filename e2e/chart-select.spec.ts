/**
 * Journey (issue 14, charts read at a glance): hovering a point of the latency-vs-cost chart names
 * its GPU, layout, load, TTFT, ITL and $/h; clicking it selects that configuration's row in the table
 * (the same selection as a click in the table: the row is marked, its detail opens, the link carries it).
 */
import { expect, inFreshContext, openApp, resultsTable, test } from './helpers';

test('clicking a chart point selects its row', async ({ page }) => {
  await openApp(page);
  const chart = page.locator('.latency-cost-chart');
  await expect(chart.getByText('Cost: $ per million output tokens (USD, log scale)')).toBeVisible();
  // The picks are labelled on the chart.
  await expect(chart.locator('svg').getByText(/Recommended|Cheapest in SLO/).first()).toBeVisible();
  // Points overlap (the frontier's diamonds sit on their rows' dots): aim at a point's centre with the
  // mouse; the tooltip names whatever is on top there, and the click must select that configuration.
  const box = await chart.locator('.recharts-scatter-symbol').nth(1).boundingBox();
  expect(box).not.toBeNull();
  const x = (box?.x ?? 0) + (box?.width ?? 0) / 2;
  const y = (box?.y ?? 0) + (box?.height ?? 0) / 2;
  await page.mouse.move(x, y);
  const tooltip = chart.locator('.chart-tooltip');
  await expect(tooltip).toContainText(/TTFT .* · ITL /);
  await expect(tooltip).toContainText(/\/h/);
  await expect(tooltip).toContainText(/concurrent|req\/s|saturation/);
  // "2 × H100 · TP2": the configuration the click must select.
  const title = (await tooltip.locator('strong').innerText()).trim();
  const match = /^(\d+) × (\S+) · (.+)$/.exec(title);
  expect(match, title).not.toBeNull();
  const [, count, gpu, layout] = match ?? [];
  await page.mouse.click(x, y);
  const selected = resultsTable(page).locator('tbody tr[aria-current="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected.locator('td').nth(1)).toContainText(gpu ?? '');
  await expect(selected.locator('td').nth(2)).toHaveText(count ?? '');
  await expect(selected.locator('td').nth(3)).toContainText(layout ?? '');
  await expect.poll(() => page.url()).toMatch(/[#&]row=/);
});

test('the share link restores the compared curves', async ({ page, browser }) => {
  await openApp(page);
  const boxes = resultsTable(page).getByRole('checkbox', { name: /^Compare / });
  await boxes.nth(0).check();
  await boxes.nth(2).check();
  const names = [await boxes.nth(0).getAttribute('aria-label'), await boxes.nth(2).getAttribute('aria-label')];
  await expect.poll(() => page.url()).toMatch(/[#&]cmp=[^&]+,/);
  const link = page.url();
  await inFreshContext(browser, link, async (fresh) => {
    for (const name of names) await expect(resultsTable(fresh).getByRole('checkbox', { name: name ?? '' })).toBeChecked();
    await expect(resultsTable(fresh).getByRole('checkbox', { name: /^Compare /, checked: true })).toHaveCount(2);
    await expect(fresh.locator('.concurrency-chart .recharts-line')).not.toHaveCount(0);
  });
});
