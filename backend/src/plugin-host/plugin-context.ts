import type { Kysely } from 'kysely';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import type { PluginContext, PluginEnv, PluginLogger } from './contract.ts';
import type { Manifest } from './manifest.ts';
import { createNamespaceGuard, tablePrefix } from './migrations/namespace.ts';
import { registry } from './plugin-registry.ts';
import { resolveSettings } from './settings/settings-schema.ts';

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

export function requireRoleMiddleware(roles: readonly string[]): MiddlewareHandler<PluginEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
    if (!roles.some((role) => user.roles.includes(role))) {
      throw new AppError('FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}.`);
    }
    await next();
  };
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
    requireRole: (...roles) => requireRoleMiddleware(roles),
  };
}
