import fs from 'node:fs/promises';
import {
  applySettingsUpdate,
  assertCompatible,
  extractArchive,
  publicSettings,
  readManifestFile,
  resolveEntries,
  sha256File,
  toStorageError,
  type ArchiveLimits,
  type Manifest,
  type ManifestNavigationEntry,
  type ResolvedEntries,
  type SettingsSchema,
  type SettingValues,
} from '@polyphony/plugin-format';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import semver from 'semver';
import type { AuditContext, AuditLog } from '../audit/audit-log.ts';
import type { DialectName } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import type { ReceivedUpload } from './archive/upload.ts';
import { hostVersion as defaultHostVersion } from './host-version.ts';
import { tablePrefix } from './migrations/namespace.ts';
import { applyPluginMigrations, dropOwnedObjects } from './migrations/plugin-migrator.ts';
import { createPluginContext } from './plugin-context.ts';
import { createPluginFiles, type PluginFiles } from './plugin-files.ts';
import { loadBackendModule } from './plugin-loader.ts';
import { createPluginLocks, type PluginLocks } from './plugin-lock.ts';
import { registry, type RegisteredPlugin } from './plugin-registry.ts';
import { frontendEntryUrl, type LoadedPlugin, type PluginRuntime } from './plugin-runtime.ts';
import { reasonOf } from './with-timeout.ts';

export type PluginState = 'active' | 'deactivated' | 'failed';

/** A plugin as the admin API shows it. */
export interface PluginInfo {
  id: string;
  name: string;
  version: string;
  description: string;
  author: string;
  homepage: string | null;
  license: string | null;
  state: PluginState;
  /** Why it failed to load or start; null unless `state` is `failed`. */
  error: string | null;
  installedAt: string;
  updatedAt: string;
  tables: string[];
  navigation: ManifestNavigationEntry[];
  hasBackend: boolean;
  /** The URL of the frontend bundle while the plugin is active; null otherwise or without one. */
  frontend: { entry: string } | null;
  hasSettings: boolean;
}

export interface PluginSettingsView {
  schema: SettingsSchema | null;
  values: SettingValues;
  /** Secret settings by name: whether a value is stored. Secrets are never sent back. */
  secrets: Record<string, boolean>;
}

/** What uninstalling would delete: each table the plugin owns, with its number of rows. */
export interface PluginData {
  tables: { name: string; rows: number }[];
}

export interface InstallResult {
  plugin: PluginInfo;
  /** The version replaced, when this was an upgrade (or a replacement of the same version). */
  upgradedFrom: string | null;
  /** Only with `replace`, when the upload has the installed version: it took that version's place. */
  replaced?: true;
  /** Only with `replace`: the upload is byte for byte the installed archive, so nothing was done. */
  unchanged?: boolean;
}

export interface InstallOptions {
  /**
   * Accept the installed version again (the kit's `dev` loop re-uploads on every save). It goes
   * the upgrade way: pending migrations run, the new files load. A lower version is still refused.
   */
  replace?: boolean;
}

export interface PluginManagerOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  audit: AuditLog;
  logger: Logger;
  now: () => Date;
  pluginsDir: string;
  limits: ArchiveLimits;
  /** Null in the operator CLI: it changes the registry and the files; servers do the serving. */
  runtime: PluginRuntime | null;
  hookTimeoutMs?: number;
  migrationTimeoutMs?: number;
  /** How often a server looks for changes other processes made (the CLI, later other servers). */
  syncIntervalMs?: number;
  hostVersion?: string;
  /** Called between the steps of install, upgrade and uninstall; crash tests kill the process here. */
  checkpoint?: (step: string) => void | Promise<void>;
}

/**
 * Every lifecycle operation goes through this one service, whichever door it came in by (HTTP,
 * CLI). Each takes the plugin's lock in the database, so operations on one plugin are serialized
 * across processes, and each commits its database changes in one transaction before it touches
 * the live server, so a crash at any step leaves a state that `start()` can finish or undo.
 */
