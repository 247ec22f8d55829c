import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { CLI_CONTEXT } from '../../src/audit/audit-log.ts';
import { createPluginSystem } from '../../src/plugin-host/plugin-system.ts';
import { dialects } from '../databases.ts';
import {
  createPluginTestApp,
  manifestWith,
  packPlugin,
  testPluginConfig,
  type PluginTestApp,
} from '../plugin-app.ts';
import { notesWithBackend } from './notes-versions.ts';

interface PluginBody {
  plugin: { state: string; error: string | null };
}

describe.each(dialects)('a failing plugin never takes the host down (%s)', (dialect) => {
  let t: PluginTestApp;
  beforeEach(async () => {
    t = await createPluginTestApp(dialect);
    expect((await t.upload(await packPlugin('notes'))).status).toBe(201);
  });
  afterEach(async () => {
    await t.close();
  });

  it('a handler that throws or rejects: 500 for that request, logged, everything else serving', async () => {
    for (const route of ['boom', 'reject']) {
      const response = await t.admin.get(`/api/v1/plugins/notes/${route}`);
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
      expect(JSON.stringify(response.body)).not.toContain('on purpose');
    }
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(200);
    expect((await t.admin.get('/api/v1/admin/users')).status).toBe(200);
  });

  it('a request in flight while the plugin is deactivated gets 404, not the old answer', async () => {
    const inFlight = t.admin.get('/api/v1/plugins/notes/slow?ms=300');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const off = await t.admin.post('/api/v1/admin/plugins/notes/deactivate');
    expect(off.status).toBe(200);
    const response = await inFlight;
    expect(response.status).toBe(404);
    expect((await t.admin.get('/api/v1/plugins/notes/slow?ms=1')).status).toBe(404);
  });

  it('a request in flight while the plugin is uninstalled gets 404, and uninstall waits for it', async () => {
    const inFlight = t.admin.get('/api/v1/plugins/notes/notes');
    const removed = await t.admin.delete('/api/v1/admin/plugins/notes');
    expect(removed.status).toBe(204);
    expect([200, 404]).toContain((await inFlight).status);
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(404);
  });

  it('uninstalled by another process before this server noticed: 404, not a 500', async () => {
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(200);
    // What `polyphony plugins uninstall` does from another process: this server still has it mounted.
    const other = createPluginSystem({
      services: t.services,
      logger: pino({ level: 'silent' }),
      pluginsDir: t.pluginsDir,
      config: testPluginConfig,
      serve: false,
    });
    await other.manager.uninstall('notes', CLI_CONTEXT);
    expect(t.runtime.get('notes')).toBeDefined();
    const response = await t.admin.get('/api/v1/plugins/notes/notes');
    expect(response.status).toBe(404);
    await t.manager.sync();
    expect(t.runtime.get('notes')).toBeUndefined();
  });

  it('the database handle plugins get is fenced to their own tables', async () => {
    const response = await t.admin.get('/api/v1/plugins/notes/core-users');
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: { code: 'PLUGIN_NAMESPACE_VIOLATION' } });
    expect(JSON.stringify(response.body)).not.toContain('password_hash');
  });

  it('a plugin that fails to load at start is marked failed with its error; the host and the others run', async () => {
    const other = await packPlugin('notes', {
      'plugin.json': await manifestWith('notes', { id: 'memos', name: 'Memos' }),
      'backend/main.js': `export default { routes(r) { r.get('/hi', (c) => c.json({ hi: true })); } };`,
    });
    expect((await t.upload(other)).status).toBe(201);
    // The stored archive of notes now holds code that throws on import, as if its files changed under us.
    const broken = await notesWithBackend(`throw new Error('cannot start: missing dependency');`);
    await t.services.db
      .updateTable('plugins_archives')
      .set({ content: broken, sha256: 'f'.repeat(64) })
      .where('plugin_id', '=', 'notes')
      .execute();
    await t.services.db
      .updateTable('plugins')
      .set({ archive_sha256: 'f'.repeat(64) })
      .where('id', '=', 'notes')
      .execute();

    await t.restart();
    const notes = await t.admin.get<PluginBody>('/api/v1/admin/plugins/notes');
    expect(notes.body.plugin.state).toBe('failed');
    expect(notes.body.plugin.error).toContain('missing dependency');
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(404);
    expect((await t.admin.get('/api/v1/plugins/memos/hi')).body).toEqual({ hi: true });
    expect((await t.anonymous().get('/api/v1/health')).status).toBe(200);

    // Deactivating a failed plugin works and clears the error.
    const off = await t.admin.post<PluginBody>('/api/v1/admin/plugins/notes/deactivate');
    expect(off.body.plugin).toMatchObject({ state: 'deactivated', error: null });
  });

  it('an activate hook that throws on activation: 422, the plugin stays off, the lock is released', async () => {
    const failing = await notesWithBackend(
      `import { migrations } from './migrations/index.js';
export default { migrations, routes(r) { r.get('/x', (c) => c.json({})); }, activate() { if (globalThis.__notesRefuse) throw new Error('refusing to start'); } };`,
      { version: '1.1.0' },
    );
    expect((await t.upload(failing)).status).toBe(200);
    await t.admin.post('/api/v1/admin/plugins/notes/deactivate');
    (globalThis as { __notesRefuse?: boolean }).__notesRefuse = true;
    try {
      const on = await t.admin.post('/api/v1/admin/plugins/notes/activate');
      expect(on.status).toBe(422);
      expect(on.body).toMatchObject({ error: { code: 'PLUGIN_ACTIVATION_FAILED' } });
      expect((await t.admin.get<PluginBody>('/api/v1/admin/plugins/notes')).body.plugin.state).toBe(
        'deactivated',
      );
      expect((await t.admin.get('/api/v1/plugins/notes/x')).status).toBe(404);
    } finally {
      delete (globalThis as { __notesRefuse?: boolean }).__notesRefuse;
    }
    expect((await t.admin.post('/api/v1/admin/plugins/notes/activate')).status).toBe(200);
    expect((await t.admin.get('/api/v1/plugins/notes/x')).status).toBe(200);
  });

  it('an upgrade whose new version fails to start: kept (its migrations ran), marked failed, fixed by the next version', async () => {
    const broken = await notesWithBackend(
      `import { migrations } from './migrations/index.js';
export default { migrations, routes(r) { r.get('/x', (c) => c.json({})); }, activate() { throw new Error('needs a config file'); } };`,
      { version: '1.1.0' },
    );
    const upgraded = await t.upload<PluginBody & { upgradedFrom: string }>(broken);
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.plugin).toMatchObject({ state: 'failed' });
    expect(upgraded.body.plugin.error).toContain('needs a config file');
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(404);
    expect((await t.admin.get('/api/v1/plugins/notes/x')).status).toBe(404);

    const fixed = await notesWithBackend(
      `import { migrations } from './migrations/index.js';
export default { migrations, routes(r) { r.get('/x', (c) => c.json({ fixed: true })); } };`,
      { version: '1.1.1' },
    );
    const repaired = await t.upload<PluginBody>(fixed);
    expect(repaired.body.plugin).toMatchObject({ state: 'active', error: null });
    expect((await t.admin.get('/api/v1/plugins/notes/x')).body).toEqual({ fixed: true });
  });

  it('a deactivate hook that never settles times out; the plugin is off and the lock free', async () => {
    const hanging = await notesWithBackend(
      `import { migrations } from './migrations/index.js';
export default { migrations, routes(r) { r.get('/x', (c) => c.json({})); }, deactivate() { return new Promise(() => {}); } };`,
      { version: '1.2.0' },
    );
    expect((await t.upload(hanging)).status).toBe(200);
    const off = await t.admin.post<PluginBody>('/api/v1/admin/plugins/notes/deactivate');
    expect(off.status).toBe(200);
    expect((await t.admin.get('/api/v1/plugins/notes/x')).status).toBe(404);
    expect(await t.services.db.selectFrom('plugins_locks').selectAll().execute()).toEqual([]);
    expect((await t.admin.post('/api/v1/admin/plugins/notes/activate')).status).toBe(200);
  });
});
