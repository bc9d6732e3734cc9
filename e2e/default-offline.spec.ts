/**
 * Journey: open the page with no network at all. The default model is bundled, so its table
 * appears; nothing leaves localhost; the page's semantics are what assistive technology needs.
 */
import { DEFAULT_MODEL, expect, modelField, openApp, resultsTable, test } from './helpers';

test('the default model works offline: a real table with sortable headers, no request leaves localhost', async ({ page, consoleLog }) => {
  const external: string[] = [];
  page.on('request', (request) => {
    const host = new URL(request.url()).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost') external.push(request.url());
  });
  const log = await openApp(page, { offline: true });

  await expect(modelField(page)).toHaveAccessibleName(/Model/);
  await expect(modelField(page)).toHaveValue(DEFAULT_MODEL);
  await expect(page.getByText(/bundled with the page \(works offline\)/)).toBeVisible();
  const table = resultsTable(page);
  expect(await table.evaluate((el) => el.tagName)).toBe('TABLE');
  await expect(table.locator('thead th').first()).toBeVisible();
  // Issue 14: a short default set of columns (tableState.ts DEFAULT_VISIBLE_COLUMNS); the chooser adds the rest.
  expect(await table.locator('thead th[scope="col"]').count()).toBeGreaterThan(8);
  expect(await table.locator('thead th[aria-sort]').count()).toBeGreaterThanOrEqual(8);
  expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
  await expect(table.getByRole('columnheader', { name: 'GPU', exact: true })).toBeVisible();

  expect(log.external).toEqual([]);
  expect(external).toEqual([]);
  // The built page carries a Content-Security-Policy (src/csp.ts) and nothing the app does violates it.
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
  expect(consoleLog.messages.filter((m) => /Content Security Policy/i.test(m))).toEqual([]);
});
