import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type Transaction,
  type UnknownRow,
} from 'kysely';
import type { DialectName } from '../../db/database.ts';
import { AppError, isAppError } from '../../errors/app-error.ts';
import type { PluginMigration } from '@polyphony/plugin-sdk';
import { reasonOf } from '../with-timeout.ts';
import { createNamespaceGuard, tablePrefix } from './namespace.ts';
import { checkSchemaChanges, snapshotSchema } from './schema-snapshot.ts';
import type { OwnedObject } from './types.ts';

export interface ApplyMigrationsOptions {
  pluginId: string;
  pending: readonly PluginMigration[];
  /** What the plugin's earlier migrations created, in creation order. */
  owned: readonly OwnedObject[];
  /** Names of objects owned by other installed plugins. */
  foreignOwned: ReadonlySet<string>;
  /** Per migration. */
  timeoutMs: number;
}

export interface AppliedMigrations {
  ran: string[];
  /** The plugin's full owned list afterwards, in creation order. */
  owned: OwnedObject[];
}

/**
 * Runs a plugin's pending migrations inside the caller's transaction, so that the caller's
 * bookkeeping commits with them or not at all. Any failure throws, and the caller's transaction
 * rolls back everything the migrations did, on SQLite as on PostgreSQL.
 */
export async function applyPluginMigrations<DB>(
  trx: Transaction<DB>,
  dialect: DialectName,
  options: ApplyMigrationsOptions,
): Promise<AppliedMigrations> {
  const ran: string[] = [];
  let owned = [...options.owned];
  if (options.pending.length === 0) return { ran, owned };

  const prefix = tablePrefix(options.pluginId);
  const restoreStatementTimeout =
    dialect === 'postgres' ? await limitStatementTime(trx, options.timeoutMs) : null;
  let before = await snapshotSchema(trx, dialect);
  for (const migration of options.pending) {
    await runMigration(trx, migration, options, prefix);
    // A migration that swallowed a PostgreSQL error left the transaction aborted: that is its fault.
    const after = await snapshotSchema(trx, dialect).catch((error: unknown) => {
      throw migrationError(migration.name, error);
    });
    // Checked after each migration rather than once, so the error names the one at fault.
    const changes = withMigrationName(migration.name, () =>
      checkSchemaChanges(before, after, { prefix, owned, foreignOwned: options.foreignOwned }),
    );
    const dropped = new Set(changes.dropped.map((o) => `${o.kind}:${o.name}`));
    owned = [...owned.filter((o) => !dropped.has(`${o.kind}:${o.name}`)), ...changes.created];
    ran.push(migration.name);
    before = after;
  }
  await restoreStatementTimeout?.();
  return { ran, owned };
}

/**
 * A JavaScript timer cannot stop a statement the server is still running, and the rollback would
 * queue behind it: the server must give up on its own, within the same budget.
 */
async function limitStatementTime<DB>(
  trx: Transaction<DB>,
  timeoutMs: number,
): Promise<() => Promise<void>> {
  const { rows } = await sql<{ previous: string }>`
    select current_setting('statement_timeout') as previous,
      set_config('statement_timeout', ${String(Math.max(1, Math.ceil(timeoutMs)))}, true) as current`.execute(
    trx,
  );
  const previous = rows[0]?.previous ?? '0';
  return async () => {
    await sql`select set_config('statement_timeout', ${previous}, true)`.execute(trx);
  };
}

const TIMED_OUT = Symbol('timed out');

async function runMigration<DB>(
  trx: Transaction<DB>,
  migration: PluginMigration,
  options: ApplyMigrationsOptions,
  prefix: string,
): Promise<void> {
  const fence = createFence(migration.name);
  const db = trx
    .withPlugin(fence.plugin)
    .withPlugin(
      createNamespaceGuard({ prefix, foreignOwned: () => options.foreignOwned, allowDdl: true }),
    );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      resolve(TIMED_OUT);
    }, options.timeoutMs);
  });
  let outcome: unknown;
  try {
    outcome = await Promise.race([
      // Through a then() so that a migration throwing synchronously is caught like one rejecting.
      Promise.resolve().then(() => migration.up(db)),
      timeout,
    ]);
  } catch (error) {
    throw migrationError(migration.name, error);
  } finally {
    clearTimeout(timer);
    // A migration still running after its time is up must not reach the connection again: the
    // caller's transaction may go on (to record the failure) and commit whatever it sent.
    fence.close();
  }
  if (outcome === TIMED_OUT) {
    const reason = `timed out after ${options.timeoutMs} ms`;
    throw new AppError(
      'PLUGIN_MIGRATION_FAILED',
      `Migration "${migration.name}" did not finish: ${reason}.`,
      { details: { migration: migration.name, reason } },
    );
  }
}

function migrationError(name: string, error: unknown): AppError {
  if (isAppError(error) && error.code === 'PLUGIN_NAMESPACE_VIOLATION') {
    const details =
      typeof error.details === 'object' && error.details !== null ? error.details : {};
    return new AppError('PLUGIN_NAMESPACE_VIOLATION', `Migration "${name}": ${error.message}`, {
      details: { migration: name, ...details },
      cause: error,
    });
  }
  const reason = reasonOf(error);
  return new AppError('PLUGIN_MIGRATION_FAILED', `Migration "${name}" failed: ${reason}`, {
    details: { migration: name, reason },
    cause: error,
  });
}

