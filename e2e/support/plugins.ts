// Real plugin archives for the browser tests: the notes backend fixture with a frontend built
// from e2e/fixtures/plugins/notes-web, and ways to install them without the panel.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';
import { zipDirectory } from '../../backend/test/zip-writer.ts';
import {
  buildWithEsbuild,
  buildWithVite,
  NOTES_WEB_ENTRY,
  notesWebDefine,
} from './plugin-bundles.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const NOTES_FIXTURE = path.join(root, 'backend/test/fixtures/plugins/notes');

async function fixtureFile(relative: string): Promise<string> {
  return readFile(path.join(NOTES_FIXTURE, relative), 'utf8');
}

/** The notes fixture as an archive, with some files replaced. */
export function packNotes(overrides: Record<string, string | Buffer> = {}): Promise<Buffer> {
  return zipDirectory(NOTES_FIXTURE, overrides);
}

/** The notes fixture's plugin.json with some fields changed, as override text for packNotes. */
export async function notesManifestWith(changes: Record<string, unknown>): Promise<string> {
  const manifest = JSON.parse(await fixtureFile('plugin.json')) as Record<string, unknown>;
  return JSON.stringify({ ...manifest, ...changes }, null, 2);
}

/** notes 1.0.0, its frontend built with plain Vite library mode. */
export async function notesV100(): Promise<Buffer> {
  const bundle = await buildWithVite(NOTES_WEB_ENTRY, { define: notesWebDefine('1.0.0') });
  return packNotes({ 'frontend/index.js': bundle });
}

/**
 * notes 1.1.0: its frontend built with esbuild, a backend whose data format is 2, and one more
 * migration, as the backend suites' upgrade uses.
 */
export async function notesV110(): Promise<Buffer> {
  const bundle = await buildWithEsbuild(NOTES_WEB_ENTRY, { define: notesWebDefine('1.1.0') });
  const migrations = await fixtureFile('backend/migrations/index.js');
  return packNotes({
    'plugin.json': await notesManifestWith({ version: '1.1.0' }),
    'frontend/index.js': bundle,
    'backend/lib/format.js': (await fixtureFile('backend/lib/format.js')).replace(
      'FORMAT_VERSION = 1',
      'FORMAT_VERSION = 2',
    ),
    'backend/migrations/index.js': migrations.replace(
      /\];\s*$/,
      `  {
    name: '002-tags',
    async up(db) {
      await db.schema
        .createTable('plugin_notes_tags')
        .addColumn('note_id', 'text', (c) => c.notNull())
        .addColumn('tag', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
`,
    ),
  });
}

/** notes with a hand-written frontend module in place of the built one. */
export function notesWithFrontend(source: string): Promise<Buffer> {
  return packNotes({ 'frontend/index.js': source });
}

export interface Account {
  username: string;
  password: string;
}

export async function signIn(page: Page, baseUrl: string, who: Account): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** The CSRF token of the page's session, for API calls made with `page.request`. */
async function csrfToken(page: Page, baseUrl: string): Promise<string> {
  const me = await page.request.get(`${baseUrl}/api/v1/auth/me`);
  expect(me.ok()).toBe(true);
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

/** Installs (or upgrades) through the admin API with the page's admin session. */
export async function installViaApi(page: Page, baseUrl: string, archive: Buffer): Promise<void> {
  const response = await page.request.post(`${baseUrl}/api/v1/admin/plugins`, {
    headers: { 'X-CSRF-Token': await csrfToken(page, baseUrl) },
    multipart: { file: { name: 'plugin.zip', mimeType: 'application/zip', buffer: archive } },
  });
  expect(response.status(), await response.text()).toBeLessThan(300);
}

export async function uninstallViaApi(page: Page, baseUrl: string, id: string): Promise<void> {
  const response = await page.request.delete(`${baseUrl}/api/v1/admin/plugins/${id}`, {
    headers: { 'X-CSRF-Token': await csrfToken(page, baseUrl) },
  });
  expect(response.status()).toBe(204);
}

/** Creates a user (and the role, if new) through the admin API. */
export async function createUser(
  page: Page,
  baseUrl: string,
  who: Account,
  roles: string[],
): Promise<void> {
  const headers = { 'X-CSRF-Token': await csrfToken(page, baseUrl) };
  for (const role of roles) {
    await page.request.post(`${baseUrl}/api/v1/admin/roles`, {
      headers,
      data: { name: role, description: `The ${role} role` },
    });
  }
  const created = await page.request.post(`${baseUrl}/api/v1/admin/users`, {
    headers,
    data: { ...who, roles },
  });
  expect(created.status(), await created.text()).toBe(201);
}
