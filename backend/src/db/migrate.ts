import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { DialectName } from './database.ts';
import { initial } from './migrations/001-initial.ts';
import { plugins } from './migrations/002-plugins.ts';

export interface CoreMigration {
  name: string;
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/** Ordered; names sort in the order they must run. Never edit one that has shipped: add another. */
export const coreMigrations: readonly CoreMigration[] = [initial, plugins];

export const CORE_MIGRATION_TABLE = 'core_migrations';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Brings the core schema up to date. Safe to run at every start and from several processes:
 * applied migrations are recorded and skipped, and the whole run is one transaction.
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  dialect: DialectName,
): Promise<MigrationResultSet> {
  const migrations: Record<string, Migration> = {};
  for (const migration of coreMigrations) {
    migrations[migration.name] = { up: (trx) => migration.up(trx, dialect) };
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: CORE_MIGRATION_TABLE,
    migrationLockTableName: `${CORE_MIGRATION_TABLE}_lock`,
    ...(dialect === 'postgres' ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`Core migration ${failed} failed`, { cause: result.error });
  }
  return result;
}

/**
 * Kysely looks for its bookkeeping tables across every schema it can see; pinning the schema we
 * actually write to keeps a second Polyphony (or a test) in another schema from being mistaken
 * for this one.
 */
async function currentSchema<DB>(db: Kysely<DB>): Promise<string> {
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = result.rows[0]?.schema;
  if (!schema) throw new MigrationError('PostgreSQL has no current schema (check search_path)');
  return schema;
}
