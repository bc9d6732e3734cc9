/** Shared steps of the e2e journeys: open the app, wait for the table, read its rows. */
import { expect, type Page } from '@playwright/test';

/** The results table (a real <table> inside the "Results" region). */
export const resultsTable = (page: Page) => page.getByRole('region', { name: 'Results' }).getByRole('table');

/** Waits until the table shows rows for `modelId` (the summary line names it). */
export async function waitForResults(page: Page, modelId: string): Promise<void> {
  await expect(page.getByText(new RegExp(`configurations for ${modelId.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`))).toBeVisible();
  await expect(resultsTable(page).locator('tbody tr').first()).toBeVisible();
}

/** The text of the first `n` body rows, cell by cell (for comparing two pages). */
export async function topRows(page: Page, n: number): Promise<string[]> {
  const rows = resultsTable(page).locator('tbody tr');
  const count = Math.min(n, await rows.count());
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push((await rows.nth(i).innerText()).replace(/\s+/g, ' ').trim());
  return out;
}

/** Loads a model id through the model field, as a user would type it. */
export async function loadModel(page: Page, modelId: string): Promise<void> {
  const field = page.getByRole('combobox', { name: /Model/ });
  await field.fill(modelId);
  await page.getByRole('button', { name: 'Load model' }).click();
}

/** Collects console messages and page errors, to assert none leak a token or crash. */
export function watchConsole(page: Page): { messages: string[]; errors: string[] } {
  const seen = { messages: [] as string[], errors: [] as string[] };
  page.on('console', (m) => seen.messages.push(m.text()));
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}
