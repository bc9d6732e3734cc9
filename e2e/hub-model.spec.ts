/**
 * Journey: type a Hub id that is not bundled; the page fetches it through @huggingface/hub (routed
 * to a fixture), shows the loading state, then the table for it.
 */
import { DEFAULT_MODEL, expect, loadModel, modelField, openApp, resultsTable, SMALL_FIXTURE, test, waitForResults } from './helpers';

const HUB_ID = 'acme/tiny-model';

test('a Hub id shows the loading state, then its own table; only huggingface.co is asked', async ({ page }) => {
  const hub = { offline: false, delayMs: 0, extra: { [HUB_ID]: SMALL_FIXTURE } };
  const log = await openApp(page, hub);
  const before = await resultsTable(page).locator('tbody tr').first().innerText();

  hub.delayMs = 700; // long enough to see the loading state
  await loadModel(page, HUB_ID);
  await expect(page.getByRole('status').filter({ hasText: `Loading ${HUB_ID} from the Hugging Face Hub` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await waitForResults(page, HUB_ID);

  await expect(page.getByText(/loaded from the Hugging Face Hub/)).toBeVisible();
  // The model-info answer carried safetensors counts (fixtures/hf/param_counts.csv): the summary uses them.
  await expect(page.getByText(/the Hub's safetensors metadata/)).toBeVisible();
  await expect(modelField(page)).toHaveValue(HUB_ID);
  await expect(page).toHaveURL(new RegExp(`m=${HUB_ID.replace('/', '(/|%2F)')}`));
  expect(await resultsTable(page).locator('tbody tr').first().innerText()).not.toEqual(before);
  const asked = log.external.map((r) => new URL(r.url));
  expect(asked.some((u) => u.pathname.endsWith(`${HUB_ID}/resolve/main/config.json`))).toBe(true);
  expect(asked.some((u) => u.pathname.startsWith(`/api/models/${HUB_ID}`))).toBe(true);
  expect(asked.every((u) => u.hostname === 'huggingface.co')).toBe(true);
  expect(log.external.every((r) => r.authorization === null)).toBe(true);
  expect(DEFAULT_MODEL).not.toBe(HUB_ID);
});
