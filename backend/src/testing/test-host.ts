import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pino, { type Logger } from 'pino';
import { createApp } from '../app.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { loadConfig, type Config } from '../config/config.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import type { PluginInfo, PluginSettingsView } from '../plugin-host/plugin-manager.ts';
import { createPluginSystem, type PluginSystem } from '../plugin-host/plugin-system.ts';
import { createCoreServices, type CoreServices } from '../services.ts';
import { createHostClient, type TestHostClient, type TestUser } from './host-client.ts';
import { readPluginSource, type PluginArchive, type PluginSource } from './plugin-source.ts';
import { createThrowawaySchema, SKIP_POSTGRES_VARIABLE, testPostgresFromEnv } from './postgres.ts';
import { expectOk, TestHostError } from './test-host-error.ts';

export type { PluginInfo, PluginSettingsView };

/**
 * The database a test host runs on, a fresh one for each host:
 * - `'sqlite'`: SQLite in memory (the default);
 * - `'postgres'`: a throwaway schema in the PostgreSQL server named by `POLYPHONY_TEST_POSTGRES_URL`,
 *   else `DATABASE_URL`, else `postgres://postgres@127.0.0.1:5432/postgres`;
 * - `{ postgres: url }`: a throwaway schema in the database at that URL.
 *
 * `close()` drops the schema. Creating one needs the CREATE privilege on the database.
 */
export type TestDatabase = 'sqlite' | 'postgres' | { postgres: string };

export interface TestHostOptions {
  /** The plugin to install: see `PluginSource` (a ZIP, its path, an archive tree, a built project). */
  plugin: PluginSource;
  /** Saved through the admin settings API right after the install, as an admin would. */
  settings?: Record<string, unknown>;
  /**
   * The database the host runs on: see `TestDatabase`. `'sqlite'` by default. When PostgreSQL
   * cannot be reached, `createTestHost` rejects with a `TestHostError` coded `POSTGRES_UNAVAILABLE`.
   */
  database?: TestDatabase;
  /** The host's log level, the plugin's `ctx.logger` included; `silent` by default. */
  logLevel?: Config['logLevel'];
}

export interface SignInOptions {
  /**
   * The user's roles, at least one (the host gives every user one). Roles that do not exist yet
   * are created first, as an admin would on the roles page.
   */
  roles: readonly string[];
  /** Generated when absent: `<first role>-<n>`. */
  username?: string;
}

export interface UpgradeOptions {
  /** Upload the same version again (`?replace=true`), as `polyphony-plugin dev` does. */
  replace?: boolean;
}

/**
 * A Polyphony host running in this process, on a fresh database, with one plugin installed by an
 * admin through the same code as the admin page's upload. Every lifecycle method goes through the
 * admin API too, so it answers as the host would, and throws a `TestHostError` carrying the host's
 * error code when the host refuses.
 */
export interface TestHost {
  /** The plugin's id, from its manifest. */
  readonly pluginId: string;
  /** The admin who installed the plugin (role `admin`). */
  readonly admin: TestHostClient;
  /**
   * The host's whole database, for seeding rows and checking them. It goes around the plugin's
   * guards, so use it to arrange and assert, not to stand in for the plugin's routes.
   */
  readonly db: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests type their own tables
  /** Creates a user with these roles and answers a client signed in as that user. */
  signIn(options: SignInOptions): Promise<TestHostClient>;
  /** A client with no session: plugin routes answer 401 except the plugin's public routes. */
  anonymous(): TestHostClient;
  /** The plugin as the admin API shows it: version, state (`active`, `deactivated`, `failed`), tables. */
  info(): Promise<PluginInfo>;
  /** The number of rows in each of the plugin's tables, by table name. */
  data(): Promise<Record<string, number>>;
  /** Saves settings through the admin API (secrets included); answers the admin's view of them. */
  updateSettings(values: Record<string, unknown>): Promise<PluginSettingsView>;
  deactivate(): Promise<PluginInfo>;
  activate(): Promise<PluginInfo>;
  /**
   * Uploads another archive of the plugin, as an admin installing a new version: its pending
   * migrations run and the new code serves. After `uninstall()` it installs the plugin afresh.
   */
  upgrade(plugin: PluginSource, options?: UpgradeOptions): Promise<PluginInfo>;
  /** Uninstalls the plugin: its tables and settings are dropped, its routes answer 404. */
  uninstall(): Promise<void>;
  /**
   * Stops the plugin, closes the database (dropping its PostgreSQL schema) and removes the host's
   * temp folder. Safe to call twice.
   */
  close(): Promise<void>;
}