function withMigrationName<T>(name: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw migrationError(name, error);
  }
}

function createFence(migration: string): { plugin: KyselyPlugin; close(): void } {
  let closed = false;
  return {
    close() {
      closed = true;
    },
    plugin: {
      transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
        if (closed) {
          throw new Error(
            `Migration "${migration}" has already ended; its late queries are refused.`,
          );
        }
        return args.node;
      },
      transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        return Promise.resolve(args.result);
      },
    },
  };
}

/**
 * Drops what a plugin owns, newest first, never with CASCADE: an object something else still
 * depends on stops the uninstall instead of taking the dependent with it. Objects that depend on
 * each other (a trigger's function, a function returning a table's rows) are retried until a
 * pass drops nothing.
 */
export async function dropOwnedObjects<DB>(
  trx: Transaction<DB>,
  dialect: DialectName,
  pluginId: string,
  owned: readonly OwnedObject[],
): Promise<void> {
  const prefix = tablePrefix(pluginId);
  // All names are checked before anything is dropped: a bad list drops nothing.
  const drops = owned.map((object) => dropStatement(object, prefix));
  let remaining = drops.reverse();
  while (remaining.length > 0) {
    const failed: typeof remaining = [];
    let firstError: unknown;
    for (const drop of remaining) {
      try {
        await inSavepoint(trx, () => drop.run(trx, dialect));
      } catch (error) {
        failed.push(drop);
        firstError ??= error;
      }
    }
    if (failed.length === remaining.length) {
      throw new Error(`Could not drop ${failed[0]?.label ?? 'objects'}: ${reasonOf(firstError)}`, {
        cause: firstError,
      });
    }
    remaining = failed;
  }
}

/** A failed statement aborts a PostgreSQL transaction; a savepoint keeps it usable for the retry. */
async function inSavepoint<DB>(trx: Transaction<DB>, work: () => Promise<void>): Promise<void> {
  await sql`savepoint polyphony_drop`.execute(trx);
  try {
    await work();
  } catch (error) {
    await sql`rollback to savepoint polyphony_drop`.execute(trx);
    await sql`release savepoint polyphony_drop`.execute(trx);
    throw error;
  }
  await sql`release savepoint polyphony_drop`.execute(trx);
}

interface Drop {
  label: string;
  run<DB>(trx: Transaction<DB>, dialect: DialectName): Promise<void>;
}

/**
 * The argument list goes into SQL verbatim: only type names may ride along, and balanced
 * parentheses keep a second routine (`int), other(`) from being named.
 */
function isArgumentList(args: string): boolean {
  if (!/^[\w\s,."[\]()]*$/.test(args)) return false;
  let depth = 0;
  for (const ch of args) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

function dropStatement(object: OwnedObject, prefix: string): Drop {
  const open = object.kind === 'function' ? object.name.indexOf('(') : -1;
  const name = open === -1 ? object.name : object.name.slice(0, open);
  const label = `${object.kind} ${object.name}`;
  if (!name.startsWith(prefix)) {
    throw new AppError(
      'PLUGIN_NAMESPACE_VIOLATION',
      `Refusing to drop ${label}: it is outside the plugin's namespace ${prefix}*.`,
      { details: { object: object.name } },
    );
  }
  const id = sql.id(name);
  switch (object.kind) {
    case 'table':
      return anywhere(label, (trx) => sql`drop table if exists ${id}`.execute(trx));
    case 'view':
      return anywhere(label, (trx) => sql`drop view if exists ${id}`.execute(trx));
    case 'materialized view':
      return onPostgres(label, (trx) => sql`drop materialized view if exists ${id}`.execute(trx));
    case 'sequence':
      return onPostgres(label, (trx) => sql`drop sequence if exists ${id}`.execute(trx));
    case 'type':
      return onPostgres(label, async (trx) => {
        const { rows } = await sql<{ typtype: string }>`
          select typtype from pg_type
          where typname = ${name}
            and typnamespace = (select oid from pg_namespace where nspname = current_schema())`.execute(
          trx,
        );
        if (rows[0]?.typtype === 'd') await sql`drop domain if exists ${id}`.execute(trx);
        else await sql`drop type if exists ${id}`.execute(trx);
      });
    case 'function': {
      const args = open === -1 ? '' : object.name.slice(open + 1, object.name.lastIndexOf(')'));
      if (open === -1 || !object.name.endsWith(')') || !isArgumentList(args)) {
        throw new AppError(
          'PLUGIN_NAMESPACE_VIOLATION',
          `Refusing to drop ${label}: not a function signature.`,
          { details: { object: object.name } },
        );
      }
      // ROUTINE covers functions, procedures and aggregates alike.
      return onPostgres(label, (trx) =>
        sql`drop routine if exists ${id}(${sql.raw(args)})`.execute(trx),
      );
    }
  }
}

function anywhere(label: string, drop: <DB>(trx: Transaction<DB>) => Promise<unknown>): Drop {
  return {
    label,
    run: async (trx) => {
      await drop(trx);
    },
  };
}

/** Only PostgreSQL has these kinds; on SQLite there is nothing to drop. */
function onPostgres(label: string, drop: <DB>(trx: Transaction<DB>) => Promise<unknown>): Drop {
  return {
    label,
    run: async (trx, dialect) => {
      if (dialect === 'postgres') await drop(trx);
    },
  };
}
