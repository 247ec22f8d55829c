import type { Kysely } from 'kysely';
import type { Database, PluginsTable } from '../db/schema.ts';
import type { Manifest, SettingValues } from '@polyphony/plugin-format';
import type { OwnedObject } from './migrations/types.ts';

/** A registry row, parsed. The registry is the source of truth; the plugins folder is a cache. */
export interface RegisteredPlugin {
  id: string;
  name: string;
  version: string;
  description: string;
  author: string;
  manifest: Manifest;
  state: 'active' | 'deactivated';
  error: string | null;
  archiveSha256: string;
  owned: OwnedObject[];
  settings: SettingValues;
  installedAt: string;
  updatedAt: string;
}

function parseRow(row: PluginsTable): RegisteredPlugin {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    description: row.description,
    author: row.author,
    manifest: JSON.parse(row.manifest) as Manifest,
    state: row.state,
    error: row.error,
    archiveSha256: row.archive_sha256,
    owned: JSON.parse(row.owned_objects) as OwnedObject[],
    settings: JSON.parse(row.settings) as SettingValues,
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
  };
}

export interface NewRegistration {
  manifest: Manifest;
  state: 'active' | 'deactivated';
  archive: { sha256: string; content: Uint8Array };
  owned: readonly OwnedObject[];
  settings: SettingValues;
  at: string;
}

/** Reads and writes the plugin tables. Every write takes the executor (usually a transaction). */
export const registry = {
  async list(db: Kysely<Database>): Promise<RegisteredPlugin[]> {
    const rows = await db.selectFrom('plugins').selectAll().orderBy('id').execute();
    return rows.map(parseRow);
  },

  async get(db: Kysely<Database>, id: string): Promise<RegisteredPlugin | null> {
    const row = await db.selectFrom('plugins').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? parseRow(row) : null;
  },

  async archive(db: Kysely<Database>, id: string): Promise<Buffer | null> {
    const row = await db
      .selectFrom('plugins_archives')
      .select('content')
      .where('plugin_id', '=', id)
      .executeTakeFirst();
    return row ? Buffer.from(row.content) : null;
  },

  async migrationsRun(db: Kysely<Database>, id: string): Promise<string[]> {
    const rows = await db
      .selectFrom('plugins_migrations')
      .select('name')
      .where('plugin_id', '=', id)
      .orderBy('position')
      .execute();
    return rows.map((r) => r.name);
  },

  async insert(db: Kysely<Database>, registration: NewRegistration): Promise<void> {
    const { manifest, archive, at } = registration;
    await db
      .insertInto('plugins')
      .values({
        id: manifest.id,
        ...describe(manifest),
        state: registration.state,
        error: null,
        archive_sha256: archive.sha256,
        owned_objects: JSON.stringify(registration.owned),
        settings: JSON.stringify(registration.settings),
        installed_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('plugins_archives')
      .values({
        plugin_id: manifest.id,
        sha256: archive.sha256,
        size: archive.content.byteLength,
        content: archive.content,
      })
      .execute();
  },

  /** Swaps in a new version's manifest and archive, keeping state and settings. */
  async upgrade(
    db: Kysely<Database>,
    registration: Omit<NewRegistration, 'state' | 'settings'>,
  ): Promise<void> {
    const { manifest, archive, at } = registration;
    await db
      .updateTable('plugins')
      .set({
        ...describe(manifest),
        error: null,
        archive_sha256: archive.sha256,
        owned_objects: JSON.stringify(registration.owned),
        updated_at: at,
      })
      .where('id', '=', manifest.id)
      .execute();
    await db
      .updateTable('plugins_archives')
      .set({ sha256: archive.sha256, size: archive.content.byteLength, content: archive.content })
      .where('plugin_id', '=', manifest.id)
      .execute();
  },

  async recordMigrations(
    db: Kysely<Database>,
    id: string,
    names: readonly string[],
    firstPosition: number,
    at: string,
  ): Promise<void> {
    if (names.length === 0) return;
    await db
      .insertInto('plugins_migrations')
      .values(
        names.map((name, i) => ({
          plugin_id: id,
          name,
          position: firstPosition + i,
          executed_at: at,
        })),
      )
      .execute();
  },

  async setState(
    db: Kysely<Database>,
    id: string,
    state: 'active' | 'deactivated',
    at: string,
  ): Promise<void> {
    await db
      .updateTable('plugins')
      .set({ state, error: null, updated_at: at })
      .where('id', '=', id)
      .execute();
  },

  /** Records (or clears) why this plugin could not be loaded. Does not touch updated_at. */
  async setError(db: Kysely<Database>, id: string, error: string | null): Promise<void> {
    await db.updateTable('plugins').set({ error }).where('id', '=', id).execute();
  },

  async setSettings(
    db: Kysely<Database>,
    id: string,
    settings: SettingValues,
    at: string,
  ): Promise<void> {
    await db
      .updateTable('plugins')
      .set({ settings: JSON.stringify(settings), updated_at: at })
      .where('id', '=', id)
      .execute();
  },

  async settings(db: Kysely<Database>, id: string): Promise<SettingValues | null> {
    const row = await db
      .selectFrom('plugins')
      .select('settings')
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? (JSON.parse(row.settings) as SettingValues) : null;
  },

  /** Archive and migration rows go with it (foreign keys cascade). */
  async remove(db: Kysely<Database>, id: string): Promise<void> {
    await db.deleteFrom('plugins_migrations').where('plugin_id', '=', id).execute();
    await db.deleteFrom('plugins_archives').where('plugin_id', '=', id).execute();
    await db.deleteFrom('plugins').where('id', '=', id).execute();
  },
};

function describe(manifest: Manifest) {
  return {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description ?? '',
    author: manifest.author,
    manifest: JSON.stringify(manifest),
  };
}
