import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildZip } from '../backend/test/zip-writer.ts';
import { expectAccessible } from './support/accessibility.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { startServer, type RunningServer } from './support/server.ts';
import {
  NOTES_FIXTURE,
  notesManifestWith,
  notesV110,
  packNotes,
  signIn as signInAs,
} from './support/plugins.ts';

const admin = { username: 'ada', password: 'ada-password-1' };
const zip = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/zip', buffer });

let server: RunningServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startServer({
    POLYPHONY_ADMIN_USERNAME: admin.username,
    POLYPHONY_ADMIN_PASSWORD: admin.password,
  });
});

test.afterAll(async () => {
  await server.stop();
});

const signIn = (page: Page) => signInAs(page, server.url, admin);

async function openPlugins(page: Page) {
  await signIn(page);
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page
    .getByRole('navigation', { name: 'Administration sections' })
    .getByRole('link', {
      name: 'Plugins',
    })
    .click();
  await expect(page).toHaveURL(/\/admin\/plugins$/);
  await expect(page.getByRole('heading', { name: 'Plugins' })).toBeVisible();
}

const archiveInput = (page: Page) => page.locator('input[type="file"]');
const uploadZone = (page: Page) => page.getByRole('button', { name: 'Upload a plugin (ZIP)' });

/** Drags a file onto the upload zone, as from the desktop. */
async function dropFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, mimeType, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      return transfer;
    },
    { name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] },
  );
  await uploadZone(page).dispatchEvent('dragover', { dataTransfer });
  await uploadZone(page).dispatchEvent('drop', { dataTransfer });
}
const notesRow = (page: Page) =>
  page.getByRole('row').filter({ hasText: 'Short notes for the team' });
const topBarLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** Calls the API as the signed-in page does, CSRF token included. */
async function apiCall(page: Page, method: string, url: string, body?: unknown) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string };
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    },
    { method, url, body },
  );
}

test('an admin installs a plugin from the panel and sees it active', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openPlugins(page);
  await expect(page.getByText('No plugins installed yet.')).toBeVisible();
  await expectAccessible(page, 'Admin → Plugins, empty');

  // From the keyboard: the upload zone is a button that opens the file picker.
  const chooser = page.waitForEvent('filechooser');
  await uploadZone(page).focus();
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(zip('notes-1.0.0.zip', await packNotes()));
  await expect(page.getByText('Notes 1.0.0 is installed and active.')).toBeVisible();
  const row = notesRow(page);
  await expect(row.getByRole('link', { name: 'Notes' })).toBeVisible();
  await expect(row).toContainText('notes');
  await expect(row).toContainText('1.0.0');
  await expect(row).toContainText('Polyphony test fixtures');
  await expect(row).toContainText('Active');
  // Its link reached the top bar without a reload.
  await expect(topBarLink(page, 'Notes')).toBeVisible();
  await saveScreenshot(page, 'admin-plugins');
  await expectAccessible(page, 'Admin → Plugins');
});

