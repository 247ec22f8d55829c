// Starts and stops the open-loop load generator (open-loop-child.ts) on the load core, and reads
// back every request it timed.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CORES, onPath } from './processes.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const NICE = onPath('nice');

export interface OpenLoopChildOptions {
  /** The server's origin, e.g. http://127.0.0.1:4000. */
  url: string;
  /** The routes, requested in turn (round robin) so each gets `rate / paths.length` per second. */
  paths: string[];
  /** Requests per second over all routes. */
  rate: number;
  /** Requests scheduled in the first milliseconds are sent but not recorded. */
  warmupMs: number;
  /** A safety stop, should the parent never ask. */
  maxSeconds: number;
  /**
   * Requests in flight (sent, or waiting for a connection) beyond which new ones are dropped, not
   * sent: a server this far behind measures its queue only, and the queue would keep growing.
   */
  maxInFlight: number;
  headers?: Record<string, string>;
}

// The machine's monotonic clock, the same in every process and in V8's CPU profiles: requests,
// steps and profile samples line up.
export { monotonicMs } from './cpu-profile.ts';

/** Every recorded request, column-wise; times in milliseconds after `base`. */
export interface OpenLoopRecords {
  /** `monotonicMs()` when the generator started. */
  base: number;
  paths: string[];
  /** Index into `paths`. */
  route: number[];
  /** When the schedule said to send it. */
  scheduled: number[];
  /** When it was sent (http.request called; a wait for a free connection comes after). */
  sent: number[];
  /** When the last byte of the response arrived. */
  done: number[];
  /** HTTP status, 0 for a connection error. */
  status: number[];
  /** Requests still unanswered when the generator gave up waiting. */
  unfinished: number;
  /** Requests not sent because `maxInFlight` were in flight (the server was overloaded). */
  dropped: number;
}

export interface OpenLoop {
  /** Stops sending, waits for the answers in flight, and answers the records. */
  stop(): Promise<OpenLoopRecords>;
}

/** Starts the generator and resolves once its warm-up is over and it records. */
export function startOpenLoop(options: OpenLoopChildOptions): Promise<OpenLoop> {
  const args = ['--import', TSX, path.join(here, 'open-loop-child.ts'), JSON.stringify(options)];
  // A raised priority where allowed (nice warns and runs it anyway where not): the database's
  // own processes are not pinned, and the generator must not take their turns on its core, or
  // its own delays would pass for the server's.
  const niced = NICE
    ? ['nice', '-n', '-10', process.execPath, ...args]
    : [process.execPath, ...args];
  const [command, ...argv] = CORES ? ['taskset', '-c', String(CORES.load), ...niced] : niced;
  const child = spawn(command as string, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.startsWith('ready\n')) return;
      child.stdout.off('data', onData);
      out = out.slice('ready\n'.length);
      child.stdout.on('data', (more: Buffer) => (out += more.toString()));
      resolve({
        async stop() {
          child.stdin.end('stop\n');
          const code = await exited;
          if (code !== 0) throw new Error(`open-loop load exited with ${code}: ${err}`);
          return JSON.parse(out.trim()) as OpenLoopRecords;
        },
      });
    };
    child.stdout.on('data', onData);
    child.once('error', reject);
    void exited.then((code) => {
      reject(new Error(`open-loop load exited with ${code}: ${err}`));
    });
  });
}
