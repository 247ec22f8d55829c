import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects } from '../../../test/databases.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import {
  checkSchemaChanges,
  snapshotSchema,
  type SchemaObject,
  type SchemaSnapshot,
} from './schema-snapshot.ts';

function snapshotOf(...objects: SchemaObject[]): SchemaSnapshot {
  return new Map(objects.map((o) => [`${o.kind}:${o.name}`, o]));
}

const table = (name: string, definition = name): SchemaObject => ({
  kind: 'table',
  name,
  table: null,
  definition,
});
const index = (name: string, on: string): SchemaObject => ({
  kind: 'index',
  name,
  table: on,
  definition: `${name} on ${on}`,
});

const rules = {
  prefix: 'plugin_kudos_',
  owned: [{ kind: 'table' as const, name: 'plugin_kudos_items' }],
  foreignOwned: new Set(['plugin_kudos_extra_items']),
};

/** The objects a refused diff lists, or null if it was accepted. */
function refused(before: SchemaSnapshot, after: SchemaSnapshot): unknown {
  try {
    checkSchemaChanges(before, after, rules);
    return null;
  } catch (error) {
    expect(error).toMatchObject({ code: 'PLUGIN_NAMESPACE_VIOLATION' });
    return (error as { details: { objects: unknown } }).details.objects;
  }
}

describe('checkSchemaChanges', () => {
  const core = [
    table('users'),
    index('sessions_user_idx', 'sessions'),
    table('plugin_kudos_items'),
  ];
  const base = snapshotOf(...core);

  it('accepts new prefixed objects and returns the ones uninstall drops', () => {
    const after = snapshotOf(
      ...core,
      table('plugin_kudos_votes'),
      index('plugin_kudos_votes_idx', 'plugin_kudos_votes'),
      {
        kind: 'sequence',
        name: 'plugin_kudos_votes_id_seq',
        table: 'plugin_kudos_votes',
        definition: '',
      },
      { kind: 'sequence', name: 'plugin_kudos_ticket', table: null, definition: '' },
      { kind: 'function', name: 'plugin_kudos_f(a integer)', table: null, definition: 'x' },
    );
    expect(checkSchemaChanges(base, after, rules)).toEqual({
      created: [
        { kind: 'table', name: 'plugin_kudos_votes' },
        { kind: 'sequence', name: 'plugin_kudos_ticket' },
        { kind: 'function', name: 'plugin_kudos_f(a integer)' },
      ],
      dropped: [],
    });
  });

  it('accepts changing and dropping what the plugin owns', () => {
    const after = snapshotOf(
      table('users'),
      index('sessions_user_idx', 'sessions'),
      table('plugin_kudos_items', 'with a new column'),
    );
    expect(refused(base, after)).toBeNull();
    const dropped = snapshotOf(table('users'), index('sessions_user_idx', 'sessions'));
    expect(checkSchemaChanges(base, dropped, rules)).toEqual({
      created: [],
      dropped: [{ kind: 'table', name: 'plugin_kudos_items' }],
    });
  });

  it('refuses objects outside the prefix, on core tables, or owned by someone else', () => {
    expect(refused(base, snapshotOf(...core, table('evil_table')))).toEqual([
      { kind: 'table', name: 'evil_table', change: 'created' },
    ]);
    expect(refused(base, snapshotOf(...core, index('plugin_kudos_idx', 'sessions')))).toEqual([
      { kind: 'index', name: 'plugin_kudos_idx', change: 'created' },
    ]);
    expect(refused(base, snapshotOf(table('users', 'altered'), ...core.slice(1)))).toEqual([
      { kind: 'table', name: 'users', change: 'changed' },
    ]);
    expect(refused(base, snapshotOf(table('users'), table('plugin_kudos_items')))).toEqual([
      { kind: 'index', name: 'sessions_user_idx', change: 'dropped' },
    ]);
    expect(refused(base, snapshotOf(...core, table('plugin_kudos_extra_items')))).toEqual([
      { kind: 'table', name: 'plugin_kudos_extra_items', change: 'created' },
    ]);
    const theirs = snapshotOf(...core, table('plugin_kudos_extra_items'));
    expect(
      refused(
        theirs,
        snapshotOf(
          ...core,
          table('plugin_kudos_extra_items'),
          index('plugin_kudos_x_idx', 'plugin_kudos_extra_items'),
        ),
      ),
    ).toEqual([{ kind: 'index', name: 'plugin_kudos_x_idx', change: 'created' }]);
  });

  it('refuses changing a prefixed object the plugin did not create', () => {
    const stray = snapshotOf(...core, table('plugin_kudos_stray'));
    expect(refused(stray, snapshotOf(...core, table('plugin_kudos_stray', 'altered')))).toEqual([
      { kind: 'table', name: 'plugin_kudos_stray', change: 'changed' },
    ]);
    expect(refused(stray, snapshotOf(...core))).toEqual([
      { kind: 'table', name: 'plugin_kudos_stray', change: 'dropped' },
    ]);
  });
});

