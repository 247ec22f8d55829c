import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/databases.ts';
import {
  ADMIN,
  createTestApp,
  createTestAppWithAdmin,
  TestClient,
  type TestApp,
} from '../../test/test-app.ts';

describe.each(dialects)('first-run setup and sign-in (%s)', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  it('offers setup while no user exists, creates the first admin once, signed in', async () => {
    const client = new TestClient(t.app);
    expect((await client.get('/api/v1/setup')).body).toEqual({ setupRequired: true });

    const setup = await client.post('/api/v1/setup', {
      username: ' Ada ',
      password: ADMIN.password,
    });
    expect(setup.status).toBe(201);
    expect(setup.body).toMatchObject({ user: { username: 'ada', roles: ['admin'] } });
    expect(setup.headers.get('set-cookie')).toMatch(/polyphony_session=.+HttpOnly.*SameSite=Lax/i);

    const me = await client.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { username: 'ada', roles: ['admin'] } });

    const again = await new TestClient(t.app).post('/api/v1/setup', {
      username: 'eve',
      password: 'eve-password',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'SETUP_ALREADY_DONE' } });
    expect(await t.services.users.count()).toBe(1);
    expect((await client.get('/api/v1/setup')).body).toEqual({ setupRequired: false });
  });

  it('rejects a weak setup password with the field named', async () => {
    const response = await new TestClient(t.app).post('/api/v1/setup', {
      username: 'ada',
      password: 'short',
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'password' }] } },
    });
    expect(await t.services.users.count()).toBe(0);
  });
});

describe.each(dialects)('sessions (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestAppWithAdmin>>;
  beforeEach(async () => {
    t = await createTestAppWithAdmin(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  it('signs in with the contract shape and the same error for unknown user and wrong password', async () => {
    const client = new TestClient(t.app);
    const ok = await client.login('ADA', ADMIN.password);
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['csrfToken', 'user']);
    expect(Object.keys(ok.body.user as object).sort()).toEqual(['id', 'roles', 'username']);

    const wrong = await new TestClient(t.app).login('ada', 'not-the-password');
    const unknown = await new TestClient(t.app).login('nobody', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('rate-limits repeated failures, even when the right password finally comes', async () => {
    const client = new TestClient(t.app);
    for (let i = 0; i < 5; i++) expect((await client.login('ada', `wrong-${i}`)).status).toBe(401);
    const limited = await client.login('ada', ADMIN.password);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    for (let i = 0; i < 3; i++)
      expect((await client.login('ada', 'more-guesses')).status).toBe(429);
    const audit = await t.admin.get<{ entries: { action: string }[] }>(
      '/api/v1/admin/audit?action=auth.login_rate_limited',
    );
    expect(audit.body.entries).toHaveLength(1);

    t.advance(16 * 60 * 1000);
    expect((await client.login('ada', ADMIN.password)).status).toBe(200);
  });

  it('signs out: the session ends and the cookie no longer works', async () => {
    const stolenCookie = t.admin.cookie;
    const out = await t.admin.post('/api/v1/auth/logout');
    expect(out.status).toBe(204);
    expect((await t.admin.get('/api/v1/auth/me')).status).toBe(401);
    const replay = new TestClient(t.app);
    replay.cookie = stolenCookie;
    expect((await replay.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('expires sessions after the idle time', async () => {
    expect((await t.admin.get('/api/v1/auth/me')).status).toBe(200);
    t.advance(25 * 60 * 60 * 1000);
    const me = await t.admin.get('/api/v1/auth/me');
    expect(me.status).toBe(401);
    expect(me.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('stores only a hash of the session token', async () => {
    const token = t.admin.cookie!.split('=')[1]!;
    const rows = await t.database.db.selectFrom('sessions').select('id').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id)).not.toContain(token);
  });

  it('refuses a disabled account and ends its sessions', async () => {
    const bob = await t.makeUser('bob', ['viewer']);
    await t.admin.patch(`/api/v1/admin/users/${bob.id}`, { disabled: true });
    expect((await bob.client.get('/api/v1/auth/me')).status).toBe(401);
    const again = await new TestClient(t.app).login('bob', bob.password);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ error: { code: 'ACCOUNT_DISABLED' } });
  });

  it('changes the own password with the current one, ending the other sessions', async () => {
    const bob = await t.makeUser('bob', ['viewer']);
    const otherTab = new TestClient(t.app);
    await otherTab.login('bob', bob.password);
    const wrong = await bob.client.post('/api/v1/auth/password', {
      currentPassword: 'nope-nope',
      newPassword: 'brand-new-pw',
    });
    expect(wrong.status).toBe(401);
    const changed = await bob.client.post('/api/v1/auth/password', {
      currentPassword: bob.password,
      newPassword: 'brand-new-pw',
    });
    expect(changed.status).toBe(204);
    expect((await bob.client.get('/api/v1/auth/me')).status).toBe(200);
    expect((await otherTab.get('/api/v1/auth/me')).status).toBe(401);
    expect((await new TestClient(t.app).login('bob', 'brand-new-pw')).status).toBe(200);
  });

  it('records sign-in failures of admins in the audit log, not of others', async () => {
    await t.makeUser('bob', ['viewer']);
    await new TestClient(t.app).login('ada', 'wrong-password');
    await new TestClient(t.app).login('bob', 'wrong-password');
    const audit = await t.admin.get<{ entries: { action: string; target: { label: string } }[] }>(
      '/api/v1/admin/audit?action=auth.login_failed',
    );
    expect(audit.body.entries.map((e) => e.target.label)).toEqual(['ada']);
  });
});
