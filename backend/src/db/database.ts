import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.ts';
import type { Database } from './schema.ts';
import { withStatementCache } from './statement-cache.ts';
import { startCheckpointer } from './checkpointer.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle<DB = Database> {
  db: Kysely<DB>;
  dialect: DialectName;
  destroy(): Promise<void>;
}

/**
 * SQLite runs DDL inside transactions perfectly well; Kysely's adapter just does not claim it.
 * Claiming it makes the migrator wrap each run in a transaction, so a migration that fails halfway
 * leaves nothing behind on SQLite, as on PostgreSQL.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
}

export interface OpenDatabaseOptions {
  /** PostgreSQL only: the schema to use (tests isolate themselves in throwaway schemas). */
  searchPath?: string;
  /** PostgreSQL only: connection pool size. */
  poolSize?: number;
}

export function openDatabase(
  config: DatabaseConfig,
  options: OpenDatabaseOptions = {},
): DatabaseHandle {
  if (config.kind === 'sqlite') return openSqlite(config.file);
  return openPostgres(config.url, options);
}

function openSqlite(file: string): DatabaseHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // Other processes (the operator CLI) may write at the same time: wait for them instead of failing.
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  const checkpointer = file === ':memory:' ? null : startCheckpointer(database, file);
  const db = new Kysely<Database>({
    dialect: new TransactionalSqliteDialect({ database: withStatementCache(database) }),
  });
  return {
    db,
    dialect: 'sqlite',
    async destroy() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

function openPostgres(url: string, options: OpenDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', destroy: () => db.destroy() };
}

export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
