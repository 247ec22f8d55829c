// Load on loopback from a process of its own: wrk when it is installed (it costs the shared
// machine less CPU per request), autocannon otherwise and for fixed request rates.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CORES, onPath } from './processes.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export type LoadTool = 'wrk' | 'autocannon';

export interface LoadOptions {
  url: string;
  seconds: number;
  warmupSeconds?: number;
  connections?: number;
  headers?: Record<string, string>;
  /** A fixed rate in requests per second over all connections (autocannon), instead of flat out. */
  rate?: number;
}

export interface LoadResult {
  tool: LoadTool;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** The tool for flat-out runs: `BENCH_LOADGEN` if set, else wrk when on the PATH. */
export function defaultTool(): LoadTool {
  const asked = process.env.BENCH_LOADGEN;
  if (asked === 'wrk' || asked === 'autocannon') return asked;
  return onPath('wrk') ? 'wrk' : 'autocannon';
}

function pinned(command: string, args: string[]): [string, string[]] {
  return CORES ? ['taskset', ['-c', String(CORES.load), command, ...args]] : [command, args];
}

function collect(command: string, args: string[]): Promise<string> {
  const [cmd, argv] = pinned(command, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${command} exited with ${code}: ${err || out}`));
    });
  });
}

/** wrk's durations: "812.00us", "1.23ms", "2.01s". */
export function wrkMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  const unit = match[2];
  return unit === 'us'
    ? value / 1000
    : unit === 'ms'
      ? value
      : unit === 's'
        ? value * 1000
        : value * 60_000;
}

/** Reads wrk's `--latency` report. */
export function parseWrk(output: string): Omit<LoadResult, 'tool'> {
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? Number.NaN);
  const latency = (p: string) =>
    wrkMs(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(output)?.[1] ?? '');
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests: number(/(\d+) requests in/),
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: latency('50'),
    p99Ms: latency('99'),
    errors,
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/) || 0,
  };
}

/** wrk takes whole seconds only. */
const wrkDuration = (seconds: number) => `-d${Math.max(1, Math.round(seconds))}s`;

async function withWrk(options: LoadOptions): Promise<LoadResult> {
  const headers = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const base = ['-t1', `-c${options.connections ?? 50}`, ...headers];
  if ((options.warmupSeconds ?? 1) > 0) {
    await collect('wrk', [...base, wrkDuration(options.warmupSeconds ?? 1), options.url]);
  }
  const output = await collect('wrk', [
    ...base,
    wrkDuration(options.seconds),
    '--latency',
    options.url,
  ]);
  return { tool: 'wrk', ...parseWrk(output) };
}

async function withAutocannon(options: LoadOptions): Promise<LoadResult> {
  const child = {
    url: options.url,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds ?? 1,
    connections: options.connections ?? 50,
    headers: options.headers ?? {},
    ...(options.rate === undefined ? {} : { rate: options.rate }),
  };
  const output = await collect(process.execPath, [
    '--import',
    TSX,
    path.join(here, 'autocannon-child.ts'),
    JSON.stringify(child),
  ]);
  const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
    requests: number;
    seconds: number;
    p50Ms: number;
    p99Ms: number;
    errors: number;
    non2xx: number;
  };
  return {
    tool: 'autocannon',
    requests: result.requests,
    rps: result.requests / result.seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** One bounded run of load against a URL. Fixed-rate runs always use autocannon. */
export function runLoad(options: LoadOptions, tool: LoadTool = defaultTool()): Promise<LoadResult> {
  return options.rate === undefined && tool === 'wrk' ? withWrk(options) : withAutocannon(options);
}
