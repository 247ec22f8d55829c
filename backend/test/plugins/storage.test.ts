import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import { createPluginTestApp, listTree, packPlugin, type PluginTestApp } from '../plugin-app.ts';
import { notesV110 } from './notes-versions.ts';

/** A small tmpfs gives a real "disk full" and a real read-only file system. It needs root. */
function canMountTmpfs(): boolean {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'polyphony-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

const mountable = canMountTmpfs();
if (!mountable) {
  console.warn(
    'storage.test.ts: skipped, mounting a tmpfs needs root (disk-full and read-only cases).',
  );
}

function fillDisk(dir: string): string {
  const filler = path.join(dir, '.filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

describe.runIf(mountable).each(dialects)('a full or read-only plugins folder (%s)', (dialect) => {
  let base: string;
  let pluginsDir: string;
  let t: PluginTestApp;
  beforeEach(async () => {
    base = await fsp.mkdtemp(path.join(os.tmpdir(), 'polyphony-storage-'));
    pluginsDir = path.join(base, 'plugins');
    await fsp.mkdir(pluginsDir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', pluginsDir]);
    t = await createPluginTestApp(dialect, { pluginsDir });
    expect((await t.upload(await packPlugin('notes'))).status).toBe(201);
  });
  afterEach(async () => {
    execFileSync('mount', ['-o', 'remount,rw', pluginsDir]);
    await t.close();
    execFileSync('umount', [pluginsDir]);
    await fsp.rm(base, { recursive: true, force: true });
  });

  const stillServingV1 = async () => {
    expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({
      version: '1.0.0',
      format: 1,
    });
    const manifest = JSON.parse(
      await fsp.readFile(path.join(pluginsDir, 'notes/plugin.json'), 'utf8'),
    ) as { version: string };
    expect(manifest.version).toBe('1.0.0');
    const plugin = await t.admin.get<{ plugin: { version: string; state: string } }>(
      '/api/v1/admin/plugins/notes',
    );
    expect(plugin.body.plugin).toMatchObject({ version: '1.0.0', state: 'active' });
  };

  it('disk full: a clean 507, the installed version intact and serving, then the upgrade works', async () => {
    const filler = fillDisk(pluginsDir);
    const response = await t.upload(await notesV110());
    expect(response.status).toBe(507);
    expect(response.body).toMatchObject({ error: { code: 'PLUGIN_STORAGE_FAILED' } });
    await stillServingV1();
    expect(await listTree(path.join(pluginsDir, '.staging'))).toEqual([]);

    await fsp.rm(filler);
    expect((await t.upload(await notesV110())).status).toBe(200);
    expect((await t.admin.get('/api/v1/plugins/notes/about')).body).toMatchObject({ format: 2 });
  });

  it('read-only: a clean 507, the installed version intact and serving', async () => {
    execFileSync('mount', ['-o', 'remount,ro', pluginsDir]);
    const response = await t.upload(await notesV110());
    expect(response.status).toBe(507);
    expect(response.body).toMatchObject({ error: { code: 'PLUGIN_STORAGE_FAILED' } });
    await stillServingV1();
    const asset = await t.admin.get<{ plugin: { frontend: { entry: string } } }>(
      '/api/v1/admin/plugins/notes',
    );
    const served = await t.app.request(asset.body.plugin.frontend.entry);
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('NotesPage');
  });
});
