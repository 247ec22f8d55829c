import type { Hono, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';

/**
 * What a plugin's backend module sees of the host. This file is the whole backend contract
 * (docs/plugins/backend.md describes it for authors): nothing else of the host reaches a plugin.
 */

/** The signed-in user as a plugin sees it. The host sets it from the session; headers cannot. */
export interface PluginUser {
  id: string;
  username: string;
  roles: readonly string[];
}

export interface PluginEnv {
  Variables: {
    /** Null only on public routes when nobody is signed in. */
    user: PluginUser | null;
  };
}

/** A Hono router: the host mounts it at `/api/v1/plugins/{id}/`. */
export type PluginRouter = Hono<PluginEnv>;

export interface PluginLogger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** A user of the host, as far as plugins may know one. */
export interface DirectoryUser {
  id: string;
  username: string;
}

/** Scoped capabilities handed to every plugin hook and to `routes`. */
export interface PluginContext {
  readonly id: string;
  readonly version: string;
  /**
   * The database, restricted to this plugin's tables (`plugin_<id>_...`): a query that names any
   * other table is refused.
   */
  readonly db: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- plugins type their own tables
  readonly logger: PluginLogger;
  readonly settings: {
    /** The current values (defaults applied, secrets in clear); read fresh, so changes show at once. */
    get(): Promise<Record<string, unknown>>;
  };
  /** Read-only lookups of host users (id and username only). */
  readonly users: {
    get(id: string): Promise<DirectoryUser | null>;
    findByUsername(username: string): Promise<DirectoryUser | null>;
    list(ids: readonly string[]): Promise<DirectoryUser[]>;
  };
  /** A one-line guard: `router.post('/x', ctx.requireRole('admin'), handler)`. Any listed role passes. */
  requireRole(...roles: string[]): MiddlewareHandler<PluginEnv>;
}

export interface PluginMigration {
  /** Unique within the plugin; recorded once run. Never rename or remove one that has shipped. */
  name: string;
  up(db: Kysely<any>): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any -- see PluginContext.db
  down?(db: Kysely<any>): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any -- see PluginContext.db
}

/** The default export of `backend/main.js`. Every member is optional. */
export interface PluginBackend {
  migrations?: readonly PluginMigration[];
  /** Routes that need a signed-in user (the host answers 401 otherwise). */
  routes?(router: PluginRouter, ctx: PluginContext): void | Promise<void>;
  /** Routes anyone may call, signed in or not. */
  publicRoutes?(router: PluginRouter, ctx: PluginContext): void | Promise<void>;
  activate?(ctx: PluginContext): void | Promise<void>;
  deactivate?(ctx: PluginContext): void | Promise<void>;
}
