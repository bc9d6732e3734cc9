/**
 * `npm run measure-ui` (after `npm run build`): first contentful paint of the built site on
 * localhost, and the time from committing an input change (Enter in "Output tokens per request")
 * to the table showing new figures, in Debian's Chromium. Median of repeated runs; prints figures,
 * asserts nothing (issue 5 budgets: FCP < 1 s, input-to-table < 100 ms).
 * The input-to-table time includes the store's 100 ms debounce, the worker's compute and React's render.
 */
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const PORT = 4191;
const BASE = '/gpu-fit/';
const RUNS = 5;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['e2e/serve.mjs', String(PORT), BASE], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const fcpMs: number[] = [];
    const inputToTableMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
      await page.goto(`http://127.0.0.1:${PORT}${BASE}`);
      await page.locator('table tbody tr').first().waitFor();
      fcpMs.push(
        await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN),
      );
      // Mark the Enter that commits the change; record the first table update after it.
      await page.evaluate(() => {
        const w = window as unknown as { __t0?: number; __t1?: number };
        document.addEventListener('keydown', (e) => { if (e.key === 'Enter') w.__t0 = performance.now(); }, { capture: true });
        const body = document.querySelector('table tbody');
        const before = body?.textContent ?? '';
        new MutationObserver(() => {
          if (w.__t0 !== undefined && w.__t1 === undefined && (body?.textContent ?? '') !== before) w.__t1 = performance.now();
        }).observe(document.querySelector('main') ?? document.body, { subtree: true, childList: true, characterData: true });
      });
      const field = page.getByLabel('Output tokens per request');
      await field.fill(String(300 + run));
      await field.press('Enter');
      await page.waitForFunction(() => (window as unknown as { __t1?: number }).__t1 !== undefined, undefined, { timeout: 20_000 });
      inputToTableMs.push(await page.evaluate(() => {
        const w = window as unknown as { __t0: number; __t1: number };
        return w.__t1 - w.__t0;
      }));
      await context.close();
    }
    console.log(`[measure-ui] first contentful paint: median ${median(fcpMs).toFixed(0)} ms over ${RUNS} loads (${fcpMs.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`[measure-ui] input change → updated table: median ${median(inputToTableMs).toFixed(0)} ms over ${RUNS} changes (${inputToTableMs.map((x) => x.toFixed(0)).join(', ')})`);
  } finally {
    await browser.close();
    server.kill();
  }
}

void main();
