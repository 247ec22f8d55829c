import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import {
  createPluginTestApp,
  listTree,
  packPlugin,
  tablesLike,
  type PluginTestApp,
} from '../plugin-app.ts';
import { notesV110 } from './notes-versions.ts';

function codeOf(body: unknown): string | undefined {
  return (body as { error?: { code?: string } } | null)?.error?.code;
}

describe.each(dialects)('concurrent operations on one plugin (%s)', (dialect) => {
  let t: PluginTestApp;
  beforeEach(async () => {
    t = await createPluginTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  const consistent = async () => {
    const rows = await t.services.db.selectFrom('plugins').selectAll().execute();
    const tree = await listTree(t.pluginsDir);
    const folders = tree.filter((e) => !e.startsWith('.') && !e.includes('/'));
    expect(folders.sort()).toEqual(rows.map((r) => r.id).sort());
    expect(tree.filter((e) => e.startsWith('.staging/'))).toEqual([]);
    expect(await t.services.db.selectFrom('plugins_locks').selectAll().execute()).toEqual([]);
    const owned = rows.flatMap((r) =>
      (JSON.parse(r.owned_objects) as { name: string }[]).map((o) => o.name),
    );
    expect(await tablesLike(t, 'plugin_')).toEqual(owned.sort());
  };

  it('two installs of the same id at once: one wins, the other gets a conflict', async () => {
    const [a, b] = await Promise.all([
      t.upload(await packPlugin('notes')),
      t.upload(await packPlugin('notes')),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(['PLUGIN_BUSY', 'PLUGIN_VERSION_EXISTS']).toContain(codeOf(loser.body));
    await consistent();
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(200);
  });

  it('an upgrade racing an uninstall: serialized, and the end state is consistent', async () => {
    expect((await t.upload(await packPlugin('notes'))).status).toBe(201);
    const [upgrade, removal] = await Promise.all([
      t.upload(await notesV110()),
      t.admin.delete('/api/v1/admin/plugins/notes'),
    ]);
    const outcomes = [upgrade.status, removal.status];
    // Either one went first and the other waited for nothing: one of them must have succeeded.
    expect(outcomes.some((s) => s === 200 || s === 201 || s === 204)).toBe(true);
    for (const response of [upgrade, removal]) {
      if (response.status === 409) expect(codeOf(response.body)).toBe('PLUGIN_BUSY');
    }
    await consistent();
  });

  it('deactivate and uninstall at once: serialized, consistent', async () => {
    expect((await t.upload(await packPlugin('notes'))).status).toBe(201);
    const responses = await Promise.all([
      t.admin.post('/api/v1/admin/plugins/notes/deactivate'),
      t.admin.delete('/api/v1/admin/plugins/notes'),
      t.admin.post('/api/v1/admin/plugins/notes/activate'),
    ]);
    for (const response of responses) {
      expect([200, 204, 404, 409]).toContain(response.status);
    }
    await consistent();
  });
});
