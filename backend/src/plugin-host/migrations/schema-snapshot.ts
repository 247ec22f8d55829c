import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../../db/database.ts';
import { AppError } from '../../errors/app-error.ts';
import type { OwnedObject } from './types.ts';

export interface SchemaObject {
  kind:
    'table' | 'view' | 'materialized view' | 'sequence' | 'index' | 'trigger' | 'type' | 'function';
  /** For functions: the name with its argument types, as `drop function` needs it. */
  name: string;
  /** The table an index or trigger belongs to, or the table whose column owns a sequence. */
  table: string | null;
  /** Any change to the object changes this text. */
  definition: string;
}

/**
 * Keyed `${kind}:${name}`; triggers `trigger:${table}.${name}`, since PostgreSQL names them per
 * table. Entries are in creation order, which is the order uninstall reverses.
 */
export type SchemaSnapshot = Map<string, SchemaObject>;

export interface SchemaChanges {
  created: OwnedObject[];
  dropped: OwnedObject[];
}

export interface SchemaRules {
  prefix: string;
  owned: readonly OwnedObject[];
  foreignOwned: ReadonlySet<string>;
}

type Change = 'created' | 'changed' | 'dropped';

/**
 * Everything in the schema a plugin's migrations could touch. This is the authoritative check:
 * the namespace guard reads queries, this reads what they did.
 */
export async function snapshotSchema<DB>(
  db: Kysely<DB>,
  dialect: DialectName,
): Promise<SchemaSnapshot> {
  const objects = dialect === 'sqlite' ? await sqliteObjects(db) : await postgresObjects(db);
  const snapshot: SchemaSnapshot = new Map();
  for (const object of objects) snapshot.set(keyOf(object), object);
  return snapshot;
}

function keyOf(object: SchemaObject): string {
  return object.kind === 'trigger'
    ? `trigger:${object.table ?? ''}.${object.name}`
    : `${object.kind}:${object.name}`;
}

interface SqliteRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

async function sqliteObjects<DB>(db: Kysely<DB>): Promise<SchemaObject[]> {
  // Temporary objects count too: on SQLite's single connection they outlive the migration, and a
  // temporary trigger can sit on a core table.
  const { rows } = await sql<SqliteRow>`
    select type, name, tbl_name, sql, 0 as temp, rowid as position from sqlite_master
    where substr(name, 1, 7) <> 'sqlite_'
    union all
    select type, 'temp.' || name, tbl_name, sql, 1 as temp, rowid as position from sqlite_temp_master
    where substr(name, 1, 7) <> 'sqlite_'
    order by temp, position`.execute(db);
  const objects: SchemaObject[] = [];
  for (const row of rows) {
    if (
      row.type !== 'table' &&
      row.type !== 'view' &&
      row.type !== 'index' &&
      row.type !== 'trigger'
    ) {
      continue;
    }
    const name = row.name.startsWith('temp.') ? row.name.slice(5) : row.name;
    const belongs = row.type === 'index' || row.type === 'trigger';
    objects.push({
      kind: row.type,
      name,
      table: belongs ? row.tbl_name : null,
      definition: `${row.name === name ? '' : 'temp '}${row.sql ?? ''}`,
    });
  }
  return objects;
}

interface PostgresRow {
  /** Every catalog draws oids from one counter: sorting by it restores creation order. */
  oid: number;
  kind: SchemaObject['kind'];
  name: string;
  table_name: string | null;
  definition: string | null;
}

async function postgresObjects<DB>(db: Kysely<DB>): Promise<SchemaObject[]> {
  const queries = [postgresRelations, postgresTriggers, postgresFunctions, postgresTypes];
  const rows: PostgresRow[] = [];
  for (const query of queries) rows.push(...(await query.execute(db)).rows);
  rows.sort((a, b) => a.oid - b.oid);
  return rows.map((row) => ({
    kind: row.kind,
    name: row.name,
    table: row.table_name,
    definition: row.definition ?? '',
  }));
}

