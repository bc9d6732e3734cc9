/**
 * Journey (issues 5 and 14): a keyboard and screen-reader user. axe-core finds no serious or critical
 * violation on the main view (light and dark themes, wide and phone-sized), the table sorts from the
 * keyboard, and a skip link reaches the table's first row in a few Tabs, from which the arrow keys
 * move between rows, Enter opens the row's detail (which takes focus) and Escape returns to the row.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { columnHeader, expect, modelField, openApp, resultsTable, sortButton, test } from './helpers';

/** Serious and critical violations, one line each; `rules` limits the check (e.g. to colour contrast). */
async function seriousViolations(page: Page, rules?: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const results = await (rules ? builder.withRules(rules) : builder).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target.join(' ')})`);
}

test('no serious or critical axe-core violations on the main view, light and dark themes', async ({ page }) => {
  test.slow(); // two full axe-core runs over ~600 table cells
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await seriousViolations(page)).toEqual([]);
});

test('no serious or critical axe-core violations at 390 px (tabs, table rows as cards; dark theme)', async ({ page }) => {
  test.slow(); // two full axe-core runs
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('tab', { name: 'Inputs' }).click();
  await expect(modelField(page)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('keyboard journey: a skip link reaches the first row in a few Tabs; arrows move, Enter opens the detail, Escape returns', async ({ page }) => {
  await openApp(page);
  const skip = page.getByRole('button', { name: 'Skip to the table' });
  let tabs = 0;
  while (tabs < 5 && !(await skip.evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('Tab');
    tabs += 1;
  }
  expect(tabs).toBeLessThanOrEqual(2);
  await expect(skip).toBeVisible(); // shown while focused
  await page.keyboard.press('Enter');
  const rows = resultsTable(page).locator('tbody tr');
  await expect(rows.first()).toBeFocused();

  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(2)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('End');
  await expect(rows.last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(rows.first()).toBeFocused();
  // One Tab stop for the rows: the row moved to keeps it.
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toHaveAttribute('tabindex', '0');
  await expect(resultsTable(page).locator('tbody tr[tabindex="0"]')).toHaveCount(1);

  await page.keyboard.press('Enter');
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
  const detail = page.locator('section.row-detail');
  await expect(detail).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(rows.nth(1)).toBeFocused();
});

test('the table sorts from the keyboard: Tab to a header button, Enter, then Space', async ({ page }) => {
  await openApp(page);
  // The model field is reachable by keyboard from the top of the page.
  await page.locator('body').press('Tab');
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    reached = await modelField(page).evaluate((el) => el === document.activeElement);
    if (!reached) await page.keyboard.press('Tab');
  }
  expect(reached).toBe(true);

  const header = columnHeader(page, 'TTFT (ms)');
  await expect(header).toHaveAttribute('aria-sort', 'none');
  await sortButton(page, 'TTFT (ms)').focus();
  await page.keyboard.press('Enter');
  await expect(header).toHaveAttribute('aria-sort', /^(ascending|descending)$/);
  const first = await header.getAttribute('aria-sort');
  await expect(sortButton(page, 'TTFT (ms)')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(header).toHaveAttribute('aria-sort', first === 'ascending' ? 'descending' : 'ascending');
});

test('a term popover opens from the keyboard, reads as a note, stays axe-clean and Escape returns to its button', async ({ page }) => {
  await openApp(page);
  const help = columnHeader(page, 'TTFT (ms)').getByRole('button', { name: 'What is TTFT?' });
  await help.focus();
  await expect(help).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  await expect(help).toHaveAttribute('aria-expanded', 'true');
  const note = page.getByRole('note', { name: 'About TTFT' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('Time to first token');
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(note).toBeHidden();
  await expect(help).toBeFocused();
  // The header's sort button still sorts.
  await sortButton(page, 'TTFT (ms)').click();
  await expect(columnHeader(page, 'TTFT (ms)')).toHaveAttribute('aria-sort', /^(ascending|descending)$/);
});
