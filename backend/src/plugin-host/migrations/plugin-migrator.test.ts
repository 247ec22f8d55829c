import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, insertUser } from '../../../test/databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import type { PluginMigration } from '@polyphony/plugin-sdk';
import {
  applyPluginMigrations,
  dropOwnedObjects,
  type ApplyMigrationsOptions,
} from './plugin-migrator.ts';
import { snapshotSchema, type SchemaSnapshot } from './schema-snapshot.ts';
import type { OwnedObject } from './types.ts';

type Loose = Record<string, Record<string, unknown>>;

function migration(name: string, up: (db: Kysely<Loose>) => Promise<void>): PluginMigration {
  return { name, up };
}

const never = () => new Promise<void>(() => undefined);
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

describe.each(dialects)('plugin migrations (%s)', (dialect) => {
  let handle: DatabaseHandle;
  let loose: Kysely<Loose>;
  /** The schema as the host left it: every failed run must leave exactly this. */
  let initial: SchemaSnapshot;

  const snapshot = () => snapshotSchema(handle.db, dialect);
  const tables = async () =>
    [...(await snapshot()).values()].filter((o) => o.kind === 'table').map((o) => o.name);

  /** As the plugin manager does it: bookkeeping and migrations in one transaction. */
  const install = (
    pending: readonly PluginMigration[],
    options: Partial<ApplyMigrationsOptions> = {},
  ) =>
    handle.db.transaction().execute(async (trx) => {
      const pluginId = options.pluginId ?? 'team-polls';
      await trx
        .insertInto('plugins')
        .values({
          id: pluginId,
          name: pluginId,
          version: '1.0.0',
          description: '',
          author: 'test',
          manifest: '{}',
          state: 'active',
          error: null,
          archive_sha256: 'x',
          owned_objects: '[]',
          settings: '{}',
          installed_at: 'x',
          updated_at: 'x',
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const applied = await applyPluginMigrations(trx, dialect, {
        pluginId,
        pending,
        owned: [],
        foreignOwned: new Set(),
        timeoutMs: 5_000,
        ...options,
      });
      await trx
        .insertInto('plugins_migrations')
        .values(
          applied.ran.map((name, position) => ({
            plugin_id: pluginId,
            name,
            position,
            executed_at: 'x',
          })),
        )
        .execute();
      return applied;
    });

  beforeEach(async () => {
    handle = await createTestDatabase(dialect);
    loose = handle.db as unknown as Kysely<Loose>;
    await insertUser(handle.db, 'u1', 'ada');
    initial = await snapshot();
  });
  afterEach(async () => {
    await handle.destroy();
  });

  const createPolls = migration('001-polls', async (db) => {
    await db.schema
      .createTable('plugin_team_polls_polls')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .execute();
    await db.insertInto('plugin_team_polls_polls').values({ id: 1, title: 'Lunch?' }).execute();
  });
  const createVotes = migration('002-votes', async (db) => {
    await db.schema
      .createTable('plugin_team_polls_votes')
      .addColumn('poll_id', 'integer', (c) => c.notNull().references('plugin_team_polls_polls.id'))
      .addColumn('voter', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('plugin_team_polls_votes_poll_idx')
      .on('plugin_team_polls_votes')
      .column('poll_id')
      .execute();
    await db.insertInto('plugin_team_polls_votes').values({ poll_id: 1, voter: 'u1' }).execute();
  });

  async function expectNothingApplied(): Promise<void> {
    expect(await snapshot()).toEqual(initial);
    expect(await handle.db.selectFrom('plugins').selectAll().execute()).toEqual([]);
    expect(await handle.db.selectFrom('users').select(['id', 'username']).execute()).toEqual([
      { id: 'u1', username: 'ada' },
    ]);
  }

  it('rolls back every migration of a run when one fails, and a fixed list applies cleanly', async () => {
    const broken = migration('003-broken', async (db) => {
      await db.insertInto('plugin_team_polls_polls').values({ id: 2, title: 'Retro?' }).execute();
      throw new Error('boom');
    });
    const error = await install([createPolls, createVotes, broken]).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PLUGIN_MIGRATION_FAILED',
      details: { migration: '003-broken', reason: 'boom' },
    });
    expect((error as Error).message).toContain('003-broken');
    await expectNothingApplied();

    const fixed = migration('003-fixed', async (db) => {
      await db.insertInto('plugin_team_polls_polls').values({ id: 2, title: 'Retro?' }).execute();
    });
    const applied = await install([createPolls, createVotes, fixed]);
    expect(applied).toEqual({
      ran: ['001-polls', '002-votes', '003-fixed'],
      owned: [
        { kind: 'table', name: 'plugin_team_polls_polls' },
        { kind: 'table', name: 'plugin_team_polls_votes' },
      ],
    });
    const polls = await loose
      .selectFrom('plugin_team_polls_polls')
      .select('title')
      .orderBy('id')
      .execute();
    expect(polls).toEqual([{ title: 'Lunch?' }, { title: 'Retro?' }]);
    expect(
      await handle.db.selectFrom('plugins_migrations').select('name').orderBy('position').execute(),
    ).toEqual([{ name: '001-polls' }, { name: '002-votes' }, { name: '003-fixed' }]);
  });

  it('reports a migration that throws synchronously or rejects with a non-Error', async () => {
    const sync = migration('001-sync', () => {
      throw new Error('sync boom');
    });
    await expect(install([sync])).rejects.toMatchObject({
      code: 'PLUGIN_MIGRATION_FAILED',
      details: { migration: '001-sync', reason: 'sync boom' },
    });
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- plugin code may reject with anything
    const odd = migration('001-odd', () => Promise.reject('not an error'));
    await expect(install([odd])).rejects.toMatchObject({
      code: 'PLUGIN_MIGRATION_FAILED',
      details: { migration: '001-odd', reason: 'not an error' },
    });
    await expectNothingApplied();
  });

  it('blames a migration that swallows a database error', async () => {
    const swallows = migration('001-swallows', async (db) => {
      await sql`select * from plugin_team_polls_missing`.execute(db).catch(() => undefined);
    });
    if (dialect === 'postgres') {
      // The failed statement aborted the transaction; nothing after it can run.
      await expect(install([createPolls, swallows])).rejects.toMatchObject({
        code: 'PLUGIN_MIGRATION_FAILED',
        details: { migration: '001-swallows' },
      });
      await expectNothingApplied();
    } else {
      expect((await install([createPolls, swallows])).ran).toEqual(['001-polls', '001-swallows']);
    }
  });

  /**
   * Each escapes the namespace. `schema` marks those that change the schema: they are refused even
   * when the migration slips past the query guard (`withoutPlugins()`), by the schema snapshot.
   */
  const escapes: { name: string; schema: boolean; up: (db: Kysely<Loose>) => Promise<void> }[] = [
    {
      name: 'creating evil_table',
      schema: true,
      up: (db) => db.schema.createTable('evil_table').addColumn('id', 'integer').execute().then(),
    },
    {
      name: 'adding a column to users (Kysely)',
      schema: true,
      up: (db) => db.schema.alterTable('users').addColumn('evil', 'text').execute().then(),
    },
    {
      name: 'adding a column to users (raw)',
      schema: true,
      up: (db) => sql`alter table users add column evil text`.execute(db).then(),
    },
    {
      name: 'a prefixed index on sessions',
      schema: true,
      up: (db) =>
        db.schema.createIndex('plugin_team_polls_idx').on('sessions').column('ip').execute().then(),
    },
    {
      name: 'a prefixed index on sessions (raw)',
      schema: true,
      up: (db) => sql`create index plugin_team_polls_idx on sessions (ip)`.execute(db).then(),
    },
    {
      name: 'a trigger on a core table',
      schema: true,
      up: async (db) => {
        if (dialect === 'sqlite') {
          await sql`create trigger plugin_team_polls_trg after insert on users begin select 1; end`.execute(
            db,
          );
          return;
        }
        await sql`create function plugin_team_polls_fn() returns trigger language plpgsql as $$ begin return new; end $$`.execute(
          db,
        );
        await sql`create trigger plugin_team_polls_trg after insert on users for each row execute function plugin_team_polls_fn()`.execute(
          db,
        );
      },
    },
    {
      name: 'inserting into users with raw SQL',
      schema: false,
      up: (db) =>
        sql`insert into users (id, username, password_hash, created_at, updated_at) values ('u2', 'eve', 'x', 'x', 'x')`
          .execute(db)
          .then(),
    },
    {
      name: "dropping another plugin's table",
      schema: true,
      up: (db) => db.schema.dropTable('plugin_kudos_extra_items').execute().then(),
    },
    {
      name: "indexing another plugin's table",
      schema: true,
      up: (db) =>
        sql`create index plugin_team_polls_theirs_idx on plugin_kudos_extra_items (id)`
          .execute(db)
          .then(),
    },
    {
      name: 'dropping a core index',
      schema: true,
      up: (db) => db.schema.dropIndex('sessions_user_idx').execute().then(),
    },
  ];

  describe('namespace', () => {
    beforeEach(async () => {
      // Another installed plugin's table, created before `initial` is taken again.
      await loose.schema
        .createTable('plugin_kudos_extra_items')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .execute();
      await loose.insertInto('plugin_kudos_extra_items').values({ id: 1 }).execute();
      initial = await snapshot();
    });
    const foreignOwned = new Set(['plugin_kudos_extra_items']);

    it.each(escapes)('refuses $name, applying nothing', async ({ up }) => {
      const error = await install([createPolls, migration('002-escape', up)], {
        foreignOwned,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'PLUGIN_NAMESPACE_VIOLATION',
        details: { migration: '002-escape' },
      });
      await expectNothingApplied();
      expect(await loose.selectFrom('plugin_kudos_extra_items').selectAll().execute()).toEqual([
        { id: 1 },
      ]);
    });

    it.each(escapes.filter((e) => e.schema))(
      'refuses $name from the schema diff alone, past the query guard',
      async ({ up }) => {
        const error = await install(
          [createPolls, migration('002-escape', (db) => up(db.withoutPlugins()))],
          { foreignOwned },
        ).catch((e: unknown) => e);
        expect(error).toMatchObject({
          code: 'PLUGIN_NAMESPACE_VIOLATION',
          details: { migration: '002-escape', objects: expect.any(Array) as unknown },
        });
        await expectNothingApplied();
      },
    );

    it("allows a name inside another plugin's longer prefix only while nobody owns it", async () => {
      // `kudos` owns plugin_kudos_*; `kudos-extra` owns plugin_kudos_extra_items. The set of
      // owned names is what decides, not which prefix is longer.
      const theirs = migration('001-theirs', (db) =>
        db.schema
          .createTable('plugin_kudos_extra_items')
          .addColumn('id', 'integer')
          .execute()
          .then(),
      );
      await expect(install([theirs], { pluginId: 'kudos', foreignOwned })).rejects.toMatchObject({
        code: 'PLUGIN_NAMESPACE_VIOLATION',
      });
      await expectNothingApplied();

      const unowned = migration('001-unowned', (db) =>
        db.schema.createTable('plugin_kudos_extra_x').addColumn('id', 'integer').execute().then(),
      );
      const applied = await install([unowned], { pluginId: 'kudos', foreignOwned });
      expect(applied.owned).toEqual([{ kind: 'table', name: 'plugin_kudos_extra_x' }]);
    });
  });

  describe('timeout', () => {
    it('stops a migration that never settles, rolls it back and leaves the database usable', async () => {
      const hangs = migration('002-hangs', async (db) => {
        await db.schema.createTable('plugin_team_polls_hung').addColumn('id', 'integer').execute();
        await never();
      });
      const started = Date.now();
      await expect(install([createPolls, hangs], { timeoutMs: 200 })).rejects.toMatchObject({
        code: 'PLUGIN_MIGRATION_FAILED',
        details: { migration: '002-hangs', reason: 'timed out after 200 ms' },
      });
      expect(Date.now() - started).toBeLessThan(3_000);
      await expectNothingApplied();
      // No lock or connection held: several queries at once, and a new write transaction.
      await Promise.all([1, 2, 3, 4, 5].map(() => sql`select 1`.execute(handle.db)));
      await install([createPolls]);
      expect(await tables()).toContain('plugin_team_polls_polls');
    });

    it('refuses what a timed-out migration sends afterwards, even if the transaction goes on', async () => {
      const late = migration('001-late', async (db) => {
        await sleep(400);
        await db.schema.createTable('plugin_team_polls_late').addColumn('id', 'integer').execute();
      });
      await handle.db.transaction().execute(async (trx) => {
        const error = await applyPluginMigrations(trx, dialect, {
          pluginId: 'team-polls',
          pending: [late],
          owned: [],
          foreignOwned: new Set(),
          timeoutMs: 100,
        }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'PLUGIN_MIGRATION_FAILED' });
        // A caller that records the failure in the same transaction, and commits it.
        await sleep(600);
      });
      expect(await tables()).not.toContain('plugin_team_polls_late');
    });

    it.runIf(dialect === 'postgres')(
      'cancels a statement stuck in the database, and the pool stays usable',
      async () => {
        const stuck = migration('001-stuck', async (db) => {
          await db.schema
            .createTable('plugin_team_polls_stuck')
            .addColumn('id', 'integer')
            .execute();
          await sql`select pg_sleep(30)`.execute(db);
        });
        const started = Date.now();
        await expect(install([stuck], { timeoutMs: 200 })).rejects.toMatchObject({
          code: 'PLUGIN_MIGRATION_FAILED',
          details: { migration: '001-stuck' },
        });
        expect(Date.now() - started).toBeLessThan(5_000);
        await expectNothingApplied();
        await Promise.all([1, 2, 3, 4, 5].map(() => sql`select 1`.execute(handle.db)));
        // The statement timeout was local to the failed transaction.
        const { rows } = await sql<{
          timeout: string;
        }>`select current_setting('statement_timeout') as timeout`.execute(handle.db);
        expect(rows[0]?.timeout).toBe('0');
      },
    );
  });

  it('upgrades: a second run applies only new migrations, keeps data, and grows the owned list', async () => {
    const first = await install([
      createPolls,
      migration('002-old', (db) =>
        db.schema.createTable('plugin_team_polls_old').addColumn('id', 'integer').execute().then(),
      ),
    ]);
    await loose.insertInto('plugin_team_polls_polls').values({ id: 2, title: 'Retro?' }).execute();

    const upgrade = migration('003-upgrade', async (db) => {
      await db.schema
        .alterTable('plugin_team_polls_polls')
        .addColumn('closed', 'integer')
        .execute();
      await db.schema.dropTable('plugin_team_polls_old').execute();
    });
    const second = await handle.db.transaction().execute((trx) =>
      applyPluginMigrations(trx, dialect, {
        pluginId: 'team-polls',
        pending: [createVotes, upgrade],
        owned: first.owned,
        foreignOwned: new Set(),
        timeoutMs: 5_000,
      }),
    );
    expect(second).toEqual({
      ran: ['002-votes', '003-upgrade'],
      owned: [
        { kind: 'table', name: 'plugin_team_polls_polls' },
        { kind: 'table', name: 'plugin_team_polls_votes' },
      ],
    });
    const polls = await loose
      .selectFrom('plugin_team_polls_polls')
      .select(['title', 'closed'])
      .orderBy('id')
      .execute();
    expect(polls).toEqual([
      { title: 'Lunch?', closed: null },
      { title: 'Retro?', closed: null },
    ]);
  });

  it('does not let an upgrade change a table the plugin does not own, even inside its prefix', async () => {
    await loose.schema.createTable('plugin_team_polls_stray').addColumn('id', 'integer').execute();
    initial = await snapshot();
    const touch = migration('001-touch', (db) =>
      db.schema.alterTable('plugin_team_polls_stray').addColumn('x', 'text').execute().then(),
    );
    await expect(install([touch])).rejects.toMatchObject({
      code: 'PLUGIN_NAMESPACE_VIOLATION',
      details: {
        migration: '001-touch',
        objects: [{ kind: 'table', name: 'plugin_team_polls_stray', change: 'changed' }],
      },
    });
    await expectNothingApplied();
  });

  describe('dropOwnedObjects', () => {
    const kudosObjects = migration('001-everything', async (db) => {
      await db.schema
        .createTable('plugin_kudos_items')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => c.primaryKey())
        .addColumn('note', 'text')
        .execute();
      await db.schema
        .createIndex('plugin_kudos_items_note_idx')
        .on('plugin_kudos_items')
        .column('note')
        .execute();
      await db.schema
        .createView('plugin_kudos_notes')
        .as(db.selectFrom('plugin_kudos_items').select('note'))
        .execute();
      if (dialect === 'sqlite') {
        await sql`create table plugin_kudos_log (id integer)`.execute(db);
        await sql`create trigger plugin_kudos_items_trg after insert on plugin_kudos_items begin insert into plugin_kudos_log (id) values (new.id); end`.execute(
          db,
        );
        return;
      }
      await sql`create sequence plugin_kudos_ticket`.execute(db);
      await sql`create type plugin_kudos_mood as enum ('up', 'down')`.execute(db);
      await sql`create domain plugin_kudos_short as text check (length(value) < 10)`.execute(db);
      await sql`create table plugin_kudos_reactions (mood plugin_kudos_mood, tag plugin_kudos_short)`.execute(
        db,
      );
      await sql`create materialized view plugin_kudos_counts as select count(*) as n from plugin_kudos_items`.execute(
        db,
      );
      // Created after the table its trigger sits on, so newest-first drops it while the trigger
      // still needs it: the drop has to retry.
      await sql`create function plugin_kudos_touch() returns trigger language plpgsql as $$ begin return new; end $$`.execute(
        db,
      );
      await sql`create trigger plugin_kudos_items_trg before insert on plugin_kudos_items for each row execute function plugin_kudos_touch()`.execute(
        db,
      );
      await sql`create function plugin_kudos_add(a integer, b integer) returns integer language sql as $$ select a + b $$`.execute(
        db,
      );
    });

    it("drops everything the plugin owns and nothing of another plugin's or the host's", async () => {
      await install(
        [
          migration('001-items', (db) =>
            db.schema
              .createTable('plugin_kudos_extra_items')
              .addColumn('id', 'integer')
              .execute()
              .then(),
          ),
        ],
        { pluginId: 'kudos-extra' },
      );
      await loose.insertInto('plugin_kudos_extra_items').values({ id: 7 }).execute();
      const before = await snapshot();

      const applied = await install([kudosObjects], {
        pluginId: 'kudos',
        foreignOwned: new Set(['plugin_kudos_extra_items']),
      });
      const expected: OwnedObject[] =
        dialect === 'sqlite'
          ? [
              { kind: 'table', name: 'plugin_kudos_items' },
              { kind: 'view', name: 'plugin_kudos_notes' },
              { kind: 'table', name: 'plugin_kudos_log' },
            ]
          : [
              { kind: 'table', name: 'plugin_kudos_items' },
              { kind: 'view', name: 'plugin_kudos_notes' },
              { kind: 'sequence', name: 'plugin_kudos_ticket' },
              { kind: 'table', name: 'plugin_kudos_reactions' },
              { kind: 'materialized view', name: 'plugin_kudos_counts' },
              { kind: 'type', name: 'plugin_kudos_mood' },
              { kind: 'type', name: 'plugin_kudos_short' },
              { kind: 'function', name: 'plugin_kudos_touch()' },
              { kind: 'function', name: 'plugin_kudos_add(a integer, b integer)' },
            ];
      expect([...applied.owned].sort(byName)).toEqual([...expected].sort(byName));
      await loose.insertInto('plugin_kudos_items').values({ note: 'hi' }).execute();

      await handle.db
        .transaction()
        .execute((trx) => dropOwnedObjects(trx, dialect, 'kudos', applied.owned));
      const after = await snapshot();
      // The host's objects and kudos-extra's table are exactly as before; kudos left nothing.
      expect(after).toEqual(before);
      expect(await loose.selectFrom('plugin_kudos_extra_items').selectAll().execute()).toEqual([
        { id: 7 },
      ]);
    });

    it('refuses names outside the prefix and bad signatures, dropping nothing', async () => {
      await loose.schema.createTable('plugin_kudos_items').addColumn('id', 'integer').execute();
      const before = await snapshot();
      const lists: OwnedObject[][] = [
        [
          { kind: 'table', name: 'plugin_kudos_items' },
          { kind: 'table', name: 'users' },
        ],
        [
          { kind: 'table', name: 'plugin_kudos_items' },
          { kind: 'view', name: 'sessions' },
        ],
        [
          { kind: 'table', name: 'plugin_kudos_items' },
          { kind: 'function', name: 'plugin_kudos_f(int), users_fn(' },
        ],
        [
          { kind: 'table', name: 'plugin_kudos_items' },
          { kind: 'function', name: 'plugin_kudos_f(int); drop table users; --)' },
        ],
      ];
      for (const owned of lists) {
        await expect(
          handle.db.transaction().execute((trx) => dropOwnedObjects(trx, dialect, 'kudos', owned)),
        ).rejects.toMatchObject({ code: 'PLUGIN_NAMESPACE_VIOLATION' });
      }
      expect(await snapshot()).toEqual(before);
    });

    it('skips objects that are already gone', async () => {
      await handle.db.transaction().execute((trx) =>
        dropOwnedObjects(trx, dialect, 'kudos', [
          { kind: 'table', name: 'plugin_kudos_gone' },
          { kind: 'view', name: 'plugin_kudos_gone_view' },
        ]),
      );
      expect(await snapshot()).toEqual(initial);
    });
  });
});

function byName(a: OwnedObject, b: OwnedObject): number {
  return a.name.localeCompare(b.name);
}
