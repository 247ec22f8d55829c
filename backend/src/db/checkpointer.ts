import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** The worker's code: its own connection to the file, a passive checkpoint every interval. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** SQLite's own setting: a checkpoint when the write-ahead log passes this many pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

export interface Checkpointer {
  /** Runs a last checkpoint and ends the worker. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the main thread. SQLite runs one inside the commit that takes the log
 * past 4 MB, and better-sqlite3 is synchronous: that commit held every request of the server for
 * 7–19 ms (bench/RESULTS.md, tail latency during plugin installs). Here the main connection never
 * checkpoints; a worker thread with its own connection does, passively (never waiting for or
 * blocking readers and writers), every `intervalMs`. Should the worker fail, the main connection
 * goes back to checkpointing itself.
 */
export function startCheckpointer(
  database: BetterSqlite3.Database,
  file: string,
  intervalMs = 1000,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
  // Never the reason the process stays up.
  worker.unref();
  database.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const fallBack = () => {
    if (!stopping && database.open) {
      database.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    }
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      resolve();
    });
  });
  return {
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
