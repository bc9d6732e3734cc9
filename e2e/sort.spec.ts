/**
 * Journey: sort the table by clicking a column header; aria-sort follows and the rows reorder.
 * (Sorting from the keyboard is in accessibility.spec.ts.)
 */
import { columnHeader, columnTexts, expect, openApp, sortButton, test } from './helpers';

/** "8" → 8, "$12.34" → 12.34, "1,234 ms" → 1234; a dash (no value) → NaN. */
function numberIn(text: string): number {
  const match = /-?\d[\d,]*(\.\d+)?/.exec(text);
  return match ? Number(match[0].replace(/,/g, '')) : Number.NaN;
}

/** Whether the numbers (dashes skipped) follow aria-sort's direction; needs at least two numbers. */
function isOrdered(values: number[], direction: string | null): boolean {
  const present = values.filter((v) => !Number.isNaN(v));
  return (
    present.length > 1 &&
    present.every((v, i) => {
      const previous = present[i - 1];
      return previous === undefined || (direction === 'ascending' ? previous <= v : previous >= v);
    })
  );
}

test('clicking a header sorts the rows by that column and sets aria-sort; clicking again reverses', async ({ page }) => {
  await openApp(page);
  for (const name of ['GPUs', '$/hour (USD/h)']) {
    const header = columnHeader(page, name);
    await expect(header).toHaveAttribute('aria-sort', 'none');
    await sortButton(page, name).click();
    await expect(header).toHaveAttribute('aria-sort', /^(ascending|descending)$/);
    const first = await header.getAttribute('aria-sort');
    await expect.poll(async () => isOrdered((await columnTexts(page, name)).map(numberIn), first)).toBe(true);
    const firstValues = (await columnTexts(page, name)).map(numberIn);

    await sortButton(page, name).click();
    const second = first === 'ascending' ? 'descending' : 'ascending';
    await expect(header).toHaveAttribute('aria-sort', second);
    await expect.poll(async () => isOrdered((await columnTexts(page, name)).map(numberIn), second)).toBe(true);
    const secondValues = (await columnTexts(page, name)).map(numberIn);
    // The rows really moved: the first row's value changed (every column here has distinct values).
    expect(secondValues[0]).not.toEqual(firstValues[0]);
    // Only one column is sorted at a time.
    expect(await page.locator('thead th[aria-sort="ascending"], thead th[aria-sort="descending"]').count()).toBe(1);
  }
});
