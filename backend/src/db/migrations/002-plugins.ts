import type { Kysely } from 'kysely';
import type { CoreMigration } from '../migrate.ts';

/** The plugin registry: every fact about installed plugins lives here, never only on disk. */
export const plugins: CoreMigration = {
  name: '002-plugins',
  up: async (db: Kysely<unknown>, dialect) => {
    await db.schema
      .createTable('plugins')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('manifest', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('archive_sha256', 'text', (c) => c.notNull())
      .addColumn('owned_objects', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('installed_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    // The archive itself, so any process (another server, the CLI) can rebuild the plugin folder.
    await db.schema
      .createTable('plugins_archives')
      .addColumn('plugin_id', 'text', (c) =>
        c.primaryKey().references('plugins.id').onDelete('cascade'),
      )
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('content', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('plugins_migrations')
      .addColumn('plugin_id', 'text', (c) =>
        c.notNull().references('plugins.id').onDelete('cascade'),
      )
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('executed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('plugins_migrations_pk', ['plugin_id', 'name'])
      .execute();

    // One row per plugin while a lifecycle operation runs on it, whichever process runs it.
    await db.schema
      .createTable('plugins_locks')
      .addColumn('plugin_id', 'text', (c) => c.primaryKey())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .execute();
  },
};