/**
 * Tables are fingerprinted by everything that changes what the host can do with them: columns,
 * constraints, triggers (internal ones too: disabling them switches foreign keys off), policies,
 * rules, grants, options and owner. Ordered by oid, i.e. creation order.
 */
const postgresRelations = sql<PostgresRow>`
  with ns as (select oid from pg_namespace where nspname = current_schema())
  select c.oid::int8::float8 as oid,
    case c.relkind
      when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence'
      when 'i' then 'index' when 'I' then 'index' when 'c' then 'type' else 'table'
    end as kind,
    c.relname as name,
    case
      when c.relkind in ('i', 'I') then
        (select t.relname from pg_index x join pg_class t on t.oid = x.indrelid
         where x.indexrelid = c.oid)
      when c.relkind = 'S' then
        (select t.relname from pg_depend d join pg_class t on t.oid = d.refobjid
         where d.classid = 'pg_class'::regclass and d.objid = c.oid
           and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i') limit 1)
    end as table_name,
    case
      when c.relkind in ('r', 'p', 'f', 'c') then concat_ws(' | ',
        (select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            || case when a.attnotnull then ' not null' else '' end
            || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
            || case when a.attidentity <> '' then ' identity ' || a.attidentity::text else '' end
            || case when a.attgenerated <> '' then ' generated' else '' end,
            ', ' order by a.attnum)
         from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped),
        (select string_agg(co.conname || ' ' || pg_get_constraintdef(co.oid), ', ' order by co.conname)
         from pg_constraint co where co.conrelid = c.oid),
        (select string_agg(tg.tgname || ' ' || tg.tgenabled::text, ', ' order by tg.tgname)
         from pg_trigger tg where tg.tgrelid = c.oid),
        (select string_agg(p.polname, ', ' order by p.polname) from pg_policy p where p.polrelid = c.oid),
        (select string_agg(r.rulename, ', ' order by r.rulename) from pg_rewrite r where r.ev_class = c.oid),
        c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.reloptions::text, c.relacl::text,
        pg_get_userbyid(c.relowner))
      when c.relkind in ('i', 'I') then pg_get_indexdef(c.oid)
      when c.relkind in ('v', 'm') then concat_ws(' | ', pg_get_viewdef(c.oid), c.relacl::text,
        pg_get_userbyid(c.relowner))
      when c.relkind = 'S' then
        (select concat_ws(' ', format_type(s.seqtypid, null), s.seqstart, s.seqincrement, s.seqmin,
           s.seqmax, s.seqcache, s.seqcycle)
         from pg_sequence s where s.seqrelid = c.oid)
    end as definition
  from pg_class c
  where c.relnamespace = (select oid from ns)
    and c.relkind in ('r', 'p', 'v', 'm', 'S', 'i', 'I', 'f', 'c')
  order by c.oid`;

/** Internal triggers (foreign keys) belong to their constraint and show in the table fingerprint. */
const postgresTriggers = sql<PostgresRow>`
  select tg.oid::int8::float8 as oid, 'trigger' as kind, tg.tgname as name, t.relname as table_name,
    pg_get_triggerdef(tg.oid) || ' ' || tg.tgenabled::text as definition
  from pg_trigger tg join pg_class t on t.oid = tg.tgrelid
  where not tg.tgisinternal
    and t.relnamespace = (select oid from pg_namespace where nspname = current_schema())
  order by tg.oid`;

/** Functions that belong to a type (range constructors) or an extension go with their owner. */
const postgresFunctions = sql<PostgresRow>`
  select p.oid::int8::float8 as oid, 'function' as kind,
    p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name,
    null as table_name,
    md5(concat_ws(' | ', p.prokind, p.prosrc, pg_get_function_identity_arguments(p.oid),
      pg_get_function_result(p.oid), p.provolatile, p.prosecdef, p.proconfig::text, p.proacl::text,
      pg_get_userbyid(p.proowner))) as definition
  from pg_proc p
  where p.pronamespace = (select oid from pg_namespace where nspname = current_schema())
    and not exists (
      select 1 from pg_depend d
      where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype in ('i', 'e'))
  order by p.oid`;

