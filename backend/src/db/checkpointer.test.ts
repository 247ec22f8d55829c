import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open() {
  const dir = mkdtempSync(path.join(tmpdir(), 'polyphony-checkpoint-'));
  dirs.push(dir);
  const file = path.join(dir, 'test.db');
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.exec('create table blobs (id integer primary key, data blob)');
  return { database, file };
}

const size = (file: string) => statSync(file).size;
const MB = 1024 * 1024;
const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('startCheckpointer', () => {
  it('leaves commits alone and checkpoints the log from its own thread', async () => {
    const { database, file } = open();
    const checkpointer = startCheckpointer(database, file, 100);
    try {
      expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      // 6 MB through the log: past SQLite's 4 MB mark, yet no commit copied it into the file...
      const insert = database.prepare('insert into blobs (data) values (?)');
      for (let i = 0; i < 6; i++) insert.run(Buffer.alloc(MB, i));
      expect(size(file)).toBeLessThan(MB);
      // ...the worker does, soon after.
      await until(() => size(file) > 6 * MB);
      expect(database.prepare('select count(*) as n from blobs').get()).toEqual({ n: 6 });
    } finally {
      await checkpointer.stop();
      database.close();
    }
  });

  it('checkpoints once more on stop, and lets the connection checkpoint again if the worker ends', async () => {
    const { database, file } = open();
    const checkpointer = startCheckpointer(database, file, 60_000);
    database.prepare('insert into blobs (data) values (?)').run(Buffer.alloc(2 * MB, 1));
    expect(size(file)).toBeLessThan(MB);
    await checkpointer.stop();
    expect(size(file)).toBeGreaterThan(2 * MB);
    database.close();

    const other = open();
    const failing = startCheckpointer(
      other.database,
      path.join(path.dirname(other.file), 'gone.db'),
      50,
    );
    // The worker cannot open its file (fileMustExist): it ends, and SQLite's default comes back.
    await until(() => other.database.pragma('wal_autocheckpoint', { simple: true }) === 1000);
    await failing.stop();
    other.database.close();
  });
});