const ADMIN_USERNAME = 'admin';
const SESSION_CLIENT = { ip: null, userAgent: 'polyphony-test-host' };
// A test needs no resistance to password cracking; a cheap hash keeps each user under a millisecond.
const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 };
const USERNAME_ROLE_LENGTH = 24;

function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

function hostLogger(level: Config['logLevel']): Logger {
  return level === 'silent' ? pino({ level: 'silent' }) : createLogger(level);
}

/**
 * The production plugin limits and timeouts (those of an unconfigured server), so an archive is
 * refused here exactly when a default install would refuse it; no background sync, as nothing
 * else changes the registry.
 */
function pluginConfig(): Config['plugins'] {
  return { ...loadConfig({}).plugins, syncIntervalMs: 0 };
}

/** The host's database, and what closing it takes: the pool, then a PostgreSQL schema. */
interface HostDatabase {
  handle: DatabaseHandle;
  dispose(): Promise<void>;
}

function postgresUrlFromEnv(): string {
  const found = testPostgresFromEnv();
  if (found === null) {
    throw new TestHostError(
      'POSTGRES_UNAVAILABLE',
      `PostgreSQL is turned off for tests (${SKIP_POSTGRES_VARIABLE}=1).`,
    );
  }
  return found.url;
}

async function openHostDatabase(choice: TestDatabase): Promise<HostDatabase> {
  if (choice === 'sqlite') {
    const handle = openDatabase({ kind: 'sqlite', file: ':memory:' });
    return { handle, dispose: () => handle.destroy() };
  }
  const url = choice === 'postgres' ? postgresUrlFromEnv() : choice.postgres;
  const schema = await createThrowawaySchema(url, 'polyphony_test_host_');
  const handle = openDatabase({ kind: 'postgres', url }, { searchPath: schema.name });
  return {
    handle,
    async dispose() {
      try {
        await handle.destroy();
      } finally {
        await schema.drop();
      }
    },
  };
}

interface Runtime {
  root: string;
  database: HostDatabase;
  services: CoreServices;
  system: PluginSystem;
  request: (path: string, init: RequestInit) => Promise<Response>;
}

async function boot(
  root: string,
  hostDatabase: HostDatabase,
  logLevel: Config['logLevel'],
): Promise<Runtime> {
  const database = hostDatabase.handle;
  try {
    await migrateToLatest(database.db, database.dialect);
    const services = createCoreServices({
      ...database,
      session: { idleHours: 24, maxHours: 24 * 7 },
      passwords: createPasswordHasher(CHEAP_SCRYPT),
    });
    const logger = hostLogger(logLevel);
    const system = createPluginSystem({
      services,
      logger,
      pluginsDir: path.join(root, 'plugins'),
      config: pluginConfig(),
      serve: true,
    });
    if (!system.http) throw new Error('the plugin system of a test host must serve');
    const app = createApp({
      services,
      logger,
      config: { trustProxy: false, webRoot: null },
      plugins: system.http,
    });
    await system.manager.start();
    const request = async (url: string, init: RequestInit) => app.request(url, init);
    return { root, database: hostDatabase, services, system, request };
  } catch (error) {
    await hostDatabase.dispose();
    throw error;
  }
}

/**
 * Stops the plugins, closes the database (dropping a PostgreSQL schema) and removes the temp
 * folder, whatever fails first.
 */
async function shutdown(runtime: Runtime): Promise<void> {
  try {
    await runtime.system.manager.stop();
  } finally {
    try {
      await runtime.database.dispose();
    } finally {
      await fs.rm(runtime.root, { recursive: true, force: true });
    }
  }
}

async function signInAs(runtime: Runtime, pluginId: string, user: TestUser) {
  const { token, session } = await runtime.services.sessions.create(user.id, SESSION_CLIENT);
  return createHostClient({
    request: runtime.request,
    pluginId,
    session: { token, csrfToken: session.csrfToken },
    user,
  });
}

async function upload(
  admin: TestHostClient,
  action: string,
  archive: PluginArchive,
  options: UpgradeOptions = {},
): Promise<PluginInfo> {
  const form = new FormData();
  form.append('file', new Blob([archive.bytes], { type: 'application/zip' }), archive.filename);
  const query = options.replace ? '?replace=true' : '';
  const response = await expectOk(
    action,
    await admin.fetch(`/api/v1/admin/plugins${query}`, { method: 'POST', body: form }),
  );
  return ((await response.json()) as { plugin: PluginInfo }).plugin;
}

/**
 * Boots a Polyphony host in this process (SQLite in memory unless `database` says otherwise, no
 * port opened) and installs the plugin through the host's real install path: the archive checks,
 * the migrations, the mount.
 * A plugin the host would refuse is refused here: the promise rejects with a `TestHostError`
 * whose `code` is the host's (`MANIFEST_INVALID`, `PLUGIN_LOAD_FAILED`, ...) and whose message
 * lists every detail. Call `close()` when done (an `afterEach` is the usual place).
 *
 * @example
 * const host = await createTestHost({ plugin: new URL('..', import.meta.url) });
 * const viewer = await host.signIn({ roles: ['viewer'] });
 * expect((await viewer.get('/items')).status).toBe(200);
 * await host.close();
 */
