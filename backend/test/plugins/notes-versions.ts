import fs from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES, manifestWith, packPlugin } from '../plugin-app.ts';

/** Version 1.1.0 of the notes fixture: one new migration and new code in a sibling module. */
export async function notesV110(): Promise<Buffer> {
  const migrations = await fs.readFile(
    path.join(FIXTURES, 'notes/backend/migrations/index.js'),
    'utf8',
  );
  return packPlugin('notes', {
    'plugin.json': await manifestWith('notes', { version: '1.1.0' }),
    'backend/lib/format.js': (
      await fs.readFile(path.join(FIXTURES, 'notes/backend/lib/format.js'), 'utf8')
    ).replace('FORMAT_VERSION = 1', 'FORMAT_VERSION = 2'),
    'backend/migrations/index.js': migrations.replace(
      /\];\s*$/,
      `  {
    name: '002-pinned',
    async up(db) {
      await db.schema
        .alterTable('plugin_notes_notes')
        .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('plugin_notes_tags')
        .addColumn('note_id', 'text', (c) => c.notNull())
        .addColumn('tag', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
`,
    ),
  });
}

/** A notes archive whose backend/main.js is replaced by the given source. */
export function notesWithBackend(source: string, manifest?: Record<string, unknown>) {
  return (async () =>
    packPlugin('notes', {
      'backend/main.js': source,
      ...(manifest ? { 'plugin.json': await manifestWith('notes', manifest) } : {}),
    }))();
}
