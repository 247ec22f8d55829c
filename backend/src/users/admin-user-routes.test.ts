import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/databases.ts';
import { createTestAppWithAdmin, TestClient } from '../../test/test-app.ts';

interface AdminUserBody {
  id: string;
  username: string;
  roles: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

describe.each(dialects)('Admin → Users API (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestAppWithAdmin>>;
  let adminId: string;
  beforeEach(async () => {
    t = await createTestAppWithAdmin(dialect);
    adminId = (await t.admin.get<{ user: { id: string } }>('/api/v1/auth/me')).body.user.id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates a user who can sign in with their roles', async () => {
    const created = await t.admin.post<{ user: AdminUserBody }>('/api/v1/admin/users', {
      username: 'Bob',
      password: 'bob-password',
      roles: ['viewer', 'editor'],
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({
      username: 'bob',
      roles: ['editor', 'viewer'],
      disabled: false,
      lastLoginAt: null,
    });
    const login = await new TestClient(t.app).login('bob', 'bob-password');
    expect(login.body).toMatchObject({ user: { roles: ['editor', 'viewer'] } });

    const list = await t.admin.get<{ users: AdminUserBody[] }>('/api/v1/admin/users');
    expect(list.body.users.map((u) => u.username)).toEqual(['ada', 'bob']);
    expect(list.body.users[1]!.lastLoginAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toMatch(/password|scrypt/);
  });

  it('refuses duplicates, unknown roles and bad fields without creating anything', async () => {
    await t.makeUser('bob', ['viewer']);
    const duplicate = await t.admin.post('/api/v1/admin/users', {
      username: 'BOB',
      password: 'whatever-pw',
      roles: ['viewer'],
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ error: { code: 'USERNAME_TAKEN' } });

    const unknownRole = await t.admin.post('/api/v1/admin/users', {
      username: 'carol',
      password: 'carol-password',
      roles: ['viewer', 'wizard'],
    });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body).toMatchObject({
      error: { code: 'UNKNOWN_ROLE', details: { roles: ['wizard'] } },
    });

    const bad = await t.admin.post('/api/v1/admin/users', {
      username: 'a',
      password: 'x',
      roles: [],
    });
    expect(bad.status).toBe(400);
    const paths = (
      bad.body as { error: { details: { issues: { path: string }[] } } }
    ).error.details.issues.map((i) => i.path);
    expect(paths.sort()).toEqual(['password', 'roles', 'username']);

    const list = await t.admin.get<{ users: AdminUserBody[] }>('/api/v1/admin/users');
    expect(list.body.users.map((u) => u.username)).toEqual(['ada', 'bob']);
  });

  it('changes roles, and the user sees them at once', async () => {
    const bob = await t.makeUser('bob', ['viewer']);
    const changed = await t.admin.patch<{ user: AdminUserBody }>(`/api/v1/admin/users/${bob.id}`, {
      roles: ['editor', 'admin'],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user.roles).toEqual(['admin', 'editor']);
    expect((await bob.client.get('/api/v1/admin/users')).status).toBe(200);
  });

  it('resets a password: old sessions end, the new password works', async () => {
    const bob = await t.makeUser('bob', ['viewer']);
    const reset = await t.admin.patch(`/api/v1/admin/users/${bob.id}`, {
      password: 'reset-by-admin',
    });
    expect(reset.status).toBe(200);
    expect((await bob.client.get('/api/v1/auth/me')).status).toBe(401);
    expect((await new TestClient(t.app).login('bob', bob.password)).status).toBe(401);
    expect((await new TestClient(t.app).login('bob', 'reset-by-admin')).status).toBe(200);
  });

  it('keeps the last active admin: no demotion, no disabling, no deletion', async () => {
    for (const patch of [{ roles: ['viewer'] }, { disabled: true }]) {
      const response = await t.admin.patch(`/api/v1/admin/users/${adminId}`, patch);
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ error: { code: 'LAST_ADMIN' } });
    }
    const other = await t.makeUser('root2', ['admin']);
    const selfDelete = await t.admin.delete(`/api/v1/admin/users/${adminId}`);
    expect(selfDelete.body).toMatchObject({ error: { code: 'CANNOT_DELETE_SELF' } });

    // With a second admin the first may be demoted; then the second is the last one.
    expect(
      (await t.admin.patch(`/api/v1/admin/users/${adminId}`, { roles: ['viewer'] })).status,
    ).toBe(200);
    const lastDelete = await other.client.delete(`/api/v1/admin/users/${other.id}`);
    expect(lastDelete.status).toBe(409);
    const me = await other.client.get<{ user: { roles: string[] } }>('/api/v1/auth/me');
    expect(me.body.user.roles).toEqual(['admin']);
  });

  it('counts a disabled admin as no admin', async () => {
    const other = await t.makeUser('root2', ['admin']);
    expect(
      (await t.admin.patch(`/api/v1/admin/users/${other.id}`, { disabled: true })).status,
    ).toBe(200);
    const response = await t.admin.patch(`/api/v1/admin/users/${adminId}`, { roles: ['editor'] });
    expect(response.body).toMatchObject({ error: { code: 'LAST_ADMIN' } });
  });

  it('deletes a user with their sessions and roles', async () => {
    const bob = await t.makeUser('bob', ['viewer']);
    expect((await t.admin.delete(`/api/v1/admin/users/${bob.id}`)).status).toBe(204);
    expect((await bob.client.get('/api/v1/auth/me')).status).toBe(401);
    expect((await t.admin.delete(`/api/v1/admin/users/${bob.id}`)).status).toBe(404);
    const leftovers = await t.database.db
      .selectFrom('user_roles')
      .selectAll()
      .where('user_id', '=', bob.id)
      .execute();
    expect(leftovers).toEqual([]);
  });

  it('audits every action with actor, target and outcome, failures included', async () => {
    const bob = await t.makeUser('bob', ['viewer']);
    await t.admin.patch(`/api/v1/admin/users/${bob.id}`, { roles: ['editor'] });
    await t.admin.patch(`/api/v1/admin/users/${adminId}`, { disabled: true });
    await t.admin.delete(`/api/v1/admin/users/${bob.id}`);
    const audit = await t.admin.get<{
      entries: {
        action: string;
        outcome: string;
        actor: { username: string };
        target: { label: string };
        details: Record<string, unknown> | null;
      }[];
      total: number;
    }>('/api/v1/admin/audit');
    const summary = audit.body.entries.map((e) => [
      e.action,
      e.outcome,
      e.actor.username,
      e.target.label,
    ]);
    expect(summary.slice(0, 4)).toEqual([
      ['user.deleted', 'success', 'ada', 'bob'],
      ['user.disabled', 'failure', 'ada', 'ada'],
      ['user.roles_changed', 'success', 'ada', 'bob'],
      ['user.created', 'success', 'ada', 'bob'],
    ]);
    expect(audit.body.entries[1]!.details).toMatchObject({ code: 'LAST_ADMIN' });
    expect(audit.body.entries[2]!.details).toEqual({ before: ['viewer'], after: ['editor'] });
    expect(audit.body.entries.at(-1)!.action).toBe('setup.completed');
  });
});
