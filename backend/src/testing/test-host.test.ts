import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { dialects } from '../../test/databases.ts';
import { projectRoot } from '../config/config.ts';
import type { DialectName } from '../db/database.ts';
import {
  createTestHost,
  freePort,
  isTestHostError,
  type TestDatabase,
  type TestHost,
  type TestHostError,
  type TestHostOptions,
} from './index.ts';
import { zipFolder } from './plugin-source.ts';

const NOTES = path.join(projectRoot, 'backend/test/fixtures/plugins/notes');

/** A copy of the notes fixture in `dir`, with plugin.json fields and files changed. */
async function notesVariant(
  dir: string,
  manifest: Record<string, unknown> = {},
  files: Record<string, string> = {},
): Promise<string> {
  const folder = await fs.mkdtemp(path.join(dir, 'notes-'));
  await fs.cp(NOTES, folder, { recursive: true });
  const original = JSON.parse(await fs.readFile(path.join(NOTES, 'plugin.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  await fs.writeFile(
    path.join(folder, 'plugin.json'),
    JSON.stringify({ ...original, ...manifest }),
  );
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(path.join(folder, name), content);
  }
  return folder;
}

const V110_MIGRATIONS = `
import { migrations as v1 } from './v1.js';
export const migrations = [
  ...v1,
  {
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
`;

async function rejection(promise: Promise<unknown>): Promise<TestHostError> {
  try {
    await promise;
  } catch (error) {
    if (isTestHostError(error)) return error;
    throw error;
  }
  throw new Error('expected a TestHostError, got a success');
}

async function tempHosts(tmp: string): Promise<string[]> {
  return (await fs.readdir(tmp)).filter((name) => name.startsWith('polyphony-test-host-'));
}

/** This run's PostgreSQL database (see test/global-setup.ts), or null when it runs on SQLite only. */
const postgresUrl = inject('postgresUrl');

function databaseOf(dialect: DialectName): TestDatabase {
  if (dialect === 'sqlite') return 'sqlite';
  if (postgresUrl === null) throw new Error('PostgreSQL tests are disabled for this run');
  return { postgres: postgresUrl };
}

/** The schemas test hosts made in this run's PostgreSQL database and have not dropped. */
async function hostSchemas(): Promise<string[]> {
  const client = new pg.Client({ connectionString: postgresUrl ?? '' });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select nspname as name from pg_namespace where nspname like 'polyphony_test_host_%'",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

let tmp: string;
let host: TestHost | null = null;

beforeEach(async () => {
  // os.tmpdir() reads TMPDIR: each test sees only the temp folders it made itself.
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'test-host-spec-'));
  vi.stubEnv('TMPDIR', tmp);
});

