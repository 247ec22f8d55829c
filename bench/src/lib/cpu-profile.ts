// Reading the V8 CPU profiles that `node --cpu-prof` writes: what the main thread spent its time
// on within given intervals, summed by a category that the caller derives from each sample's stack.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds, monotonic clock (the same as `process.hrtime`). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  what: string;
  ms: number;
}

export interface ProfileSums {
  /** Milliseconds of the intervals the profile covers. */
  coveredMs: number;
  /** Largest first. */
  shares: Share[];
}

/** Names a sample by its stack, innermost frame first. */
export type Categorize = (stack: readonly ProfileNode[]) => string;

/** Now on the clock that profiles are stamped with (CLOCK_MONOTONIC), in milliseconds. */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

export const OFF_CPU = 'main thread off the CPU (its core busy with other threads or processes)';

/**
 * The main thread's profile among those node wrote into a folder: `CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile`,
 * thread 0 (others are worker threads, such as tsx's module hooks), of the process `pid` if given.
 */
export function mainThreadProfile(dir: string, pid?: number): string | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const owner = pid === undefined ? '\\d+' : String(pid);
  const main = names.find((name) => new RegExp(`\\.${owner}\\.0\\.\\d+\\.cpuprofile$`).test(name));
  return main ? path.join(dir, main) : null;
}

/**
 * Sums the profile's samples that fall in the intervals (monotonic ms), by category. A gap between
 * two samples much longer than the sampling interval means the thread did not run: that time is
 * counted as off the CPU.
 */
export function sumProfile(
  file: string,
  intervals: readonly [number, number][],
  categorize: Categorize,
): ProfileSums {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const categories = new Map<number, string>();
  const categoryOf = (id: number) => {
    let category = categories.get(id);
    if (category === undefined) {
      const stack: ProfileNode[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const node = byId.get(at);
        if (node) stack.push(node);
      }
      category = categorize(stack);
      categories.set(id, category);
    }
    return category;
  };

  const times: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((t += delta) / 1000);
  const deltas = times.slice(1).map((time, i) => time - (times[i] ?? time));
  const typical = [...deltas].sort((a, b) => a - b)[Math.floor(deltas.length / 2)] ?? 1;
  const gap = Math.max(2, typical * 4);

  const merged: [number, number][] = [];
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const sums = new Map<string, number>();
  const add = (what: string, ms: number) => sums.set(what, (sums.get(what) ?? 0) + ms);
  let k = 0;
  for (let i = 0; i < profile.samples.length - 1; i++) {
    const time = times[i] ?? 0;
    while (k < merged.length && (merged[k]?.[1] ?? 0) < time) k++;
    const interval = merged[k];
    if (!interval) break;
    if (time < interval[0]) continue;
    const span = Math.min(times[i + 1] ?? time, interval[1]) - time;
    if (span > gap) {
      add(categoryOf(profile.samples[i] ?? 0), typical);
      add(OFF_CPU, span - typical);
    } else add(categoryOf(profile.samples[i] ?? 0), span);
  }
  const shares = [...sums].map(([what, ms]) => ({ what, ms })).sort((a, b) => b.ms - a.ms);
  return { coveredMs: merged.reduce((sum, [start, end]) => sum + end - start, 0), shares };
}
