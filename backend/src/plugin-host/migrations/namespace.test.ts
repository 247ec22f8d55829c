import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type Compilable,
} from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, insertUser } from '../../../test/databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { createNamespaceGuard, tablePrefix } from './namespace.ts';
import { snapshotSchema } from './schema-snapshot.ts';

/** Plugin tables are not in the core schema type; tests reach them by name. */
type Loose = Record<string, Record<string, unknown>>;

/** The code of whatever `run` throws, or null if it does not throw. */
function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('tablePrefix', () => {
  it('turns the id into a table prefix, hyphens into underscores', () => {
    expect(tablePrefix('team-polls')).toBe('plugin_team_polls_');
    expect(tablePrefix('kudos')).toBe('plugin_kudos_');
    expect(tablePrefix('kudos-extra')).toBe('plugin_kudos_extra_');
  });
});

// Compiling runs every plugin's transformQuery, so these need no database: they pin down how the
// guard reads SQL text. The describe.each below runs the important cases for real.
describe('namespace guard reading queries (compile only)', () => {
  const compiler = new Kysely<Loose>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  const guarded = (allowDdl: boolean) =>
    compiler.withPlugin(
      createNamespaceGuard({
        prefix: 'plugin_kudos_',
        foreignOwned: () => new Set(['plugin_kudos_extra_items']),
        allowDdl,
      }),
    );
  const runtime = guarded(false);
  const migration = guarded(true);
  const compileRaw = (db: Kysely<Loose>, text: string) => () => sql.raw(text).compile(db);
  const compile = (query: Compilable) => () => query.compile();

  it.each([
    'select * from plugin_kudos_items',
    "select k.id from plugin_kudos_items k join plugin_kudos_votes v on v.item = k.id where k.note = 'from users'",
    'select * from "plugin_kudos_items" -- join users',
    'select /* from users */ 1 from plugin_kudos_items',
    "select 'it''s from users', E'it\\'s from users' from plugin_kudos_items",
    'select $$ from users $$, $tag$ join users $tag$ from plugin_kudos_items',
    'select extract(epoch from created_at), substring(name from 1 for 3) from plugin_kudos_items',
    'select * from plugin_kudos_items where a is distinct from b and c is not distinct from d',
    'with recent as (select * from plugin_kudos_items), top(id) as (select id from recent) select * from recent, top',
    'with recursive walk as materialized (select 1 union all select 1 from walk) select * from walk',
    'select * from plugin_kudos_items i, json_each(i.tags) as t',
    'select * from plugin_kudos_items i cross join lateral (select 1 from plugin_kudos_votes) x',
    'insert into plugin_kudos_items (id) values (1) on conflict (id) do update set id = excluded.id',
    'insert or replace into plugin_kudos_items (id) select id from plugin_kudos_votes',
    'update plugin_kudos_items set n = n + 1 where id in (select item from plugin_kudos_votes)',
    'update only plugin_kudos_items set a = 1 from plugin_kudos_votes v where v.item = plugin_kudos_items.id',
    'delete from plugin_kudos_items using plugin_kudos_votes v where v.item = plugin_kudos_items.id',
    'select a, b from plugin_kudos_items order by a, b limit 10 for update of plugin_kudos_items',
    'select array[1, 2][1], tags[1] from plugin_kudos_items',
    '(select 1 from plugin_kudos_a) union (select 2 from plugin_kudos_b)',
    'select 1; select 2 from plugin_kudos_items;',
    'truncate plugin_kudos_items',
    'select count(*) from PLUGIN_KUDOS_ITEMS',
  ])('allows at run time: %s', (text) => {
    expect(codeOf(compileRaw(runtime, text))).toBeNull();
  });

  it.each([
    'select * from users',
    'SELECT * FROM Users',
    'select * from "users"',
    'select * from public.users',
    'select * from "public"."users"',
    'select * from main.plugin_kudos_items',
    'select * from [users]',
    'select * from `users`',
    'select * from plugin_kudos_items k, users u',
    'select * from plugin_kudos_items k, (select 1) x, users u',
    'select * from plugin_kudos_items k left join audit_log a on true',
    'select * from plugin_kudos_items where exists (select 1 from sessions)',
    "insert into users (id) values ('x')",
    "update users set username = 'x'",
    'delete from audit_log',
    'truncate table plugin_kudos_items, audit_log',
    'select * from plugin_kudos_extra_items',
    'select * from PLUGIN_KUDOS_EXTRA_ITEMS',
    'with x as (select 1) select * from x, users',
    'with users as (select * from plugin_kudos_items) delete from users',
    'with users as (select * from plugin_kudos_items) update users set a = 1',
    'with users as (select * from plugin_kudos_items) insert into users select * from users',
    "select 'a;b'; delete from users",
    'commit',
    'rollback',
    'pragma foreign_keys = off',
    "attach database 'x.db' as x",
    'set search_path to public',
    'do $$ begin delete from users; end $$',
    'create table plugin_kudos_new (id int)',
    'drop table plugin_kudos_items',
    'alter table plugin_kudos_items add column note text',
  ])('refuses at run time: %s', (text) => {
    expect(codeOf(compileRaw(runtime, text))).toBe('PLUGIN_NAMESPACE_VIOLATION');
  });

  it.each([
    'create table plugin_kudos_new (id integer primary key references plugin_kudos_items (id))',
    'create unique index if not exists plugin_kudos_new_idx on plugin_kudos_new (id)',
    'create index on plugin_kudos_items using btree (id)',
    'create trigger plugin_kudos_trg after insert on plugin_kudos_items begin insert into plugin_kudos_log (id) values (new.id); update plugin_kudos_items set n = case when n is null then 1 else n end; end',
    'create view plugin_kudos_v as select * from plugin_kudos_items',
    'create or replace function plugin_kudos_f(a int) returns table (b int) as $$ select a from users $$ language sql',
    "create type plugin_kudos_mood as enum ('up', 'down')",
    'drop view if exists plugin_kudos_v, plugin_kudos_w',
    'drop function if exists plugin_kudos_f(int), plugin_kudos_g(text)',
    'alter table plugin_kudos_items add column note text, add column extra int',
    'alter table plugin_kudos_items rename to plugin_kudos_things',
    'refresh materialized view concurrently plugin_kudos_mv',
  ])('allows in a migration: %s', (text) => {
    expect(codeOf(compileRaw(migration, text))).toBeNull();
  });

  it.each([
    'create table evil_table (id int)',
    'create temp table users (id int)',
    'alter table users add column x text',
    'create index plugin_kudos_idx on sessions (user_id)',
    'create index evil_idx on plugin_kudos_items (id)',
    'create trigger plugin_kudos_trg after insert on users begin select 1; end',
    'create trigger plugin_kudos_trg after insert on plugin_kudos_items begin insert into users (id) values (new.id); end',
    'create table plugin_kudos_new (user_id text references users (id))',
    'create table plugin_kudos_copy as select * from users',
    'drop table plugin_kudos_extra_items',
    'drop table plugin_kudos_a, sessions',
    'drop view plugin_kudos_v, evil_view',
    'drop index sessions_user_idx',
    'alter table plugin_kudos_items rename to users2',
    'alter table plugin_kudos_items set schema public',
    'alter index plugin_kudos_idx rename to evil_idx',
    'create schema evil',
    'create extension pgcrypto',
    'create view evil_view as select 1',
    'create function public.plugin_kudos_f() returns int as $$ select 1 $$ language sql',
    'create policy p on plugin_kudos_items using (true)',
    'grant select on plugin_kudos_items to public',
    'comment on table users is $$x$$',
  ])('refuses in a migration: %s', (text) => {
    expect(codeOf(compileRaw(migration, text))).toBe('PLUGIN_NAMESPACE_VIOLATION');
  });

  it('checks identifiers passed into sql templates, and raw fragments used as tables', () => {
    const refused = [
      () => sql`select * from ${sql.table('users')}`,
      () => sql`select * from ${sql.id('public', 'users')}`,
      () => sql`select * from ${sql.raw('users')}`,
      () =>
        sql`select * from plugin_kudos_items where id in (${compiler.selectFrom('users').select('id')})`,
    ];
    for (const query of refused) {
      expect(codeOf(() => query().compile(runtime))).toBe('PLUGIN_NAMESPACE_VIOLATION');
    }
    expect(codeOf(compile(runtime.selectFrom(sql`users`.as('u')).selectAll()))).toBe(
      'PLUGIN_NAMESPACE_VIOLATION',
    );
    expect(
      codeOf(
        compile(
          runtime
            .selectFrom('plugin_kudos_items')
            .where(sql<boolean>`exists (select 1 from users)`)
            .selectAll(),
        ),
      ),
    ).toBe('PLUGIN_NAMESPACE_VIOLATION');
    expect(
      codeOf(() => sql`select * from ${sql.table('plugin_kudos_items')}`.compile(runtime)),
    ).toBeNull();
  });

  it('refuses withSchema, which Kysely applies before the guard sees the query', () => {
    expect(
      codeOf(compile(runtime.withSchema('public').selectFrom('plugin_kudos_items').selectAll())),
    ).toBe('PLUGIN_NAMESPACE_VIOLATION');
  });

  it('lets CTEs declared in Kysely be named in raw fragments of the same query', () => {
    const query = runtime
      .with('recent', (qb) => qb.selectFrom('plugin_kudos_items').selectAll())
      .selectFrom('recent')
      .where(sql<boolean>`id in (select id from recent)`)
      .selectAll();
    expect(codeOf(compile(query))).toBeNull();
    // A CTE never stands in for the table a statement writes to.
    const shadowing = runtime
      .with('users', (qb) => qb.selectFrom('plugin_kudos_items').selectAll())
      .deleteFrom('users');
    expect(codeOf(compile(shadowing))).toBe('PLUGIN_NAMESPACE_VIOLATION');
    const outside = runtime
      .selectFrom('plugin_kudos_items')
      .where(sql<boolean>`id in (select id from recent)`)
      .selectAll();
    expect(codeOf(compile(outside))).toBe('PLUGIN_NAMESPACE_VIOLATION');
  });

  it('checks the names of indexes, views, types and constraints built with Kysely', () => {
    const refused: Compilable[] = [
      migration.schema.createIndex('plugin_kudos_idx').on('users').column('id'),
      migration.schema.createIndex('users_idx').on('plugin_kudos_items').column('id'),
      migration.schema
        .createView('evil_view')
        .as(migration.selectFrom('plugin_kudos_items').selectAll()),
      migration.schema.createType('evil_mood').asEnum(['a']),
      migration.schema.dropIndex('sessions_user_idx'),
      migration.schema
        .createTable('plugin_kudos_t')
        .addColumn('id', 'text')
        .addUniqueConstraint('evil_key', ['id']),
      migration.schema.createSchema('evil'),
      migration.schema.alterTable('plugin_kudos_items').setSchema('public'),
    ];
    for (const query of refused) expect(codeOf(compile(query))).toBe('PLUGIN_NAMESPACE_VIOLATION');
    const allowed: Compilable[] = [
      migration.schema.createIndex('plugin_kudos_idx').on('plugin_kudos_items').column('id'),
      migration.schema.createType('plugin_kudos_mood').asEnum(['a']),
      migration.schema
        .createTable('plugin_kudos_t')
        .addColumn('id', 'text', (c) => c.references('plugin_kudos_items.id'))
        .addUniqueConstraint('plugin_kudos_t_key', ['id']),
    ];
    for (const query of allowed) expect(codeOf(compile(query))).toBeNull();
  });
});