export async function createTestHost(options: TestHostOptions): Promise<TestHost> {
  const archive = await readPluginSource(options.plugin);
  const database = await openHostDatabase(options.database ?? 'sqlite');
  let root: string | null = null;
  let runtime: Runtime | null = null;
  try {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'polyphony-test-host-'));
    runtime = await boot(root, database, options.logLevel ?? 'silent');
    return await install(runtime, archive, options);
  } catch (error) {
    if (runtime !== null) {
      await shutdown(runtime);
    } else {
      // boot() disposes of the database itself when it fails.
      if (root === null) await database.dispose();
      else await fs.rm(root, { recursive: true, force: true });
    }
    throw error;
  }
}

async function install(
  runtime: Runtime,
  archive: PluginArchive,
  options: TestHostOptions,
): Promise<TestHost> {
  const { services } = runtime;
  const firstAdmin = await services.users.createFirstAdmin(
    { username: ADMIN_USERNAME, password: randomPassword() },
    { actor: null, ip: null },
  );
  const adminUser: TestUser = {
    id: firstAdmin.id,
    username: firstAdmin.username,
    roles: firstAdmin.roles,
  };
  // The plugin's id is known only once the host has read the manifest: a first session uploads,
  // and the admin's client, whose relative paths name the plugin, gets a second one.
  const uploader = await signInAs(runtime, '', adminUser);
  const installed = await upload(uploader, 'Installing the plugin', archive);
  const pluginId = installed.id;
  const admin = await signInAs(runtime, pluginId, adminUser);
  const pluginPath = `/api/v1/admin/plugins/${pluginId}`;
  let users = 0;
  let closing: Promise<void> | null = null;

  const adminJson = async <T>(action: string, response: Promise<Response>): Promise<T> =>
    (await (await expectOk(action, await response)).json()) as T;

  const createRole = async (name: string) => {
    await expectOk(
      `Creating the role "${name}"`,
      await admin.post('/api/v1/admin/roles', { name, description: 'Created by the test host' }),
    );
  };

  const host: TestHost = {
    pluginId,
    admin,
    db: services.db,

    async signIn(signIn) {
      const roles = [...signIn.roles];
      for (const role of await services.roles.unknown(roles)) await createRole(role);
      users += 1;
      const username =
        signIn.username ?? `${(roles[0] ?? 'user').slice(0, USERNAME_ROLE_LENGTH)}-${users}`;
      const { user } = await adminJson<{ user: TestUser }>(
        `Creating the user "${username}"`,
        admin.post('/api/v1/admin/users', { username, password: randomPassword(), roles }),
      );
      return signInAs(runtime, pluginId, {
        id: user.id,
        username: user.username,
        roles: user.roles,
      });
    },

    anonymous: () =>
      createHostClient({ request: runtime.request, pluginId, session: null, user: null }),

    async info() {
      const body = await adminJson<{ plugin: PluginInfo }>(
        'Reading the plugin',
        admin.get(pluginPath),
      );
      return body.plugin;
    },

    async data() {
      const { tables } = await adminJson<{ tables: { name: string; rows: number }[] }>(
        "Counting the plugin's rows",
        admin.get(`${pluginPath}/data`),
      );
      return Object.fromEntries(tables.map((table) => [table.name, table.rows]));
    },

    updateSettings: (values) =>
      adminJson<PluginSettingsView>(
        'Saving the settings',
        admin.put(`${pluginPath}/settings`, { values }),
      ),

    async deactivate() {
      const body = await adminJson<{ plugin: PluginInfo }>(
        'Deactivating the plugin',
        admin.post(`${pluginPath}/deactivate`),
      );
      return body.plugin;
    },

    async activate() {
      const body = await adminJson<{ plugin: PluginInfo }>(
        'Activating the plugin',
        admin.post(`${pluginPath}/activate`),
      );
      return body.plugin;
    },

    upgrade: async (plugin, upgradeOptions) =>
      upload(admin, 'Upgrading the plugin', await readPluginSource(plugin), upgradeOptions),

    async uninstall() {
      await expectOk('Uninstalling the plugin', await admin.delete(pluginPath));
    },

    close() {
      closing ??= shutdown(runtime);
      return closing;
    },
  };

  // A refusal here rejects createTestHost, which closes everything.
  if (options.settings !== undefined) await host.updateSettings(options.settings);
  return host;
}
