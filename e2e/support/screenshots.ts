import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

/**
 * Saves a screenshot of a main screen. `npm run screenshots` points POLYPHONY_SCREENSHOTS_DIR at
 * docs/screenshots (the README shows them); otherwise they land in test-results.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.POLYPHONY_SCREENSHOTS_DIR ?? 'test-results/screenshots';
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), animations: 'disabled' });
}
