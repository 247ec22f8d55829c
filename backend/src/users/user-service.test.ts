import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_CONTEXT } from '../audit/audit-log.ts';
import { dialects } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

describe.each(dialects)('the last-admin rule under concurrency (%s)', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  it('lets only one of two simultaneous demotions of the last two admins through', async () => {
    const { users } = t.services;
    const a = await users.create(
      { username: 'admin-a', password: 'password-a', roles: ['admin'] },
      CLI_CONTEXT,
    );
    const b = await users.create(
      { username: 'admin-b', password: 'password-b', roles: ['admin'] },
      CLI_CONTEXT,
    );
    const results = await Promise.allSettled([
      users.update(a.id, { roles: ['viewer'] }, CLI_CONTEXT),
      users.update(b.id, { roles: ['viewer'] }, CLI_CONTEXT),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ code: 'LAST_ADMIN' });
    const admins = (await users.list()).filter((u) => u.roles.includes('admin'));
    expect(admins).toHaveLength(1);
  });

  it('lets two first-run setups race with exactly one winner', async () => {
    const results = await Promise.allSettled([
      t.services.users.createFirstAdmin({ username: 'first', password: 'password-1' }, CLI_CONTEXT),
      t.services.users.createFirstAdmin(
        { username: 'second', password: 'password-2' },
        CLI_CONTEXT,
      ),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await t.services.users.count()).toBe(1);
  });
});
