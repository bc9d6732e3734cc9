import { defineConfig } from '@playwright/test';

/**
 * e2e against the BUILT site served under a sub-path (as GitHub Pages serves a project site), in
 * Debian's Chromium: Playwright's own browser download does not work on our machines. Every Hub
 * request is answered from fixtures by request routing (e2e/hubRoutes.ts); nothing reaches the network.
 */
export const BASE_PATH = '/gpu-fit/';
// E2E_PORT lets two checkouts (or helpers) run the suite side by side on one machine.
const PORT = Number(process.env.E2E_PORT ?? 4179);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/output/test-results',
  // The README's screenshot (e2e/screenshot.spec.ts) is compared with the committed image, never
  // rewritten unless asked: UPDATE_SCREENSHOTS=1 rewrites it.
  snapshotPathTemplate: '{testDir}/screenshots/{arg}{ext}',
  updateSnapshots: process.env.UPDATE_SCREENSHOTS === '1' ? 'all' : 'none',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}${BASE_PATH}`,
    trace: 'off',
    launchOptions: {
      // CHROMIUM_PATH='' (GitHub Actions) uses Playwright's own Chromium build.
      executablePath: process.env.CHROMIUM_PATH === '' ? undefined : (process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `node e2e/serve.mjs ${PORT} ${BASE_PATH}`,
    url: `http://127.0.0.1:${PORT}${BASE_PATH}`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
