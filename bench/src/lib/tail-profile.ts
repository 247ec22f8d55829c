// What the server's main thread did while the slowest requests waited: reads a V8 CPU profile
// (node --cpu-prof) and sums its samples inside given time intervals, by what was running. The
// profile's timestamps are the machine's monotonic clock, as `monotonicMs` (open-loop.ts).
import path from 'node:path';
import { sumProfile, type ProfileNode, type ProfileSums } from './cpu-profile.ts';

export type TailProfile = ProfileSums;

const SERVING = 'serving other requests';

const base = (url: string) => (url ? path.basename(url) : 'native');

/**
 * What a sample's stack was doing, innermost frame first: the host's own code is named by
 * function and file (its database layer is seen through, to the code that issued the query), a
 * plugin's code by plugin: `watched` plugins serve the requests measured, the others are the ones
 * being installed, running their migrations.
 */
function categorize(stack: readonly ProfileNode[], watched: ReadonlySet<string>): string {
  const top = stack[0]?.callFrame;
  if (top?.functionName === '(garbage collector)') return 'garbage collection';
  if (top?.functionName === '(idle)') return 'idle (waiting for I/O)';
  if (top?.functionName === '(program)') return 'V8/native, no JS frame';
  for (const { callFrame } of stack) {
    const { functionName, url } = callFrame;
    if (functionName === 'commitTransaction') return 'database COMMIT';
    // A plugin's code runs from its runtime copy in the plugins folder: .runtime/<id>@<hash>/.
    const plugin = /\/plugins\/\.runtime\/([^/@]+)@/.exec(url)?.[1];
    if (plugin) {
      return watched.has(plugin)
        ? SERVING
        : `the installed plugin's code: ${functionName || '(anonymous)'}`;
    }
    if (url.includes('/backend/src/http/') || url.includes('/bench/src/')) return SERVING;
    if (url.includes('/backend/src/db/')) continue;
    if (url.includes('/backend/src/')) return `${functionName || '(anonymous)'} (${base(url)})`;
  }
  const http = stack.some(({ callFrame }) =>
    /node:_http_|@hono\/node-server|\/hono\/dist\//.test(callFrame.url),
  );
  if (http) return SERVING;
  return `${top?.functionName || '(anonymous)'} (${base(top?.url ?? '')})`;
}

/** What the main thread was doing in the intervals (monotonic ms), by what was running. */
export function whereTimeWent(
  file: string,
  intervals: readonly [number, number][],
  watched: readonly string[],
): TailProfile {
  const plugins = new Set(watched);
  return sumProfile(file, intervals, (stack) => categorize(stack, plugins));
}
