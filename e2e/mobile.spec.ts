/**
 * Journey (issue 14, item 9): a phone, 390 × 844. The Results tab shows the verdict without
 * scrolling past the inputs; the page never scrolls sideways (the table scrolls inside its box, its
 * rows read as cards, each term field with its "?"); the Inputs tab holds the inputs and switching
 * back shows the answer again.
 */
import { expect, modelField, openApp, resultsTable, test } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('on a 390 px phone the verdict is on the first screen, nothing scrolls sideways, and the tabs switch', async ({ page }) => {
  await openApp(page, { offline: true });
  const tabs = page.getByRole('tablist', { name: 'Inputs or results' });
  await expect(tabs).toBeVisible();
  await expect(tabs.getByRole('tab', { name: 'Results' })).toHaveAttribute('aria-selected', 'true');

  // The answer first: the verdict ends inside the first screen.
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toBeVisible();
  const box = await verdict.boundingBox();
  expect(box).not.toBeNull();
  expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThanOrEqual(844);
  // The inputs are on the other tab, not above the answer.
  await expect(modelField(page)).toBeHidden();

  // No page-wide horizontal scroll; the table's rows are cards inside their box.
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
  const table = resultsTable(page);
  const firstRow = table.locator('tbody tr').first();
  await expect(firstRow).toBeVisible();
  const rowBox = await firstRow.boundingBox();
  expect(rowBox?.width ?? Infinity).toBeLessThanOrEqual(390);
  // A card names its fields: the default columns' labels show beside their values.
  await expect(firstRow.locator('td[data-label="GPU"]')).toBeVisible();
  await expect(firstRow.locator('td[data-label="Layout"]')).toBeVisible();
  // The headers (and their "?") are hidden on a phone: each card field that names a term has its own.
  const help = firstRow.getByRole('button', { name: 'What is TTFT?' });
  await expect(help).toBeVisible();
  await help.tap();
  const note = firstRow.getByRole('note', { name: 'About TTFT' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('Time to first token');
  const noteBox = await note.boundingBox();
  expect((noteBox?.x ?? -1) >= 0 && (noteBox?.x ?? 0) + (noteBox?.width ?? Infinity) <= 390).toBe(true);
  await expect(firstRow).not.toHaveAttribute('aria-current', 'true'); // the tap opened the popover, not the row
  await page.getByTestId('verdict').tap();
  await expect(note).toBeHidden();

  // The Inputs tab shows the inputs and hides the answer; Results shows it again.
  await tabs.getByRole('tab', { name: 'Inputs' }).click();
  await expect(tabs.getByRole('tab', { name: 'Inputs' })).toHaveAttribute('aria-selected', 'true');
  await expect(modelField(page)).toBeVisible();
  await expect(verdict).toBeHidden();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await tabs.getByRole('tab', { name: 'Results' }).click();
  await expect(verdict).toBeVisible();
  await expect(modelField(page)).toBeHidden();
});

test('above 900 px there are no tabs: inputs and results side by side', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openApp(page, { offline: true });
  await expect(page.getByRole('tablist', { name: 'Inputs or results' })).toBeHidden();
  await expect(modelField(page)).toBeVisible();
  await expect(page.getByTestId('verdict')).toBeVisible();
});
