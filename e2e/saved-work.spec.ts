/**
 * Journey (issue 5): saved scenarios and price overrides persist in localStorage and survive a
 * reload; corrupt stored data is reported and reset, not fatal.
 */
import { DEFAULT_MODEL, expect, openApp, test, waitForResults } from './helpers';

test('saved scenarios and price overrides survive a reload; corrupt saved data is reported and reset', async ({ page }) => {
  await openApp(page);
  const input = page.getByLabel('Input tokens per request', { exact: true });
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
  await expect(page.getByLabel('Input tokens per request', { exact: true })).toHaveValue('3000');

  await page.evaluate(() => localStorage.setItem('gpu-fit.saved.v1', '{not json'));
  await page.reload();
  await waitForResults(page, DEFAULT_MODEL);
  await expect(page.getByRole('alert').filter({ hasText: /could not be read/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /Load scenario/ })).toHaveCount(0);
});
