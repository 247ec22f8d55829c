import { gunzipSync } from 'node:zlib';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import {
  createPluginTestApp,
  EXAMPLES,
  listTree,
  packPlugin,
  tablesLike,
  type PluginTestApp,
} from '../plugin-app.ts';
import { notesV110 } from './notes-versions.ts';

interface PluginBody {
  plugin: {
    id: string;
    version: string;
    state: string;
    error: string | null;
    tables: string[];
    navigation: { label: string }[];
    frontend: { entry: string } | null;
  };
  upgradedFrom?: string | null;
}

describe.each(dialects)('plugin lifecycle over HTTP (%s)', (dialect) => {
  let t: PluginTestApp;
  beforeEach(async () => {
    t = await createPluginTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  const install = async () => {
    const response = await t.upload<PluginBody>(await packPlugin('notes'), 'notes-1.0.0.zip');
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.plugin;
  };
  const auditActions = async () =>
    (await t.services.audit.list({ page: 1, pageSize: 100 })).entries.map(
      (e) => `${e.action}:${e.outcome}`,
    );

  it('installs: files extracted, tables created, API mounted, assets served, links shown', async () => {
    const plugin = await install();
    expect(plugin).toMatchObject({
      id: 'notes',
      version: '1.0.0',
      state: 'active',
      error: null,
      tables: ['plugin_notes_notes'],
    });
    expect(plugin.navigation.map((n) => n.label)).toEqual(['Notes', 'Notes admin']);

    const folder = path.join(t.pluginsDir, 'notes');
    expect(await listTree(folder)).toEqual(
      expect.arrayContaining(['plugin.json', 'backend/main.js', 'frontend/index.js']),
    );
    expect(await tablesLike(t, 'plugin_notes_')).toEqual(['plugin_notes_notes']);

    const created = await t.admin.post('/api/v1/plugins/notes/notes', { text: 'hello' });
    expect(created.status).toBe(201);
    const listed = await t.admin.get<{ notes: { text: string; author: string }[] }>(
      '/api/v1/plugins/notes/notes',
    );
    expect(listed.body.notes).toEqual([expect.objectContaining({ text: 'hello', author: 'ada' })]);

    // Assets: the URL the record gives, with a JavaScript content type and nosniff.
    expect(plugin.frontend?.entry).toMatch(/^\/plugin-assets\/notes\/[0-9a-f]{12}\/index\.js$/);
    const asset = await t.app.request(plugin.frontend?.entry ?? '');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const frontends = await t.admin.get<{ plugins: { id: string; frontend: { entry: string } }[] }>(
      '/api/v1/plugins',
    );
    expect(frontends.body.plugins).toEqual([
      {
        id: 'notes',
        name: 'Notes',
        version: '1.0.0',
        frontend: { entry: plugin.frontend?.entry },
        navigation: [
          { label: 'Notes', path: '/', roles: ['viewer', 'editor', 'admin'] },
          { label: 'Notes admin', path: '/admin', roles: ['admin'] },
        ],
        // Only the settings marked "browser": the secret and maxLength stay on the server.
        settings: { title: 'Notes' },
      },
    ]);

    // Links by role: a viewer sees the page for everyone, not the admin page.
    const viewer = await t.userWith('vera', ['viewer']);
    const viewerNav = await viewer.get<{ items: { id: string; label: string; path: string }[] }>(
      '/api/v1/navigation',
    );
    expect(viewerNav.body.items.filter((i) => i.id.startsWith('plugin.'))).toEqual([
      expect.objectContaining({ label: 'Notes', path: '/plugins/notes', source: 'plugin' }),
    ]);
    const adminNav = await t.admin.get<{ items: { label: string; path: string }[] }>(
      '/api/v1/navigation',
    );
    expect(adminNav.body.items.map((i) => i.path)).toEqual(
      expect.arrayContaining(['/plugins/notes', '/plugins/notes/admin']),
    );

    expect(await auditActions()).toContain('plugin.installed:success');
    const entry = (
      await t.services.audit.list({ page: 1, pageSize: 5, action: 'plugin.installed' })
    ).entries[0];
    expect(entry).toMatchObject({
      actor: { username: 'ada' },
      target: { type: 'plugin', id: 'notes' },
      details: { version: '1.0.0' },
    });
  });

  it('deactivates: API and assets gone, links gone, every row kept; activates without migrating', async () => {
    const plugin = await install();
    await t.admin.post('/api/v1/plugins/notes/notes', { text: 'keep me' });
    const migrationsBefore = await t.services.db
      .selectFrom('plugins_migrations')
      .selectAll()
      .execute();

    const off = await t.admin.post<PluginBody>('/api/v1/admin/plugins/notes/deactivate');
    expect(off.status).toBe(200);
    expect(off.body.plugin).toMatchObject({ state: 'deactivated', frontend: null });
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(404);
    expect((await t.app.request(plugin.frontend?.entry ?? '')).status).toBe(404);
    const nav = await t.admin.get<{ items: { id: string }[] }>('/api/v1/navigation');
    expect(nav.body.items.some((i) => i.id.startsWith('plugin.'))).toBe(false);
    expect(await tablesLike(t, 'plugin_notes_')).toEqual(['plugin_notes_notes']);
    const rows = await t.services.db
      .selectFrom('plugin_notes_notes' as never)
      .selectAll()
      .execute();
    expect(rows).toHaveLength(1);

    const on = await t.admin.post<PluginBody>('/api/v1/admin/plugins/notes/activate');
    expect(on.status).toBe(200);
    expect(on.body.plugin.state).toBe('active');
    const listed = await t.admin.get<{ notes: { text: string }[] }>('/api/v1/plugins/notes/notes');
    expect(listed.body.notes.map((n) => n.text)).toEqual(['keep me']);
    expect(await t.services.db.selectFrom('plugins_migrations').selectAll().execute()).toEqual(
      migrationsBefore,
    );
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['plugin.deactivated:success', 'plugin.activated:success']),
    );
  });

  it('upgrades: new code (all of it) at once, only the new migration, data and state kept', async () => {
    const oldEntry = (await install()).frontend?.entry ?? '';
    await t.admin.post('/api/v1/plugins/notes/notes', { text: 'from 1.0.0' });
    expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({
      version: '1.0.0',
      format: 1,
    });

    const upgraded = await t.upload<PluginBody>(await notesV110());
    expect(upgraded.status, JSON.stringify(upgraded.body)).toBe(200);
    expect(upgraded.body).toMatchObject({
      upgradedFrom: '1.0.0',
      plugin: { version: '1.1.0', state: 'active' },
    });
    expect(upgraded.body.plugin.tables.sort()).toEqual(['plugin_notes_notes', 'plugin_notes_tags']);
    // Asset URLs are per version and cached for good: the old one must not start serving new bytes.
    const { body: before } = await t.admin.get<PluginBody>('/api/v1/admin/plugins/notes');
    expect(before.plugin.frontend?.entry).not.toBe(oldEntry);
    expect((await t.app.request(oldEntry)).status).toBe(404);
    expect((await t.app.request(before.plugin.frontend?.entry ?? '')).status).toBe(200);
    // format comes from a sibling module: a stale module cache would still say 1.
    expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({
      version: '1.1.0',
      format: 2,
    });
    const listed = await t.admin.get<{ notes: { text: string }[] }>('/api/v1/plugins/notes/notes');
    expect(listed.body.notes.map((n) => n.text)).toEqual(['from 1.0.0']);
    const ran = await t.services.db
      .selectFrom('plugins_migrations')
      .select(['name', 'position'])
      .orderBy('position')
      .execute();
    expect(ran.map((r) => r.name)).toEqual(['001-notes', '002-pinned']);
    const pluginJson = JSON.parse(
      await fs.readFile(path.join(t.pluginsDir, 'notes/plugin.json'), 'utf8'),
    ) as { version: string };
    expect(pluginJson.version).toBe('1.1.0');

    const again = await t.upload(await notesV110());
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'PLUGIN_VERSION_EXISTS' } });
    const older = await t.upload(await packPlugin('notes'));
    expect(older.status).toBe(409);
    expect(older.body).toMatchObject({ error: { code: 'PLUGIN_DOWNGRADE' } });
    expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({ format: 2 });
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['plugin.upgraded:success', 'plugin.upgraded:failure']),
    );
  });

  it('upgrading a deactivated plugin keeps it deactivated', async () => {
    await install();
    await t.admin.post('/api/v1/admin/plugins/notes/deactivate');
    const upgraded = await t.upload<PluginBody>(await notesV110());
    expect(upgraded.body.plugin).toMatchObject({ version: '1.1.0', state: 'deactivated' });
    expect((await t.admin.get('/api/v1/plugins/notes/about')).status).toBe(404);
    await t.admin.post('/api/v1/admin/plugins/notes/activate');
    expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({ format: 2 });
  });

  it('uninstalls from active or deactivated: tables, folder and record gone; reinstalls fresh', async () => {
    await install();
    await t.admin.post('/api/v1/plugins/notes/notes', { text: 'doomed' });
    const removed = await t.admin.delete('/api/v1/admin/plugins/notes');
    expect(removed.status).toBe(204);
    expect(await tablesLike(t, 'plugin_notes_')).toEqual([]);
    expect(await listTree(path.join(t.pluginsDir, 'notes'))).toEqual([]);
    expect((await t.admin.get('/api/v1/admin/plugins/notes')).body).toMatchObject({
      error: { code: 'PLUGIN_NOT_FOUND' },
    });
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(404);
    expect(await t.services.db.selectFrom('plugins_migrations').selectAll().execute()).toEqual([]);

    await install();
    const listed = await t.admin.get<{ notes: unknown[] }>('/api/v1/plugins/notes/notes');
    expect(listed.body.notes).toEqual([]);
    await t.admin.post('/api/v1/admin/plugins/notes/deactivate');
    expect((await t.admin.delete('/api/v1/admin/plugins/notes')).status).toBe(204);
    expect(await tablesLike(t, 'plugin_notes_')).toEqual([]);
    expect(await auditActions()).toContain('plugin.uninstalled:success');
  });

  it('settings: validated, secrets never sent back, visible to the plugin at once', async () => {
    await install();
    const initial = await t.admin.get('/api/v1/admin/plugins/notes/settings');
    expect(initial.body).toMatchObject({
      values: { title: 'Notes', maxLength: 500 },
      secrets: { apiToken: false },
    });
    const saved = await t.admin.request('PUT', '/api/v1/admin/plugins/notes/settings', {
      values: { title: 'Team notes', maxLength: 20, apiToken: 'sekret-token-1' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      values: { title: 'Team notes', maxLength: 20 },
      secrets: { apiToken: true },
    });
    expect(JSON.stringify(saved.body)).not.toContain('sekret-token-1');
    expect(
      JSON.stringify((await t.admin.get('/api/v1/admin/plugins/notes/settings')).body),
    ).not.toContain('sekret-token-1');
    expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({
      title: 'Team notes',
      maxLength: 20,
      tokenLength: 'sekret-token-1'.length,
    });
    const pages = await t.admin.get<{ plugins: { settings: unknown }[] }>('/api/v1/plugins');
    expect(pages.body.plugins[0]?.settings).toEqual({ title: 'Team notes' });
    const tooLong = await t.admin.post('/api/v1/plugins/notes/notes', { text: 'x'.repeat(21) });
    expect(tooLong.status).toBe(400);

    const bad = await t.admin.request('PUT', '/api/v1/admin/plugins/notes/settings', {
      values: { maxLength: 'many', colour: 'red' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const paths = (
      bad.body as { error: { details: { issues: { path: string }[] } } }
    ).error.details.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['maxLength', 'colour']));

    // An omitted secret is kept.
    await t.admin.request('PUT', '/api/v1/admin/plugins/notes/settings', {
      values: { title: 'Renamed' },
    });
    expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({
      title: 'Renamed',
      maxLength: 500,
      tokenLength: 'sekret-token-1'.length,
    });
    const audited = (
      await t.services.audit.list({ page: 1, pageSize: 10, action: 'plugin.settings_changed' })
    ).entries;
    expect(audited.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audited)).not.toContain('sekret-token-1');
  });

  it('a restart mounts active plugins again and leaves deactivated ones off', async () => {
    await install();
    await t.admin.post('/api/v1/plugins/notes/notes', { text: 'survives' });
    await t.restart();
    const listed = await t.admin.get<{ notes: { text: string }[] }>('/api/v1/plugins/notes/notes');
    expect(listed.body.notes.map((n) => n.text)).toEqual(['survives']);
    await t.admin.post('/api/v1/admin/plugins/notes/deactivate');
    await t.restart();
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(404);
    expect((await t.admin.get<PluginBody>('/api/v1/admin/plugins/notes')).body.plugin.state).toBe(
      'deactivated',
    );
  });

  it('rebuilds a missing plugin folder from the stored archive at start', async () => {
    await install();
    await fs.rm(path.join(t.pluginsDir, 'notes'), { recursive: true });
    await fs.rm(path.join(t.pluginsDir, '.runtime'), { recursive: true });
    await t.restart();
    expect((await t.admin.get('/api/v1/plugins/notes/about')).status).toBe(200);
    expect(await listTree(path.join(t.pluginsDir, 'notes'))).toContain('plugin.json');
  });

  it('lists plugins with their state, tables and navigation', async () => {
    await install();
    const list = await t.admin.get<{ plugins: PluginBody['plugin'][] }>('/api/v1/admin/plugins');
    expect(list.body.plugins).toEqual([
      expect.objectContaining({
        id: 'notes',
        name: 'Notes',
        author: 'Polyphony test fixtures',
        state: 'active',
        installedAt: expect.any(String) as string,
        updatedAt: expect.any(String) as string,
        tables: ['plugin_notes_notes'],
      }),
    ]);
  });

  it('serves frontend files compressed, cached for good, typed and nosniff', async () => {
    const script = `export const words = ${JSON.stringify('lorem ipsum '.repeat(2000))};\n`;
    const installed = await t.upload<PluginBody>(
      await packPlugin('notes', { 'frontend/chunk-words.js': script }),
    );
    const base = (installed.body.plugin.frontend?.entry ?? '').replace(/index\.js$/, '');
    const response = await t.app.request(`${base}chunk-words.js`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBeLessThan(script.length / 10);
    expect(gunzipSync(body).toString()).toBe(script);
  });

  it('the example kudos plugin installs, works and uninstalls', async () => {
    const response = await t.upload<PluginBody>(await packPlugin(path.join(EXAMPLES, 'kudos')));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const viewer = await t.userWith('vic', ['viewer']);
    const given = await t.admin.post('/api/v1/plugins/kudos/kudos', {
      to: 'vic',
      message: 'Thanks for the review!',
    });
    expect(given.status, JSON.stringify(given.body)).toBe(201);
    const board = await viewer.get<{ kudos: { from: string; to: string }[] }>(
      '/api/v1/plugins/kudos/kudos',
    );
    expect(board.body.kudos).toEqual([expect.objectContaining({ from: 'ada', to: 'vic' })]);
    expect((await t.admin.delete('/api/v1/admin/plugins/kudos')).status).toBe(204);
    expect(await tablesLike(t, 'plugin_kudos_')).toEqual([]);
  });
});
