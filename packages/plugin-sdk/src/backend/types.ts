import type { Hono, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';

/**
 * What a plugin's backend module sees of the host: these types are the whole backend contract
 * (docs/plugins/backend.md). Nothing else of the host reaches a plugin.
 *
 * `DB` is the plugin's own table map for Kysely (`{ plugin_polls_polls: PollRow }`). It defaults
 * to `any` so untyped plugins keep working; the host itself never knows a plugin's tables.
 */

/** The signed-in user as a plugin sees it. The host sets it from the session; no header can. */
export interface PluginUser {
  /** The user's id: store this in your tables, never the username (it can change). */
  id: string;
  /** Lower case, unique among the host's users. */
  username: string;
  /** The roles the user holds now (`admin`, `editor`, `viewer` and any an admin created). */
  roles: readonly string[];
}

/** The Hono environment of a plugin's routers: `c.get('user')` is all the host sets. */
export interface PluginEnv {
  Variables: {
    /** Null only on public routes when nobody is signed in. */
    user: PluginUser | null;
  };
}

/** A Hono router: the host mounts it at `/api/v1/plugins/{id}/`, so paths are relative to that. */
export type PluginRouter = Hono<PluginEnv>;

/**
 * The plugin's own logger. Lines go to the server's JSON log with `plugin` and `pluginVersion`
 * fields; `LOG_LEVEL` decides which levels are written. Never log secrets.
 */
export interface PluginLogger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** A user of the host, as far as plugins may know one: no roles, no other fields. */
export interface DirectoryUser {
  id: string;
  username: string;
}

/**
 * Scoped capabilities handed to every plugin hook and to `routes`/`publicRoutes`: the plugin's
 * own database tables, logger and settings, and read-only user lookups. Never the host's services.
 *
 * @typeParam DB - the plugin's tables, for a typed `ctx.db`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped plugins get an untyped db
export interface PluginContext<DB = any> {
  /** The plugin's id, from `plugin.json`. */
  readonly id: string;
  /** The version being run, from `plugin.json`. */
  readonly version: string;
  /**
   * The host's database (SQLite or PostgreSQL), fenced to this plugin's tables
   * (`plugin_<id>_...`): a query naming any other table, or changing the schema, is refused with
   * `PLUGIN_NAMESPACE_VIOLATION`.
   */
  readonly db: Kysely<DB>;
  /** The plugin's own logger. */
  readonly logger: PluginLogger;
  readonly settings: {
    /**
     * The current values: stored ones, defaults where none is stored, secrets in clear. Read from
     * the database on each call, so a change an admin saves applies at once.
     */
    get(): Promise<Record<string, unknown>>;
  };
  /** Read-only lookups of host users (id and username only). */
  readonly users: {
    /** The user, disabled or not, or null. */
    get(id: string): Promise<DirectoryUser | null>;
    /** The user if the account is not disabled, or null. Exact match: usernames are lower case. */
    findByUsername(username: string): Promise<DirectoryUser | null>;
    /** The users among `ids`, disabled or not, sorted by username; unknown ids are left out. */
    list(ids: readonly string[]): Promise<DirectoryUser[]>;
  };
  /**
   * A one-line guard: `router.post('/x', ctx.requireRole('admin'), handler)`. Any listed role
   * passes; 401 UNAUTHENTICATED when nobody is signed in, 403 FORBIDDEN otherwise. The same as
   * the standalone `requireRole`.
   */
  requireRole(...roles: string[]): MiddlewareHandler<PluginEnv>;
}

/**
 * One step of the plugin's schema. The host runs the ones not run before, in array order, at
 * install and upgrade, all in one transaction with the install itself.
 */
export interface PluginMigration {
  /** Unique within the plugin; recorded once run. Never rename or remove one that has shipped. */
  name: string;
  /**
   * Changes the schema. `db` is bound to the install's transaction (do not start another) and
   * fenced to the plugin's prefix.
   */
  up(db: Kysely<any>): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a migration's tables are not those of the finished schema
  /** Accepted for your own tooling; the host never calls it (there is no downgrade). */
  down?(db: Kysely<any>): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any -- see up
}

/**
 * The default export of the backend module (`backend/main.js`). Every member is optional, and no
 * other member is allowed. Write it with `definePlugin` to get the types.
 *
 * @typeParam DB - the plugin's tables, for a typed `ctx.db`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see PluginContext
export interface PluginBackend<DB = any> {
  /** Run in order at install and upgrade; append new ones, never reorder shipped ones. */
  migrations?: readonly PluginMigration[];
  /** Registers routes that need a signed-in user (the host answers 401 otherwise). */
  routes?(router: PluginRouter, ctx: PluginContext<DB>): void | Promise<void>;
  /** Registers routes anyone may call, signed in or not. Mounted before `routes`. */
  publicRoutes?(router: PluginRouter, ctx: PluginContext<DB>): void | Promise<void>;
  /** Runs after the routes are registered, before the plugin serves: start timers here. */
  activate?(ctx: PluginContext<DB>): void | Promise<void>;
  /** Runs after the plugin has stopped serving: stop what `activate` started. */
  deactivate?(ctx: PluginContext<DB>): void | Promise<void>;
}
