/**
 * `@polyphony/plugin-sdk`: what a plugin's backend module builds against. The types of the
 * backend contract (docs/plugins/backend.md), the `define*` identity helpers, role guards and the
 * error a handler throws to answer with a client error.
 *
 * Safe to bundle into a plugin: no host internals, no state, no runtime dependency (hono and
 * kysely are imported for their types only), and nothing is matched with `instanceof`. It imports
 * neither React nor the DOM; the pages' entry is `@polyphony/plugin-sdk/web`.
 */
export type {
  DirectoryUser,
  PluginBackend,
  PluginContext,
  PluginEnv,
  PluginLogger,
  PluginMigration,
  PluginRouter,
  PluginUser,
} from './backend/types.ts';
export { defineMigration, definePlugin } from './backend/define.ts';
export { hasRole, requireRole } from './backend/roles.ts';
export { isPluginError, PluginError, validationFailed } from './backend/errors.ts';
export type {
  PluginErrorOptions,
  ValidationFailedDetails,
  ValidationIssue,
} from './backend/errors.ts';
export { SDK_VERSION } from './version.ts';