test('a rejected archive shows its code, the server message and each manifest issue', async ({
  page,
}) => {
  await openPlugins(page);
  const bad = await packNotes({ 'plugin.json': await notesManifestWith({ id: 'Bad_Id' }) });
  await dropFile(page, zip('bad-id.zip', bad));
  const alert = page.getByRole('alert').filter({ hasText: 'bad-id.zip was not installed' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("The plugin's manifest (plugin.json) has mistakes.");
  await expect(alert).toContainText('MANIFEST_INVALID');
  await expect(alert.getByRole('listitem').filter({ hasText: /^id / })).toBeVisible();
  await expect(alert).toContainText('The server said: plugin.json is invalid: id');
  await expectAccessible(page, 'Admin → Plugins with a refused archive');
  // Nothing was installed.
  await expect(page.getByRole('row')).toHaveCount(2);

  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toBeHidden();
});

test('an archive refused for its entries lists each bad one by name', async ({ page }) => {
  await openPlugins(page);
  const hostile = buildZip([
    { name: 'plugin.json', content: await notesManifestWith({}) },
    { name: '../escaped.js', content: 'export default {}' },
    { name: 'frontend/index.js', content: '/etc/passwd', unixMode: 0o120777 },
  ]);
  await archiveInput(page).setInputFiles(zip('hostile.zip', hostile));
  const alert = page.getByRole('alert').filter({ hasText: 'hostile.zip was not installed' });
  await expect(alert).toContainText('ARCHIVE_UNSAFE_PATH');
  const entries = alert.getByRole('listitem');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText('../escaped.js');
  await expect(entries.nth(0)).toContainText('path segment');
  await expect(entries.nth(1)).toContainText('frontend/index.js');
  await expect(entries.nth(1)).toContainText('is a symbolic link');
  await expect(page.getByRole('row')).toHaveCount(2);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
});

test('an upgrade shows the versions and waits for confirmation', async ({ page }) => {
  await openPlugins(page);
  const archive = await notesV110();

  await archiveInput(page).setInputFiles(zip('notes-1.1.0.zip', archive));
  let dialog = page.getByRole('dialog', { name: 'Upgrade Notes?' });
  await expect(dialog.getByText('Notes 1.0.0 → 1.1.0')).toBeVisible();
  await expectAccessible(page, 'upgrade confirmation');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(notesRow(page)).toContainText('1.0.0');

  await archiveInput(page).setInputFiles(zip('notes-1.1.0.zip', archive));
  dialog = page.getByRole('dialog', { name: 'Upgrade Notes?' });
  await dialog.getByRole('button', { name: 'Upgrade to 1.1.0' }).click();
  await expect(
    page.getByText('Notes was upgraded from 1.0.0 to 1.1.0; it is active.'),
  ).toBeVisible();
  await expect(notesRow(page)).toContainText('1.1.0');
  await expect(notesRow(page)).toContainText('Active');

  // The same version again: no question, the server's refusal in plain words.
  await archiveInput(page).setInputFiles(zip('notes-1.1.0.zip', archive));
  const alert = page.getByRole('alert').filter({ hasText: 'notes-1.1.0.zip was not installed' });
  await expect(alert).toContainText('This version is installed already.');
  await expect(alert).toContainText('PLUGIN_VERSION_EXISTS');
});

test('a slow upload shows its progress and can be cancelled', async ({ page }) => {
  await openPlugins(page);
  // 400 KB that do not compress, sent at 20 KB/s: about 20 seconds of progress, so the upload is
  // still under way when the test cancels it, however busy the machine.
  const archive = await packNotes({
    'plugin.json': await notesManifestWith({ version: '1.2.0' }),
    'frontend/big.bin': randomBytes(400_000),
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 20_000,
  });
  await archiveInput(page).setInputFiles(zip('notes-1.2.0.zip', archive));
  await page
    .getByRole('dialog', { name: 'Upgrade Notes?' })
    .getByRole('button', { name: 'Upgrade to 1.2.0' })
    .click();
  const bar = page.getByRole('progressbar', { name: 'Upload progress' });
  await expect(bar).toBeVisible();
  await expect(page.getByText(/^Uploading notes-1\.2\.0\.zip: \d+%$/)).toBeVisible();
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 5000 })
    .toBeGreaterThan(0);
  await expectAccessible(page, 'Admin → Plugins while uploading');
  await page.getByRole('button', { name: 'Cancel upload' }).click();
  await expect(bar).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'was not installed' })).toHaveCount(0);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await page.reload();
  await expect(notesRow(page)).toContainText('1.1.0');
});

test('deactivate and activate change the row in place, and the top bar with it', async ({
  page,
}) => {
  await openPlugins(page);
  const row = notesRow(page);
  await expect(topBarLink(page, 'Notes')).toBeVisible();

  await row.getByRole('button', { name: 'Deactivate Notes' }).click();
  await expect(row).toContainText('Deactivated');
  await expect(row.getByRole('button', { name: 'Activate Notes' })).toBeVisible();
  await expect(topBarLink(page, 'Notes')).toHaveCount(0);
  await expectAccessible(page, 'Admin → Plugins with a deactivated plugin');

  await row.getByRole('button', { name: 'Activate Notes' }).click();
  await expect(row).toContainText('Active');
  await expect(row.getByRole('button', { name: 'Deactivate Notes' })).toBeVisible();
  await expect(topBarLink(page, 'Notes')).toBeVisible();
});

test('the settings form: defaults, a server error on its field, a secret never shown, saved for good', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await openPlugins(page);
  await notesRow(page).getByRole('link', { name: 'Notes' }).click();
  await expect(page).toHaveURL(/\/admin\/plugins\/notes$/);
  await expect(page.getByRole('heading', { name: 'Notes', level: 2 })).toBeVisible();
  await expect(page.getByText('plugin_notes_tags')).toBeVisible();
  await expect(page.getByRole('cell', { name: '/plugins/notes/admin' })).toBeVisible();

  const title = page.getByLabel('Board title', { exact: true });
  const longest = page.getByLabel('Longest note', { exact: true });
  const token = page.getByLabel('API token', { exact: true });
  await expect(title).toHaveValue('Notes');
  await expect(longest).toHaveValue('500');
  await expect(token).toHaveValue('');
  await expect(page.getByText("Visible to the plugin's pages")).toBeVisible();

  // Out of range: refused by the server, shown on the field.
  await longest.fill('99999');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Enter 5000 or less.')).toBeVisible();
  await expect(longest).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'plugin settings with an error');

  await longest.fill('1000');
  await title.fill('Team notes');
  await token.fill('sekret-token-1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Notes uses the new settings from now on.')).toBeVisible();
  await expect(token).toHaveValue('');
  await expect(page.getByText('A value is stored — leave empty to keep it.')).toBeVisible();
  await saveScreenshot(page, 'admin-plugin-settings');

  await page.reload();
  await expect(page.getByLabel('Board title', { exact: true })).toHaveValue('Team notes');
  await expect(page.getByLabel('Longest note', { exact: true })).toHaveValue('1000');
  await expect(page.getByLabel('API token', { exact: true })).toHaveValue('');
  await expect(page.getByText('A value is stored — leave empty to keep it.')).toBeVisible();
  // The plugin has the secret; the admin API never sent it back.
  const about = await apiCall(page, 'GET', '/api/v1/plugins/notes/about');
  expect(about.body).toMatchObject({ title: 'Team notes', maxLength: 1000, tokenLength: 14 });
  expect(
    JSON.stringify((await apiCall(page, 'GET', '/api/v1/admin/plugins/notes/settings')).body),
  ).not.toContain('sekret');

  // Clearing the secret.
  await page.getByLabel('Remove the stored value of API token').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Notes uses the new settings from now on.').first()).toBeVisible();
  await expect(page.getByLabel('API token', { exact: true })).toHaveAttribute(
    'placeholder',
    'No value stored',
  );
  expect((await apiCall(page, 'GET', '/api/v1/plugins/notes/about')).body).toMatchObject({
    tokenLength: 0,
  });
});