afterEach(async () => {
  await host?.close();
  host = null;
  vi.unstubAllEnvs();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe.each(dialects)('createTestHost (%s)', (dialect) => {
  const start = (options: Omit<TestHostOptions, 'database'>) =>
    createTestHost({ ...options, database: databaseOf(dialect) });
  /** The schemas of hosts not closed; always none on SQLite. */
  const schemas = () => (dialect === 'postgres' ? hostSchemas() : Promise.resolve([]));

  it('installs the plugin and answers its routes by role, with the host checks', async () => {
    host = await start({ plugin: NOTES });
    expect(host.pluginId).toBe('notes');
    expect(await host.info()).toMatchObject({ id: 'notes', version: '1.0.0', state: 'active' });

    const viewer = await host.signIn({ roles: ['viewer'] });
    const guest = await host.signIn({ roles: ['guest'] });
    const anonymous = host.anonymous();

    const created = await viewer.post('/notes', { text: 'hello' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ note: { text: 'hello', author: 'viewer-1' } });
    const listed = await viewer.get('/notes');
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ notes: [{ text: 'hello' }] });

    expect((await guest.get('/notes')).status).toBe(403);
    expect((await anonymous.get('/notes')).status).toBe(401);
    expect(await (await anonymous.get('/public/ping')).json()).toEqual({ pong: true, user: null });

    expect((await viewer.get('/admin/summary')).status).toBe(403);
    expect(await (await host.admin.get('/admin/summary')).json()).toEqual({ notes: 1 });
    // Absolute API paths reach the rest of the host: the admin API here.
    expect((await host.admin.get('/api/v1/admin/plugins')).status).toBe(200);
    expect((await viewer.get('/api/v1/admin/plugins')).status).toBe(403);
  });

  it('sends the CSRF token by itself, and the host still checks it', async () => {
    host = await start({ plugin: NOTES });
    const viewer = await host.signIn({ roles: ['viewer'] });
    const forged = await viewer.post(
      '/notes',
      { text: 'x' },
      { headers: { 'x-csrf-token': 'forged' } },
    );
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'CSRF_TOKEN_INVALID' } });
  });

  it('signs in users with new roles and chosen usernames', async () => {
    host = await start({ plugin: NOTES });
    const reviewer = await host.signIn({ roles: ['notes-reviewer', 'viewer'], username: 'rita' });
    expect(reviewer.user).toMatchObject({
      username: 'rita',
      roles: ['notes-reviewer', 'viewer'],
    });
    const whoami = (await (await reviewer.get('/whoami')).json()) as {
      user: { roles: string[] };
    };
    expect(whoami.user.roles).toEqual(['notes-reviewer', 'viewer']);
    const taken = await rejection(host.signIn({ roles: ['viewer'], username: 'rita' }));
    expect(taken).toMatchObject({ code: 'USERNAME_TAKEN', status: 409 });
    const roleless = await rejection(host.signIn({ roles: [] }));
    expect(roleless).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
  });

  it('saves settings through the admin API, refusing invalid ones with the host code', async () => {
    host = await start({ plugin: NOTES, settings: { title: 'Team board', maxLength: 5 } });
    const viewer = await host.signIn({ roles: ['viewer'] });
    expect(await (await viewer.get('/about')).json()).toMatchObject({
      title: 'Team board',
      maxLength: 5,
    });
    expect((await viewer.post('/notes', { text: 'too long' })).status).toBe(400);

    const view = await host.updateSettings({ apiToken: 'secret-1' });
    expect(view.secrets).toEqual({ apiToken: true });
    expect(await (await viewer.get('/about')).json()).toMatchObject({ tokenLength: 8 });

    const refused = await rejection(host.updateSettings({ maxLength: 0 }));
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(refused.message).toMatch(/maxLength/);
  });

  it('refuses a host start whose settings the host refuses, leaving nothing behind', async () => {
    const refused = await rejection(start({ plugin: NOTES, settings: { nope: 1 } }));
    expect(refused.code).toBe('VALIDATION_FAILED');
    expect(await tempHosts(tmp)).toEqual([]);
    expect(await schemas()).toEqual([]);
  });

  it('deactivates and activates the plugin, keeping its rows', async () => {
    host = await start({ plugin: NOTES });
    const viewer = await host.signIn({ roles: ['viewer'] });
    await viewer.post('/notes', { text: 'kept' });

    expect(await host.deactivate()).toMatchObject({ state: 'deactivated' });
    expect((await viewer.get('/notes')).status).toBe(404);
    expect(await host.data()).toEqual({ plugin_notes_notes: 1 });

    expect(await host.activate()).toMatchObject({ state: 'active' });
    expect(await (await viewer.get('/notes')).json()).toMatchObject({ notes: [{ text: 'kept' }] });
  });

  it('upgrades to a new version, running its new migration', async () => {
    host = await start({ plugin: NOTES });
    const viewer = await host.signIn({ roles: ['viewer'] });
    await viewer.post('/notes', { text: 'from 1.0.0' });

    const next = await notesVariant(tmp, { version: '1.1.0' });
    await fs.rename(
      path.join(next, 'backend/migrations/index.js'),
      path.join(next, 'backend/migrations/v1.js'),
    );
    await fs.writeFile(path.join(next, 'backend/migrations/index.js'), V110_MIGRATIONS);

    expect(await host.upgrade(await zipFolder(next))).toMatchObject({
      version: '1.1.0',
      tables: expect.arrayContaining(['plugin_notes_notes', 'plugin_notes_tags']) as unknown,
    });
    expect(await (await viewer.get('/about')).json()).toMatchObject({ version: '1.1.0' });
    expect(await host.data()).toEqual({ plugin_notes_notes: 1, plugin_notes_tags: 0 });

    // The same version again is refused, unless replacing it as the kit's dev loop does.
    const format = path.join(next, 'backend/lib/format.js');
    const source = await fs.readFile(format, 'utf8');
    await fs.writeFile(format, source.replace('FORMAT_VERSION = 1', 'FORMAT_VERSION = 2'));
    const again = await rejection(host.upgrade(next));
    expect(again).toMatchObject({ code: 'PLUGIN_VERSION_EXISTS', status: 409 });
    expect(await (await viewer.get('/about')).json()).toMatchObject({ format: 1 });
    await host.upgrade(next, { replace: true });
    expect(await (await viewer.get('/about')).json()).toMatchObject({ format: 2 });
  });

  it('uninstalls the plugin: its routes and tables go', async () => {
    host = await start({ plugin: NOTES });
    const viewer = await host.signIn({ roles: ['viewer'] });
    await viewer.post('/notes', { text: 'gone soon' });
    const before = await host.db.selectFrom('plugin_notes_notes').selectAll().execute();
    expect(before).toHaveLength(1);

    await host.uninstall();
    expect((await viewer.get('/notes')).status).toBe(404);
    expect(await rejection(host.info())).toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
    await expect(host.db.selectFrom('plugin_notes_notes').selectAll().execute()).rejects.toThrow(
      /no such table|does not exist/,
    );

    // Installing again starts from nothing.
    expect(await host.upgrade(NOTES)).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(await host.data()).toEqual({ plugin_notes_notes: 0 });
  });

  it('refuses what the host refuses, naming the code and every problem', async () => {
    const broken = await notesVariant(tmp, { version: 'one', navigation: [{ label: '' }] });
    const refused = await rejection(start({ plugin: broken }));
    expect(refused).toMatchObject({ name: 'TestHostError', code: 'MANIFEST_INVALID', status: 400 });
    expect(refused.details).toMatchObject({
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'version' }),
        expect.objectContaining({ path: expect.stringMatching(/^navigation\.0/) as unknown }),
      ]) as unknown,
    });
    expect(refused.message).toMatch(/^Installing the plugin: MANIFEST_INVALID \(400\)/);
    expect(refused.message).toMatch(/\n {2}- version: /);
    expect(await tempHosts(tmp)).toEqual([]);
  });

  it('refuses a plugin whose backend fails to load, with the host code', async () => {
    const broken = await notesVariant(tmp, {}, { 'backend/main.js': 'throw new Error("boom");' });
    const refused = await rejection(start({ plugin: broken }));
    expect(refused).toMatchObject({ code: 'PLUGIN_LOAD_FAILED', status: 422 });
    expect(refused.message).toMatch(/boom/);
  });

  it('keeps its files in one temp folder, and its tables in one schema, that close() removes', async () => {
    host = await start({ plugin: NOTES });
    const [folder] = await tempHosts(tmp);
    expect(folder).toBeDefined();
    expect(await fs.readdir(path.join(tmp, folder ?? '', 'plugins'))).toContain('notes');
    if (dialect === 'postgres') {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
        host.db,
      );
      expect(await schemas()).toEqual([rows[0]?.schema]);
    }

    await host.close();
    await host.close();
    expect(await tempHosts(tmp)).toEqual([]);
    expect(await schemas()).toEqual([]);
  });
});

