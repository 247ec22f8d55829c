import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { projectRoot, type PluginConfig } from '../src/config/config.ts';
import type { DialectName } from '../src/db/database.ts';
import { createPluginSystem } from '../src/plugin-host/plugin-system.ts';
import { createTestAppWithAdmin, TestClient, type ClientResponse } from './test-app.ts';
import { zipDirectory } from './zip-writer.ts';

export const FIXTURES = path.join(projectRoot, 'backend/test/fixtures/plugins');
export const EXAMPLES = path.join(projectRoot, 'examples/plugins');

/**
 * A real archive of a plugin source folder (a fixture under backend/test/fixtures/plugins or an
 * example under examples/plugins), with files replaced (`null` removes one) for variants.
 */
export async function packPlugin(
  source: string,
  overrides: Record<string, string | Buffer | null> = {},
): Promise<Buffer> {
  const dir = path.isAbsolute(source) ? source : path.join(FIXTURES, source);
  return zipDirectory(dir, overrides);
}

/** plugin.json of a fixture with some fields changed, as override text for packPlugin. */
export async function manifestWith(
  source: string,
  changes: Record<string, unknown>,
): Promise<string> {
  const dir = path.isAbsolute(source) ? source : path.join(FIXTURES, source);
  const manifest = JSON.parse(await fs.readFile(path.join(dir, 'plugin.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  return JSON.stringify({ ...manifest, ...changes }, null, 2);
}

export const testPluginConfig: PluginConfig = {
  limits: {
    maxUploadBytes: 5 * 1024 * 1024,
    maxEntries: 500,
    maxUnpackedBytes: 20 * 1024 * 1024,
    maxRatio: 100,
  },
  hookTimeoutMs: 1000,
  migrationTimeoutMs: 2000,
  syncIntervalMs: 0,
};

/**
 * Sends a plugin archive the way the admin page does: multipart, field `file`. `query` goes on the
 * URL, e.g. `?replace=true` as the kit's `dev` loop sends it.
 */
export async function uploadPlugin<T = Record<string, unknown>>(
  client: TestClient,
  archive: Buffer,
  filename = 'plugin.zip',
  query = '',
): Promise<ClientResponse<T>> {
  const form = new FormData();
  form.append('file', new Blob([archive], { type: 'application/zip' }), filename);
  return client.send<T>('POST', `/api/v1/admin/plugins${query}`, form);
}

export interface PluginTestOptions {
  config?: Partial<PluginConfig>;
  hostVersion?: string;
  pluginsDir?: string;
}

/**
 * The real app with the plugin system, a signed-in admin, and a plugins folder of its own.
 * `restart()` builds a new app and plugin system over the same database and folder: a server restart.
 */
export async function createPluginTestApp(dialect: DialectName, options: PluginTestOptions = {}) {
  const base = await createTestAppWithAdmin(dialect);
  // Inside a folder of its own, so a test can check that nothing lands beside the plugins folder.
  const pluginsDir =
    options.pluginsDir ??
    path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'polyphony-plugins-')), 'plugins');
  const logger = pino({ level: 'silent' });
  const config = { ...testPluginConfig, ...options.config };

  const build = () => {
    const system = createPluginSystem({
      services: base.services,
      logger,
      pluginsDir,
      config,
      serve: true,
      ...(options.hostVersion ? { hostVersion: options.hostVersion } : {}),
    });
    if (!system.http || !system.runtime) throw new Error('the test plugin system must serve');
    const app = createApp({
      services: base.services,
      logger,
      config: { trustProxy: false, webRoot: null },
      plugins: system.http,
    });
    return { system, app, manager: system.manager, runtime: system.runtime };
  };

  let current = build();
  await current.manager.start();
  const admin = new TestClient(current.app);
  admin.cookie = base.admin.cookie;
  admin.csrfToken = base.admin.csrfToken;

  const client = (from: TestClient) => {
    const c = new TestClient(current.app);
    c.cookie = from.cookie;
    c.csrfToken = from.csrfToken;
    return c;
  };

  return {
    ...base,
    pluginsDir,
    admin,
    get app() {
      return current.app;
    },
    get manager() {
      return current.manager;
    },
    get runtime() {
      return current.runtime;
    },
    /** A signed-in client of the current app for a new user with these roles. */
    async userWith(username: string, roles: string[]) {
      const made = await base.makeUser(username, roles);
      return client(made.client);
    },
    anonymous: () => new TestClient(current.app),
    upload: <T = Record<string, unknown>>(archive: Buffer, filename?: string, query?: string) =>
      uploadPlugin<T>(admin, archive, filename, query),
    async restart() {
      await current.manager.stop();
      current = build();
      await current.manager.start();
      admin.useApp(current.app);
    },
    async close() {
      await current.manager.stop();
      await base.close();
      // A folder the caller passed is the caller's to remove (it may be a mount point).
      if (options.pluginsDir === undefined) {
        await fs.rm(path.dirname(pluginsDir), { recursive: true, force: true });
      }
    },
  };
}

export type PluginTestApp = Awaited<ReturnType<typeof createPluginTestApp>>;

/** Names of the tables in the current schema/database that start with a prefix. */
export async function tablesLike(app: PluginTestApp, prefix: string): Promise<string[]> {
  const { db } = app.services;
  const rows =
    app.services.dialect === 'sqlite'
      ? await db
          .selectFrom('sqlite_master' as never)
          .select('name' as never)
          .where('type' as never, '=', 'table' as never)
          .execute()
      : await db
          .selectFrom('information_schema.tables' as never)
          .select('table_name as name' as never)
          .where('table_schema' as never, '=', db.fn('current_schema') as never)
          .execute();
  return (rows as { name: string }[])
    .map((r) => r.name)
    .filter((name) => name.startsWith(prefix))
    .sort();
}

/** Everything under a folder, as relative paths (files and folders). */
export async function listTree(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true });
    return entries.map(String).sort();
  } catch {
    return [];
  }
}
