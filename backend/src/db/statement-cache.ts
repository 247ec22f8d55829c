import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * A better-sqlite3 database that keeps its prepared statements, for Kysely's SQLite driver, which
 * prepares every query anew: preparing cost more than running a primary-key read (bench/RESULTS.md).
 * Kysely gives the same SQL text for the same query shape, so a few hundred statements cover every
 * query the host and its plugins make; the least recently used goes first. A statement that an
 * open iterator (a streamed query) is still reading is busy, so a second user gets a fresh one.
 * SQLite recompiles a kept statement by itself when the schema under it changes.
 */
export function withStatementCache(
  database: BetterSqlite3.Database,
  capacity = 500,
): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql) {
      const kept = statements.get(sql);
      if (kept !== undefined) {
        if (kept.busy) return database.prepare(sql);
        // Map order is the recency order: move it to the end.
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > capacity) {
        const oldest = statements.keys().next();
        if (!oldest.done) statements.delete(oldest.value);
      }
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}
