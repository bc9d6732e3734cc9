/**
 * Journey (issue 5): the Hub fails in every way it can. Each failure gets a clear message, the
 * user's other inputs stay as they were, and a retry works once the Hub answers normally. The page
 * offers a "Retry" button for network trouble and for a config from the Hub it could not use (the
 * repository may be fixed upstream); "Load model" again works as well.
 */
import type { Page } from '@playwright/test';
import type { HubRouteOptions } from './hubRoutes';
import { expect, fixtureConfig, loadModel, openApp, repoDir, setField, SMALL_FIXTURE, test, waitForResults } from './helpers';

/** Sets a non-default input, so each case can check the page kept it. */
async function customiseInputs(page: Page): Promise<void> {
  await setField(page, 'Input tokens per request', '2048');
  await setField(page, 'Output tokens per request', '300');
}

async function expectInputsKept(page: Page): Promise<void> {
  await expect(page.getByLabel('Input tokens per request', { exact: true })).toHaveValue('2048');
  await expect(page.getByLabel('Output tokens per request', { exact: true })).toHaveValue('300');
  expect(page.url()).toMatch(/i=2048/);
}

test('404, 429, 500 and offline: a clear message, inputs kept, Retry works once the Hub answers', async ({ page }) => {
  /** `status`: the HTTP status every request about the model gets; 'offline': no network at all. */
  const cases: { id: string; fail: number | 'offline'; message: RegExp }[] = [
    { id: 'acme/missing-model', fail: 404, message: /acme\/missing-model was not found on the Hugging Face Hub/ },
    { id: 'acme/busy-model', fail: 429, message: /rate-limiting requests: retry in 30 s/ },
    { id: 'acme/broken-server', fail: 500, message: /answered with an error \(HTTP 500\)/ },
    { id: 'acme/far-away', fail: 'offline', message: /Could not reach the Hugging Face Hub/ },
  ];
  const statusFor: Record<string, number> = {};
  const hub: HubRouteOptions = { statusFor, extra: Object.fromEntries(cases.map((c) => [c.id, SMALL_FIXTURE])) };
  await openApp(page, hub);
  await customiseInputs(page);

  for (const c of cases) {
    await test.step(c.id, async () => {
      if (c.fail === 'offline') hub.offline = true;
      else statusFor[c.id] = c.fail;
      await loadModel(page, c.id);
      const alert = page.getByRole('alert').filter({ hasText: c.message });
      await expect(alert).toBeVisible();
      await expectInputsKept(page);
      // The Hub recovers; Retry loads the model with the same inputs.
      delete statusFor[c.id];
      hub.offline = false;
      await alert.getByRole('button', { name: 'Retry' }).click();
      await waitForResults(page, c.id);
      await expectInputsKept(page);
    });
  }
});

test('a malformed config.json from the Hub says where it breaks; fixed, Load model loads it', async ({ page }) => {
  const id = 'acme/malformed-json';
  const extra: Record<string, string> = { [id]: repoDir({ 'config.json': '{\n  "model_type": "qwen3",\n  "hidden_size": 1024,,\n}' }) };
  await openApp(page, { extra });
  await customiseInputs(page);
  await loadModel(page, id);
  await expect(page.getByRole('alert').filter({ hasText: /config\.json from the Hub could not be read: .*line 3/ })).toBeVisible();
  await expectInputsKept(page);
  extra[id] = SMALL_FIXTURE;
  await page.getByRole('button', { name: 'Load model' }).click();
  await waitForResults(page, id);
  await expectInputsKept(page);
});

test('a config the engine does not understand names the missing field; fixed upstream, Retry loads it', async ({ page }) => {
  const id = 'acme/no-layers';
  const config = fixtureConfig();
  delete config['num_hidden_layers'];
  const extra: Record<string, string> = { [id]: repoDir({ 'config.json': JSON.stringify(config, null, 2) }) };
  await openApp(page, { extra });
  await customiseInputs(page);
  await loadModel(page, id);
  const alert = page.getByRole('alert').filter({ hasText: /has no "num_hidden_layers"/ });
  await expect(alert).toBeVisible();
  await expectInputsKept(page);
  extra[id] = SMALL_FIXTURE;
  await alert.getByRole('button', { name: 'Retry' }).click();
  await waitForResults(page, id);
  await expectInputsKept(page);
});

test('a very large config.json (several MB) still loads', async ({ page }) => {
  const id = 'acme/huge-config';
  const config = fixtureConfig();
  // Real configs grow with per-layer lists (e.g. layer_types, quantization ignore lists).
  config['e2e_padding'] = Array.from({ length: 200_000 }, (_, i) => `model.layers.${i}.mlp.down_proj`);
  const dir = repoDir({ 'config.json': JSON.stringify(config) });
  await openApp(page, { extra: { [id]: dir } });
  await loadModel(page, id);
  await waitForResults(page, id);
});

test('a slow Hub shows the loading state, Cancel stops it, and Retry loads once the Hub answers', async ({ page }) => {
  const id = 'acme/slow-model';
  let hang = true;
  await openApp(page, { extra: { [id]: SMALL_FIXTURE } });
  // A page route runs before the context's Hub route: hold every request about the model while `hang` is set.
  await page.route(
    (url) => url.hostname === 'huggingface.co' && url.pathname.includes(id),
    async (route) => {
      if (!hang) return route.fallback();
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      return route.abort('timedout').catch(() => undefined);
    },
  );
  await customiseInputs(page);
  await loadModel(page, id);
  await expect(page.getByRole('status').filter({ hasText: `Loading ${id} from the Hugging Face Hub` })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /Loading was cancelled/ })).toBeVisible();
  await expectInputsKept(page);
  hang = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await waitForResults(page, id);
  await expectInputsKept(page);
});

test('a pasted config that is not JSON says where it breaks; a valid one is used', async ({ page }) => {
  await openApp(page);
  await customiseInputs(page);
  await page.getByRole('button', { name: 'Paste a config.json…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Paste a config.json' });
  await dialog.getByLabel('Name for this model').fill('me/pasted-model');
  const text = dialog.getByLabel('config.json contents');
  await text.fill('{\n  "model_type": "qwen3",\n  "hidden_size": 1024\n  "num_hidden_layers": 28\n}');
  await dialog.getByRole('button', { name: 'Use this config' }).click();
  await expect(dialog.getByRole('alert')).toContainText(/not valid JSON at line 4, column \d+/);
  await expect(text).toHaveAttribute('aria-invalid', 'true');
  await text.fill(JSON.stringify(fixtureConfig(), null, 2));
  await dialog.getByRole('button', { name: 'Use this config' }).click();
  await expect(dialog).toHaveCount(0);
  await waitForResults(page, 'me/pasted-model');
  await expect(page.getByText(/from the pasted config\.json/)).toBeVisible();
  await expectInputsKept(page);
});
