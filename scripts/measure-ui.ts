/**
 * `npm run measure-ui` (after `npm run build`): speed budgets of issue 5, measured in Debian's
 * Chromium against the built site served under a sub-path (e2e/serve.mjs), every request that is
 * not to the local server aborted. Prints figures, asserts nothing (budgets: FCP < 1 s,
 * input change → updated table < 100 ms).
 *
 * - First contentful paint: performance.getEntriesByType('paint') of a fresh page load.
 * - Input change → updated table: from the `input` event that commits a new "Output tokens per
 *   request" (the field commits on every parsed change, src/ui/inputs/ParsedField.tsx) to the frame
 *   after the results table shows the new result. The table stamps each result it renders in its
 *   `data-result-stamp` attribute (src/ui/results/resultStamp.ts); a MutationObserver sees the new
 *   stamp when React commits, and a requestAnimationFrame + setTimeout(0) after it marks the paint.
 *   The span includes the store's debounce, the worker's compute (its own "Computed in" line is
 *   printed beside) and the main thread's render.
 * - Long tasks: the main thread's tasks over 50 ms in the 3 s after the change (charts included).
 * Median of RUNS fresh pages.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chromium, type Page } from 'playwright-core';

const PORT = 4191;
const BASE = '/gpu-fit/';
const RUNS = 5;
const STEADY_CHANGES = 7;
/** How long after the change long tasks are collected: covers the deferred chart render. */
const LONG_TASK_WINDOW_MS = 3000;
const TABLE = 'table[data-result-stamp]';

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const list = (xs: readonly number[]): string => xs.map((x) => x.toFixed(0)).join(', ');

interface ChangeTiming {
  commitMs: number;
  paintMs: number;
  computeMs: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
}

/** Arms the observers in the page, changes the output tokens, and reads the figures back. */
async function measureChange(page: Page, outputTokens: number): Promise<ChangeTiming> {
  const field = page.getByLabel('Output tokens per request');
  await page.evaluate(
    ({ selector }) => {
      const w = window as unknown as Record<string, number | undefined>;
      const table = document.querySelector(selector);
      const before = table?.getAttribute('data-result-stamp') ?? '';
      w.__t0 = undefined;
      w.__commit = undefined;
      w.__paint = undefined;
      w.__longTasks = 0;
      w.__longMax = 0;
      document.addEventListener(
        'input',
        (event) => {
          if (event.target instanceof HTMLInputElement) w.__t0 = performance.now();
        },
        { capture: true, once: true },
      );
      new PerformanceObserver((entries) => {
        for (const entry of entries.getEntries()) {
          const t0 = w.__t0;
          if (t0 === undefined || entry.startTime < t0) continue;
          w.__longTasks = (w.__longTasks ?? 0) + entry.duration;
          w.__longMax = Math.max(w.__longMax ?? 0, entry.duration);
        }
      }).observe({ type: 'longtask' });
      const observer = new MutationObserver(() => {
        const stamp = document.querySelector(selector)?.getAttribute('data-result-stamp') ?? '';
        if (w.__t0 === undefined || stamp === before) return;
        observer.disconnect();
        w.__commit = performance.now();
        requestAnimationFrame(() => setTimeout(() => (w.__paint = performance.now()), 0));
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-result-stamp'] });
    },
    { selector: TABLE },
  );
  await field.fill(String(outputTokens));
  await page.waitForFunction(() => (window as unknown as { __paint?: number }).__paint !== undefined, undefined, { timeout: 20_000 });
  await page.waitForTimeout(LONG_TASK_WINDOW_MS);
  const computeText = (await page.getByText(/^Computed in /).textContent()) ?? '';
  const computeMs = Number(/([\d.,]+)\s*ms/.exec(computeText)?.[1]?.replace(/,/g, '') ?? Number.NaN);
  const figures = await page.evaluate(() => {
    const w = window as unknown as Record<string, number | undefined>;
    const t0 = w.__t0 ?? Number.NaN;
    return {
      commitMs: (w.__commit ?? Number.NaN) - t0,
      paintMs: (w.__paint ?? Number.NaN) - t0,
      longTaskTotalMs: w.__longTasks ?? 0,
      longTaskMaxMs: w.__longMax ?? 0,
    };
  });
  return { ...figures, computeMs };
}

async function startServer(): Promise<ReturnType<typeof spawn>> {
  const server = spawn(process.execPath, ['e2e/serve.mjs', String(PORT), BASE], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(server.stdout, 'data'); // "serving dist/ at …"
  return server;
}

async function main(): Promise<void> {
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const fcpMs: number[] = [];
    const first: ChangeTiming[] = [];
    const steady: ChangeTiming[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
      await page.goto(`http://127.0.0.1:${PORT}${BASE}`);
      await page.locator(TABLE).locator('tbody tr').first().waitFor();
      fcpMs.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN));
      // The first change after a load runs on a cold JIT in the worker; later ones are what editing feels like.
      first.push(await measureChange(page, 300 + run));
      if (run === 0) for (let i = 1; i <= STEADY_CHANGES; i++) steady.push(await measureChange(page, 300 + 17 * i));
      await context.close();
    }
    const report = (label: string, xs: readonly ChangeTiming[]): void => {
      console.log(
        `[measure-ui] input change → updated table (${label}): median ${median(xs.map((x) => x.paintMs)).toFixed(0)} ms to paint ` +
          `(${list(xs.map((x) => x.paintMs))}); commit ${median(xs.map((x) => x.commitMs)).toFixed(0)} ms; worker compute ${median(xs.map((x) => x.computeMs)).toFixed(0)} ms; ` +
          `long tasks ${median(xs.map((x) => x.longTaskTotalMs)).toFixed(0)} ms (max ${median(xs.map((x) => x.longTaskMaxMs)).toFixed(0)} ms)`,
      );
    };
    console.log(`[measure-ui] first contentful paint: median ${median(fcpMs).toFixed(0)} ms over ${RUNS} loads (${list(fcpMs)})`);
    report(`first change after load, ${RUNS} pages`, first);
    report(`later changes, ${STEADY_CHANGES} in one page`, steady);
  } finally {
    await browser.close();
    server.kill();
  }
}

void main();
