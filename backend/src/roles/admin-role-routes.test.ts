import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/databases.ts';
import { createTestAppWithAdmin } from '../../test/test-app.ts';

interface RoleBody {
  name: string;
  description: string;
  builtin: boolean;
  userCount: number;
}

describe.each(dialects)('Admin → Roles API (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestAppWithAdmin>>;
  beforeEach(async () => {
    t = await createTestAppWithAdmin(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists the built-in roles first, with user counts', async () => {
    await t.makeUser('bob', ['viewer']);
    const roles = await t.admin.get<{ roles: RoleBody[] }>('/api/v1/admin/roles');
    expect(roles.body.roles.map((r) => [r.name, r.builtin, r.userCount])).toEqual([
      ['admin', true, 1],
      ['editor', true, 0],
      ['viewer', true, 1],
    ]);
  });

  it('adds custom roles that users can then hold', async () => {
    const created = await t.admin.post<{ role: RoleBody }>('/api/v1/admin/roles', {
      name: 'team-lead',
      description: 'Leads a team',
    });
    expect(created.status).toBe(201);
    expect(created.body.role).toMatchObject({ name: 'team-lead', builtin: false, userCount: 0 });
    const bob = await t.makeUser('bob', ['team-lead']);
    const me = await bob.client.get<{ user: { roles: string[] } }>('/api/v1/auth/me');
    expect(me.body.user.roles).toEqual(['team-lead']);

    const duplicate = await t.admin.post('/api/v1/admin/roles', { name: 'team-lead' });
    expect(duplicate.body).toMatchObject({ error: { code: 'ROLE_EXISTS' } });
    const badName = await t.admin.post('/api/v1/admin/roles', { name: 'Team Lead' });
    expect(badName.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('deletes only unused custom roles', async () => {
    await t.admin.post('/api/v1/admin/roles', { name: 'temp' });
    const bob = await t.makeUser('bob', ['temp']);
    expect((await t.admin.delete('/api/v1/admin/roles/admin')).body).toMatchObject({
      error: { code: 'ROLE_BUILTIN' },
    });
    expect((await t.admin.delete('/api/v1/admin/roles/temp')).body).toMatchObject({
      error: { code: 'ROLE_IN_USE' },
    });
    expect((await t.admin.delete('/api/v1/admin/roles/nope')).status).toBe(404);
    await t.admin.patch(`/api/v1/admin/users/${bob.id}`, { roles: ['viewer'] });
    expect((await t.admin.delete('/api/v1/admin/roles/temp')).status).toBe(204);
    const roles = await t.admin.get<{ roles: RoleBody[] }>('/api/v1/admin/roles');
    expect(roles.body.roles.map((r) => r.name)).not.toContain('temp');
  });
});
