/** The main view in the light theme, for the README (e2e/output/main-view.png; README shows e2e/screenshots/main-view.png). */
import { expect, openApp, test } from './helpers';

test('screenshot of the main view (light theme) for the README', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByText('Loading chart…')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/output/main-view.png', animations: 'disabled' });
});
