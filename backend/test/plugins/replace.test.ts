import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import {
  createPluginTestApp,
  FIXTURES,
  manifestWith,
  packPlugin,
  type PluginTestApp,
} from '../plugin-app.ts';
import { notesV110 } from './notes-versions.ts';

interface UploadBody {
  plugin: {
    id: string;
    version: string;
    state: string;
    updatedAt: string;
    tables: string[];
    frontend: { entry: string } | null;
  };
  upgradedFrom: string | null;
  replaced?: boolean;
  unchanged?: boolean;
}

/**
 * Version 1.0.0 of the notes fixture rebuilt after an edit, as the kit's `dev` loop sends it:
 * new code in a sibling module, a new migration, a changed frontend file.
 */
async function editedNotes(): Promise<Buffer> {
  const read = (file: string) => fs.readFile(path.join(FIXTURES, 'notes', file), 'utf8');
  const migrations = await read('backend/migrations/index.js');
  return packPlugin('notes', {
    'backend/lib/format.js': (await read('backend/lib/format.js')).replace(
      'FORMAT_VERSION = 1',
      'FORMAT_VERSION = 2',
    ),
    'backend/migrations/index.js': migrations.replace(
      /\];\s*$/,
      `  {
    name: '002-starred',
    async up(db) {
      await db.schema.createTable('plugin_notes_stars').addColumn('note_id', 'text').execute();
    },
  },
];
`,
    ),
    'frontend/index.js': `${await read('frontend/index.js')}\n// edited\n`,
  });
}

describe.each(dialects)(
  'uploading the installed version again with ?replace=true (%s)',
  (dialect) => {
    let t: PluginTestApp;
    beforeEach(async () => {
      t = await createPluginTestApp(dialect);
    });
    afterEach(async () => {
      await t.close();
    });

    const replace = (archive: Buffer) =>
      t.upload<UploadBody>(archive, 'notes.zip', '?replace=true');
    const install = async () => {
      const installed = await t.upload<UploadBody>(await packPlugin('notes'));
      expect(installed.status, JSON.stringify(installed.body)).toBe(201);
      return installed.body.plugin;
    };
    const upgradeAudits = async () =>
      (await t.services.audit.list({ page: 1, pageSize: 50, action: 'plugin.upgraded' })).entries;

    it('takes the upgrade path: pending migration, new code and assets, data kept, audited', async () => {
      const before = await install();
      await t.admin.post('/api/v1/plugins/notes/notes', { text: 'kept' });

      const replaced = await replace(await editedNotes());
      expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
      expect(replaced.body).toMatchObject({
        upgradedFrom: '1.0.0',
        replaced: true,
        unchanged: false,
        plugin: { version: '1.0.0', state: 'active' },
      });
      expect(replaced.body.plugin.tables.sort()).toEqual([
        'plugin_notes_notes',
        'plugin_notes_stars',
      ]);
      const ran = await t.services.db
        .selectFrom('plugins_migrations')
        .select(['name', 'position'])
        .orderBy('position')
        .execute();
      expect(ran.map((r) => r.name)).toEqual(['001-notes', '002-starred']);

      // The new code answers (format comes from a sibling module: a stale module cache says 1).
      expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({
        version: '1.0.0',
        format: 2,
      });
      const listed = await t.admin.get<{ notes: { text: string }[] }>(
        '/api/v1/plugins/notes/notes',
      );
      expect(listed.body.notes.map((n) => n.text)).toEqual(['kept']);

      // New bytes, new asset URL: browsers holding the old one must not be served new code.
      const oldEntry = before.frontend?.entry ?? '';
      const newEntry = replaced.body.plugin.frontend?.entry ?? '';
      expect(newEntry).not.toBe(oldEntry);
      expect((await t.app.request(oldEntry)).status).toBe(404);
      const served = await t.app.request(newEntry);
      expect(served.status).toBe(200);
      expect(await served.text()).toContain('// edited');

      expect(await upgradeAudits()).toEqual([
        expect.objectContaining({
          outcome: 'success',
          target: expect.objectContaining({ id: 'notes' }) as unknown,
          details: { version: '1.0.0', from: '1.0.0', replaced: true, migrations: ['002-starred'] },
        }),
      ]);
    });

    it('answers 200 and changes nothing when the bytes are the installed ones', async () => {
      const archive = await packPlugin('notes');
      const installed = await install();
      const rowBefore = await t.services.db.selectFrom('plugins').selectAll().execute();

      const again = await replace(archive);
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body).toMatchObject({
        upgradedFrom: '1.0.0',
        replaced: true,
        unchanged: true,
        plugin: { version: '1.0.0', state: 'active', updatedAt: installed.updatedAt },
      });
      expect(again.body.plugin.frontend?.entry).toBe(installed.frontend?.entry);
      expect(await t.services.db.selectFrom('plugins').selectAll().execute()).toEqual(rowBefore);
      expect(await upgradeAudits()).toEqual([]);
      expect((await t.admin.get('/api/v1/plugins/notes/about')).status).toBe(200);
      // Nothing left behind in staging by the early answer.
      expect(await fs.readdir(path.join(t.pluginsDir, '.staging'))).toEqual([]);
    });

    it('still refuses the same version without the flag, and a lower version with it', async () => {
      await install();
      const same = await t.upload<UploadBody>(await editedNotes());
      expect(same.status).toBe(409);
      expect(same.body).toMatchObject({ error: { code: 'PLUGIN_VERSION_EXISTS' } });

      const upgraded = await replace(await notesV110());
      expect(upgraded.status, JSON.stringify(upgraded.body)).toBe(200);
      // A newer version is an ordinary upgrade, flag or not.
      expect(upgraded.body).toEqual({
        plugin: expect.anything() as unknown,
        upgradedFrom: '1.0.0',
      });
      expect(upgraded.body.plugin.version).toBe('1.1.0');

      const older = await replace(await packPlugin('notes'));
      expect(older.status).toBe(409);
      expect(older.body).toMatchObject({ error: { code: 'PLUGIN_DOWNGRADE' } });
      expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({
        version: '1.1.0',
      });
    });

    it('installs a new plugin as usual, and refuses a flag value it does not know', async () => {
      const fresh = await replace(await packPlugin('notes'));
      expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
      expect(fresh.body).toEqual({ plugin: expect.anything() as unknown, upgradedFrom: null });

      const unclear = await t.upload(
        await packPlugin('notes', {
          'plugin.json': await manifestWith('notes', { version: '1.0.0' }),
          'frontend/index.js': '// other bytes\n',
        }),
        'notes.zip',
        '?replace=yes',
      );
      expect(unclear.status).toBe(400);
      expect(unclear.body).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'replace' }] } },
      });
    });
  },
);
