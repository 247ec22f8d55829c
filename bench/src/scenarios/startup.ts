// Item 4: start-up time and resident memory of a host with 0, 50 and 200 active plugins, and a
// leak check: memory across 50 install → upgrade → uninstall cycles on one running host.
import path from 'node:path';
import { signIn, type Session } from '../lib/admin.ts';
import { fmt } from '../lib/format.ts';
import { probeArchive } from '../lib/plugins.ts';
import { sleep } from '../lib/processes.ts';
import {
  dropHostData,
  newHostData,
  startHost,
  type HostData,
  type HostOptions,
  type Server,
} from '../lib/servers.ts';
import { collectGarbage, inspectorUrl, INSPECT_ARGS, type Heap } from '../lib/startup-heap.ts';
import { interleave, median, spread } from '../lib/stats.ts';
import type { ResultTable, Scenario, TargetCheck } from '../lib/types.ts';

const MB = 1024 * 1024;
/** How long a host idles before the "settled" reading: start-up garbage gets collected. */
const SETTLE_MS = 1000;

interface StartSample {
  startMs: number;
  /** Resident memory at the first 200 on /api/v1/health. */
  rssReady: number;
  /** After one request to every plugin's route and a second of idling. */
  rssSettled: number;
}

interface Prepared {
  data: HostData;
  /** Milliseconds of each install, in order: how install time grows with the plugins present. */
  installMs: number[];
  totalMs: number;
}

const startOptions = (nodeArgs: string[] = []): HostOptions => ({ entry: 'main', nodeArgs });

