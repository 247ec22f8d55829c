import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/accessibility.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { startServer, type RunningServer } from './support/server.ts';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  await server.stop();
});

test('first run offers setup, which creates the first admin and signs them in', async ({
  page,
}) => {
  await page.goto(`${server.url}/`);
  await expect(page).toHaveURL(/\/setup/);
  await saveScreenshot(page, 'setup');
  await expectAccessible(page, 'setup');
  await page.getByLabel('Username').fill('founder');
  await page.getByLabel('Password', { exact: true }).fill('founder-password');
  await page.getByLabel('Confirm password').fill('founder-password');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByRole('link', { name: 'Admin' })).toBeVisible();

  // Setup is over: the page now sends people to sign in.
  await page.context().clearCookies();
  await page.goto(`${server.url}/setup`);
  await expect(page).toHaveURL(/\/login/);
});
