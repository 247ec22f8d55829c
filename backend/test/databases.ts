import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle, type DialectName } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createThrowawaySchema } from '../src/testing/postgres.ts';

/** Every database test runs once per dialect: `describe.each(dialects)(...)`. */
export const dialects: DialectName[] =
  inject('postgresUrl') === null ? ['sqlite'] : ['sqlite', 'postgres'];

/**
 * A fresh, migrated database: SQLite in memory, or a throwaway schema inside this run's
 * PostgreSQL database (the whole database is dropped when the run ends).
 */
export async function createTestDatabase(dialect: DialectName): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (dialect === 'sqlite') {
    handle = openDatabase({ kind: 'sqlite', file: ':memory:' });
  } else {
    const url = inject('postgresUrl');
    if (url === null) throw new Error('PostgreSQL tests are disabled for this run');
    const schema = await createThrowawaySchema(url, 't_');
    handle = openDatabase({ kind: 'postgres', url }, { searchPath: schema.name, poolSize: 4 });
  }
  await migrateToLatest(handle.db, handle.dialect);
  return handle;
}

/** A bare user row, for tests that need one to exist rather than to sign in. */
export async function insertUser(
  db: DatabaseHandle['db'],
  id: string,
  username = id,
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id,
      username,
      password_hash: 'x',
      created_at: 'x',
      updated_at: 'x',
      disabled_at: null,
      last_login_at: null,
    })
    .execute();
}
