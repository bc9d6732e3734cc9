/**
 * Journey (issue 13): choose SGLang, give it a --mem-fraction-static, and see each row's KV pool and
 * KV capacity change; the link carries the choice, and a fresh context restores it and the same
 * figures.
 */
import type { Page } from '@playwright/test';
import { columnTexts, DEFAULT_MODEL, expect, openApp, setField, test, waitForResults, inFreshContext } from './helpers';

const KV_POOL = 'KV pool / GPU (GiB)';
const KV_CAPACITY = 'KV capacity (full-length requests) (requests)';

/** Shows the two memory columns (hidden by default) through the column chooser. */
async function showMemoryColumns(page: Page): Promise<void> {
  await page.getByText(/^Columns \(/).click();
  const list = page.getByRole('list', { name: 'Columns shown' });
  for (const name of [KV_POOL, KV_CAPACITY]) {
    const box = list.getByRole('checkbox', { name });
    if (!(await box.isChecked())) await box.check();
  }
}

/** Row key (GPU · count · layout) → [KV pool, KV capacity] texts, independent of the row order. */
async function memoryByRow(page: Page): Promise<Map<string, [string, string]>> {
  const [gpus, counts, layouts, kv, capacity] = await Promise.all(
    ['GPU', 'GPUs', 'Layout', KV_POOL, KV_CAPACITY].map((name) => columnTexts(page, name)),
  );
  const rows = new Map<string, [string, string]>();
  gpus?.forEach((gpu, i) => rows.set(`${gpu} · ${counts?.[i] ?? ''} · ${layouts?.[i] ?? ''}`, [kv?.[i] ?? '', capacity?.[i] ?? '']));
  return rows;
}

/** The rows both maps have whose KV pool is a number (rows that fit). */
function fittingKeys(a: Map<string, [string, string]>, b: Map<string, [string, string]>): string[] {
  return [...a.keys()].filter((k) => b.has(k) && Number.isFinite(parseFloat(a.get(k)?.[0] ?? '')) && Number.isFinite(parseFloat(b.get(k)?.[0] ?? '')));
}

test('SGLang with a lower --mem-fraction-static shrinks the KV pool and capacity, and the link restores it', async ({ page, browser }) => {
  await openApp(page);
  await setField(page, 'Max GPUs per configuration', '1');
  await page.getByLabel('Serving engine').selectOption('sglang');
  await expect(page.getByLabel('vLLM version')).toHaveCount(0);
  await waitForResults(page, DEFAULT_MODEL);
  await showMemoryColumns(page);
  const before = await memoryByRow(page);

  await setField(page, 'SGLang --mem-fraction-static', '0.5');
  await expect.poll(() => page.url()).toMatch(/smf=0\.5/);
  await waitForResults(page, DEFAULT_MODEL);
  await expect
    .poll(async () => {
      const after = await memoryByRow(page);
      return fittingKeys(before, after).every((k) => parseFloat(after.get(k)?.[0] ?? '') < parseFloat(before.get(k)?.[0] ?? ''));
    })
    .toBe(true);
  const after = await memoryByRow(page);
  const keys = fittingKeys(before, after);
  expect(keys.length).toBeGreaterThan(0);
  for (const k of keys) expect(parseFloat(after.get(k)?.[1] ?? '')).toBeLessThan(parseFloat(before.get(k)?.[1] ?? ''));
  const link = page.url();
  expect(link).toMatch(/e=sglang/);

  await inFreshContext(browser, link, async (fresh) => {
    await expect(fresh.getByLabel('Serving engine')).toHaveValue('sglang');
    await expect(fresh.getByLabel('SGLang --mem-fraction-static', { exact: true })).toHaveValue('0.5');
    await showMemoryColumns(fresh);
    expect(await memoryByRow(fresh)).toEqual(after);
    await expect(fresh.getByRole('alert').filter({ hasText: /ignored/ })).toHaveCount(0);
  });
});

/** Row key (GPU · count · layout) → ITL in ms, independent of the row order. */
async function itlByRow(page: Page): Promise<Map<string, number>> {
  const [gpus, counts, layouts, itl] = await Promise.all(['GPU', 'GPUs', 'Layout', 'ITL (ms)'].map((name) => columnTexts(page, name)));
  const rows = new Map<string, number>();
  gpus?.forEach((gpu, i) => {
    const m = /([\d.,]+)\s*(ms|s)\b/.exec(itl?.[i] ?? '');
    if (m !== null) rows.set(`${gpu} · ${counts?.[i] ?? ''} · ${layouts?.[i] ?? ''}`, Number((m[1] ?? '').replace(/,/g, '')) * (m[2] === 's' ? 1000 : 1));
  });
  return rows;
}

test("vLLM's async scheduling: on by default; unchecking it slows every row's ITL, and the link (as=0) restores it", async ({ page, browser }) => {
  // A fixed concurrency, one GPU per row: each row's ITL is the same operating point before and after.
  await openApp(page, { offline: true }, { path: './#v=2&c=32&n=1' });
  const box = page.getByLabel('Async scheduling');
  await expect(box).toBeChecked();
  const before = await itlByRow(page);
  expect(before.size).toBeGreaterThan(0);

  await box.uncheck();
  await expect.poll(() => page.url()).toMatch(/as=0/);
  await waitForResults(page, DEFAULT_MODEL);
  await expect
    .poll(async () => {
      const after = await itlByRow(page);
      const keys = [...before.keys()].filter((k) => after.has(k));
      return keys.length > 0 && keys.every((k) => (after.get(k) ?? 0) > (before.get(k) ?? Infinity));
    })
    .toBe(true);
  const after = await itlByRow(page);

  await inFreshContext(browser, page.url(), async (fresh) => {
    await expect(fresh.getByLabel('Async scheduling')).not.toBeChecked();
    expect(await itlByRow(fresh)).toEqual(after);
    await expect(fresh.getByRole('alert').filter({ hasText: /ignored/ })).toHaveCount(0);
  });
});