test('uninstalling lists the tables and their rows, and needs the id typed', async ({ page }) => {
  await signIn(page);
  for (const text of ['first', 'second']) {
    const created = await apiCall(page, 'POST', '/api/v1/plugins/notes/notes', { text });
    expect(created.status).toBe(201);
  }
  await page.goto(`${server.url}/admin/plugins/notes`);
  await page.getByRole('button', { name: 'Uninstall…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Uninstall Notes?' });
  await expect(dialog.getByText('2 tables and 2 rows will be deleted:')).toBeVisible();
  await expect(dialog.getByRole('row', { name: 'plugin_notes_notes 2' })).toBeVisible();
  await expect(dialog.getByRole('row', { name: 'plugin_notes_tags 0' })).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Uninstall and delete data' });
  await expect(confirm).toBeDisabled();
  await expectAccessible(page, 'uninstall confirmation');

  const typed = dialog.getByLabel('Type notes to confirm');
  await typed.fill('note');
  await expect(confirm).toBeDisabled();
  await typed.fill('notes');
  await expect(confirm).toBeEnabled();
  await confirm.click();

  await expect(page).toHaveURL(/\/admin\/plugins$/);
  await expect(page.getByText('Notes and its data are gone.')).toBeVisible();
  await expect(page.getByText('No plugins installed yet.')).toBeVisible();
  await expect(topBarLink(page, 'Notes')).toHaveCount(0);
});

test('the audit log lists the plugin actions in words', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signIn(page);
  await page.goto(`${server.url}/admin/audit`);
  for (const label of [
    'Plugin installed',
    'Plugin upgraded',
    'Plugin deactivated',
    'Plugin activated',
    'Plugin settings changed',
    'Plugin uninstalled',
  ]) {
    await expect(page.getByRole('cell', { name: label }).first()).toBeVisible();
  }
  await expect(page.getByText('1.0.0 → 1.1.0 · migrations run: 002-tags')).toBeVisible();
  await expect(page.getByText(/^MANIFEST_INVALID · plugin\.json is invalid: id/)).toBeVisible();
  await expect(page.getByText('version 1.1.0 · changed: title, maxLength, apiToken')).toBeVisible();
  await saveScreenshot(page, 'admin-audit-plugins');
  await expectAccessible(page, 'Admin → Audit log with plugin actions');
});

test('a plugin that cannot start is marked Failed, with its error, and can be retried', async ({
  page,
}) => {
  await openPlugins(page);
  await archiveInput(page).setInputFiles(zip('notes-1.0.0.zip', await packNotes()));
  await expect(page.getByText('Notes 1.0.0 is installed and active.')).toBeVisible();

  const main = await readFile(path.join(NOTES_FIXTURE, 'backend/main.js'), 'utf8');
  const broken = await packNotes({
    'plugin.json': await notesManifestWith({ version: '1.0.1' }),
    'backend/main.js': main.replace(
      "ctx.logger.info('notes activated');",
      "throw new Error('the notes plugin cannot start today');",
    ),
  });
  await archiveInput(page).setInputFiles(zip('notes-1.0.1.zip', broken));
  await page
    .getByRole('dialog', { name: 'Upgrade Notes?' })
    .getByRole('button', { name: 'Upgrade to 1.0.1' })
    .click();
  await expect(page.getByText('Plugin upgraded, but it could not start')).toBeVisible();
  const row = notesRow(page);
  await expect(row).toContainText('Failed');
  await expect(row).toContainText('the notes plugin cannot start today');
  await expect(topBarLink(page, 'Notes')).toHaveCount(0);
  await saveScreenshot(page, 'admin-plugins-failed');
  await expectAccessible(page, 'Admin → Plugins with a failed plugin');

  await row.getByRole('button', { name: 'Activate Notes' }).click();
  await expect(page.getByText('Could not activate Notes')).toBeVisible();
  await expect(row).toContainText('Failed');
});
