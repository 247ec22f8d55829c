/**
 * `@polyphony/backend/testing`: boots a Polyphony host in-process with a plugin installed, so a
 * plugin's own tests call its routes for real (on SQLite or PostgreSQL), and starts a real server
 * process for browser tests. docs/plugins/testing.md is the guide.
 */
export {
  createTestHost,
  type PluginInfo,
  type PluginSettingsView,
  type SignInOptions,
  type TestDatabase,
  type TestHost,
  type TestHostOptions,
  type UpgradeOptions,
} from './test-host.ts';
export type { TestHostClient, TestUser } from './host-client.ts';
export type { PluginSource } from './plugin-source.ts';
export {
  createThrowawaySchema,
  findTestPostgres,
  type TestPostgresLookup,
  type ThrowawaySchema,
} from './postgres.ts';
export {
  freePort,
  startPolyphony,
  type PolyphonyServer,
  type StartPolyphonyOptions,
} from './server-process.ts';
export { isTestHostError, TestHostError } from './test-host-error.ts';
