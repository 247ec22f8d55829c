// Full garbage collections on demand in a host started with `--inspect=127.0.0.1:0`, so the leak
// check compares memory that is really held, not garbage that happens not to be collected yet.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const run = promisify(execFile);

/** The node flag that opens the inspector on a free loopback port (it prints the URL to stderr). */
export const INSPECT_ARGS = ['--inspect=127.0.0.1:0'];

/** The inspector's WebSocket URL from a host's log (stderr goes to `<dataDir>/server.log`). */
export function inspectorUrl(dataDir: string): string {
  const log = readFileSync(path.join(dataDir, 'server.log'), 'utf8');
  const found = [...log.matchAll(/Debugger listening on (ws:\/\/\S+)/g)].at(-1)?.[1];
  if (!found) throw new Error(`no inspector URL in ${dataDir}/server.log`);
  return found;
}

export interface Heap {
  /** V8 heap in use after the collections, in bytes. */
  heapUsed: number;
  heapTotal: number;
}

/** Forces full collections in the host and answers its V8 heap afterwards. */
export async function collectGarbage(url: string): Promise<Heap> {
  const { stdout } = await run(
    process.execPath,
    [
      '--experimental-websocket',
      '--no-warnings',
      '--import',
      TSX,
      path.join(here, 'startup-heap-child.ts'),
      url,
    ],
    { timeout: 30_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Heap;
}
