// Variant (a): bare Hono on @hono/node-server with the same handlers, and nothing else.
// Usage: node --import tsx bare.ts <port> [sqlite-file | postgres-url]
import { serve } from '@hono/node-server';
import SQLite from 'better-sqlite3';
import { Hono } from 'hono';
import { withStatementCache } from '@polyphony/backend/statement-cache';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createItems, hello, readItem } from '../handlers.ts';

const [portArg, database] = process.argv.slice(2);
const app = new Hono();
app.get('/hello', hello);

if (database) {
  // The same settings as the host's own connection (backend/src/db/database.ts), its statement
  // cache included: a read costs the same on both sides, and the difference is what lies between.
  const db = database.startsWith('postgres')
    ? new Kysely<unknown>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: database, max: 10 }),
        }),
      })
    : new Kysely<unknown>({
        dialect: new SqliteDialect({
          database: (() => {
            const file = new SQLite(database);
            file.pragma('journal_mode = WAL');
            file.pragma('synchronous = NORMAL');
            return withStatementCache(file);
          })(),
        }),
      });
  await createItems(db, 'bench_items');
  app.get(
    '/items/:id',
    readItem(() => db, 'bench_items'),
  );
}

// Exit on SIGTERM through process.exit, so that `--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));

serve({ fetch: app.fetch, port: Number(portArg), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on ${info.port}`);
});
