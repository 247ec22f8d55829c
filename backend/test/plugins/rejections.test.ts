import fs from 'node:fs/promises';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import {
  createPluginTestApp,
  listTree,
  manifestWith,
  packPlugin,
  tablesLike,
  type PluginTestApp,
} from '../plugin-app.ts';
import { buildZip } from '../zip-writer.ts';
import { expectRejected } from './expect-rejected.ts';
import { notesWithBackend } from './notes-versions.ts';

const migrationsModule = (body: string) => `
export default {
  migrations: [${body}],
  routes(router) { router.get('/ok', (c) => c.json({ ok: true })); },
};
`;

describe.each(dialects)('rejected installs leave no trace (%s)', (dialect) => {
  let t: PluginTestApp;
  beforeEach(async () => {
    t = await createPluginTestApp(dialect, {
      config: {
        limits: {
          maxUploadBytes: 512 * 1024,
          maxEntries: 50,
          maxUnpackedBytes: 4 * 1024 * 1024,
          maxRatio: 100,
        },
      },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  describe('archives', () => {
    it('not a ZIP', async () => {
      await expectRejected(
        t,
        await t.upload(Buffer.from('this is not a zip at all')),
        400,
        'ARCHIVE_INVALID',
      );
    });

    it('a truncated ZIP', async () => {
      const whole = await packPlugin('notes');
      await expectRejected(
        t,
        await t.upload(whole.subarray(0, whole.length - 40)),
        400,
        'ARCHIVE_INVALID',
      );
    });

    it('an entry escaping the target, with nothing written outside', async () => {
      const parent = path.dirname(t.pluginsDir);
      const before = await fs.readdir(parent);
      const archive = buildZip([
        { name: 'plugin.json', content: await manifestWith('notes', {}) },
        { name: '../escaped.js', content: 'export default {}' },
      ]);
      await expectRejected(t, await t.upload(archive), 400, 'ARCHIVE_UNSAFE_PATH');
      expect(await fs.readdir(parent)).toEqual(before);
    });

    it('a symlink entry', async () => {
      const archive = buildZip([
        { name: 'plugin.json', content: await manifestWith('notes', {}) },
        { name: 'frontend/index.js', content: '/etc/passwd', unixMode: 0o120777 },
      ]);
      await expectRejected(t, await t.upload(archive), 400, 'ARCHIVE_UNSUPPORTED_ENTRY');
    });

    it('every bad entry named in one answer, as before for the first', async () => {
      const archive = buildZip([
        { name: 'plugin.json', content: await manifestWith('notes', {}) },
        { name: '../escaped.js', content: 'export default {}' },
        { name: 'frontend/index.js', content: '/etc/passwd', unixMode: 0o120777 },
      ]);
      const response = await t.upload(archive);
      await expectRejected(t, response, 400, 'ARCHIVE_UNSAFE_PATH');
      expect(response.body).toMatchObject({
        error: {
          message:
            'Archive entry "../escaped.js" is unsafe: it contains a "." or ".." path segment. 1 more entry has problems too.',
          details: {
            entry: '../escaped.js',
            issues: [
              { path: '../escaped.js', code: 'ARCHIVE_UNSAFE_PATH' },
              { path: 'frontend/index.js', code: 'ARCHIVE_UNSUPPORTED_ENTRY' },
            ],
          },
        },
      });
    });

    it('names that collapse into one on disk', async () => {
      const manifest = await manifestWith('notes', {});
      const archive = buildZip([
        { name: 'plugin.json', content: manifest },
        { name: './plugin.json', content: manifest.replace('Notes', 'Evil') },
      ]);
      await expectRejected(t, await t.upload(archive), 400, 'ARCHIVE_UNSAFE_PATH');
    });

    it('a zip bomb, counted in bytes actually inflated', async () => {
      const zeros = Buffer.alloc(8 * 1024 * 1024);
      expect(deflateRawSync(zeros).length).toBeLessThan(512 * 1024);
      const archive = buildZip([
        { name: 'plugin.json', content: await manifestWith('notes', {}) },
        { name: 'frontend/index.js', content: zeros, declaredSize: 10 },
      ]);
      const response = await t.upload(archive);
      expect(['ARCHIVE_TOO_LARGE', 'ARCHIVE_INVALID']).toContain(
        (response.body as { error: { code: string } }).error.code,
      );
      await expectRejected(
        t,
        response,
        response.status,
        (response.body as { error: { code: string } }).error.code,
      );
    });

    it('an upload over the size cap: 413 without reading it whole', async () => {
      const archive = buildZip([
        { name: 'plugin.json', content: await manifestWith('notes', {}) },
        {
          name: 'frontend/big.bin',
          content: Buffer.from(Array.from({ length: 700 * 1024 }, (_, i) => (i * 7919) % 251)),
          method: 'store',
        },
      ]);
      await expectRejected(t, await t.upload(archive), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a missing file field, and two files', async () => {
      const empty = new FormData();
      empty.append('note', 'no file here');
      await expectRejected(
        t,
        await t.admin.send('POST', '/api/v1/admin/plugins', empty),
        400,
        'UPLOAD_INVALID',
      );
      const archive = await packPlugin('notes');
      const two = new FormData();
      two.append('file', new Blob([archive]), 'a.zip');
      two.append('file', new Blob([archive]), 'b.zip');
      await expectRejected(
        t,
        await t.admin.send('POST', '/api/v1/admin/plugins', two),
        400,
        'UPLOAD_INVALID',
      );
    });
  });

  describe('manifests and ids', () => {
    it('no plugin.json, with a hint when the folder itself was zipped', async () => {
      const archive = buildZip([
        { name: 'notes/plugin.json', content: await manifestWith('notes', {}) },
        { name: 'notes/frontend/index.js', content: 'export default 1' },
      ]);
      const response = await t.upload<{ error: { message: string } }>(archive);
      await expectRejected(t, response, 400, 'MANIFEST_MISSING');
      expect(response.body.error.message).toContain('notes/plugin.json');
    });

    it('malformed JSON', async () => {
      await expectRejected(
        t,
        await t.upload(await packPlugin('notes', { 'plugin.json': '{ "id": "notes", ' })),
        400,
        'MANIFEST_INVALID',
      );
    });

    const fieldCases: [string, Record<string, unknown>, string][] = [
      ['an unknown field (a typo)', { versoin: '1.0.0' }, 'versoin'],
      ['a wrong type', { navigation: 'Notes' }, 'navigation'],
      ['an uppercase id', { id: 'Notes' }, 'id'],
      ['a path-like id', { id: '../notes' }, 'id'],
      ['a reserved id', { id: 'admin' }, 'id'],
      ['an over-long id', { id: `n${'o'.repeat(40)}tes` }, 'id'],
      ['an invalid version', { version: '1.0' }, 'version'],
      ['an absolute backend path', { backend: '/etc/main.js' }, 'backend'],
      ['a backend path climbing out', { backend: '../main.js' }, 'backend'],
      ['a backend file that is missing', { backend: 'server/missing.js' }, 'backend'],
      [
        'a settings schema with a typo',
        { settings: { type: 'object', properties: { a: { type: 'string', defualt: 'x' } } } },
        'settings',
      ],
    ];
    it.each(fieldCases)('%s is refused with the field named', async (_, change, field) => {
      const response = await t.upload<{ error: { details: { issues: { path: string }[] } } }>(
        await packPlugin('notes', { 'plugin.json': await manifestWith('notes', change) }),
      );
      await expectRejected(t, response, 400, 'MANIFEST_INVALID');
      expect(response.body.error.details.issues.map((i) => i.path).join(' ')).toContain(field);
    });

    it('a host version outside the supported range', async () => {
      await expectRejected(
        t,
        await t.upload(
          await packPlugin('notes', {
            'plugin.json': await manifestWith('notes', { polyphony: '>=99.0.0' }),
          }),
        ),
        400,
        'PLUGIN_INCOMPATIBLE',
      );
    });
  });

  describe('code and migrations', () => {
    it('a backend that throws on import', async () => {
      await expectRejected(
        t,
        await t.upload(await notesWithBackend(`throw new Error('broken at import');`)),
        422,
        'PLUGIN_LOAD_FAILED',
      );
    });

    it('a default export that does not fit the contract', async () => {
      await expectRejected(
        t,
        await t.upload(await notesWithBackend(`export default { routes: 'nope', extra: 1 };`)),
        422,
        'PLUGIN_LOAD_FAILED',
      );
    });

    it('an activate hook that throws: the whole install is undone, tables included', async () => {
      const response = await t.upload(
        await notesWithBackend(
          `import { migrations } from './migrations/index.js';
export default { migrations, activate() { throw new Error('no database credentials'); } };`,
        ),
      );
      await expectRejected(t, response, 422, 'PLUGIN_ACTIVATION_FAILED');
    });

    it('an activate hook that never settles times out', async () => {
      const response = await t.upload(
        await notesWithBackend(`export default { activate() { return new Promise(() => {}); } };`),
      );
      await expectRejected(t, response, 422, 'PLUGIN_ACTIVATION_FAILED');
    });

    it('routes that never finish registering time out', async () => {
      const response = await t.upload(
        await notesWithBackend(`export default { routes() { return new Promise(() => {}); } };`),
      );
      await expectRejected(t, response, 422, 'PLUGIN_ACTIVATION_FAILED');
    });

    it('a migration failing halfway rolls back everything; the fixed archive then installs', async () => {
      const failing = migrationsModule(`
        { name: '001', async up(db) { await db.schema.createTable('plugin_notes_a').addColumn('id', 'text').execute(); await db.insertInto('plugin_notes_a').values({ id: 'x' }).execute(); } },
        { name: '002', async up(db) { await db.schema.createTable('plugin_notes_b').addColumn('id', 'text').execute(); } },
        { name: '003', async up(db) { await db.schema.createTable('plugin_notes_c').addColumn('id', 'text').execute(); throw new Error('disk on fire'); } },
      `);
      const response = await t.upload<{ error: { details: { migration: string } } }>(
        await notesWithBackend(failing),
      );
      await expectRejected(t, response, 422, 'PLUGIN_MIGRATION_FAILED');
      expect(response.body.error.details.migration).toBe('003');

      const fixed = await t.upload(
        await notesWithBackend(failing.replace("throw new Error('disk on fire');", '')),
      );
      expect(fixed.status).toBe(201);
      expect(await tablesLike(t, 'plugin_notes_')).toEqual([
        'plugin_notes_a',
        'plugin_notes_b',
        'plugin_notes_c',
      ]);
    });

    it('a migration touching a core table or another namespace: refused, nothing applied', async () => {
      const cases = [
        `{ name: '001', async up(db) { await db.schema.createTable('evil').addColumn('id', 'text').execute(); } }`,
        `{ name: '001', async up(db) { await db.schema.alterTable('users').addColumn('evil', 'text').execute(); } }`,
        `{ name: '001', async up(db) { await db.schema.createTable('plugin_notes_x').addColumn('id', 'text').execute(); await db.deleteFrom('sessions').execute(); } }`,
        `{ name: '001', async up(db) { await db.updateTable('users').set({ username: 'mallory' }).execute(); } }`,
      ];
      for (const body of cases) {
        const response = await t.upload(await notesWithBackend(migrationsModule(body)));
        await expectRejected(t, response, 422, 'PLUGIN_NAMESPACE_VIOLATION');
      }
      const users = await t.services.users.list();
      expect(users.map((u) => u.username)).toEqual(['ada']);
    });

    it("a new plugin's prefix already used by another plugin's table", async () => {
      const claims = migrationsModule(
        `{ name: '001', async up(db) { await db.schema.createTable('plugin_notes_archive_items').addColumn('id', 'text').execute(); } }`,
      );
      expect((await t.upload(await notesWithBackend(claims))).status).toBe(201);
      const archive = await packPlugin('notes', {
        'plugin.json': await manifestWith('notes', { id: 'notes-archive', name: 'Notes archive' }),
        'backend/main.js': migrationsModule(''),
      });
      await expectRejected(t, await t.upload(archive), 409, 'PLUGIN_NAMESPACE_TAKEN', ['notes']);
    });
  });

  it('uninstall drops exactly what the plugin owns, whatever the ids look like', async () => {
    const own = (table: string) =>
      migrationsModule(
        `{ name: '001', async up(db) { await db.schema.createTable('${table}').addColumn('id', 'text').execute(); } }`,
      );
    const archiveOf = async (id: string, table: string) =>
      packPlugin('notes', {
        'plugin.json': await manifestWith('notes', { id, name: id }),
        'backend/main.js': own(table),
      });
    expect(
      (await t.upload(await archiveOf('notes-archive', 'plugin_notes_archive_items'))).status,
    ).toBe(201);
    expect((await t.upload(await archiveOf('notes', 'plugin_notes_items'))).status).toBe(201);
    // Something (a plugin at run time, an operator) left a link inside the folder pointing out of it.
    const outside = path.join(path.dirname(t.pluginsDir), 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'keep.txt'), 'not the plugin’s');
    await fs.symlink(outside, path.join(t.pluginsDir, 'notes', 'link-out'));
    expect((await t.admin.delete('/api/v1/admin/plugins/notes')).status).toBe(204);
    expect(await fs.readFile(path.join(outside, 'keep.txt'), 'utf8')).toBe('not the plugin’s');
    expect(await tablesLike(t, 'plugin_')).toEqual(['plugin_notes_archive_items']);
    expect(await listTree(t.pluginsDir)).toContain('notes-archive/plugin.json');
    expect(await listTree(t.pluginsDir)).not.toContain('notes/plugin.json');
  });
});
