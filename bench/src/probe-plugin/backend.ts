// The probe plugin's backend, bundled by esbuild into each probe archive (lib/plugins.ts). Its
// routes run the same handlers as bare Hono and the core route (../handlers.ts).
import { defineMigration, definePlugin, type PluginMigration } from '@polyphony/plugin-sdk';
import { createItems, hello, readItem } from '../handlers.ts';

// Set per archive by lib/plugins.ts: the plugin's table prefix and how many migrations it ships.
declare const __PREFIX__: string;
declare const __MIGRATIONS__: number;

const table = (name: string) => `${__PREFIX__}${name}`;

const ALL: PluginMigration[] = [
  defineMigration({
    name: '001-items',
    up: (db) => createItems(db, table('items')),
  }),
  defineMigration({
    name: '002-tags',
    async up(db) {
      await db.schema
        .createTable(table('tags'))
        .addColumn('id', 'integer', (col) => col.primaryKey())
        .addColumn('name', 'text', (col) => col.notNull().unique())
        .execute();
    },
  }),
  defineMigration({
    name: '003-item-tags',
    async up(db) {
      await db.schema
        .createTable(table('item_tags'))
        .addColumn('item_id', 'integer', (col) => col.notNull())
        .addColumn('tag_id', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint(`${__PREFIX__}item_tags_pk`, ['item_id', 'tag_id'])
        .execute();
      await db.schema
        .createIndex(`${__PREFIX__}item_tags_by_tag`)
        .on(table('item_tags'))
        .column('tag_id')
        .execute();
    },
  }),
  defineMigration({
    name: '004-notes',
    async up(db) {
      await db.schema
        .createTable(table('notes'))
        .addColumn('id', 'integer', (col) => col.primaryKey())
        .addColumn('item_id', 'integer', (col) => col.notNull())
        .addColumn('text', 'text', (col) => col.notNull())
        .execute();
    },
  }),
];

export default definePlugin({
  migrations: ALL.slice(0, __MIGRATIONS__),
  publicRoutes(router, ctx) {
    router.get('/hello', hello);
    router.get(
      '/items/:id',
      readItem(() => ctx.db, table('items')),
    );
  },
  routes(router, ctx) {
    // Behind the host's sign-in check: the variants with a session.
    router.get('/me/hello', hello);
    router.get(
      '/me/items/:id',
      readItem(() => ctx.db, table('items')),
    );
  },
});
