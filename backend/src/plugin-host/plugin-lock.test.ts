import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import os from 'node:os';
import type { DatabaseHandle } from '../db/database.ts';
import { dialects, createTestDatabase } from '../../test/databases.ts';
import { createPluginLocks } from './plugin-lock.ts';

describe.each(dialects)('plugin locks (%s)', (dialect) => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await handle.destroy();
  });

  const now = () => new Date();

  it('one holder at a time, across processes: the second gets PLUGIN_BUSY at once', async () => {
    const server = createPluginLocks(handle.db, now);
    const cli = createPluginLocks(handle.db, now);
    const release = await server.acquire('notes', 'install');
    await expect(cli.acquire('notes', 'uninstalled')).rejects.toMatchObject({
      code: 'PLUGIN_BUSY',
      details: { operation: 'install' },
    });
    await expect(server.acquire('notes', 'activated')).rejects.toMatchObject({
      code: 'PLUGIN_BUSY',
    });
    const other = await cli.acquire('kudos', 'install');
    await release();
    const next = await cli.acquire('notes', 'uninstalled');
    await next();
    await other();
    expect(await handle.db.selectFrom('plugins_locks').selectAll().execute()).toEqual([]);
  });

  const plant = (pid: number, acquiredAt: Date, host = os.hostname()) =>
    handle.db
      .insertInto('plugins_locks')
      .values({
        plugin_id: 'notes',
        operation: 'install',
        owner: 'someone-else',
        host,
        pid,
        acquired_at: acquiredAt.toISOString(),
      })
      .execute();

  it('takes over a lock whose process on this host is gone', async () => {
    await plant(2 ** 22 + 12345, new Date());
    const release = await createPluginLocks(handle.db, now).acquire('notes', 'install');
    await release();
  });

  it('takes over a lock older than any operation, wherever its holder ran', async () => {
    await plant(process.pid, new Date(Date.now() - 60 * 60 * 1000), 'another-host');
    const locks = createPluginLocks(handle.db, now);
    expect(await locks.clearStale()).toBe(1);
  });

  it('respects a recent lock of a live process or of another host', async () => {
    await plant(process.pid, new Date(), 'another-host');
    const locks = createPluginLocks(handle.db, now);
    expect(await locks.clearStale()).toBe(0);
    await expect(locks.acquire('notes', 'install')).rejects.toMatchObject({ code: 'PLUGIN_BUSY' });
  });
});
