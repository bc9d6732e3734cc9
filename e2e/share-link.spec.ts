/**
 * Journey: change the inputs and the sort, copy the address, open it in a fresh browser context
 * (no shared storage): the same inputs, the same sort and the same top rows appear.
 */
import { columnHeader, DEFAULT_MODEL, expect, openApp, setField, sortButton, test, topRows, waitForResults, inFreshContext } from './helpers';

test('a share link reproduces the inputs, the sort and the top rows in a fresh context', async ({ page, browser }) => {
  await openApp(page);
  const historyLength = await page.evaluate(() => history.length);
  await setField(page, 'Input tokens per request', '3000');
  await setField(page, 'Output tokens per request', '256');
  await setField(page, 'Max GPUs per configuration', '4');
  await page.getByLabel('KV-cache dtype').selectOption('fp8');
  await sortButton(page, 'TTFT (ms)').click();
  await expect(columnHeader(page, 'TTFT (ms)')).toHaveAttribute('aria-sort', /ascending|descending/);
  await expect.poll(() => page.url()).toMatch(/#v=2&.*i=3000/);
  await expect.poll(() => page.url()).toMatch(/o=256/);
  await waitForResults(page, DEFAULT_MODEL);
  const link = page.url();
  const sort = await columnHeader(page, 'TTFT (ms)').getAttribute('aria-sort');
  const rows = await topRows(page, 8);
  expect(rows.length).toBeGreaterThan(0);
  // Issue 14: input changes push history entries (Back steps through them), at most one per edit
  // (quick successive changes amend the last entry, so typing a number is one entry).
  const grown = (await page.evaluate(() => history.length)) - historyLength;
  expect(grown).toBeGreaterThan(0);
  expect(grown).toBeLessThanOrEqual(5);

  await inFreshContext(browser, link, async (fresh) => {
    await expect(fresh.getByLabel('Input tokens per request', { exact: true })).toHaveValue('3000');
    await expect(fresh.getByLabel('Output tokens per request', { exact: true })).toHaveValue('256');
    await expect(fresh.getByLabel('Max GPUs per configuration', { exact: true })).toHaveValue('4');
    await expect(fresh.getByLabel('KV-cache dtype')).toHaveValue('fp8');
    await expect(columnHeader(fresh, 'TTFT (ms)')).toHaveAttribute('aria-sort', sort ?? '');
    expect(await topRows(fresh, 8)).toEqual(rows);
    await expect(fresh.getByRole('alert').filter({ hasText: /not used/ })).toHaveCount(0);
    expect(fresh.url()).toBe(link);
  });
});
