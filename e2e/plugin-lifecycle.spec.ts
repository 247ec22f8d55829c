import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { zipDirectory } from '../backend/test/zip-writer.ts';
import { expectAccessible } from './support/accessibility.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { startServer, type RunningServer } from './support/server.ts';
import {
  createUser,
  installViaApi,
  notesV100,
  notesV110,
  signIn,
  uninstallViaApi,
  type Account,
} from './support/plugins.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The whole story in one browser session per person, against a real server with real
// archives: the notes frontend is built with Vite for 1.0.0 and with esbuild for 1.1.0.

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

const zip = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/zip', buffer });
const topBar = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const topBarLink = (page: Page, name: string) =>
  topBar(page).getByRole('link', { name, exact: true });
const notesRow = (page: Page) =>
  page.getByRole('row').filter({ hasText: 'Short notes for the team' });

async function personIn(browser: Browser, who: Account): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, server.url, who);
  return page;
}

/**
 * Marks the document, so a test can prove later that what it saw came without a reload (a reload
 * drops the mark).
 */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { polyphonyTestMark: boolean }).polyphonyTestMark = true;
  });
}

async function expectSameDocument(page: Page): Promise<void> {
  expect(
    await page.evaluate(
      () => (window as unknown as { polyphonyTestMark?: boolean }).polyphonyTestMark,
    ),
  ).toBe(true);
}

async function apiStatus(page: Page, path: string): Promise<number> {
  return (await page.request.get(`${server.url}${path}`)).status();
}

