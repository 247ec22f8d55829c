import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import { createPluginTestApp, packPlugin, type PluginTestApp } from '../plugin-app.ts';
import type { TestClient } from '../test-app.ts';

describe.each(dialects)('who may do what with plugins (%s)', (dialect) => {
  let t: PluginTestApp;
  let entry: string;
  beforeEach(async () => {
    t = await createPluginTestApp(dialect);
    const installed = await t.upload<{ plugin: { frontend: { entry: string } } }>(
      await packPlugin('notes'),
    );
    expect(installed.status).toBe(201);
    entry = installed.body.plugin.frontend.entry;
  });
  afterEach(async () => {
    await t.close();
  });

  const calls = async (client: TestClient) => [
    await client.get('/api/v1/admin/plugins'),
    await client.get('/api/v1/admin/plugins/notes'),
    await client.send('POST', '/api/v1/admin/plugins', await uploadForm()),
    await client.post('/api/v1/admin/plugins/notes/deactivate'),
    await client.post('/api/v1/admin/plugins/notes/activate'),
    await client.get('/api/v1/admin/plugins/notes/settings'),
    await client.request('PUT', '/api/v1/admin/plugins/notes/settings', { values: { title: 'x' } }),
    await client.delete('/api/v1/admin/plugins/notes'),
  ];
  const uploadForm = async () => {
    const form = new FormData();
    form.append('file', new Blob([await packPlugin('notes')]), 'notes.zip');
    return form;
  };
  const unchanged = async () => {
    const plugin = await t.admin.get<{ plugin: { state: string; version: string } }>(
      '/api/v1/admin/plugins/notes',
    );
    expect(plugin.body.plugin).toMatchObject({ state: 'active', version: '1.0.0' });
    expect((await t.admin.get('/api/v1/admin/plugins/notes/settings')).body).toMatchObject({
      values: { title: 'Notes' },
    });
    expect((await t.admin.get('/api/v1/plugins/notes/notes')).status).toBe(200);
  };

  it('anonymous: 401 on every management call, nothing changes', async () => {
    for (const response of await calls(t.anonymous())) {
      expect(response.status).toBe(401);
    }
    await unchanged();
  });

  it('signed in without the admin role: 403 on every management call, nothing changes', async () => {
    const editor = await t.userWith('eddie', ['editor', 'viewer']);
    for (const response of await calls(editor)) {
      expect(response.status).toBe(403);
    }
    await unchanged();
  });

  it('an admin without the CSRF token: 403 on every state change, nothing changes', async () => {
    t.admin.sendCsrf = false;
    const responses = (await calls(t.admin)).filter((_, i) => ![0, 1, 5].includes(i));
    for (const response of responses) {
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: { code: 'CSRF_TOKEN_INVALID' } });
    }
    t.admin.sendCsrf = true;
    await unchanged();
  });

  it("plugin routes: sign-in required unless public, the host's CSRF rule applies, role guards in one line", async () => {
    const anonymous = t.anonymous();
    expect((await anonymous.get('/api/v1/plugins/notes/notes')).status).toBe(401);
    expect((await anonymous.get('/api/v1/plugins/notes/public/ping')).body).toEqual({
      pong: true,
      user: null,
    });
    t.admin.sendCsrf = false;
    const forged = await t.admin.post('/api/v1/plugins/notes/notes', { text: 'forged' });
    expect(forged.status).toBe(403);
    t.admin.sendCsrf = true;
    expect(
      (await t.admin.get<{ notes: unknown[] }>('/api/v1/plugins/notes/notes')).body.notes,
    ).toEqual([]);

    const viewer = await t.userWith('vera', ['viewer']);
    const created = await t.admin.post<{ note: { id: string } }>('/api/v1/plugins/notes/notes', {
      text: 'mine',
    });
    const refused = await viewer.delete(`/api/v1/plugins/notes/notes/${created.body.note.id}`);
    expect(refused.status).toBe(403);
    expect(
      (await t.admin.delete(`/api/v1/plugins/notes/notes/${created.body.note.id}`)).status,
    ).toBe(204);
  });

  it('role guards in a plugin: a user outside its roles is refused its routes', async () => {
    await t.admin.post('/api/v1/admin/roles', { name: 'auditor', description: 'Reads logs' });
    const outsider = await t.userWith('otto', ['auditor']);
    const viewer = await t.userWith('vera', ['viewer']);
    const refused = await outsider.get('/api/v1/plugins/notes/notes');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await outsider.post('/api/v1/plugins/notes/notes', { text: 'x' })).status).toBe(403);
    expect((await viewer.get('/api/v1/plugins/notes/notes')).status).toBe(200);
    expect((await viewer.get('/api/v1/plugins/notes/admin/summary')).status).toBe(403);
    expect((await t.admin.get('/api/v1/plugins/notes/admin/summary')).body).toEqual({ notes: 0 });
  });

  it('the identity plugins see cannot be spoofed with request headers', async () => {
    const spoof = {
      'x-user': 'ada',
      'x-user-id': 'admin',
      'x-forwarded-user': 'ada',
      'x-polyphony-user': '{"id":"x","username":"ada","roles":["admin"]}',
      'remote-user': 'ada',
    };
    const anonymous = t.anonymous();
    expect(
      (await anonymous.request('GET', '/api/v1/plugins/notes/whoami', undefined, spoof)).status,
    ).toBe(401);
    expect(
      (await anonymous.request('GET', '/api/v1/plugins/notes/public/ping', undefined, spoof)).body,
    ).toMatchObject({ user: null });
    const viewer = await t.userWith('vera', ['viewer']);
    const me = await viewer.request('GET', '/api/v1/plugins/notes/whoami', undefined, spoof);
    expect(me.body).toMatchObject({ user: { username: 'vera', roles: ['viewer'] } });
  });

  it('static assets: encoded traversal, dotfiles and files outside the frontend folder are never served', async () => {
    const base = entry.slice(0, entry.lastIndexOf('/'));
    expect((await t.app.request(`${base}/style.css`)).headers.get('content-type')).toContain(
      'text/css',
    );
    for (const attempt of [
      '%2e%2e/plugin.json',
      '..%2fplugin.json',
      '%2e%2e%2fbackend%2fmain.js',
      '..%5cplugin.json',
      'index.js%00.css',
      '.polyphony-install.json',
      '%2e%2e/.polyphony-install.json',
    ]) {
      const response = await t.app.request(`${base}/${attempt}`);
      expect(response.status, attempt).toBe(404);
    }
    expect((await t.app.request(`${base}/../backend/main.js`)).status).toBe(404);
    // Another version's hash, and a deactivated plugin's files: 404.
    expect((await t.app.request(entry.replace(/\/[0-9a-f]{12}\//, '/000000000000/'))).status).toBe(
      404,
    );
    await t.admin.post('/api/v1/admin/plugins/notes/deactivate');
    expect((await t.app.request(entry)).status).toBe(404);
  });
});
