import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packPlugin } from '../plugin-app.ts';
import { runCli, startServer } from '../server-process.ts';
import { notesWithBackend } from './notes-versions.ts';
import { serverDatabase, signIn } from './server-client.ts';

async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the operator CLI next to a running server (sqlite)', () => {
  it('installs, deactivates, activates and uninstalls; the server picks each change up', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyphony-cli-'));
    const { env } = await serverDatabase('sqlite', dataDir);
    const cliEnv = { ...env, POLYPHONY_PLUGIN_SYNC_SECONDS: '0.5' };
    const server = await startServer({ dataDir, env: cliEnv });
    try {
      const admin = await signIn(server.url);
      const archive = path.join(dataDir, 'notes-1.0.0.zip');
      await fs.writeFile(archive, await packPlugin('notes'));
      const status = async () => (await admin.call('GET', '/api/v1/plugins/notes/about')).status;

      const installed = await runCli(['plugins', 'install', archive], dataDir, cliEnv);
      expect(installed.stdout, installed.stderr).toContain('Installed notes 1.0.0 (active)');
      expect(installed.code).toBe(0);
      await fs.access(archive); // the operator's file is left where it was
      await eventually(async () => (await status()) === 200, 'the server mounts the plugin');

      const listed = await runCli(['plugins', 'list'], dataDir, cliEnv);
      expect(listed.stdout).toMatch(/^notes\t1\.0\.0\tactive\tNotes$/m);

      expect((await runCli(['plugins', 'deactivate', 'notes'], dataDir, cliEnv)).code).toBe(0);
      await eventually(async () => (await status()) === 404, 'the server unmounts the plugin');
      expect((await runCli(['plugins', 'activate', 'notes'], dataDir, cliEnv)).code).toBe(0);
      await eventually(async () => (await status()) === 200, 'the server mounts it again');

      const unconfirmed = await runCli(['plugins', 'uninstall', 'notes'], dataDir, cliEnv);
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.stderr).toContain('--yes');
      expect(await status()).toBe(200);

      const removed = await runCli(['plugins', 'uninstall', 'notes', '--yes'], dataDir, cliEnv);
      expect(removed.code).toBe(0);
      await eventually(async () => (await status()) === 404, 'the server drops the plugin');
      expect((await admin.call('GET', '/api/v1/admin/plugins')).body).toEqual({ plugins: [] });

      const refused = await runCli(['plugins', 'activate', 'notes'], dataDir, cliEnv);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('PLUGIN_NOT_FOUND');

      const audit = await admin.call('GET', '/api/v1/admin/audit?action=plugin.installed');
      expect(audit.body).toMatchObject({
        entries: [expect.objectContaining({ actor: { id: null, username: 'cli' } })],
      });
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('plugin code that throws in a timer or leaves a rejection unhandled does not stop the server', async () => {
    const server = await startServer({
      env: (
        await serverDatabase('sqlite', await fs.mkdtemp(path.join(os.tmpdir(), 'polyphony-cli-')))
      ).env,
    });
    try {
      const admin = await signIn(server.url);
      const archive = await notesWithBackend(`
        export default {
          routes(router) {
            router.get('/timer-throw', (c) => { setTimeout(() => { throw new Error('thrown in a timer'); }, 10); return c.json({ ok: true }); });
            router.get('/unhandled', (c) => { Promise.reject(new Error('nobody catches this')); return c.json({ ok: true }); });
          },
        };`);
      expect((await admin.upload(archive)).status).toBe(201);
      expect((await admin.call('GET', '/api/v1/plugins/notes/timer-throw')).status).toBe(200);
      expect((await admin.call('GET', '/api/v1/plugins/notes/unhandled')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
      expect(server.output()).toContain('thrown in a timer');
    } finally {
      await server.stop();
    }
  }, 60_000);
});