test('install → links by role → data from its API → settings → deactivate → activate → upgrade → uninstall', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const ada = await personIn(browser, admin);
  await createUser(ada, server.url, viewer, ['viewer']);
  await createUser(ada, server.url, outsider, ['auditor']);
  const vera = await personIn(browser, viewer);
  const otto = await personIn(browser, outsider);
  await markDocument(vera);
  await markDocument(otto);

  // Install through the panel.
  await ada.goto(`${server.url}/admin/plugins`);
  await ada.locator('input[type="file"]').setInputFiles(zip('notes-1.0.0.zip', await notesV100()));
  await expect(ada.getByText('Notes 1.0.0 is installed and active.')).toBeVisible();
  await expect(notesRow(ada)).toContainText('Active');
  // The admin's top bar changed at once: both links, the admin one included.
  await expect(topBarLink(ada, 'Notes')).toBeVisible();
  await expect(topBarLink(ada, 'Notes admin')).toBeVisible();

  // Other users see it at their next navigation, without a reload: the viewer gets the page's
  // link but not the admin one; someone without the roles gets neither.
  await topBarLink(vera, 'Home').click();
  await expect(topBarLink(vera, 'Notes')).toBeVisible();
  await expect(topBarLink(vera, 'Notes admin')).toHaveCount(0);
  await topBarLink(otto, 'Home').click();
  await expect(topBarLink(otto, 'Home')).toBeVisible();
  await expect(topBarLink(otto, 'Notes')).toHaveCount(0);
  await expectSameDocument(vera);
  await expectSameDocument(otto);

  // The page shows data from its own API, written through it.
  await topBarLink(ada, 'Notes').click();
  await expect(ada).toHaveURL(`${server.url}/plugins/notes`);
  await expect(ada.getByRole('heading', { name: 'Notes', level: 1 })).toBeVisible();
  await expect(ada.getByTestId('notes-version')).toHaveText('frontend 1.0.0');
  await expect(ada.getByTestId('notes-user')).toHaveText('ada');
  await ada.getByLabel('New note').fill('Ship the release on Friday');
  await ada.getByRole('button', { name: 'Add note' }).click();
  await expect(ada.getByRole('link', { name: 'Ship the release on Friday' })).toBeVisible();
  await expect(ada).toHaveTitle('Notes · Notes · Polyphony');
  await saveScreenshot(ada, 'plugin-page');
  await expectAccessible(ada, 'a plugin page');
  // A page with a parameter, reached through the SDK's link without a reload.
  await markDocument(ada);
  await ada.getByRole('link', { name: 'Ship the release on Friday' }).click();
  await expect(ada).toHaveURL(/\/plugins\/notes\/notes\/[0-9a-f-]+$/);
  await expect(ada.getByTestId('note-text')).toHaveText('Ship the release on Friday');
  await expectSameDocument(ada);

  await topBarLink(vera, 'Notes').click();
  await expect(vera.getByRole('link', { name: 'Ship the release on Friday' })).toBeVisible();
  await expect(vera.getByTestId('notes-user')).toHaveText('vera');

  // A settings change shows on the page.
  await ada.goto(`${server.url}/admin/plugins/notes`);
  await ada.getByLabel('Board title', { exact: true }).fill('Team notes');
  await ada.getByRole('button', { name: 'Save settings' }).click();
  await expect(ada.getByText('Notes uses the new settings from now on.')).toBeVisible();
  // The plugin's own settings page renders below the generated form.
  await expect(ada.getByTestId('notes-settings-title')).toHaveText('Team notes');
  await saveScreenshot(ada, 'admin-plugin-details');
  await topBarLink(vera, 'Home').click();
  await topBarLink(vera, 'Notes').click();
  await expect(vera.getByRole('heading', { name: 'Team notes', level: 1 })).toBeVisible();

  // Deactivate: the link, the page and the API are gone; the data stays.
  await ada.goto(`${server.url}/admin/plugins`);
  await notesRow(ada).getByRole('button', { name: 'Deactivate Notes' }).click();
  await expect(notesRow(ada)).toContainText('Deactivated');
  await expect(topBarLink(ada, 'Notes')).toHaveCount(0);
  // The viewer still shows the old link until their next navigation: following it finds the
  // plugin gone, and the link disappears, all without a reload.
  await topBarLink(vera, 'Home').click();
  await expect(topBarLink(vera, 'Notes')).toHaveCount(0);
  await vera.evaluate(() => {
    window.history.pushState({}, '', '/plugins/notes');
    window.dispatchEvent(new PopStateEvent('popstate'));
  });
  await expect(vera.getByRole('heading', { name: 'This plugin is not available' })).toBeVisible();
  await expectSameDocument(vera);
  expect(await apiStatus(vera, '/api/v1/plugins/notes/notes')).toBe(404);
  const data = await ada.request.get(`${server.url}/api/v1/admin/plugins/notes/data`);
  expect(await data.json()).toEqual({ tables: [{ name: 'plugin_notes_notes', rows: 1 }] });

  // Activate: the data is back.
  await notesRow(ada).getByRole('button', { name: 'Activate Notes' }).click();
  await expect(notesRow(ada)).toContainText('Active');
  await expect(topBarLink(ada, 'Notes')).toBeVisible();
  await topBarLink(vera, 'Home').click();
  await topBarLink(vera, 'Notes').click();
  await expect(vera.getByRole('link', { name: 'Ship the release on Friday' })).toBeVisible();
  await expect(vera.getByTestId('notes-version')).toHaveText('frontend 1.0.0');

  // Upgrade: the admin confirms 1.0.0 → 1.1.0; the new code runs, in the browser at the viewer's
  // next navigation, and on the server.
  await ada.locator('input[type="file"]').setInputFiles(zip('notes-1.1.0.zip', await notesV110()));
  const upgrade = ada.getByRole('dialog', { name: 'Upgrade Notes?' });
  await expect(upgrade.getByText('Notes 1.0.0 → 1.1.0')).toBeVisible();
  await saveScreenshot(ada, 'admin-plugin-upgrade');
  await upgrade.getByRole('button', { name: 'Upgrade to 1.1.0' }).click();
  await expect(
    ada.getByText('Notes was upgraded from 1.0.0 to 1.1.0; it is active.'),
  ).toBeVisible();
  await topBarLink(vera, 'Home').click();
  await topBarLink(vera, 'Notes').click();
  await expect(vera.getByTestId('notes-version')).toHaveText('frontend 1.1.0');
  await expect(vera.getByRole('link', { name: 'Ship the release on Friday' })).toBeVisible();
  await expectSameDocument(vera);
  await topBarLink(ada, 'Notes admin').click();
  await expect(ada.getByTestId('notes-backend-version')).toHaveText('1.1.0');
  // The most specific link is the current one, not "Notes" whose path is a prefix of it.
  await expect(topBarLink(ada, 'Notes admin')).toHaveAttribute('aria-current', 'page');
  await expect(topBarLink(ada, 'Notes')).not.toHaveAttribute('aria-current', 'page');
  // Data format 2 comes from a module the upgrade changed: the server runs the new code too.
  await expect(ada.getByTestId('notes-data-format')).toHaveText('2');

  // Uninstall: the confirmation names the tables and rows; then everything is gone.
  await ada.goto(`${server.url}/admin/plugins/notes`);
  await ada.getByRole('button', { name: 'Uninstall…' }).click();
  const dialog = ada.getByRole('dialog', { name: 'Uninstall Notes?' });
  await expect(dialog.getByRole('row', { name: 'plugin_notes_notes 1' })).toBeVisible();
  await expect(dialog.getByRole('row', { name: 'plugin_notes_tags 0' })).toBeVisible();
  await saveScreenshot(ada, 'admin-plugin-uninstall');
  await dialog.getByLabel('Type notes to confirm').fill('notes');
  await dialog.getByRole('button', { name: 'Uninstall and delete data' }).click();
  await expect(ada.getByText('Notes and its data are gone.')).toBeVisible();
  await expect(topBarLink(ada, 'Notes')).toHaveCount(0);
  await expect(topBarLink(ada, 'Notes admin')).toHaveCount(0);
  await topBarLink(vera, 'Home').click();
  await expect(topBarLink(vera, 'Notes')).toHaveCount(0);
  expect(await apiStatus(vera, '/api/v1/plugins/notes/notes')).toBe(404);
  expect(await apiStatus(ada, '/api/v1/admin/plugins/notes')).toBe(404);
  await ada.goto(`${server.url}/plugins/notes`);
  await expect(ada.getByRole('heading', { name: 'This plugin is not available' })).toBeVisible();
});

