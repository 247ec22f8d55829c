// Child processes of a benchmark run: servers and load generators, each pinned to its own core
// when the machine has two or more, so they do not take turns on one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

/** Core 0 for load generators, core 1 for the server measured, when there are two. */
export const CORES = cpus().length >= 2 && hasTaskset ? { load: 0, server: 1 } : null;

export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Settles when the process has ended. */
  readonly exited: Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** A core to pin the process to (ignored where pinning is unavailable). */
  cpu?: number | undefined;
  /** Where stdout and stderr go: a file (appended), or 'pipe' to read them. */
  output: string;
}

/** Starts a command, pinned to a core when asked and possible. */
export function spawnPinned(command: string, args: string[], options: SpawnOptions): Spawned {
  const pinned = options.cpu !== undefined && CORES !== null;
  const argv = pinned ? ['-c', String(options.cpu), command, ...args] : args;
  const fd = options.output === 'pipe' ? null : openSync(options.output, 'a');
  const child = spawn(pinned ? 'taskset' : command, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: fd === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
  });
  if (fd !== null) closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return {
    child,
    pid: child.pid,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident memory of a process in bytes (Linux: /proc), or NaN where it cannot be read. */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Whether a command is on the PATH. */
export function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a URL until it answers 200, or throws after `timeoutMs`. */
export async function waitForOk(
  url: string,
  timeoutMs: number,
  alive: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`the process serving ${url} exited`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(20);
  }
}
