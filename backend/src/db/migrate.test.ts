import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, insertUser } from '../../test/databases.ts';
import type { DatabaseHandle } from './database.ts';
import { coreMigrations, migrateToLatest } from './migrate.ts';

describe.each(dialects)('core migrations (%s)', (dialect) => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await handle.destroy();
  });

  it('are idempotent: a second start applies nothing and keeps the data', async () => {
    await handle.db
      .insertInto('roles')
      .values({ name: 'keep-me', description: '', created_at: 'x' })
      .execute();
    const again = await migrateToLatest(handle.db, handle.dialect);
    expect(again.results).toEqual([]);
    const roles = await handle.db.selectFrom('roles').select('name').orderBy('name').execute();
    expect(roles.map((r) => r.name)).toEqual(['admin', 'editor', 'keep-me', 'viewer']);
  });

  it('have run once each', async () => {
    const rows = await handle.db
      .selectFrom('core_migrations' as never)
      .select('name' as never)
      .execute();
    expect(rows.map((r) => (r as { name: string }).name)).toEqual(
      coreMigrations.map((m) => m.name),
    );
  });

  it('enforce foreign keys: a role held by a user cannot vanish under it', async () => {
    await insertUser(handle.db, 'u1');
    await handle.db
      .insertInto('user_roles')
      .values({ user_id: 'u1', role_name: 'viewer' })
      .execute();
    await expect(
      handle.db.deleteFrom('roles').where('name', '=', 'viewer').execute(),
    ).rejects.toThrow();
    await handle.db.deleteFrom('users').where('id', '=', 'u1').execute();
    expect(await handle.db.selectFrom('user_roles').selectAll().execute()).toEqual([]);
  });
});