export interface PluginManager {
  readonly files: PluginFiles;
  install(
    receive: () => Promise<Pick<ReceivedUpload, 'path' | 'filename'>>,
    context: AuditContext,
    options?: InstallOptions,
  ): Promise<InstallResult>;
  activate(id: string, context: AuditContext): Promise<PluginInfo>;
  deactivate(id: string, context: AuditContext): Promise<PluginInfo>;
  uninstall(id: string, context: AuditContext): Promise<void>;
  list(): Promise<PluginInfo[]>;
  get(id: string): Promise<PluginInfo>;
  settings(id: string): Promise<PluginSettingsView>;
  updateSettings(id: string, input: unknown, context: AuditContext): Promise<PluginSettingsView>;
  /** Row counts of the plugin's tables, for the admin deciding whether to uninstall. */
  data(id: string): Promise<PluginData>;
  /** Whether the registry still wants this version active; if not, a sync is started. */
  isCurrent(id: string, sha256: string): Promise<boolean>;
  /** Server start: repairs what a crash left, rebuilds missing folders, mounts active plugins. */
  start(): Promise<void>;
  /** Brings this process's mounted plugins in line with the registry. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_HOOK_TIMEOUT_MS = 10_000;
const DEFAULT_MIGRATION_TIMEOUT_MS = 60_000;
const DEFAULT_SYNC_INTERVAL_MS = 2_000;

export function createPluginManager(options: PluginManagerOptions): PluginManager {
  const { db, dialect, audit, logger, now, runtime, limits } = options;
  const files = createPluginFiles(options.pluginsDir);
  const locks: PluginLocks = createPluginLocks(db, now);
  const hookTimeoutMs = options.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
  const migrationTimeoutMs = options.migrationTimeoutMs ?? DEFAULT_MIGRATION_TIMEOUT_MS;
  const host = options.hostVersion ?? defaultHostVersion;
  const checkpoint = async (step: string) => {
    await options.checkpoint?.(step);
  };
  /** Plugins an operation of this process is working on: the sync loop leaves them alone. */
  const busy = new Set<string>();
  /** Loads that failed, by plugin, so the sync loop retries only once something changed. */
  const failedLoads = new Map<string, string>();
  /** Object names each installed plugin owns, for fencing every plugin out of the others' tables. */
  let ownership = new Map<string, ReadonlySet<string>>();
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | null = null;

  /** Per plugin, the names every other plugin owns; the database guard asks on each query. */
  let othersCache = new Map<string, ReadonlySet<string>>();
  const refreshOwnership = (rows: readonly RegisteredPlugin[]) => {
    ownership = new Map(rows.map((row) => [row.id, new Set(row.owned.map((o) => o.name))]));
    othersCache = new Map();
  };
  const ownedByOthers = (id: string): ReadonlySet<string> => {
    const cached = othersCache.get(id);
    if (cached) return cached;
    const names = new Set<string>();
    for (const [owner, owned] of ownership) if (owner !== id) for (const n of owned) names.add(n);
    othersCache.set(id, names);
    return names;
  };

  const infoOf = (row: RegisteredPlugin): PluginInfo => {
    const failed = row.state === 'active' && row.error !== null;
    const mounted = runtime?.get(row.id);
    const frontendEntry = mounted?.sha256 === row.archiveSha256 ? frontendEntryUrl(mounted) : null;
    return {
      id: row.id,
      name: row.name,
      version: row.version,
      description: row.description,
      author: row.author,
      homepage: row.manifest.homepage ?? null,
      license: row.manifest.license ?? null,
      state: failed ? 'failed' : row.state,
      error: failed ? row.error : null,
      installedAt: row.installedAt,
      updatedAt: row.updatedAt,
      tables: row.owned.filter((o) => o.kind === 'table').map((o) => o.name),
      navigation: row.manifest.navigation ?? [],
      hasBackend: row.manifest.backend !== undefined,
      frontend: frontendEntry === null ? null : { entry: frontendEntry },
      hasSettings: row.manifest.settings !== undefined,
    };
  };

  const requireRow = async (id: string): Promise<RegisteredPlugin> => {
    const row = await registry.get(db, id);
    if (!row) throw new AppError('PLUGIN_NOT_FOUND', `No plugin "${id}" is installed.`);
    return row;
  };

  const target = (id: string | null, label: string | null) => ({ type: 'plugin', id, label });

  /** Runs one operation under the plugin's lock, recording its failure in the audit log. */
  const operate = async <T>(
    id: string,
    operation: string,
    context: AuditContext,
    run: (row: RegisteredPlugin) => Promise<T>,
  ): Promise<T> => {
    let row: RegisteredPlugin | null = null;
    try {
      row = await requireRow(id);
      const release = await locks.acquire(id, operation);
      busy.add(id);
      try {
        return await run(await requireRow(id));
      } finally {
        busy.delete(id);
        await release();
      }
    } catch (error) {
      await audit.record(context, {
        action: `plugin.${operation}`,
        target: target(id, row?.name ?? null),
        outcome: 'failure',
        details: { version: row?.version ?? null, ...failureDetails(error) },
      });
      throw error;
    }
  };

