import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './support/accessibility.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { startServer, type RunningServer } from './support/server.ts';

const admin = { username: 'ada', password: 'ada-password-1' };
const viewer = { username: 'vera', password: 'vera-password-1' };

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({
    POLYPHONY_ADMIN_USERNAME: admin.username,
    POLYPHONY_ADMIN_PASSWORD: admin.password,
  });
});

test.afterAll(async () => {
  await server.stop();
});

async function signIn(page: Page, who: { username: string; password: string }) {
  await page.goto(`${server.url}/`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}

test('an admin creates a viewer, who then sees no Admin area', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${server.url}/login`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await saveScreenshot(page, 'sign-in');
  await expectAccessible(page, 'sign-in');

  await signIn(page, admin);
  const adminLink = page.getByRole('link', { name: 'Admin' });
  await expect(adminLink).toBeVisible();
  await saveScreenshot(page, 'home-admin');
  await expectAccessible(page, 'home');

  await adminLink.click();
  await expect(page).toHaveURL(/\/admin\/users/);
  await expect(page.getByRole('cell', { name: admin.username, exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Create user' })).toBeVisible();
  await expectAccessible(page, 'new-user dialog');
  await dialog.getByLabel('Username').fill(viewer.username);
  await dialog.getByLabel('Password', { exact: true }).fill(viewer.password);
  await expect(dialog.getByRole('checkbox', { name: 'viewer' })).toBeChecked(); // the default role
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('cell', { name: viewer.username, exact: true })).toBeVisible();
  await saveScreenshot(page, 'admin-users');
  await expectAccessible(page, 'Admin → Users');

  await page.getByRole('link', { name: /Audit log/ }).click();
  await expect(page.getByText('user.created').first()).toBeVisible();
  await saveScreenshot(page, 'admin-audit');
  await expectAccessible(page, 'Admin → Audit log');

  await signOut(page);
  await signIn(page, viewer);
  await expect(page.getByText(viewer.username).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Home' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.goto(`${server.url}/admin/users`);
  await expect(page.getByText(/don.t have access/i)).toBeVisible();
  const status = await page.evaluate(async () => (await fetch('/api/v1/admin/users')).status);
  expect(status).toBe(403);
});

test('a wrong password shows an announced error and keeps the user on the sign-in page', async ({
  page,
}) => {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/wrong/i);
  await expectAccessible(page, 'sign-in with an error');
  await expect(page).toHaveURL(/\/login/);
});

test('the shell works at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, admin);
  await page.getByRole('button', { name: /navigation/i }).click();
  await expect(page.getByRole('link', { name: 'Admin' })).toBeVisible();
  await saveScreenshot(page, 'phone-navigation');
  await expectAccessible(page, 'phone navigation');
});

test('a user changes their own password from the account menu', async ({ page, request }) => {
  const login = await request.post(`${server.url}/api/v1/auth/login`, { data: admin });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await request.post(`${server.url}/api/v1/admin/users`, {
    data: { username: 'carl', password: 'carl-password-1', roles: ['editor'] },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(created.status()).toBe(201);

  await signIn(page, { username: 'carl', password: 'carl-password-1' });
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change your password' });
  await dialog.getByLabel('Current password').fill('not-my-password');
  await dialog.getByLabel('New password', { exact: true }).fill('carl-password-2');
  await dialog.getByLabel('Repeat the new password').fill('carl-password-2');
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByText('The current password is wrong.')).toBeVisible();
  await expectAccessible(page, 'change-password dialog with an error');

  await dialog.getByLabel('Current password').fill('carl-password-1');
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog).toBeHidden();

  await signOut(page);
  await signIn(page, { username: 'carl', password: 'carl-password-2' });
  await expect(page.getByRole('heading', { name: 'Welcome, carl' })).toBeVisible();
});
