// A real Polyphony server in a child process, for tests that need a port: browser tests, the
// operator CLI beside a running server, `polyphony-plugin dev`. Only Node's own modules here, so
// a Playwright suite that imports this file does not load the host.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TestHostError } from './test-host-error.ts';

/** The backend package this file belongs to, wherever it is installed. */
const BACKEND_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** What `npm start` runs. */
const SERVER_ENTRY = path.join(BACKEND_DIR, 'src/main.ts');
/** What `npx polyphony` runs. */
const CLI_ENTRY = path.join(BACKEND_DIR, 'bin/polyphony.js');
/**
 * The working directory of the processes: the folder holding the backend (the Polyphony checkout),
 * as under `npm start`. Only relative paths in `env` depend on it.
 */
const WORKING_DIR = path.dirname(BACKEND_DIR);
/**
 * tsx, resolved from the backend rather than from the working directory, so the server starts
 * whatever folder the tests run from.
 */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const START_TIMEOUT_MS = 30_000;

/** A port nobody listens on at the moment of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export interface StartPolyphonyOptions {
  /**
   * The first admin, created at start when the database has no user yet (as
   * `POLYPHONY_ADMIN_USERNAME` and `POLYPHONY_ADMIN_PASSWORD` do). Without one, the server
   * starts on its first-run setup page.
   */
  admin?: { username: string; password: string };
  /**
   * Variables for the server, over yours and the defaults: `LOG_LEVEL` (`warn` by default),
   * `DATABASE_URL` (PostgreSQL instead of SQLite in the data folder), `POLYPHONY_PLUGIN_*` limits...
   */
  env?: Record<string, string>;
  /**
   * A data folder to use, for example one a stopped server kept (a restart). By default a new
   * one in the system's temp folder. Either way `stop()` removes it unless told to keep it.
   */
  dataDir?: string;
}

/** A Polyphony server process started by `startPolyphony`. */
export interface PolyphonyServer {
  /** `http://127.0.0.1:<port>`: the web app at `/`, the API at `/api/v1/...`. */
  readonly url: string;
  /** The data folder: the SQLite database, and the plugins in `plugins/`. */
  readonly dataDir: string;
  /** Everything the server wrote to stdout and stderr so far (its log). */
  output(): string;
  /** Settles once the process has ended, whoever ended it, with its signal or exit code. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
  /** Stops the server (SIGTERM, a graceful shutdown), then removes the data folder unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * What every Polyphony process of a test gets. DATABASE_URL from the caller's environment is left
 * out: a developer's own database is no throwaway one. Name it in `env` to run on PostgreSQL.
 */
function processEnv(dataDir: string, env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.DATABASE_URL;
  return {
    ...inherited,
    POLYPHONY_HOST: '127.0.0.1',
    POLYPHONY_DATA_DIR: dataDir,
    POLYPHONY_PLUGINS_DIR: path.join(dataDir, 'plugins'),
    LOG_LEVEL: 'warn',
    ...env,
  };
}

function startFailed(message: string, output: string): TestHostError {
  return new TestHostError('SERVER_START_FAILED', `${message}; its output:\n${output}`);
}

/**
 * Starts a real Polyphony server, the way `npm start` runs it, on a free port of 127.0.0.1 and
 * a throwaway data folder (SQLite inside it), and resolves once it answers its health check.
 * Plugins are installed through its API or web app, as an admin would. Call `stop()` when done.
 * A server that exits or does not answer within 30 s rejects with a `TestHostError` coded
 * `SERVER_START_FAILED`, its output in the message. The web app is served from `frontend/dist`
 * (`npm run build`).
 *
 * @example
 * const server = await startPolyphony({ admin: { username: 'admin', password: 'a long password' } });
 * await page.goto(`${server.url}/login`);
 * await server.stop();
 */
export async function startPolyphony(
  options: StartPolyphonyOptions = {},
): Promise<PolyphonyServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'polyphony-server-'));
  const admin: Record<string, string> = options.admin
    ? {
        POLYPHONY_ADMIN_USERNAME: options.admin.username,
        POLYPHONY_ADMIN_PASSWORD: options.admin.password,
      }
    : {};
  const child = spawn(process.execPath, ['--import', TSX_LOADER, SERVER_ENTRY], {
    cwd: WORKING_DIR,
    env: { ...processEnv(dataDir, { ...admin, ...options.env }), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(signal ?? code);
    });
  });

  const stop = async ({ keepData = false } = {}) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      // A folder given to us stays as it was: it may hold what explains the failure.
      await stop({ keepData: options.dataDir !== undefined });
      throw startFailed(`The server exited with ${child.signalCode ?? child.exitCode}`, output);
    }
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      await stop({ keepData: options.dataDir !== undefined });
      throw startFailed(`The server did not answer in ${START_TIMEOUT_MS / 1000} s`, output);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, dataDir, output: () => output, exited, stop };
}

/**
 * Runs a command of the operator CLI (`npx polyphony ...`) against a data folder, with the
 * environment a server on that folder has (plus `env`).
 */
export function runCli(
  args: string[],
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The real entry point of `npx polyphony`, not the sources: it registers tsx its own way.
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: WORKING_DIR,
      env: processEnv(dataDir, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