  /** Stored manifests spell their entry paths out (see install), so no guessing is needed here. */
  const storedEntries = (manifest: Manifest): ResolvedEntries =>
    resolveEntries(
      manifest,
      new Set([manifest.backend, manifest.frontend].filter((p): p is string => p !== undefined)),
    );

  /** Imports a version's code from its own content-addressed copy and wraps it with its capabilities. */
  const prepare = async (
    manifest: Manifest,
    sha256: string,
    sourceDir: string,
    entries: ResolvedEntries,
  ): Promise<LoadedPlugin> => {
    const pluginLog = logger.child({ plugin: manifest.id, pluginVersion: manifest.version });
    const codeDir = await files.runtimeCopy(manifest.id, sourceDir, sha256);
    const backend =
      entries.backend === null
        ? null
        : await loadBackendModule(codeDir, entries.backend, hookTimeoutMs);
    return {
      manifest,
      sha256,
      entries,
      folder: codeDir,
      backend,
      logger: pluginLog,
      ctx: createPluginContext({
        db,
        manifest,
        logger: pluginLog,
        foreignOwned: () => ownedByOthers(manifest.id),
      }),
    };
  };

  /** Loads an installed plugin, rebuilding its folder from the stored archive if it is missing or stale. */
  const loadRegistered = async (row: RegisteredPlugin): Promise<LoadedPlugin> => {
    if ((await files.installedHash(row.id)) !== row.archiveSha256) {
      const archive = await registry.archive(db, row.id);
      if (!archive) throw new Error(`The stored archive of ${row.id} is missing`);
      await files.materialize(row.id, archive, row.archiveSha256, limits);
    }
    return prepare(
      row.manifest,
      row.archiveSha256,
      files.pluginDir(row.id),
      storedEntries(row.manifest),
    );
  };

  const mountRegistered = async (row: RegisteredPlugin): Promise<void> => {
    if (!runtime) return;
    await runtime.mount(await loadRegistered(row));
    failedLoads.delete(row.id);
    if (row.error !== null) await registry.setError(db, row.id, null);
  };

  const recordLoadFailure = async (row: RegisteredPlugin, error: unknown) => {
    const reason = isAppError(error) ? error.message : reasonOf(error);
    failedLoads.set(row.id, `${row.archiveSha256}:${row.updatedAt}`);
    logger.error({ err: error, plugin: row.id, version: row.version }, 'plugin failed to load');
    await registry.setError(db, row.id, reason);
  };

  /** Records the state admins asked for, with its audit entry, in one transaction. */
  const changeState = async (
    row: RegisteredPlugin,
    state: 'active' | 'deactivated',
    context: AuditContext,
  ): Promise<PluginInfo> => {
    await db.transaction().execute(async (trx) => {
      await registry.setState(trx, row.id, state, now().toISOString());
      await audit.record(
        context,
        {
          action: state === 'active' ? 'plugin.activated' : 'plugin.deactivated',
          target: target(row.id, row.name),
          details: { version: row.version },
        },
        trx,
      );
    });
    return infoOf(await requireRow(row.id));
  };

  const dropEverything = async (id: string, owned: RegisteredPlugin['owned']) => {
    await db.transaction().execute(async (trx) => {
      await dropOwnedObjects(trx, dialect, id, owned);
      await registry.remove(trx, id);
    });
  };

