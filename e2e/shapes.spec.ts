/**
 * Journey (issue 12): a prefix hit rate cuts the table's TTFT and EAGLE-3 speculative decoding its
 * ITL for the same configuration (one GPU, one request in flight, where speculation pays); the share
 * link carries both, and a fresh context opening it shows the same settings and figures. Under SGLang a
 * token tree (top-k, verified tokens) lowers ITL below the chain of the same depth.
 */
import type { Page } from '@playwright/test';
import { columnTexts, DEFAULT_MODEL, expect, openApp, resultsTable, setField, test, waitForResults, inFreshContext } from './helpers';

/** A latency cell ("812 ms", "1.2 s", "9.87 ms") in ms; NaN when it is not one. */
function latencyMs(text: string): number {
  const m = /([\d.,]+)\s*(ms|s)\b/.exec(text);
  if (m === null) return Number.NaN;
  const value = Number((m[1] ?? '').replace(/,/g, ''));
  return m[2] === 's' ? value * 1000 : value;
}

/** Each row's GPU name (the row's select button; the cell also holds best-pick badges, which move). */
async function gpuNames(page: Page): Promise<string[]> {
  return (await resultsTable(page).locator('tbody tr .row-select').allInnerTexts()).map((t) => t.trim());
}

/** The TTFT and ITL of the row whose GPU is `gpu`. */
async function figuresOf(page: Page, gpu: string): Promise<{ ttftMs: number; itlMs: number }> {
  const gpus = await gpuNames(page);
  const row = gpus.indexOf(gpu);
  expect(row, `row of ${gpu}`).toBeGreaterThanOrEqual(0);
  return { ttftMs: latencyMs((await columnTexts(page, 'TTFT (ms)'))[row] ?? ''), itlMs: latencyMs((await columnTexts(page, 'ITL (ms)'))[row] ?? '') };
}

test('a prefix hit rate lowers TTFT, EAGLE-3 lowers ITL, and the share link restores both', async ({ page, browser }) => {
  test.setTimeout(120_000);
  // Hopper GPUs: the EAGLE-3 gain asserted below is Hopper's. On a GPU whose fitted fixed step
  // overhead is large against its batch-1 step (MI355X 1.79 ms, B200 4 ms) the draft loop's host
  // launches eat most of the gain (perf/speculative.ts); that is the engine's figure, not this test's subject.
  await openApp(page, { offline: true }, { path: './#v=2&g=H100,H200' });
  await setField(page, 'Max GPUs per configuration', '1');
  await setField(page, 'Input tokens per request', '4096');
  await page.getByLabel('Concurrency', { exact: true }).selectOption('fixed');
  await setField(page, 'Concurrent requests', '1');
  await waitForResults(page, DEFAULT_MODEL);
  const gpu = (await gpuNames(page))[0] ?? '';
  const before = await figuresOf(page, gpu);
  expect(before.ttftMs).toBeGreaterThan(0);

  await setField(page, 'Prefix hit rate', '0.75');
  await expect.poll(async () => (await figuresOf(page, gpu)).ttftMs).toBeLessThan(0.6 * before.ttftMs);
  const cached = await figuresOf(page, gpu);

  await page.getByLabel('Speculative method', { exact: true }).selectOption('eagle3');
  await expect(page.getByLabel('Acceptance rate', { exact: true })).toHaveAttribute('placeholder', 'default 0.8');
  await expect.poll(async () => (await figuresOf(page, gpu)).itlMs).toBeLessThan(0.8 * cached.itlMs);
  await waitForResults(page, DEFAULT_MODEL);
  const both = await figuresOf(page, gpu);

  await expect.poll(() => page.url()).toMatch(/sm=eagle3/);
  const link = page.url();
  expect(link).toMatch(/ph=0\.75/);

  await inFreshContext(browser, link, async (fresh) => {
    await expect(fresh.getByLabel('Prefix hit rate', { exact: true })).toHaveValue('0.75');
    await expect(fresh.getByLabel('Speculative method', { exact: true })).toHaveValue('eagle3');
    await expect.poll(async () => figuresOf(fresh, gpu)).toEqual(both);
  });
});

test('an SGLang token tree (top-k, verified tokens) accepts more per step than the chain of the same depth, only under SGLang, and travels in the link', async ({ page, browser }) => {
  test.setTimeout(120_000);
  // Hopper GPUs: the EAGLE-3 gain asserted below is Hopper's. On a GPU whose fitted fixed step
  // overhead is large against its batch-1 step (MI355X 1.79 ms, B200 4 ms) the draft loop's host
  // launches eat most of the gain (perf/speculative.ts); that is the engine's figure, not this test's subject.
  await openApp(page, { offline: true }, { path: './#v=2&g=H100,H200' });
  await setField(page, 'Max GPUs per configuration', '1');
  await page.getByLabel('Concurrency', { exact: true }).selectOption('fixed');
  await setField(page, 'Concurrent requests', '1');
  await page.getByLabel('Speculative method', { exact: true }).selectOption('eagle');
  await setField(page, 'Speculative tokens', '5');
  // vLLM verifies chains here: no tree inputs.
  await expect(page.getByLabel('Top-k per step', { exact: true })).toHaveCount(0);
  await page.getByLabel('Serving engine').selectOption('sglang');
  await waitForResults(page, DEFAULT_MODEL);
  const gpu = (await gpuNames(page))[0] ?? '';
  const chain = await figuresOf(page, gpu);
  await expect(page.getByLabel('Verified tokens', { exact: true })).toHaveCount(0);
  await setField(page, 'Top-k per step', '4');
  await expect(page.getByLabel('Verified tokens', { exact: true })).toHaveValue('8');
  await expect.poll(async () => (await figuresOf(page, gpu)).itlMs).toBeLessThan(chain.itlMs);
  await waitForResults(page, DEFAULT_MODEL);
  const tree = await figuresOf(page, gpu);

  await expect.poll(() => page.url()).toMatch(/st=4/);
  const link = page.url();
  await inFreshContext(browser, link, async (fresh) => {
    await expect(fresh.getByLabel('Top-k per step', { exact: true })).toHaveValue('4');
    await expect.poll(async () => figuresOf(fresh, gpu)).toEqual(tree);
  });
});
