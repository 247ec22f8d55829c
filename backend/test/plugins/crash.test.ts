import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import { listTree, packPlugin } from '../plugin-app.ts';
import { startServer } from '../server-process.ts';
import { notesV110 } from './notes-versions.ts';
import { serverDatabase, signIn } from './server-client.ts';

type Admin = Awaited<ReturnType<typeof signIn>>;

interface Scenario {
  operation: 'install' | 'upgrade' | 'uninstall';
  step: string;
}

const scenarios: Scenario[] = [
  ...[
    'install:before-commit',
    'install:in-transaction',
    'install:after-commit',
    'install:after-place',
  ].flatMap((step): Scenario[] => [
    { operation: 'install', step },
    { operation: 'upgrade', step },
  ]),
  ...['uninstall:after-unmount', 'uninstall:in-transaction', 'uninstall:after-commit'].map(
    (step): Scenario => ({ operation: 'uninstall', step }),
  ),
];

async function prepare(admin: Admin) {
  expect((await admin.upload(await packPlugin('notes'))).status).toBe(201);
  expect(
    (await admin.call('POST', '/api/v1/plugins/notes/notes', { text: 'precious' })).status,
  ).toBe(201);
}

async function act(admin: Admin, operation: Scenario['operation']) {
  const attempt =
    operation === 'install'
      ? admin.upload(await packPlugin('notes'))
      : operation === 'upgrade'
        ? admin.upload(await notesV110())
        : admin.call('DELETE', '/api/v1/admin/plugins/notes');
  // The server dies mid-request: the connection drops.
  await expect(attempt).rejects.toThrow();
}

describe.each(dialects)('the server killed at any step of a plugin operation (%s)', (dialect) => {
  it.each(scenarios)(
    '$operation killed at $step: consistent after restart, and it can be done again',
    async ({ operation, step }) => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyphony-crash-'));
      const database = await serverDatabase(dialect, dataDir);
      const pluginsDir = path.join(dataDir, 'plugins');
      try {
        if (operation !== 'install') {
          const before = await startServer({ dataDir, env: database.env });
          await prepare(await signIn(before.url));
          await before.stop({ keepData: true });
        }
        const doomed = await startServer({
          dataDir,
          env: { ...database.env, POLYPHONY_TEST_CRASH_AT: step },
        });
        await act(await signIn(doomed.url), operation);
        expect(await doomed.exited).toBe('SIGKILL');

        const server = await startServer({ dataDir, env: database.env });
        try {
          const admin = await signIn(server.url);
          const { plugins } = (await admin.call('GET', '/api/v1/admin/plugins')).body as {
            plugins: { id: string; version: string; state: string; tables: string[] }[];
          };
          const handle = database.open();
          try {
            // Database, files and routes agree.
            const tables = (
              await handle.db.selectFrom('plugins').select('owned_objects').execute()
            ).flatMap((row) =>
              (JSON.parse(row.owned_objects) as { name: string }[]).map((o) => o.name),
            );
            expect(tables.sort()).toEqual(plugins.flatMap((p) => p.tables).sort());
            expect(await handle.db.selectFrom('plugins_locks').selectAll().execute()).toEqual([]);
          } finally {
            await handle.destroy();
          }
          const tree = await listTree(pluginsDir);
          expect(tree.filter((entry) => entry.startsWith('.staging/'))).toEqual([]);
          expect(tree.filter((e) => !e.startsWith('.') && !e.includes('/')).sort()).toEqual(
            plugins.map((p) => p.id).sort(),
          );
          for (const plugin of plugins) {
            const manifest = JSON.parse(
              await fs.readFile(path.join(pluginsDir, plugin.id, 'plugin.json'), 'utf8'),
            ) as { version: string };
            expect(manifest.version).toBe(plugin.version);
            const about = await admin.call('GET', `/api/v1/plugins/${plugin.id}/about`);
            expect(about.status).toBe(200);
            expect(about.body).toMatchObject({ version: plugin.version });
          }

          // And the operation can be carried out now.
          if (operation === 'install') {
            if (plugins.length === 0)
              expect((await admin.upload(await packPlugin('notes'))).status).toBe(201);
            expect((await admin.call('GET', '/api/v1/plugins/notes/notes')).status).toBe(200);
          } else if (operation === 'upgrade') {
            if (plugins[0]?.version === '1.0.0')
              expect((await admin.upload(await notesV110())).status).toBe(200);
            const about = await admin.call('GET', '/api/v1/plugins/notes/about');
            expect(about.body).toMatchObject({ version: '1.1.0', format: 2 });
            const notes = await admin.call('GET', '/api/v1/plugins/notes/notes');
            expect(notes.body).toMatchObject({
              notes: [expect.objectContaining({ text: 'precious' })],
            });
          } else {
            if (plugins.length > 0) {
              const notes = await admin.call('GET', '/api/v1/plugins/notes/notes');
              expect(notes.body).toMatchObject({
                notes: [expect.objectContaining({ text: 'precious' })],
              });
              expect((await admin.call('DELETE', '/api/v1/admin/plugins/notes')).status).toBe(204);
            }
            expect((await admin.upload(await packPlugin('notes'))).status).toBe(201);
            expect((await admin.call('GET', '/api/v1/plugins/notes/notes')).body).toEqual({
              notes: [],
            });
          }
        } finally {
          await server.stop({ keepData: true });
        }
      } finally {
        await fs.rm(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