  const manager: PluginManager = {
    files,

    async install(receive, context, { replace = false } = {}) {
      const attempt: {
        id: string | null;
        version: string | null;
        label: string | null;
        from: string | null;
      } = { id: null, version: null, label: null, from: null };
      let zipPath: string | null = null;
      const staged = files.newStagingPath();
      let release: (() => Promise<void>) | null = null;
      let version: { id: string; sha256: string } | null = null;
      let holding: string | null = null;
      try {
        await fs.mkdir(files.stagingRoot, { recursive: true }).catch((error: unknown) => {
          throw toStorageError(error);
        });
        const upload = await receive();
        zipPath = upload.path;
        attempt.label = upload.filename;
        const extracted = await extractArchive(upload.path, staged, limits);
        const sha256 = await sha256File(upload.path);
        const declared = await readManifestFile(staged, extracted.files);
        Object.assign(attempt, {
          id: declared.id,
          version: declared.version,
          label: declared.name,
        });
        const entries = resolveEntries(declared, new Set(extracted.files));
        // Stored with the entry paths spelled out, so every later load knows them without guessing.
        const manifest: Manifest = {
          ...declared,
          ...(entries.backend === null ? {} : { backend: entries.backend }),
          ...(entries.frontend === null ? {} : { frontend: entries.frontend }),
        };
        assertCompatible(manifest, host);

        release = await locks.acquire(manifest.id, 'install');
        busy.add(manifest.id);
        holding = manifest.id;
        const existing = await registry.get(db, manifest.id);
        let replaced = false;
        if (existing) {
          attempt.from = existing.version;
          replaced = assertNewer(existing, manifest, replace);
          if (replaced && existing.archiveSha256 === sha256) {
            // The same bytes again: nothing to migrate, load or record.
            return {
              plugin: infoOf(existing),
              upgradedFrom: existing.version,
              replaced: true,
              unchanged: true,
            };
          }
        } else {
          assertNamespaceFree(manifest.id, ownership);
        }
        version = { id: manifest.id, sha256 };
        const loaded = await prepare(manifest, sha256, staged, entries);
        const ran = existing ? await registry.migrationsRun(db, manifest.id) : [];
        const pending = pendingMigrations(loaded, ran);
        const content = await fs.readFile(upload.path);
        const at = now().toISOString();
        await checkpoint('install:before-commit');
        await db.transaction().execute(async (trx) => {
          const applied = await applyPluginMigrations(trx, dialect, {
            pluginId: manifest.id,
            pending,
            owned: existing?.owned ?? [],
            foreignOwned: ownedByOthers(manifest.id),
            timeoutMs: migrationTimeoutMs,
          });
          const archive = { sha256, content };
          if (existing) {
            await registry.upgrade(trx, { manifest, archive, owned: applied.owned, at });
          } else {
            await registry.insert(trx, {
              manifest,
              archive,
              owned: applied.owned,
              state: 'active',
              settings: {},
              at,
            });
          }
          await registry.recordMigrations(trx, manifest.id, applied.ran, ran.length, at);
          await checkpoint('install:in-transaction');
          await audit.record(
            context,
            {
              action: existing ? 'plugin.upgraded' : 'plugin.installed',
              target: target(manifest.id, manifest.name),
              details: {
                version: manifest.version,
                ...(existing ? { from: existing.version } : {}),
                ...(replaced ? { replaced: true } : {}),
                migrations: applied.ran,
              },
            },
            trx,
          );
        });
        refreshOwnership(await registry.list(db));
        await checkpoint('install:after-commit');
        try {
          await files.place(manifest.id, staged, sha256);
        } catch (error) {
          // Committed: the plugin serves from its runtime copy; the next start rebuilds the folder.
          logger.error(
            { err: error, plugin: manifest.id },
            'could not move the plugin folder into place',
          );
        }
        await checkpoint('install:after-place');

        const state = existing?.state ?? 'active';
        if (runtime && state === 'active') {
          try {
            await runtime.mount(loaded);
            failedLoads.delete(manifest.id);
          } catch (error) {
            if (!existing) {
              // A fresh install that cannot start is rejected whole: tables, record, files.
              await runtime.unmount(manifest.id);
              const row = await requireRow(manifest.id);
              await dropEverything(manifest.id, row.owned);
              await files.remove(manifest.id);
              refreshOwnership(await registry.list(db));
              await audit.record(context, {
                action: 'plugin.uninstalled',
                target: target(manifest.id, manifest.name),
                details: {
                  version: manifest.version,
                  reason: 'it failed to start right after installing; the install was undone',
                  dropped: row.owned.map((o) => o.name),
                },
              });
              throw error;
            }
            // An upgrade's migrations are committed; the new version stays, marked failed for the admin.
            const row = await requireRow(manifest.id);
            await recordLoadFailure(row, error);
            await runtime.unmount(manifest.id);
          }
        }
        return {
          plugin: infoOf(await requireRow(manifest.id)),
          upgradedFrom: existing?.version ?? null,
          ...(replaced ? { replaced: true as const, unchanged: false } : {}),
        };
      } catch (error) {
        if (version !== null) {
          const row = await registry.get(db, version.id);
          if (row?.archiveSha256 !== version.sha256) {
            await files.discardRuntimeCopy(version.id, version.sha256);
          }
        }
        await audit.record(context, {
          action: attempt.from === null ? 'plugin.installed' : 'plugin.upgraded',
          target: target(attempt.id, attempt.label),
          outcome: 'failure',
          details: {
            version: attempt.version,
            ...(attempt.from === null ? {} : { from: attempt.from }),
            ...failureDetails(error),
          },
        });
        throw error;
      } finally {
        if (holding !== null) busy.delete(holding);
        await release?.();
        await fs.rm(staged, { recursive: true, force: true });
        if (zipPath !== null) await fs.rm(zipPath, { force: true });
      }
    },

    activate: (id, context) =>
      operate(id, 'activated', context, async (row) => {
        const serving = runtime?.get(id)?.sha256 === row.archiveSha256;
        if (row.state === 'active' && row.error === null && (runtime === null || serving)) {
          return infoOf(row);
        }
        if (runtime) {
          try {
            await runtime.mount(await loadRegistered(row));
          } catch (error) {
            if (row.state === 'active') await recordLoadFailure(row, error);
            throw error;
          }
          failedLoads.delete(id);
        }
        return changeState(row, 'active', context);
      }),

    deactivate: (id, context) =>
      operate(id, 'deactivated', context, async (row) => {
        if (row.state === 'deactivated') return infoOf(row);
        await runtime?.unmount(id);
        return changeState(row, 'deactivated', context);
      }),

    uninstall: (id, context) =>
      operate(id, 'uninstalled', context, async (row) => {
        await runtime?.unmount(id);
        await checkpoint('uninstall:after-unmount');
        await db.transaction().execute(async (trx) => {
          await dropOwnedObjects(trx, dialect, id, row.owned);
          await registry.remove(trx, id);
          await checkpoint('uninstall:in-transaction');
          await audit.record(
            context,
            {
              action: 'plugin.uninstalled',
              target: target(id, row.name),
              details: { version: row.version, dropped: row.owned.map((o) => o.name) },
            },
            trx,
          );
        });
        refreshOwnership(await registry.list(db));
        await checkpoint('uninstall:after-commit');
        await files.remove(id);
        failedLoads.delete(id);
      }),

    async list() {
      return (await registry.list(db)).map(infoOf);
    },

    async get(id) {
      return infoOf(await requireRow(id));
    },

    async settings(id) {
      const row = await requireRow(id);
      const schema = row.manifest.settings ?? null;
      return { schema, ...publicSettings(schema, row.settings) };
    },

    async updateSettings(id, input, context) {
      await operate(id, 'settings_changed', context, async (row) => {
        const schema = row.manifest.settings ?? null;
        const next = applySettingsUpdate(schema, row.settings, input);
        const changed = [...new Set([...Object.keys(row.settings), ...Object.keys(next)])].filter(
          (key) => row.settings[key] !== next[key],
        );
        await db.transaction().execute(async (trx) => {
          await registry.setSettings(trx, id, next, now().toISOString());
          await audit.record(
            context,
            {
              action: 'plugin.settings_changed',
              target: target(id, row.name),
              // Names only: values may be secrets.
              details: { version: row.version, changed },
            },
            trx,
          );
        });
      });
      return manager.settings(id);
    },

    async data(id) {
      const row = await requireRow(id);
      const tables: PluginData['tables'] = [];
      for (const object of row.owned) {
        if (object.kind !== 'table') continue;
        try {
          tables.push({ name: object.name, rows: await countRows(db, object.name) });
        } catch (error) {
          // Uninstalled while we counted: its tables went with it.
          await requireRow(id);
          throw error;
        }
      }
      return { tables };
    },

    async isCurrent(id, sha256) {
      const row = await registry.get(db, id);
      const current = row?.state === 'active' && row.error === null && row.archiveSha256 === sha256;
      if (!current) {
        manager.sync().catch((error: unknown) => {
          logger.warn({ err: error }, 'could not check the plugin registry for changes');
        });
      }
      return current;
    },

    async start() {
      await fs.mkdir(files.root, { recursive: true });
      const cleared = await locks.clearStale();
      if (cleared > 0)
        logger.warn({ locks: cleared }, 'cleared plugin locks left by a stopped process');
      const rows = await registry.list(db);
      refreshOwnership(rows);
      const removed = await files.cleanUp(new Map(rows.map((row) => [row.id, row.archiveSha256])));
      if (removed.length > 0)
        logger.warn({ folders: removed }, 'removed folders of plugins that are not installed');
      await manager.sync();
      if (runtime && (options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS) > 0) {
        timer = setInterval(() => {
          manager.sync().catch((error: unknown) => {
            logger.warn({ err: error }, 'could not check the plugin registry for changes');
          });
        }, options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS);
        timer.unref();
      }
    },

    sync() {
      syncing ??= (async () => {
        try {
          await syncOnce();
        } finally {
          syncing = null;
        }
      })();
      return syncing;
    },

    async stop() {
      clearInterval(timer);
      await syncing;
      await runtime?.unmountAll();
    },
  };