const postgresTypes = sql<PostgresRow>`
  select t.oid::int8::float8 as oid, 'type' as kind, t.typname as name, null as table_name,
    concat_ws(' | ', t.typtype,
      case t.typtype
        when 'e' then
          (select string_agg(e.enumlabel, ', ' order by e.enumsortorder) from pg_enum e
           where e.enumtypid = t.oid)
        when 'd' then
          concat_ws(' ', format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
            (select string_agg(co.conname || ' ' || pg_get_constraintdef(co.oid), ', ' order by co.conname)
             from pg_constraint co where co.contypid = t.oid))
        when 'r' then
          (select format_type(r.rngsubtype, null) from pg_range r where r.rngtypid = t.oid)
      end,
      t.typacl::text, pg_get_userbyid(t.typowner)) as definition
  from pg_type t
  where t.typnamespace = (select oid from pg_namespace where nspname = current_schema())
    and t.typtype in ('e', 'd', 'r')
    and not exists (
      select 1 from pg_depend d
      where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
  order by t.oid`;

/** Objects uninstall drops by name; indexes, triggers and column-owned sequences go with their table. */
function ownable(object: SchemaObject): OwnedObject | null {
  switch (object.kind) {
    case 'index':
    case 'trigger':
      return null;
    case 'sequence':
      return object.table === null ? { kind: 'sequence', name: object.name } : null;
    default:
      return { kind: object.kind, name: object.name };
  }
}

function isForeign(foreignOwned: ReadonlySet<string>, name: string): boolean {
  return foreignOwned.has(name) || foreignOwned.has(name.toLowerCase());
}

/**
 * Diffs two snapshots taken around a plugin's migrations and throws PLUGIN_NAMESPACE_VIOLATION
 * unless every created, changed or dropped object is the plugin's own.
 */
export function checkSchemaChanges(
  before: SchemaSnapshot,
  after: SchemaSnapshot,
  rules: SchemaRules,
): SchemaChanges {
  const changes: { object: SchemaObject; change: Change }[] = [];
  for (const [key, object] of after) {
    const previous = before.get(key);
    if (previous === undefined) changes.push({ object, change: 'created' });
    else if (previous.definition !== object.definition || previous.table !== object.table) {
      changes.push({ object, change: 'changed' });
    }
  }
  for (const [key, object] of before) {
    if (!after.has(key)) changes.push({ object, change: 'dropped' });
  }

  const owned = new Set(rules.owned.map((o) => o.name));
  const createdNow = new Set<string>();
  for (const { object, change } of changes) if (change === 'created') createdNow.add(object.name);
  const isOurs = (name: string) => owned.has(name) || createdNow.has(name);

  const refused = changes.filter(({ object, change }) => {
    if (!object.name.startsWith(rules.prefix)) return true;
    if (object.table !== null && !object.table.startsWith(rules.prefix)) return true;
    if (isForeign(rules.foreignOwned, object.name)) return true;
    if (object.table !== null && isForeign(rules.foreignOwned, object.table)) return true;
    if (change === 'created') return false;
    return !isOurs(object.name) && !(object.table !== null && isOurs(object.table));
  });
  if (refused.length > 0) {
    const objects = refused.map(({ object, change }) => ({
      kind: object.kind,
      name: object.name,
      change,
    }));
    const listed = objects
      .map((o) => `${o.change} ${o.kind} ${o.name}`)
      .slice(0, 5)
      .join(', ');
    throw new AppError(
      'PLUGIN_NAMESPACE_VIOLATION',
      `The migration touched database objects outside the plugin's namespace ${rules.prefix}*: ${listed}${objects.length > 5 ? ', ...' : ''}.`,
      { details: { objects } },
    );
  }

  const created: OwnedObject[] = [];
  const dropped: OwnedObject[] = [];
  for (const { object, change } of changes) {
    if (change === 'changed') continue;
    const own = ownable(object);
    if (own !== null) (change === 'created' ? created : dropped).push(own);
  }
  return { created, dropped };
}
