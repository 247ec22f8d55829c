import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/errors.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { processAlive } from './plugin-files.ts';

/**
 * One lifecycle operation per plugin at a time, across every process sharing the database (the
 * server, the CLI, later several servers). The lock is a row: inserting it is atomic on both
 * databases, and a second operation gets PLUGIN_BUSY instead of waiting behind the first.
 */
export interface PluginLocks {
  /** This process's identity in the lock table. */
  readonly owner: string;
  acquire(pluginId: string, operation: string): Promise<() => Promise<void>>;
  /** Removes locks whose holder is gone: a process on this host that no longer runs, or any lock older than the stale age. */
  clearStale(): Promise<number>;
}

/** No operation takes this long; a lock this old belongs to a process that died elsewhere. */
const STALE_AFTER_MS = 15 * 60 * 1000;

export function createPluginLocks(db: Kysely<Database>, now: () => Date): PluginLocks {
  const owner = randomUUID();
  const host = os.hostname();

  const isStale = (row: { host: string; pid: number; owner: string; acquired_at: string }) =>
    row.owner !== owner &&
    ((row.host === host && !processAlive(row.pid)) ||
      now().getTime() - Date.parse(row.acquired_at) > STALE_AFTER_MS);

  const insert = async (pluginId: string, operation: string) => {
    await db
      .insertInto('plugins_locks')
      .values({
        plugin_id: pluginId,
        operation,
        owner,
        host,
        pid: process.pid,
        acquired_at: now().toISOString(),
      })
      .execute();
  };

  const locks: PluginLocks = {
    owner,
    async acquire(pluginId, operation) {
      try {
        await insert(pluginId, operation);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const holder = await db
          .selectFrom('plugins_locks')
          .selectAll()
          .where('plugin_id', '=', pluginId)
          .executeTakeFirst();
        if (holder && !isStale(holder)) {
          throw new AppError(
            'PLUGIN_BUSY',
            `Another operation (${holder.operation}) is running on plugin ${pluginId}. Try again when it is done.`,
            { details: { operation: holder.operation, since: holder.acquired_at } },
          );
        }
        // The holder is gone: take its place. Deleting by owner keeps a racing taker from losing ours.
        if (holder) {
          await db
            .deleteFrom('plugins_locks')
            .where('plugin_id', '=', pluginId)
            .where('owner', '=', holder.owner)
            .execute();
        }
        return locks.acquire(pluginId, operation);
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await db
          .deleteFrom('plugins_locks')
          .where('plugin_id', '=', pluginId)
          .where('owner', '=', owner)
          .execute();
      };
    },
    async clearStale() {
      const rows = await db.selectFrom('plugins_locks').selectAll().execute();
      let cleared = 0;
      for (const row of rows.filter(isStale)) {
        await db
          .deleteFrom('plugins_locks')
          .where('plugin_id', '=', row.plugin_id)
          .where('owner', '=', row.owner)
          .execute();
        cleared += 1;
      }
      return cleared;
    },
  };
  return locks;
}