/** The public route of a probe plugin: 200 once it is mounted. */
async function helloStatus(server: Server, id: string): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/plugins/${id}/hello`);
  await response.arrayBuffer();
  return response.status;
}

/**
 * A SQLite data set with `count` active probe plugins, installed through the admin API; the host
 * is stopped keeping its data. Even with none, the host has started once: the measured starts
 * then find a migrated database and an admin, as every restart of a real deployment does.
 */
async function prepare(workDir: string, count: number): Promise<Prepared> {
  const data = await newHostData(workDir, { kind: 'sqlite' });
  const started = performance.now();
  const server = await startHost(data, startOptions());
  const installMs: number[] = [];
  try {
    const admin = await signIn(server.url);
    for (let i = 0; i < count; i++) {
      const archive = await probeArchive({ id: `boot-${i}` });
      installMs.push((await admin.install(archive)).ms);
    }
  } finally {
    await server.stop({ keepData: true });
  }
  return { data, installMs, totalMs: performance.now() - started };
}

/** One start of a prepared host: time to ready, memory at ready and once settled. */
async function measureStart(prepared: Prepared, count: number): Promise<StartSample> {
  const server = await startHost(prepared.data, startOptions());
  try {
    const rssReady = server.rss();
    // Every plugin answers once: proves it is mounted, and gives the steady state of a server whose
    // plugins have all served (Hono builds a router's matcher on its first request).
    for (let i = 0; i < count; i++) {
      const status = await helloStatus(server, `boot-${i}`);
      if (status !== 200) throw new Error(`startup: boot-${i} answered ${status} after a restart`);
    }
    await sleep(SETTLE_MS);
    return { startMs: server.startMs, rssReady, rssSettled: server.rss() };
  } finally {
    await server.stop({ keepData: true });
  }
}

interface LeakPoint {
  cycles: number;
  rss: number;
  heap: Heap;
}

/** Install (1 MB, 3 migrations) → upgrade to 1.1.0 (4 migrations) → uninstall, under a fresh id. */
async function leakCycle(admin: Session, server: Server, id: string): Promise<void> {
  const [release, upgrade] = await Promise.all([
    probeArchive({ id, heavy: true, migrations: 3 }),
    probeArchive({ id, version: '1.1.0', heavy: true, migrations: 4 }),
  ]);
  await admin.install(release);
  await admin.install(upgrade, { replace: true });
  if ((await helloStatus(server, id)) !== 200) throw new Error(`startup: ${id} does not serve`);
  await admin.uninstall(id);
}

async function leakCheck(
  workDir: string,
  cycles: number,
  checkpoints: readonly number[],
  warmUp: number,
  log: (message: string) => void,
): Promise<LeakPoint[]> {
  const data = await newHostData(workDir, { kind: 'sqlite' });
  const server = await startHost(data, startOptions(INSPECT_ARGS));
  try {
    const url = inspectorUrl(server.dataDir);
    const admin = await signIn(server.url);
    const reading = async (done: number): Promise<LeakPoint> => {
      const heap = await collectGarbage(url);
      await sleep(SETTLE_MS / 2);
      return { cycles: done, rss: server.rss(), heap };
    };
    for (let i = 0; i < warmUp; i++) await leakCycle(admin, server, `leak-warm-${i}`);
    const points = [await reading(0)];
    for (let i = 1; i <= cycles; i++) {
      await leakCycle(admin, server, `leak-${i}`);
      if (checkpoints.includes(i)) {
        const point = await reading(i);
        points.push(point);
        log(
          `startup: leak check after ${i} cycles: RSS ${fmt.mb(point.rss)}, heap ${fmt.mb(point.heap.heapUsed)}`,
        );
      }
    }
    return points;
  } finally {
    await server.stop();
  }
}

export const startup: Scenario = async (ctx) => {
  const counts = ctx.quick ? [0, 5, 20] : [0, 50, 200];
  const largest = counts.at(-1) ?? 0;
  const leakCycles = ctx.quick ? 5 : 50;
  const checkpoints = ctx.quick ? [5] : [10, 25, 50];
  const workDir = path.join(ctx.workDir, 'startup');
  const prepared = new Map<number, Prepared>();
  const timings: Record<string, number> = {};
  let phase = performance.now();
  const lap = (name: string) => {
    timings[name] = performance.now() - phase;
    phase = performance.now();
  };

  let samples: Record<string, StartSample[]>;
  let leak: LeakPoint[];
  let profiled: string | null = null;
  try {
    for (const count of counts) {
      const set = await prepare(workDir, count);
      prepared.set(count, set);
      ctx.log(
        `startup: data set with ${count} plugins installed in ${fmt.ms(set.totalMs)}` +
          (count > 0 ? ` (median install ${fmt.ms(median(set.installMs))})` : ''),
      );
    }
    lap('prepareMs');

    // 0, 50, 200, 0, 50, 200, ...: a slow moment of the machine touches every count alike.
    const variants = counts.map(String);
    samples = await interleave(variants, ctx.repeats, async (variant, round) => {
      const count = Number(variant);
      const set = prepared.get(count);
      if (!set) throw new Error(`no data set with ${count} plugins`);
      const sample = await measureStart(set, count);
      ctx.log(
        `startup: ${count} plugins, round ${round + 1}/${ctx.repeats}: ready in ${fmt.ms(sample.startMs)}, ` +
          `RSS ${fmt.mb(sample.rssReady)} → ${fmt.mb(sample.rssSettled)} settled`,
      );
      return sample;
    });
    lap('restartsMs');

    if (ctx.profileDir) {
      // Apart from the measured starts: the profiler slows the process it watches.
      const set = prepared.get(largest);
      if (set) {
        // A folder of its own: node writes a profile per thread (tsx's loader has one).
        profiled = `startup-${largest}-plugins/`;
        const server = await startHost(
          set.data,
          startOptions(['--cpu-prof', `--cpu-prof-dir=${path.join(ctx.profileDir, profiled)}`]),
        );
        await server.stop({ keepData: true });
      }
    }

    leak = await leakCheck(workDir, leakCycles, checkpoints, ctx.quick ? 0 : 2, (message) => {
      ctx.log(message);
    });
    lap('leakCheckMs');
  } finally {
    for (const set of prepared.values()) await dropHostData(set.data);
  }

  const summary = counts.map((count) => {
    const runs = samples[String(count)] ?? [];
    const pick = (key: keyof StartSample) => {
      const values = runs.map((r) => r[key]);
      return { median: median(values), ...spread(values) };
    };
    return {
      count,
      startMs: pick('startMs'),
      rssReady: pick('rssReady'),
      rssSettled: pick('rssSettled'),
    };
  });
  const none = summary[0];
  const most = summary.at(-1);
  const perPlugin = (key: 'rssReady' | 'rssSettled') =>
    none && most && largest > 0 ? (most[key].median - none[key].median) / largest : Number.NaN;
  const perPluginSettled = perPlugin('rssSettled');
  const perPluginReady = perPlugin('rssReady');

  const startTable: ResultTable = {
    title: `Start-up with N active plugins (SQLite; median of ${ctx.repeats} restarts, min–max)`,
    columns: [
      'Plugins',
      'Ready in',
      'min–max',
      'RSS at ready',
      'RSS settled',
      'RSS settled min–max',
    ],
    rows: summary.map((s) => [
      s.count,
      fmt.ms(s.startMs.median),
      `${fmt.ms(s.startMs.min)} – ${fmt.ms(s.startMs.max)}`,
      fmt.mb(s.rssReady.median),
      fmt.mb(s.rssSettled.median),
      `${fmt.mb(s.rssSettled.min)} – ${fmt.mb(s.rssSettled.max)}`,
    ]),
    note:
      '"Ready in": from spawning `node --import tsx backend/src/main.ts` (what `npm start` runs) to the ' +
      'first 200 on /api/v1/health; the server mounts every active plugin before it listens. "Settled": ' +
      `after one request to each plugin's route and ${SETTLE_MS / 1000} s idle. Restarts alternate ` +
      'between the plugin counts.',
  };

  const base = leak[0];
  const last = leak.at(-1);
  const growth = base && last ? last.rss - base.rss : Number.NaN;
  const leakTable: ResultTable = {
    title: `Memory across install → upgrade → uninstall cycles (SQLite, ~1 MB plugin)`,
    columns: ['Cycles', 'RSS', 'RSS growth', 'V8 heap used', 'Heap growth'],
    rows: leak.map((p) => [
      p.cycles,
      fmt.mb(p.rss),
      base ? fmt.mb(p.rss - base.rss) : 'n/a',
      fmt.mb(p.heap.heapUsed),
      base ? fmt.mb(p.heap.heapUsed - base.heap.heapUsed) : 'n/a',
    ]),
    note:
      'One host (started with --inspect so the bench can force full garbage collections before each ' +
      'reading); each cycle installs a new plugin id, upgrades it with one new migration and uninstalls ' +
      `it; readings after ${ctx.quick ? 'no' : 'two'} warm-up cycles, then after the cycles counted.`,
  };

  const biggest = prepared.get(largest);
  const targets: TargetCheck[] = [];
  if (most && !ctx.quick) {
    targets.push({
      goal: `Start-up with ${largest} active plugins under 3 s`,
      measured: `${fmt.ms(most.startMs.median)} median (${fmt.ms(most.startMs.min)} – ${fmt.ms(most.startMs.max)}); with none ${fmt.ms(none?.startMs.median ?? Number.NaN)}`,
      met: most.startMs.median < 3000,
    });
  }
  if (!ctx.quick) {
    targets.push(
      {
        goal: 'Each active plugin costs under 2 MB resident',
        measured: `${fmt.kb(perPluginSettled)} per plugin settled, ${fmt.kb(perPluginReady)} at ready ((RSS with ${largest} − RSS with 0) / ${largest})`,
        // Settled, not at ready: the reading at ready swings with start-up garbage not yet collected.
        met: perPluginSettled < 2 * MB,
      },
      {
        goal: `Memory after ${leakCycles} cycles within 20 MB of the start`,
        measured: `RSS ${fmt.mb(base?.rss ?? Number.NaN)} → ${fmt.mb(last?.rss ?? Number.NaN)} (${fmt.mb(growth)}); V8 heap ${fmt.mb(base?.heap.heapUsed ?? Number.NaN)} → ${fmt.mb(last?.heap.heapUsed ?? Number.NaN)}`,
        met: Math.abs(growth) <= 20 * MB,
      },
    );
  }

  const notes = [
    'SQLite only: start-up and memory are the server process, which the database choice changes little; PostgreSQL is left out to keep the section within its time budget.',
    biggest && largest > 0
      ? `Preparing the data sets: ${largest} probe plugins installed one after the other in ${fmt.ms(biggest.totalMs)} (median install ${fmt.ms(median(biggest.installMs.slice(0, 10)))} for the first 10, ${fmt.ms(median(biggest.installMs.slice(-10)))} for the last 10).`
      : '',
  ].filter((n) => n !== '');
  if (base && last && last.cycles > 0) {
    notes.push(
      `Across the ${last.cycles} cycles the V8 heap (after forced collections) grew ${fmt.kb((last.heap.heapUsed - base.heap.heapUsed) / last.cycles)} per cycle. ` +
        'Each cycle imports two new versions of plugin code, and Node keeps an imported ES module for the life of the process (the host gives each version its own URL, plugin-files.ts).',
    );
  }
  if (profiled) notes.push(`CPU profile of one start with ${largest} plugins: ${profiled}.`);
  if (ctx.quick) {
    notes.push(
      `--quick: ${counts.join('/')} plugins, one restart each, ${leakCycles} leak cycles; no targets checked.`,
    );
  }

  return {
    id: 'startup',
    title: 'Start-up time and memory',
    tables: [startTable, leakTable],
    targets,
    notes,
    data: {
      counts,
      samples,
      summary,
      perPluginBytes: { settled: perPluginSettled, ready: perPluginReady },
      installMs: Object.fromEntries([...prepared].map(([count, set]) => [count, set.installMs])),
      leak,
      timings,
    },
  };
};
