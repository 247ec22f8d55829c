import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../test/databases.ts';
import { createTestApp, createTestAppWithAdmin, TestClient } from '../test/test-app.ts';
import type { Database } from './db/schema.ts';

/** Everything an admin endpoint could change, to prove a refused call changed nothing. */
async function snapshot(db: Kysely<Database>) {
  return {
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    roles: await db.selectFrom('roles').selectAll().orderBy('name').execute(),
    userRoles: await db
      .selectFrom('user_roles')
      .selectAll()
      .orderBy('user_id')
      .orderBy('role_name')
      .execute(),
    audit: await db.selectFrom('audit_log').selectAll().orderBy('id').execute(),
  };
}

describe.each(dialects)('the HTTP contract (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestAppWithAdmin>>;
  let victimId: string;
  beforeEach(async () => {
    t = await createTestAppWithAdmin(dialect);
    victimId = (await t.makeUser('victor', ['editor'])).id;
    await t.admin.post('/api/v1/admin/roles', { name: 'auditors' });
  });
  afterEach(async () => {
    await t.close();
  });

  const adminCalls = (): [string, string, unknown?][] => [
    ['GET', '/api/v1/admin/users'],
    [
      'POST',
      '/api/v1/admin/users',
      { username: 'mallory', password: 'mallory-pw', roles: ['admin'] },
    ],
    ['PATCH', `/api/v1/admin/users/${victimId}`, { roles: ['admin'] }],
    ['PATCH', `/api/v1/admin/users/${victimId}`, { disabled: true }],
    ['DELETE', `/api/v1/admin/users/${victimId}`],
    ['GET', '/api/v1/admin/roles'],
    ['POST', '/api/v1/admin/roles', { name: 'hackers' }],
    ['DELETE', '/api/v1/admin/roles/auditors'],
    ['GET', '/api/v1/admin/audit'],
    ['GET', '/api/v1/admin/no-such-thing'],
  ];

  it('answers 401 UNAUTHENTICATED to anonymous callers on every admin endpoint, changing nothing', async () => {
    const before = await snapshot(t.database.db);
    const anonymous = new TestClient(t.app);
    for (const [method, path, body] of adminCalls()) {
      const response = await anonymous.request(method, path, body);
      expect({ method, path, status: response.status, body: response.body }).toMatchObject({
        status: 401,
        body: { error: { code: 'UNAUTHENTICATED' } },
      });
    }
    expect(await snapshot(t.database.db)).toEqual(before);
  });

  it('answers 403 FORBIDDEN to signed-in non-admins on every admin endpoint, changing nothing', async () => {
    const { client: viewer } = await t.makeUser('vera', ['viewer', 'editor']);
    const before = await snapshot(t.database.db);
    for (const [method, path, body] of adminCalls()) {
      const response = await viewer.request(method, path, body);
      expect({ method, path, status: response.status, body: response.body }).toMatchObject({
        status: 403,
        body: { error: { code: 'FORBIDDEN' } },
      });
    }
    expect(await snapshot(t.database.db)).toEqual(before);
  });

  it('refuses cookie-authenticated state changes without the CSRF token, changing nothing', async () => {
    const before = await snapshot(t.database.db);
    const forged = new TestClient(t.app);
    forged.cookie = t.admin.cookie;
    for (const [method, path, body] of adminCalls().filter(([m]) => m !== 'GET')) {
      for (const token of [undefined, 'wrong-token']) {
        const headers: Record<string, string> = token ? { 'x-csrf-token': token } : {};
        const response = await forged.request(method, path, body, headers);
        expect({ method, path, status: response.status, body: response.body }).toMatchObject({
          status: 403,
          body: { error: { code: 'CSRF_TOKEN_INVALID' } },
        });
      }
    }
    const logout = await forged.request('POST', '/api/v1/auth/logout');
    expect(logout.status).toBe(403);
    expect(await snapshot(t.database.db)).toEqual(before);
    // The real session still works: the forged calls did not end it.
    expect((await t.admin.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('answers unknown API paths with a JSON 404, never HTML', async () => {
    for (const path of ['/api/nope', '/api/v1/nope', '/api/v2/users', '/api/v1/auth/nope']) {
      const response = await t.app.request(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  it('reports health when the database answers', async () => {
    const response = await t.app.request('/api/v1/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 DATABASE_UNAVAILABLE when the database is gone', async () => {
    await t.database.destroy();
    const response = await t.app.request('/api/v1/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'DATABASE_UNAVAILABLE' } });
  });

  it('rejects bodies that are not JSON or are too large', async () => {
    const notJson = await t.admin.request('POST', '/api/v1/admin/roles', '{"name":');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ error: { code: 'INVALID_JSON' } });
    const huge = await t.admin.post('/api/v1/admin/roles', { name: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('sends security headers', async () => {
    const response = await t.app.request('/api/v1/health');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('serves navigation to signed-in users by role', async () => {
    const { client: viewer } = await t.makeUser('vera', ['viewer']);
    const forViewer = await viewer.get<{ items: { label: string }[] }>('/api/v1/navigation');
    const forAdmin = await t.admin.get<{ items: { label: string }[] }>('/api/v1/navigation');
    expect(forViewer.body.items.map((i) => i.label)).toEqual(['Home']);
    expect(forAdmin.body.items.map((i) => i.label)).toEqual(['Home', 'Admin']);
    expect((await new TestClient(t.app).get('/api/v1/navigation')).status).toBe(401);
  });
});

describe('the web app page', () => {
  it("admits the inline import map by this response's CSP nonce, and nothing else inline", async () => {
    const webRoot = mkdtempSync(path.join(tmpdir(), 'polyphony-csp-'));
    writeFileSync(
      path.join(webRoot, 'index.html'),
      '<!doctype html><head><script type="importmap">{"imports":{}}</script>' +
        '<script type="module" src="/assets/index.js"></script></head>',
    );
    const t = await createTestApp('sqlite', { webRoot });
    try {
      const nonces: (string | undefined)[] = [];
      for (let i = 0; i < 2; i += 1) {
        const response = await t.app.request('/admin/plugins');
        const csp = response.headers.get('content-security-policy') ?? '';
        const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
        const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
        expect(scriptSrc.replace(/'nonce-[^']+'/, '').trim()).toBe("'self'");
        expect(await response.text()).toContain(`<script type="importmap" nonce="${nonce}">`);
        nonces.push(nonce);
      }
      // A fresh nonce for every response.
      expect(nonces[0]).not.toBe(nonces[1]);
    } finally {
      await t.close();
      rmSync(webRoot, { recursive: true, force: true });
    }
  });
});