describe("createTestHost's database option", () => {
  it.runIf(postgresUrl !== null)(
    "'postgres' finds PostgreSQL through POLYPHONY_TEST_POSTGRES_URL, before DATABASE_URL",
    async () => {
      const url = new URL(postgresUrl ?? '');
      vi.stubEnv('POLYPHONY_TEST_POSTGRES_URL', url.toString());
      vi.stubEnv('DATABASE_URL', `postgres://nobody@127.0.0.1:${await freePort()}/nothing`);
      host = await createTestHost({ plugin: NOTES, database: 'postgres' });
      const { rows } = await sql<{ database: string; schema: string }>`
        select current_database() as database, current_schema() as schema`.execute(host.db);
      expect(rows[0]?.database).toBe(url.pathname.slice(1));
      expect(rows[0]?.schema).toMatch(/^polyphony_test_host_[0-9a-f]{12}$/);
      const viewer = await host.signIn({ roles: ['viewer'] });
      expect((await viewer.post('/notes', { text: 'on PostgreSQL' })).status).toBe(201);
      expect(await host.data()).toEqual({ plugin_notes_notes: 1 });
    },
  );

  it('refuses PostgreSQL that does not answer with POSTGRES_UNAVAILABLE, leaving nothing behind', async () => {
    const nowhere = `postgres://someone:s3cret@127.0.0.1:${await freePort()}/nothing`;
    const refused = await rejection(
      createTestHost({ plugin: NOTES, database: { postgres: nowhere } }),
    );
    expect(refused.code).toBe('POSTGRES_UNAVAILABLE');
    expect(refused.message).toContain('PostgreSQL is not reachable at postgres://someone:***@');
    expect(refused.message).toMatch(/POLYPHONY_TEST_POSTGRES_URL or DATABASE_URL/);
    expect(refused.message).not.toContain('s3cret');
    expect(await tempHosts(tmp)).toEqual([]);

    vi.stubEnv('POLYPHONY_TEST_POSTGRES_URL', nowhere);
    const fromEnv = await rejection(createTestHost({ plugin: NOTES, database: 'postgres' }));
    expect(fromEnv.code).toBe('POSTGRES_UNAVAILABLE');

    vi.stubEnv('POLYPHONY_TEST_SKIP_POSTGRES', '1');
    const turnedOff = await rejection(createTestHost({ plugin: NOTES, database: 'postgres' }));
    expect(turnedOff.code).toBe('POSTGRES_UNAVAILABLE');
    expect(turnedOff.message).toMatch(/POLYPHONY_TEST_SKIP_POSTGRES=1/);

    const mysql = await rejection(
      createTestHost({ plugin: NOTES, database: { postgres: 'mysql://db/x' } }),
    );
    expect(mysql).toMatchObject({ code: 'POSTGRES_UNAVAILABLE' });
    expect(mysql.message).toMatch(/not a postgres:\/\/ or postgresql:\/\/ URL/);
  });
});
