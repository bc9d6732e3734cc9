/**
 * Journey (issue 14, charts read at a glance): hovering a point of the latency-vs-cost chart names
 * its GPU, layout, load, TTFT, ITL and $/h; clicking it selects that configuration's row in the table
 * (the same selection as a click in the table: the row is marked, its detail opens, the link carries it).
 * Dragging across the plot zooms to the dragged range and "Reset zoom" undoes it; the pick labels do
 * not overlap each other.
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

test('dragging across the plot zooms in, the labels keep apart, and "Reset zoom" shows everything again', async ({ page }) => {
  await openApp(page);
  const chart = page.locator('.latency-cost-chart');
  const labels = chart.locator('.pick-labels text');
  await expect(labels.first()).toBeVisible();
  // The pick labels as laid out by the browser: no two overlap.
  const boxes = (await labels.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect))).filter((b) => b.width > 0);
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const [a, b] = [boxes[i] as DOMRect, boxes[j] as DOMRect];
      const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      expect(overlap, `labels ${i} and ${j}`).toBe(false);
    }
  }
  const points = chart.locator('.recharts-scatter-symbol');
  const before = await points.count();
  const plot = await chart.getByTestId('zoom-capture').boundingBox();
  expect(plot).not.toBeNull();
  const { x, y, width, height } = plot ?? { x: 0, y: 0, width: 0, height: 0 };
  // Drag over the left (cheaper) half of the plot, top to bottom.
  await page.mouse.move(x + 2, y + 2);
  await page.mouse.down();
  await page.mouse.move(x + width / 2, y + height / 2, { steps: 5 });
  await expect(chart.locator('.zoom-selection')).toHaveCount(1);
  await page.mouse.move(x + width / 2, y + height - 2, { steps: 5 });
  await page.mouse.up();
  await expect(chart.getByTestId('zoom-note')).toContainText(/^Zoomed to \$/);
  await expect.poll(() => points.count()).toBeLessThan(before);
  await expect(chart.locator('.zoom-selection')).toHaveCount(0);
  // A click on a point still selects its row while zoomed.
  await points.first().click({ force: true });
  await expect(resultsTable(page).locator('tbody tr[aria-current="true"]')).toHaveCount(1);
  await chart.getByRole('button', { name: 'Reset zoom' }).click();
  await expect(chart.getByTestId('zoom-note')).toHaveCount(0);
  await expect.poll(() => points.count()).toBe(before);
});
