// The handlers every variant serves, as one source: bare Hono, a Polyphony core route and the
// probe plugin's routes (bundled into its archive by esbuild) run these very functions.
import type { Context } from 'hono';
import type { Kysely } from 'kysely';

/** The body of the trivial handler: a small JSON object, as a health check or a lookup answers. */
export const HELLO = { ok: true, service: 'bench' } as const;

/** A trivial JSON GET handler: no I/O. */
export function hello(c: Context): Response {
  return c.json(HELLO);
}

/** Rows in each variant's items table; the read picks one by primary key. */
export const ITEM_ROWS = 1000;

// Each variant reads its own table of the same shape: `any` because the three databases' types differ.
/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyDb = Kysely<any>;

/** One database read per request: a row by primary key, as JSON. */
export function readItem(db: () => AnyDb, table: string) {
  return async (c: Context): Promise<Response> => {
    const id = (Number(c.req.param('id')) % ITEM_ROWS) + 1;
    const row: unknown = await db()
      .selectFrom(table)
      .select(['id', 'title', 'body'])
      .where('id', '=', id)
      .executeTakeFirst();
    return c.json(row ?? null, row ? 200 : 404);
  };
}

/** Creates and fills an items table (once: an existing one is kept). */
export async function createItems(db: AnyDb, table: string): Promise<void> {
  await db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .execute();
  const { count } = (await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirstOrThrow()) as { count: number | string };
  if (Number(count) > 0) return;
  const rows = Array.from({ length: ITEM_ROWS }, (_, i) => ({
    id: i + 1,
    title: `Item ${i + 1}`,
    body: `The body of item ${i + 1}, long enough to look like a short note.`,
  }));
  for (let i = 0; i < rows.length; i += 250) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 250))
      .execute();
  }
}