describe.each(dialects)('namespace guard on a real database (%s)', (dialect) => {
  let handle: DatabaseHandle;
  let db: Kysely<Loose>;
  const foreign = new Set(['plugin_kudos_extra_items']);
  const guard = (allowDdl: boolean) =>
    db.withPlugin(
      createNamespaceGuard({
        prefix: tablePrefix('team-polls'),
        foreignOwned: () => foreign,
        allowDdl,
      }),
    );

  // Kysely's introspection on PostgreSQL lists every schema; the snapshot reads only ours.
  const tables = async () =>
    [...(await snapshotSchema(handle.db, dialect)).values()]
      .filter((o) => o.kind === 'table')
      .map((o) => o.name);

  beforeEach(async () => {
    handle = await createTestDatabase(dialect);
    db = handle.db as unknown as Kysely<Loose>;
    for (const name of ['plugin_team_polls_polls', 'plugin_kudos_extra_items']) {
      await db.schema
        .createTable(name)
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('title', 'text')
        .execute();
    }
    await db.schema
      .createTable('plugin_team_polls_votes')
      .addColumn('poll_id', 'integer', (c) => c.notNull())
      .addColumn('voter', 'text', (c) => c.notNull())
      .execute();
    await insertUser(handle.db, 'u1', 'ada');
    await db.insertInto('plugin_kudos_extra_items').values({ id: 1, title: 'theirs' }).execute();
  });
  afterEach(async () => {
    await handle.destroy();
  });

  it('allows CRUD on its own tables with aliases, joins, CTEs and raw SQL', async () => {
    const plugin = guard(false);
    await plugin
      .insertInto('plugin_team_polls_polls')
      .values([
        { id: 1, title: 'Lunch?' },
        { id: 2, title: 'Retro?' },
      ])
      .execute();
    await plugin
      .insertInto('plugin_team_polls_votes')
      .values([
        { poll_id: 1, voter: 'u1' },
        { poll_id: 1, voter: 'u2' },
      ])
      .execute();
    await plugin
      .updateTable('plugin_team_polls_polls as p')
      .set({ title: 'Lunch!' })
      .where('p.id', '=', 1)
      .execute();

    const counted = await plugin
      .with('popular', (qb) =>
        qb
          .selectFrom('plugin_team_polls_votes as v')
          .select(['v.poll_id', (eb) => eb.fn.countAll<number | string>().as('votes')])
          .groupBy('v.poll_id'),
      )
      .selectFrom('plugin_team_polls_polls as p')
      .innerJoin('popular', 'popular.poll_id', 'p.id')
      .select(['p.title', 'popular.votes'])
      .execute();
    expect(counted.map((r) => [r.title, Number(r.votes)])).toEqual([['Lunch!', 2]]);

    const each = dialect === 'sqlite' ? sql`json_each('[1,2]')` : sql`json_array_elements('[1,2]')`;
    const raw = await sql<{ title: string; n: number | string }>`
      with mine as (select id, title from plugin_team_polls_polls where title <> 'from users')
      select m.title, count(*) as n
      from mine m left join plugin_team_polls_votes v on v.poll_id = m.id, ${each} as j
      group by m.title order by m.title`.execute(plugin);
    expect(raw.rows.map((r) => [r.title, Number(r.n)])).toEqual([
      ['Lunch!', 4],
      ['Retro?', 2],
    ]);

    await plugin.deleteFrom('plugin_team_polls_votes').where('voter', '=', 'u2').execute();
    await sql`delete from plugin_team_polls_votes where voter = ${'u1'}`.execute(plugin);
    expect(await plugin.selectFrom('plugin_team_polls_votes').selectAll().execute()).toEqual([]);
  });

  it('refuses queries on core tables, other schemas and other plugins, and runs none of them', async () => {
    const plugin = guard(false);
    const refused = [
      plugin.selectFrom('users').selectAll(),
      plugin.deleteFrom('audit_log'),
      plugin.updateTable('users').set({ username: 'mallory' }),
      plugin
        .selectFrom('plugin_team_polls_polls as p')
        .innerJoin('users as u', 'u.id', 'p.title')
        .selectAll(),
      plugin.deleteFrom('plugin_kudos_extra_items'),
      sql`delete from users`,
      sql`update "users" set username = 'mallory'`,
      sql`select * from public.users`,
      sql`delete from audit_log`,
      sql`delete from plugin_kudos_extra_items`,
      sql`insert into users (id, username, password_hash, created_at, updated_at) values ('u2', 'eve', 'x', 'x', 'x')`,
    ];
    for (const query of refused) {
      await expect(query.execute(plugin)).rejects.toMatchObject({
        code: 'PLUGIN_NAMESPACE_VIOLATION',
      });
    }
    const users = await handle.db.selectFrom('users').select(['id', 'username']).execute();
    expect(users).toEqual([{ id: 'u1', username: 'ada' }]);
    const theirs = await db.selectFrom('plugin_kudos_extra_items').select('title').execute();
    expect(theirs).toEqual([{ title: 'theirs' }]);
  });

  it('names the table it refused', async () => {
    await expect(guard(false).selectFrom('users').selectAll().execute()).rejects.toMatchObject({
      code: 'PLUGIN_NAMESPACE_VIOLATION',
      message: expect.stringContaining('"users"') as unknown,
      details: { object: 'users' },
    });
  });

  it('refuses schema changes at run time, even inside its own namespace', async () => {
    const plugin = guard(false);
    await expect(
      plugin.schema.createTable('plugin_team_polls_new').addColumn('id', 'integer').execute(),
    ).rejects.toMatchObject({ code: 'PLUGIN_NAMESPACE_VIOLATION' });
    await expect(
      sql`create table plugin_team_polls_new (id integer)`.execute(plugin),
    ).rejects.toMatchObject({ code: 'PLUGIN_NAMESPACE_VIOLATION' });
    await expect(
      plugin.schema.dropTable('plugin_team_polls_votes').execute(),
    ).rejects.toMatchObject({ code: 'PLUGIN_NAMESPACE_VIOLATION' });
    expect(await tables()).not.toContain('plugin_team_polls_new');
    expect(await tables()).toContain('plugin_team_polls_votes');

    // The same statement is fine where schema changes belong.
    await sql`create table plugin_team_polls_new (id integer)`.execute(guard(true));
    expect(await tables()).toContain('plugin_team_polls_new');
  });
});
