/** Journey: add a custom GPU (JSON in the form's units); it joins the recommendation and survives a reload. */
import { DEFAULT_MODEL, expect, openApp, resultsTable, test, waitForResults } from './helpers';

test('a custom GPU joins the recommendation and is remembered after a reload', async ({ page }) => {
  await openApp(page);
  await page.getByText(/^Custom GPUs/).click();
  await page.getByText('Import or export as JSON').click();
  const json = page.getByLabel(/Custom GPU JSON/);
  await json.fill('{"name": "Acme X1", "memoryGiB": 94, "memBandwidthGBPerS": -3, "bf16Tflops": 800, "interconnect": "nvlink", "interconnectGBPerS": 450, "gpusPerNode": 8, "tdpWatts": 700, "priceUsdPerHour": 0.5}');
  await page.getByRole('button', { name: 'Import JSON' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /memBandwidthGBPerS/ })).toBeVisible();
  await json.fill('{"name": "Acme X1", "memoryGiB": 94, "memBandwidthGBPerS": 3900, "bf16Tflops": 800, "interconnect": "nvlink", "interconnectGBPerS": 450, "gpusPerNode": 8, "tdpWatts": 700, "priceUsdPerHour": 0.5}');
  await page.getByRole('button', { name: 'Import JSON' }).click();
  await expect(resultsTable(page).locator('tbody tr').filter({ hasText: 'custom:Acme X1' }).first()).toBeVisible();

  await page.reload();
  await waitForResults(page, DEFAULT_MODEL);
  await expect(page.getByText(/^Custom GPUs \(1\)/)).toBeVisible();
  await expect(resultsTable(page).locator('tbody tr').filter({ hasText: 'custom:Acme X1' }).first()).toBeVisible();
});
