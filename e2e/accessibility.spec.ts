/**
 * Journey (issue 5): a keyboard and screen-reader user. axe-core finds no serious or critical
 * violation on the main view (light and dark themes), and the table sorts from the keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { columnHeader, expect, modelField, openApp, test } from './helpers';

/** Serious and critical violations, one line each; `rules` limits the check (e.g. to colour contrast). */
async function seriousViolations(page: Page, rules?: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const results = await (rules ? builder.withRules(rules) : builder).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target.join(' ')})`);
}

test('no serious or critical axe-core violations on the main view (light theme; contrast also in dark)', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // The themes differ only in colours: the dark one is checked for contrast (the full run costs ~10 s).
  expect(await seriousViolations(page, ['color-contrast'])).toEqual([]);
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
  await header.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(header).toHaveAttribute('aria-sort', /^(ascending|descending)$/);
  const first = await header.getAttribute('aria-sort');
  await expect(header.getByRole('button')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(header).toHaveAttribute('aria-sort', first === 'ascending' ? 'descending' : 'ascending');
});