describe.each(dialects)('snapshotSchema (%s)', (dialect) => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await handle.destroy();
  });

  it('lists the core tables and their indexes', async () => {
    const snapshot = await snapshotSchema(handle.db, dialect);
    for (const name of ['users', 'sessions', 'audit_log', 'plugins', 'core_migrations']) {
      expect(snapshot.get(`table:${name}`)).toMatchObject({ kind: 'table', name, table: null });
    }
    expect(snapshot.get('index:sessions_user_idx')).toMatchObject({ table: 'sessions' });
    expect([...snapshot.keys()].some((key) => key.includes(':sqlite_'))).toBe(false);
  });

  it('sees a column added to a core table', async () => {
    const before = await snapshotSchema(handle.db, dialect);
    await handle.db.schema.alterTable('users').addColumn('evil', 'text').execute();
    const after = await snapshotSchema(handle.db, dialect);
    expect(after.get('table:users')?.definition).not.toBe(before.get('table:users')?.definition);
    expect(after.get('table:roles')).toEqual(before.get('table:roles'));
  });

  it.runIf(dialect === 'postgres')(
    'reads sequences, types and functions, and which sequences belong to a column',
    async () => {
      const before = await snapshotSchema(handle.db, dialect);
      await sql`create table plugin_kudos_items (id serial primary key, mood text)`.execute(
        handle.db,
      );
      await sql`create sequence plugin_kudos_ticket`.execute(handle.db);
      await sql`create type plugin_kudos_mood as enum ('up', 'down')`.execute(handle.db);
      await sql`create function plugin_kudos_add(a integer, b integer) returns integer language sql as $$ select a + b $$`.execute(
        handle.db,
      );
      const after = await snapshotSchema(handle.db, dialect);
      expect(after.get('sequence:plugin_kudos_items_id_seq')?.table).toBe('plugin_kudos_items');
      expect(after.get('index:plugin_kudos_items_pkey')?.table).toBe('plugin_kudos_items');
      const changes = checkSchemaChanges(before, after, {
        prefix: 'plugin_kudos_',
        owned: [],
        foreignOwned: new Set(),
      });
      expect(changes.created).toEqual([
        { kind: 'table', name: 'plugin_kudos_items' },
        { kind: 'sequence', name: 'plugin_kudos_ticket' },
        { kind: 'type', name: 'plugin_kudos_mood' },
        { kind: 'function', name: 'plugin_kudos_add(a integer, b integer)' },
      ]);

      await sql`alter type plugin_kudos_mood add value 'meh'`.execute(handle.db);
      const altered = await snapshotSchema(handle.db, dialect);
      expect(altered.get('type:plugin_kudos_mood')?.definition).not.toBe(
        after.get('type:plugin_kudos_mood')?.definition,
      );
    },
  );
});
