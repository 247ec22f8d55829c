import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/accessibility.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { startServer, type RunningServer } from './support/server.ts';
import {
  createUser,
  installViaApi,
  notesV100,
  notesWithFrontend,
  signIn,
  uninstallViaApi,
} from './support/plugins.ts';

const admin = { username: 'ada', password: 'ada-password-1' };
const viewer = { username: 'vera', password: 'vera-password-1' };
const outsider = { username: 'otto', password: 'otto-password-1' };

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

test.describe.configure({ mode: 'serial' });

test('a page that throws is contained: the shell, the navigation and the other pages keep working', async ({
  page,
}) => {
  await signIn(page, server.url, admin);
  await installViaApi(page, server.url, await notesV100());
  await page.goto(`${server.url}/plugins/notes/broken`);

  const failure = page.getByRole('alert').filter({ hasText: 'Notes stopped working' });
  await expect(failure).toBeVisible();
  await expect(failure).toContainText('The notes plugin broke this page on purpose');
  await expect(failure).toContainText('notes 1.0.0');
  await saveScreenshot(page, 'plugin-page-error');
  await expectAccessible(page, 'a plugin page that threw');

  // The shell still works: the top bar, other plugin pages, the host's own pages.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Notes', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Notes', level: 1 })).toBeVisible();
  await nav.getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);

  // Retry renders the page again (and it throws again: the panel comes back, nothing breaks).
  await page.goto(`${server.url}/plugins/notes/broken`);
  await failure.getByRole('button', { name: 'Retry' }).click();
  await expect(failure).toBeVisible();

  // A path the bundle declares no page for.
  await page.goto(`${server.url}/plugins/notes/nowhere`);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByText('Notes has no page at /nowhere')).toBeVisible();
  await uninstallViaApi(page, server.url, 'notes');
});

test('a bundle that cannot be loaded says why (not found, network, unshared import, invalid module, startup error) and Retry recovers', async ({
  page,
}) => {
  await signIn(page, server.url, admin);
  const loadFailure = page.getByTestId('plugin-failure');

  // The bundle's file is gone from the server (404).
  await installViaApi(page, server.url, await notesV100());
  const runtime = path.join(server.dataDir, 'plugins', '.runtime');
  for (const folder of await readdir(runtime)) {
    if (folder.startsWith('notes@')) await rm(path.join(runtime, folder, 'frontend', 'index.js'));
  }
  await page.goto(`${server.url}/plugins/notes`);
  await expect(loadFailure).toContainText('The code of Notes was not found on the server');
  await expect(loadFailure).toContainText('The server has no bundle at this address');
  await saveScreenshot(page, 'plugin-bundle-not-found');
  await expectAccessible(page, 'a plugin bundle that was not found');
  // The rest of the app is unaffected.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await expect(page).toHaveURL(`${server.url}/`);
  await uninstallViaApi(page, server.url, 'notes');

  // The network fails; once it is back, Retry loads the page without a reload.
  await installViaApi(page, server.url, await notesV100());
  await page.route('**/plugin-assets/**', (route) => route.abort('connectionrefused'));
  await page.goto(`${server.url}/plugins/notes`);
  await expect(loadFailure).toContainText('The code of Notes could not be downloaded');
  await expect(loadFailure).toContainText('the server did not answer');
  await page.unroute('**/plugin-assets/**');
  await loadFailure.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('heading', { name: 'Notes', level: 1 })).toBeVisible();
  await uninstallViaApi(page, server.url, 'notes');

  const cases: { source: string; title: string; detail: string }[] = [
    {
      source: `import { chunk } from 'lodash';\nexport default { pages: [] };`,
      title: 'imports a module Polyphony does not provide',
      detail: 'The bundle imports "lodash"',
    },
    {
      source: `export const pages = [];`,
      title: 'is not a valid plugin module',
      detail: 'its default export must be an object',
    },
    {
      source: `throw new Error('cannot start without window.legacyGlobal');`,
      title: 'failed while starting',
      detail: 'cannot start without window.legacyGlobal',
    },
    {
      source: `export default { pages: [ {`,
      title: 'failed while starting',
      detail: 'not valid JavaScript',
    },
  ];
  for (const { source, title, detail } of cases) {
    await installViaApi(page, server.url, await notesWithFrontend(source));
    await page.goto(`${server.url}/plugins/notes`);
    await expect(loadFailure).toContainText(`The code of Notes ${title}`);
    await expect(loadFailure).toContainText(detail);
    await uninstallViaApi(page, server.url, 'notes');
  }
});

test('a user without the role can neither see nor open the page nor call its API', async ({
  page,
}) => {
  await signIn(page, server.url, admin);
  await installViaApi(page, server.url, await notesV100());
  await createUser(page, server.url, viewer, ['viewer']);
  await createUser(page, server.url, outsider, ['auditor']);
  await page.context().clearCookies();

  // A viewer: the Notes page, but not the admin page, its link or its API.
  await signIn(page, server.url, viewer);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Notes', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Notes admin' })).toHaveCount(0);
  await page.goto(`${server.url}/plugins/notes/admin`);
  await expect(
    page.getByRole('heading', { name: 'You are not allowed to open this page' }),
  ).toBeVisible();
  await expect(page.getByText('for people with the role admin')).toBeVisible();
  await saveScreenshot(page, 'plugin-page-not-allowed');
  await expectAccessible(page, 'a plugin page for other roles');
  expect(
    (await page.request.get(`${server.url}/api/v1/plugins/notes/admin/summary`)).status(),
  ).toBe(403);
  await page.context().clearCookies();

  // Someone with none of the plugin's roles: no link, no page, no API.
  await signIn(page, server.url, outsider);
  await expect(nav.getByRole('link', { name: 'Home' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Notes', exact: true })).toHaveCount(0);
  await page.goto(`${server.url}/plugins/notes`);
  await expect(
    page.getByRole('heading', { name: 'You are not allowed to open this page' }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Notes', level: 1 })).toHaveCount(0);
  const refused = await page.request.get(`${server.url}/api/v1/plugins/notes/notes`);
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
});
