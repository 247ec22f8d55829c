// The servers the benchmarks measure, each a process of its own on 127.0.0.1.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createThrowawaySchema, freePort, type ThrowawaySchema } from '@polyphony/backend/testing';
import { CORES, rssBytes, spawnPinned, waitForOk, type Spawned } from './processes.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** What `npm start` runs, and the bench's copy of it with the handlers as core routes. */
const ENTRIES = {
  main: path.join(REPO_ROOT, 'backend/src/main.ts'),
  bench: path.join(here, '../servers/host.ts'),
  bare: path.join(here, '../servers/bare.ts'),
} as const;

export const ADMIN = { username: 'bench-admin', password: 'bench-admin-password' };

/** Where a host keeps its data: SQLite in its data folder, or a fresh schema on a PostgreSQL. */
export type DatabaseTarget = { kind: 'sqlite' } | { kind: 'postgres'; url: string };

export interface Server {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  /** Milliseconds from spawning the process to its first 200 on the readiness URL. */
  readonly startMs: number;
  rss(): number;
  /** Stops the process; removes its data (folder, PostgreSQL schema) unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface HostOptions {
  /** `main`: exactly `npm start`. `bench`: the same wiring plus /api/v1/bench/* core routes. */
  entry: 'main' | 'bench';
  /** Variables over the defaults below. */
  env?: Record<string, string>;
  /** Pin to the server core (default true). */
  pin?: boolean;
  /** Flags for node itself, e.g. `--cpu-prof` (NODE_OPTIONS does not take every flag). */
  nodeArgs?: string[];
}

/** What a stopped host leaves to start again on. */
export interface HostData {
  dataDir: string;
  databaseUrl: string | null;
  schema: ThrowawaySchema | null;
}

/** Prepares a data folder (and a PostgreSQL schema) for a host. */
export async function newHostData(workDir: string, database: DatabaseTarget): Promise<HostData> {
  mkdirSync(workDir, { recursive: true });
  const dataDir = mkdtempSync(path.join(workDir, 'host-'));
  if (database.kind === 'sqlite') return { dataDir, databaseUrl: null, schema: null };
  const schema = await createThrowawaySchema(database.url, 'polyphony_bench_');
  return { dataDir, databaseUrl: schema.serverUrl, schema };
}

/** Removes a host's folder and schema. */
export async function dropHostData(data: HostData): Promise<void> {
  rmSync(data.dataDir, { recursive: true, force: true });
  await data.schema?.drop();
}

/**
 * Starts a Polyphony server on a host data set, logging at `info` (the default) to a file in its
 * data folder, as a real deployment logs to a file or a journal.
 */
export async function startHost(data: HostData, options: HostOptions): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    POLYPHONY_HOST: '127.0.0.1',
    PORT: String(port),
    POLYPHONY_DATA_DIR: data.dataDir,
    POLYPHONY_PLUGINS_DIR: path.join(data.dataDir, 'plugins'),
    POLYPHONY_ADMIN_USERNAME: ADMIN.username,
    POLYPHONY_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'info',
    ...options.env,
  };
  delete env.DATABASE_URL;
  if (data.databaseUrl !== null) env.DATABASE_URL = data.databaseUrl;
  const started = performance.now();
  const process_ = spawnPinned(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', TSX, ENTRIES[options.entry]],
    {
      cwd: REPO_ROOT,
      env,
      cpu: options.pin === false ? undefined : CORES?.server,
      output: path.join(data.dataDir, 'server.log'),
    },
  );
  return ready(
    process_,
    `http://127.0.0.1:${port}`,
    '/api/v1/health',
    started,
    async (keep) => {
      if (!keep) await dropHostData(data);
    },
    data.dataDir,
  );
}

/** Starts bare Hono (variant a), optionally with its items table in SQLite or PostgreSQL. */
export async function startBare(
  data: HostData | null,
  options: { nodeArgs?: string[] } = {},
): Promise<Server> {
  const port = await freePort();
  const database = data === null ? [] : [data.databaseUrl ?? path.join(data.dataDir, 'bare.db')];
  const started = performance.now();
  const process_ = spawnPinned(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', TSX, ENTRIES.bare, String(port), ...database],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      cpu: CORES?.server,
      output: data ? path.join(data.dataDir, 'bare.log') : '/dev/null',
    },
  );
  return ready(
    process_,
    `http://127.0.0.1:${port}`,
    '/hello',
    started,
    async (keep) => {
      if (data && !keep) await dropHostData(data);
    },
    data?.dataDir ?? '',
  );
}

async function ready(
  spawned: Spawned,
  url: string,
  probe: string,
  started: number,
  cleanUp: (keepData: boolean) => Promise<void>,
  dataDir: string,
): Promise<Server> {
  let alive = true;
  void spawned.exited.then(() => (alive = false));
  try {
    await waitForOk(`${url}${probe}`, 60_000, () => alive);
  } catch (error) {
    await spawned.stop();
    await cleanUp(false);
    throw error;
  }
  const startMs = performance.now() - started;
  return {
    url,
    pid: spawned.pid,
    dataDir,
    startMs,
    rss: () => rssBytes(spawned.pid),
    async stop({ keepData = false } = {}) {
      await spawned.stop();
      await cleanUp(keepData);
    },
  };
}
