/**
 * Shared steps of the e2e journeys: open the app with the Hub routed to fixtures, wait for the
 * table, read its rows, make temporary "Hub repos". Every test built on `test` from this file
 * fails if the page throws (a `pageerror`): no journey may crash the page.
 */
import { test as base, expect, type Browser, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeHub, type HubLog, type HubRouteOptions } from './hubRoutes';

/** The model the page shows with no link (src/state/inputs.ts DEFAULT_INPUTS), bundled with the page. */
export const DEFAULT_MODEL = 'Qwen/Qwen3-8B';
/** A small real config (fixtures/hf), served under ids that are not bundled so the page must fetch them. */
export const SMALL_FIXTURE = 'fixtures/hf/Qwen__Qwen3-0.6B';

export const test = base.extend<{ consoleLog: { messages: string[]; errors: string[] } }>({
  consoleLog: [
    async ({ page }, use) => {
      const seen = { messages: [] as string[], errors: [] as string[] };
      page.on('console', (m) => seen.messages.push(m.text()));
      page.on('pageerror', (e) => seen.errors.push(`${e.name}: ${e.message}`));
      await use(seen);
      expect(seen.errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/**
 * The results table: a real <table> in the "Results" region, named by its caption "Configurations: …"
 * (the region holds other tables, e.g. the replica-versus-TP trade-off).
 */
export const resultsTable = (page: Page): Locator =>
  page.getByRole('region', { name: 'Results' }).getByRole('table', { name: /^Configurations/ });

/** The model field (its accessible name contains "Model", issue 4). */
export const modelField = (page: Page): Locator => page.getByRole('combobox', { name: /Model/ });

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Waits until the table shows rows for `modelId` (the summary line names it) and nothing is computing. */
export async function waitForResults(page: Page, modelId: string): Promise<void> {
  await expect(page.getByText(new RegExp(`configurations for ${escapeRegExp(modelId)}:`))).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /Computing/ })).toHaveCount(0);
  await expect(resultsTable(page).locator('tbody tr').first()).toBeVisible();
}

/**
 * Opens a share link as someone else would: a fresh browser context, the Hub offline, the default
 * model's table waited for; runs `check` on that page, then asserts the page threw nothing and asked
 * nothing of the network.
 */
export async function inFreshContext(browser: Browser, link: string, check: (fresh: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  try {
    const fresh = await context.newPage();
    const errors: string[] = [];
    fresh.on('pageerror', (e) => errors.push(e.message));
    const log = await routeHub(fresh, { offline: true });
    await fresh.goto(link);
    await waitForResults(fresh, DEFAULT_MODEL);
    await check(fresh);
    expect(log.external).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

/** Routes the Hub, opens the page at `path` (relative to the sub-path) and waits for `modelId`'s table. */
export async function openApp(
  page: Page,
  hub: HubRouteOptions = { offline: true },
  { path = './', modelId = DEFAULT_MODEL }: { path?: string; modelId?: string } = {},
): Promise<HubLog> {
  const log = await routeHub(page, hub);
  await page.goto(path);
  await waitForResults(page, modelId);
  return log;
}

/** The text of the first `n` body rows, cell by cell (for comparing two pages). */
export async function topRows(page: Page, n: number): Promise<string[]> {
  const rows = resultsTable(page).locator('tbody tr');
  const count = Math.min(n, await rows.count());
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push((await rows.nth(i).innerText()).replace(/\s+/g, ' ').trim());
  return out;
}

/** The header cell (<th>) whose sort button is named `name` (e.g. 'GPUs', 'TTFT (ms)'). */
export function columnHeader(page: Page, name: string): Locator {
  return resultsTable(page).locator('thead th').filter({ has: page.getByRole('button', { name, exact: true }) });
}

/** A column's sort button (the header also holds its term's "What is …?" button). */
export function sortButton(page: Page, name: string): Locator {
  return columnHeader(page, name).getByRole('button', { name, exact: true });
}

/** The texts of one column's body cells, found by its header's position. */
export async function columnTexts(page: Page, name: string): Promise<string[]> {
  const headers = await resultsTable(page).locator('thead th').all();
  let position = -1;
  for (const [i, th] of headers.entries()) {
    if ((await th.getByRole('button', { name, exact: true }).count()) > 0) position = i;
  }
  expect(position, `column ${name}`).toBeGreaterThanOrEqual(0);
  return (await resultsTable(page).locator(`tbody tr td:nth-child(${position + 1})`).allInnerTexts()).map((t) => t.trim());
}

/** Loads a model id through the model field, as a user would type it. */
export async function loadModel(page: Page, modelId: string): Promise<void> {
  await modelField(page).fill(modelId);
  await page.getByRole('button', { name: 'Load model' }).click();
}

/** Types a value into a labelled numeric field and commits it with Enter. */
export async function setField(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
  await expect(field).toHaveValue(value);
}

/** A temporary folder standing for a Hub repo: file name → contents. */
export function repoDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpufit-e2e-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A fixture's config.json, parsed (to derive broken or huge variants). */
export function fixtureConfig(dir: string = SMALL_FIXTURE): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${dir}/config.json is not an object`);
  return { ...parsed };
}

/** Clicks a download button and returns the downloaded file's text. */
export async function downloadText(page: Page, buttonName: RegExp): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: buttonName }).click();
  const path = await (await download).path();
  return readFileSync(path, 'utf8');
}