test('the kudos example, as shipped in examples/plugins/kudos, works in the browser', async ({
  browser,
}) => {
  const ada = await personIn(browser, admin);
  const kim = { username: 'kim', password: 'kim-password-1' };
  await createUser(ada, server.url, kim, ['editor']);
  const kudos = await zipDirectory(path.join(root, 'examples/plugins/kudos'));
  await installViaApi(ada, server.url, kudos);
  await topBarLink(ada, 'Home').click();
  await topBarLink(ada, 'Kudos').click();
  await expect(ada.getByRole('heading', { name: 'Kudos', level: 1 })).toBeVisible();
  // maxPerDay is a "browser" setting: the page shows it.
  await expect(ada.getByText('You can give 5 kudos a day.')).toBeVisible();
  await ada.getByLabel('To (username)').fill(kim.username);
  await ada.getByLabel('Message').fill('Thanks for the release notes!');
  await ada.getByRole('button', { name: 'Give kudos' }).click();
  await expect(ada.getByRole('list', { name: 'Recent kudos' })).toContainText(
    'Thanks for the release notes!',
  );
  await expect(ada.getByRole('heading', { name: 'Most thanked' })).toBeVisible();
  // The backend's refusal arrives as a typed error and is shown by its message.
  await ada.getByLabel('To (username)').fill(admin.username);
  await ada.getByLabel('Message').fill('Me, myself');
  await ada.getByRole('button', { name: 'Give kudos' }).click();
  await expect(ada.getByRole('alert')).toContainText('kudos go to someone else');
  await saveScreenshot(ada, 'plugin-kudos');
  await expectAccessible(ada, 'the kudos example');
  await uninstallViaApi(ada, server.url, 'kudos');
});
