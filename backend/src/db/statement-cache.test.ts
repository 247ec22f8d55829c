import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withStatementCache } from './statement-cache.ts';

interface Schema {
  items: { id: number; title: string };
}

let database: SQLite.Database;
let db: Kysely<Schema>;

async function open(capacity?: number) {
  database = new SQLite(':memory:');
  db = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: withStatementCache(database, capacity) }),
  });
  await db.schema
    .createTable('items')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('title', 'text')
    .execute();
  await db
    .insertInto('items')
    .values([1, 2, 3].map((id) => ({ id, title: `Item ${id}` })))
    .execute();
}

afterEach(async () => {
  await db.destroy();
});

const byId = (id: number) =>
  db.selectFrom('items').select(['id', 'title']).where('id', '=', id).executeTakeFirst();

describe('withStatementCache', () => {
  it('prepares a query shape once and runs it with each call’s parameters', async () => {
    await open();
    const prepare = vi.spyOn(database, 'prepare');
    expect(await byId(1)).toEqual({ id: 1, title: 'Item 1' });
    expect(await byId(2)).toEqual({ id: 2, title: 'Item 2' });
    expect(await byId(9)).toBeUndefined();
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it('forgets the least recently used statement beyond its capacity', async () => {
    await open(2);
    const prepare = vi.spyOn(database, 'prepare');
    await byId(1); // prepares A
    await db.selectFrom('items').select('id').execute(); // B
    await byId(2); // A again: kept, now most recent
    await db.selectFrom('items').select('title').execute(); // C: B goes
    await byId(3); // A: kept
    await db.selectFrom('items').select('id').execute(); // B: prepared again
    expect(prepare).toHaveBeenCalledTimes(4);
  });

  it('gives a fresh statement while an iterator still reads the kept one', async () => {
    await open();
    // Kysely's one connection never overlaps two queries; the cache stays safe even if one did.
    const cache = withStatementCache(database);
    const text = 'select id from items order by id';
    const kept = cache.prepare(text) as SQLite.Statement;
    const reading = kept.iterate();
    expect(reading.next().value).toEqual({ id: 1 });
    const other = cache.prepare(text) as SQLite.Statement;
    expect(other).not.toBe(kept);
    expect(other.all()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    reading.return?.();
    expect(cache.prepare(text)).toBe(kept);
  });

  it('keeps working after the schema under a kept statement changes', async () => {
    await open();
    expect(await byId(1)).toEqual({ id: 1, title: 'Item 1' });
    await sql`alter table items add column body text`.execute(db);
    await db.updateTable('items').set({ title: 'Renamed' }).where('id', '=', 1).execute();
    expect(await byId(1)).toEqual({ id: 1, title: 'Renamed' });
    await db.schema.dropTable('items').execute();
    await expect(byId(1)).rejects.toThrow(/no such table/);
  });
});
