/** The main view in the light theme, for the README (e2e/output/main-view.png; README shows e2e/screenshots/main-view.png). */
import { expect, openApp, test } from './helpers';

test('screenshot of the main view (light theme) for the README', async ({ page }) => {
  // Tall enough to show the form, the best picks, the chart and the top of the table.
  await page.setViewportSize({ width: 1440, height: 1500 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByText('Loading chart…')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/output/main-view.png', animations: 'disabled' });
});
