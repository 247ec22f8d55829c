import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { requireRole, type PluginContext, type PluginLogger } from '@polyphony/plugin-sdk';
import { resolveSettings, type Manifest } from '@polyphony/plugin-format';
import { createNamespaceGuard, tablePrefix } from './migrations/namespace.ts';
import { registry } from './plugin-registry.ts';

export interface PluginContextOptions {
  db: Kysely<Database>;
  manifest: Manifest;
  logger: Logger;
  /** Names of database objects other installed plugins own (read at query time: it changes). */
  foreignOwned: () => ReadonlySet<string>;
}

export function pluginLogger(logger: Logger): PluginLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, details?: Record<string, unknown>) => {
      logger[level](details ?? {}, message);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Builds the capabilities one plugin receives. It gets a database handle fenced to its own
 * tables, its own logger and settings, and read-only user lookups: never the host's services.
 */
export function createPluginContext(options: PluginContextOptions): PluginContext {
  const { db, manifest } = options;
  const id = manifest.id;
  const fenced = db.withPlugin(
    createNamespaceGuard({
      prefix: tablePrefix(id),
      foreignOwned: options.foreignOwned,
      allowDdl: false,
    }),
  );
  return {
    id,
    version: manifest.version,
    db: fenced,
    logger: pluginLogger(options.logger),
    settings: {
      async get() {
        return resolveSettings(manifest.settings ?? null, (await registry.settings(db, id)) ?? {});
      },
    },
    users: {
      async get(userId) {
        const row = await db
          .selectFrom('users')
          .select(['id', 'username'])
          .where('id', '=', userId)
          .executeTakeFirst();
        return row ?? null;
      },
      async findByUsername(username) {
        const row = await db
          .selectFrom('users')
          .select(['id', 'username'])
          .where('username', '=', username)
          .where('disabled_at', 'is', null)
          .executeTakeFirst();
        return row ?? null;
      },
      async list(ids) {
        if (ids.length === 0) return [];
        return db
          .selectFrom('users')
          .select(['id', 'username'])
          .where('id', 'in', [...ids])
          .orderBy('username')
          .execute();
      },
    },
    // The SDK's own guard: a plugin that imports requireRole gets the same answers as ctx's.
    requireRole,
  };
}
