import type { PluginBackend, PluginMigration } from './types.ts';

/**
 * Types a plugin's backend definition and returns it unchanged: export its result as the backend
 * module's default export.
 *
 * @typeParam DB - the plugin's tables, so `ctx.db` is typed: `definePlugin<Tables>({ ... })`.
 * @example
 * ```ts
 * export default definePlugin({
 *   migrations: [createPolls],
 *   routes(router, ctx) {
 *     router.get('/polls', async (c) => c.json({ polls: await ctx.db.selectFrom('plugin_polls_polls').selectAll().execute() }));
 *   },
 * });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see PluginContext
export function definePlugin<DB = any>(backend: PluginBackend<DB>): PluginBackend<DB> {
  return backend;
}

/**
 * Types one migration and returns it unchanged, so migrations can live in files of their own.
 *
 * @example
 * ```ts
 * export const createPolls = defineMigration({
 *   name: '001-polls',
 *   async up(db) {
 *     await db.schema.createTable('plugin_polls_polls').addColumn('id', 'text', (c) => c.primaryKey()).execute();
 *   },
 * });
 * ```
 */
export function defineMigration(migration: PluginMigration): PluginMigration {
  return migration;
}
