/**
 * Journey (issue 5): links that are random, truncated or tampered with. The page never crashes (no
 * `pageerror`, checked by the `test` fixture), ignores unknown fields, and falls back to the
 * defaults with a notice for values it cannot use.
 */
import type { Page } from '@playwright/test';
import { DEFAULT_MODEL, expect, modelField, openApp, setField, test, waitForResults } from './helpers';

/** Seeded PRNG (mulberry32), so a failure can be replayed from the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_VALUES = [
  '', '-1', '0', '1e308', 'Infinity', 'NaN', '-0', '0x10', '9'.repeat(400), '1.5', ' 12 ', '%00', '%E0%A4%A', '%',
  '<img src=x onerror=alert(1)>', '"};alert(1);//', '__proto__', 'constructor', '💥🚀', '\u202e', 'a'.repeat(5000),
  'max', 'sweep', 'fp8', 'h100-sxm,,', ',', ':', 'h100-sxm:-3', 'h100-sxm:abc', '-', '--ttft', '-nonsense',
];
const KEYS = ['v', 'm', 'i', 'o', 'c', 'l', 'w', 'k', 'u', 'tt', 'ti', 'te', 'n', 'e', 'g', 'p', 's', 'ff', 'fs', 'fg', '__proto__', 'constructor', 'zz', ''];

/** Fragments derived from a real link: every truncation point, random edits, random pairs, random bytes. */
function fuzzFragments(link: string, seed: number, count: number): string[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const out: string[] = [];
  const step = Math.max(1, Math.floor(link.length / 12));
  for (let cut = 1; cut < link.length; cut += step) out.push(link.slice(0, cut));
  while (out.length < count) {
    const kind = random();
    if (kind < 0.35) {
      // Replace one value of the real link.
      const pairs = link.split('&');
      const at = Math.floor(random() * pairs.length);
      const key = (pairs[at] ?? '').split('=')[0];
      pairs[at] = `${key}=${pick(NASTY_VALUES)}`;
      out.push(pairs.join('&'));
    } else if (kind < 0.6) {
      // Random pairs, duplicated keys included.
      const n = 1 + Math.floor(random() * 6);
      out.push(Array.from({ length: n }, () => `${pick(KEYS)}=${encodeURIComponent(pick(NASTY_VALUES))}`).join('&'));
    } else if (kind < 0.8) {
      // Random printable and non-ASCII characters.
      const n = Math.floor(random() * 80);
      out.push(Array.from({ length: n }, () => String.fromCodePoint(32 + Math.floor(random() * (random() < 0.9 ? 95 : 3000)))).join(''));
    } else {
      // Byte-level flips inside the real link.
      const chars = [...link];
      for (let j = 0; j < 3; j++) chars[Math.floor(random() * chars.length)] = pick(['&', '=', '%', '#', ',', ':', '-', 'x', '9']);
      out.push(chars.join(''));
    }
  }
  return out;
}

/** Makes a fresh document load `fragment` (a same-document hash change would not re-run start-up). */
async function loadFresh(page: Page, fragment: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`./#${fragment}`);
}

test('a tampered link falls back to the defaults with a notice, shown as text', async ({ page }) => {
  await openApp(page, { offline: true }, { path: './#v=1&i=-5&o=abc&c=%E0%A4%A&zz=<script>alert(1)</script>&g=NOPE&n=0' });
  const notice = page.getByRole('alert').filter({ hasText: 'Some settings from the link were not used:' });
  await expect(notice).toBeVisible();
  expect(await notice.getByRole('listitem').count()).toBeGreaterThanOrEqual(4);
  await expect(notice).toContainText(/input tokens \('-5'\) was ignored/);
  await expect(page.getByLabel('Input tokens per request', { exact: true })).toHaveValue('1024');
  await expect(page.getByLabel('Output tokens per request', { exact: true })).toHaveValue('1024');
  await expect(page.getByLabel('Max GPUs per configuration', { exact: true })).toHaveValue('8');
  expect(await page.locator('script:not([src])').count()).toBe(0);
  // The address bar is normalised: the rejected values are gone.
  expect(page.url()).not.toMatch(/i=-5|zz=|NOPE/);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});

test('truncated, random and tampered links never crash the page (fuzz, seeded)', async ({ page }) => {
  await openApp(page);
  await setField(page, 'Input tokens per request', '3000');
  await page.getByLabel('KV-cache dtype').selectOption('fp8');
  await expect.poll(() => page.url()).toMatch(/i=3000.*k=fp8|k=fp8.*i=3000/);
  const link = new URL(page.url()).hash.slice(1);

  // Pasted into the same tab (hashchange): many cases quickly.
  const seed = 20_250_601;
  const fragments = fuzzFragments(link, seed, 60);
  for (const [i, fragment] of fragments.entries()) {
    await page.evaluate((f) => {
      window.location.hash = f;
    }, fragment);
    if (i % 10 === 0) await expect(modelField(page), `seed ${seed}, case ${i}: ${fragment}`).toBeVisible();
  }
  await expect(modelField(page)).toBeVisible();

  // Opened as a new page (start-up decoding): a few truncated and tampered links.
  for (const fragment of [link.slice(0, Math.floor(link.length / 2)), link.replace('i=3000', 'i=3e9'), fragments[fragments.length - 1]!, '%%%garbage', 'v=999&m=../../etc/passwd']) {
    await loadFresh(page, fragment);
    await expect(modelField(page), `fragment ${fragment}`).toBeVisible();
  }
  // And the page still works for an ordinary visit.
  await loadFresh(page, '');
  await waitForResults(page, DEFAULT_MODEL);
});