  const syncOnce = async () => {
    if (!runtime) return;
    const rows = await registry.list(db);
    refreshOwnership(rows);
    const lockedElsewhere = new Set(
      (await db.selectFrom('plugins_locks').select('plugin_id').execute()).map((r) => r.plugin_id),
    );
    const present = new Set(rows.map((row) => row.id));
    for (const mounted of runtime.list()) {
      if (!present.has(mounted.manifest.id) && !busy.has(mounted.manifest.id)) {
        await runtime.unmount(mounted.manifest.id);
      }
    }
    for (const row of rows) {
      if (busy.has(row.id) || lockedElsewhere.has(row.id)) continue;
      const mounted = runtime.get(row.id);
      if (row.state === 'deactivated') {
        if (mounted) await runtime.unmount(row.id);
        continue;
      }
      if (mounted?.sha256 === row.archiveSha256) continue;
      if (failedLoads.get(row.id) === `${row.archiveSha256}:${row.updatedAt}`) continue;
      try {
        await mountRegistered(row);
      } catch (error) {
        await recordLoadFailure(row, error);
        if (mounted) await runtime.unmount(row.id);
      }
    }
  };

  return manager;
}

/** PostgreSQL answers count(*) as a bigint string, SQLite as a number. */
async function countRows(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{
    count: string | number | bigint;
  }>`select count(*) as count from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.count ?? 0);
}

function failureDetails(error: unknown): Record<string, unknown> {
  return isAppError(error)
    ? { code: error.code, message: error.message }
    : { code: 'INTERNAL_ERROR', message: reasonOf(error) };
}

/** Refuses anything but a newer version, or the same one with `replace`; says whether it is that. */
function assertNewer(existing: RegisteredPlugin, manifest: Manifest, replace: boolean): boolean {
  const order = semver.compare(manifest.version, existing.version);
  if (order === 0 && replace) return true;
  if (order === 0) {
    throw new AppError(
      'PLUGIN_VERSION_EXISTS',
      `${existing.name} ${existing.version} is already installed.`,
      { details: { installed: existing.version } },
    );
  }
  if (order < 0) {
    throw new AppError(
      'PLUGIN_DOWNGRADE',
      `${existing.name} ${existing.version} is installed; ${manifest.version} is older. Uninstall it first to go back (its data goes with it).`,
      { details: { installed: existing.version, uploaded: manifest.version } },
    );
  }
  return false;
}

/**
 * Ids can nest (`notes` and `notes-archive` give `plugin_notes_` and `plugin_notes_archive_`).
 * A new plugin is refused when an object inside its namespace belongs to a plugin with a shorter
 * prefix: `notes` created `plugin_notes_archive_items` before `notes-archive` came along.
 */
function assertNamespaceFree(
  id: string,
  ownership: ReadonlyMap<string, ReadonlySet<string>>,
): void {
  const prefix = tablePrefix(id);
  for (const [owner, names] of ownership) {
    if (tablePrefix(owner).length >= prefix.length) continue;
    const clash = [...names].find((name) => name.startsWith(prefix));
    if (clash !== undefined) {
      throw new AppError(
        'PLUGIN_NAMESPACE_TAKEN',
        `The table prefix ${prefix} of "${id}" is already used by plugin "${owner}" (${clash}).`,
        { details: { owner, object: clash } },
      );
    }
  }
}

/** The migrations already run must be the new version's first ones, in the same order. */
function pendingMigrations(loaded: LoadedPlugin, ran: readonly string[]) {
  const all = loaded.backend?.migrations ?? [];
  const mismatch = ran.findIndex((name, i) => all[i]?.name !== name);
  if (mismatch !== -1) {
    throw new AppError(
      'PLUGIN_MIGRATIONS_MISMATCH',
      `Migration "${ran[mismatch] ?? ''}" has run but is not in place ${mismatch + 1} of version ${loaded.manifest.version}. Migrations that have shipped must stay, in order.`,
      { details: { ran, found: all.map((m) => m.name) } },
    );
  }
  return all.slice(ran.length);
}
