// Item 5: tail latency of core routes and of another plugin's routes while an install or an
// upgrade runs. One host serves a fixed, moderate open-loop request rate on four routes for the
// whole run; the bench alternates idle stretches with stretches of back-to-back plugin installs,
// upgrades and uninstalls, and files every request under what the host was doing when it was sent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signIn, type Session } from '../lib/admin.ts';
import { fmt } from '../lib/format.ts';
import { monotonicMs, startOpenLoop, type OpenLoopRecords } from '../lib/open-loop.ts';
import { probeArchive } from '../lib/plugins.ts';
import { sleep } from '../lib/processes.ts';
import { newHostData, startHost, type DatabaseTarget, type Server } from '../lib/servers.ts';
import { median, percentile } from '../lib/stats.ts';
import { mainThreadProfile } from '../lib/cpu-profile.ts';
import { whereTimeWent, type TailProfile } from '../lib/tail-profile.ts';
import type { BenchContext, ResultTable, Scenario, TargetCheck } from '../lib/types.ts';

type Kind = DatabaseTarget['kind'];
const LABEL: Record<Kind, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** The already-active plugin whose routes are watched while others come and go. */
const OTHER = 'other';
const ROUTES = [
  { label: 'core: hello', path: '/api/v1/bench/hello' },
  { label: 'core: one read', path: '/api/v1/bench/items/7' },
  { label: `plugin "${OTHER}": hello`, path: `/api/v1/plugins/${OTHER}/hello` },
  { label: `plugin "${OTHER}": one read`, path: `/api/v1/plugins/${OTHER}/items/7` },
] as const;

const PHASES = ['idle', 'install', 'upgrade', 'uninstall'] as const;
type Phase = (typeof PHASES)[number];
type Op = Exclude<Phase, 'idle'>;

/**
 * Requests per second over the four routes: about a quarter of what the host serves flat out on
 * one core (several thousand per second, see the requests scenario), so the idle tail is the
 * handlers', not a queue's.
 */
const RATE = 1200;

interface Plan {
  /** Install → upgrade → uninstall cycles per busy stretch. */
  cycles: number;
  idleMs: number;
  warmupMs: number;
}
const FULL: Plan = { cycles: 8, idleMs: 2000, warmupMs: 1500 };
const QUICK: Plan = { cycles: 1, idleMs: 500, warmupMs: 500 };
/** After a busy stretch, what its last step may still cost (GC, logs) counts as that step's. */
const SETTLE_MS = 100;
/** Then a gap filed under neither, before the next idle stretch starts. */
const GAP_MS = 200;
/**
 * Seconds of requests in flight beyond which the generator drops new ones: a host that far behind
 * (the machine busy with something else) is measuring its queue, and the queue would only grow.
 */
const MAX_BACKLOG_S = 2;
/** An idle median above this means the host did not keep up with the rate at all. */
const OVERLOADED_IDLE_P50_MS = 5;
/**
 * Idle, the server's main thread should have its core nearly to itself (PostgreSQL's backends,
 * serving its reads, take some): waiting this long means another process had a quarter of it.
 */
const OVERLOADED_WAIT_MS_PER_S = 250;

/**
 * Milliseconds a thread has spent runnable but waiting for a CPU, from the kernel's scheduler
 * statistics (Linux); NaN elsewhere. For the server's main thread: how much it was kept off its
 * core by other threads and processes, without a profiler.
 */
function runQueueWaitMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/** A stretch of the run (monotonic ms): requests sent in [start, end) belong to it. */
interface Stretch {
  phase: Phase;
  round: number;
  start: number;
  end: number;
}

interface Archives {
  release: Buffer;
  upgrade: Buffer;
}

/** Latency figures of one route in one phase of one round, in milliseconds. */
interface Figures {
  count: number;
  p50: number;
  p99: number;
  max: number;
  /** p99 measured from the scheduled send time (coordinated-omission corrected) instead. */
  p99FromSchedule: number;
  non2xx: number;
}

interface DatabaseRun {
  kind: Kind;
  /** figures[round][phase][route] */
  figures: Record<Phase, Figures[]>[];
  /** How long each step took under load, as the admin client saw it. */
  opMs: Record<Op, number[]>;
  /** How late the generator sent requests against its schedule, p99 per phase over the run. */
  sendLagP99: Record<Phase, number>;
  unfinished: number;
  /** Requests the generator did not send because the host was seconds behind. */
  dropped: number;
  /** Per round: ms per second the server's main thread waited for its core, idle and busy. */
  runQueueWait: { idle: number; busy: number }[];
  recorded: number;
  /** With --profile: what the main thread did while the slowest 1 % of install/upgrade requests waited. */
  profile: TailProfile | null;
}

interface Classified {
  figures: Record<Phase, Figures[]>[];
  sendLagP99: Record<Phase, number>;
  /** Per phase: each request's [sent, done] (monotonic ms) and latency. */
  spans: Record<Phase, { start: number; end: number; ms: number }[]>;
}

function figuresOf(records: OpenLoopRecords, indices: number[]): Figures {
  const latency = indices.map((i) => (records.done[i] ?? 0) - (records.sent[i] ?? 0));
  const fromSchedule = indices.map((i) => (records.done[i] ?? 0) - (records.scheduled[i] ?? 0));
  return {
    count: indices.length,
    p50: percentile(latency, 50),
    p99: percentile(latency, 99),
    max: latency.length === 0 ? Number.NaN : Math.max(...latency),
    p99FromSchedule: percentile(fromSchedule, 99),
    non2xx: indices.filter((i) => records.status[i] !== 200).length,
  };
}

/** Files each recorded request under the stretch its send time falls in. */
function classify(
  records: OpenLoopRecords,
  stretches: readonly Stretch[],
  rounds: number,
): Classified {
  const buckets = Array.from({ length: rounds }, () =>
    Object.fromEntries(PHASES.map((p) => [p, ROUTES.map(() => [] as number[])])),
  ) as Record<Phase, number[][]>[];
  const lags = Object.fromEntries(PHASES.map((p) => [p, [] as number[]])) as Record<
    Phase,
    number[]
  >;
  const spans = Object.fromEntries(PHASES.map((p) => [p, []])) as unknown as Classified['spans'];
  const sorted = [...stretches].sort((a, b) => a.start - b.start);
  for (let i = 0; i < records.sent.length; i++) {
    const sent = records.sent[i] ?? 0;
    const at = records.base + sent;
    const stretch = sorted.find((s) => at >= s.start && at < s.end);
    if (!stretch) continue;
    buckets[stretch.round]?.[stretch.phase][records.route[i] ?? 0]?.push(i);
    lags[stretch.phase].push(sent - (records.scheduled[i] ?? 0));
    const done = records.done[i] ?? 0;
    spans[stretch.phase].push({ start: at, end: records.base + done, ms: done - sent });
  }
  return {
    figures: buckets.map(
      (byPhase) =>
        Object.fromEntries(
          PHASES.map((p) => [p, byPhase[p].map((indices) => figuresOf(records, indices))]),
        ) as Record<Phase, Figures[]>,
    ),
    sendLagP99: Object.fromEntries(PHASES.map((p) => [p, percentile(lags[p], 99)])) as Record<
      Phase,
      number
    >,
    spans,
  };
}

/** Runs one install → upgrade → uninstall cycle, recording a stretch per step. */
async function cycle(
  admin: Session,
  id: string,
  archives: Archives,
  round: number,
  stretches: Stretch[],
  opMs: Record<Op, number[]> | null,
): Promise<void> {
  const step = async (phase: Op, run: () => Promise<{ ms: number }>) => {
    const start = monotonicMs();
    const { ms } = await run();
    // Until the next step starts: what a step leaves behind (GC, a log flush) is still its cost.
    stretches.push({ phase, round, start, end: Number.POSITIVE_INFINITY });
    opMs?.[phase].push(ms);
  };
  await step('install', () => admin.install(archives.release));
  await step('upgrade', () => admin.install(archives.upgrade, { replace: true }));
  await step('uninstall', () => admin.uninstall(id));
}

/** Closes the open stretches: each ends where the next begins, the last one at `end`. */
function closeStretches(stretches: Stretch[], end: number): void {
  for (let i = 0; i < stretches.length; i++) {
    const stretch = stretches[i] as Stretch;
    if (stretch.end === Number.POSITIVE_INFINITY) {
      stretch.end = stretches[i + 1]?.start ?? end;
    }
  }
}

/** The slowest 1 % of the requests sent during installs and upgrades, as [sent, done]. */
function slowest(spans: Classified['spans']): [number, number][] {
  return (['install', 'upgrade'] as const).flatMap((phase) => {
    const threshold = percentile(
      spans[phase].map((s) => s.ms),
      99,
    );
    return spans[phase]
      .filter((s) => s.ms >= threshold)
      .map((s): [number, number] => [s.start, s.end]);
  });
}

async function runDatabase(
  ctx: BenchContext,
  database: DatabaseTarget,
  plan: Plan,
  rounds: number,
  archives: { warm: Archives; rounds: Archives[][] },
): Promise<DatabaseRun> {
  const kind = database.kind;
  const data = await newHostData(path.join(ctx.workDir, 'tail'), database);
  // A folder per host: node writes one profile per thread, and a fixed name would let tsx's
  // module-hooks thread overwrite the main thread's.
  const profileDir = ctx.profileDir ? path.join(ctx.profileDir, `tail-${kind}`) : null;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  let server: Server | null = await startHost(data, { entry: 'bench', nodeArgs });
  try {
    const admin = await signIn(server.url);
    await admin.install(await probeArchive({ id: OTHER }));
    ctx.log(`tail: ${LABEL[kind]} host up, plugin "${OTHER}" active; ${RATE} requests/s`);
    const load = await startOpenLoop({
      url: server.url,
      paths: ROUTES.map((r) => r.path),
      rate: RATE,
      warmupMs: plan.warmupMs,
      maxSeconds: 120,
      maxInFlight: RATE * MAX_BACKLOG_S,
    });
    const stretches: Stretch[] = [];
    const opMs: Record<Op, number[]> = { install: [], upgrade: [], uninstall: [] };
    const runQueueWait: DatabaseRun['runQueueWait'] = [];
    const pid = server.pid;
    /** Run-queue wait per second of wall time since `from`. */
    const waitSince = (from: { at: number; wait: number }) =>
      ((runQueueWaitMs(pid) - from.wait) / (monotonicMs() - from.at)) * 1000;
    const mark = () => ({ at: monotonicMs(), wait: runQueueWaitMs(pid) });
    let records: OpenLoopRecords;
    try {
      // A first cycle under load, not recorded: the install path's code is cold on a fresh host.
      if (!ctx.quick) {
        const warm: Record<Op, number[]> = { install: [], upgrade: [], uninstall: [] };
        await cycle(admin, 'tail-warm', archives.warm, 0, [], warm);
        ctx.log(
          `tail: ${LABEL[kind]} warm-up cycle: ` +
            Object.entries(warm)
              .map(([step, [ms]]) => `${step} ${fmt.ms(ms ?? Number.NaN)}`)
              .join(', '),
        );
      }
      await sleep(GAP_MS);
      for (let round = 0; round < rounds; round++) {
        // Idle, then busy: a noisy moment of the shared machine touches both alike.
        const idleStart = mark();
        await sleep(plan.idleMs);
        stretches.push({ phase: 'idle', round, start: idleStart.at, end: monotonicMs() });
        const idleWait = waitSince(idleStart);
        const busyStart = mark();
        const busy: Stretch[] = [];
        const roundArchives = archives.rounds[round] ?? [];
        for (let c = 0; c < plan.cycles; c++) {
          const pair = roundArchives[c];
          if (!pair) throw new Error(`tail: no archives for round ${round} cycle ${c}`);
          await cycle(admin, `tail-${round}-${c}`, pair, round, busy, opMs);
        }
        await sleep(SETTLE_MS);
        runQueueWait.push({ idle: idleWait, busy: waitSince(busyStart) });
        closeStretches(busy, monotonicMs());
        stretches.push(...busy);
        await sleep(GAP_MS);
        ctx.log(
          `tail: ${LABEL[kind]} round ${round + 1}/${rounds}: ${plan.cycles} cycles, install ` +
            `${fmt.ms(median(opMs.install.slice(-plan.cycles)))} median under load`,
        );
      }
    } finally {
      records = await load.stop();
    }
    // The profile is written when the server exits.
    await server.stop();
    server = null;
    const classified = classify(records, stretches, rounds);
    const profileFile = profileDir ? mainThreadProfile(profileDir, pid) : null;
    return {
      kind,
      figures: classified.figures,
      opMs,
      sendLagP99: classified.sendLagP99,
      unfinished: records.unfinished,
      dropped: records.dropped,
      runQueueWait,
      recorded: records.sent.length,
      profile: profileFile ? whereTimeWent(profileFile, slowest(classified.spans), [OTHER]) : null,
    };
  } finally {
    await server?.stop();
  }
}

/** Per phase and route: the median over the rounds of each figure (counts and errors summed). */
function medians(run: DatabaseRun): Record<Phase, Figures[]> {
  const of = (phase: Phase, route: number, key: keyof Figures) =>
    median(run.figures.map((round) => round[phase][route]?.[key] ?? Number.NaN));
  const sum = (phase: Phase, route: number, key: 'count' | 'non2xx') =>
    run.figures.reduce((total, round) => total + (round[phase][route]?.[key] ?? 0), 0);
  return Object.fromEntries(
    PHASES.map((phase) => [
      phase,
      ROUTES.map((_, route) => ({
        count: sum(phase, route, 'count'),
        p50: of(phase, route, 'p50'),
        p99: of(phase, route, 'p99'),
        max: of(phase, route, 'max'),
        p99FromSchedule: of(phase, route, 'p99FromSchedule'),
        non2xx: sum(phase, route, 'non2xx'),
      })),
    ]),
  ) as Record<Phase, Figures[]>;
}

const perSecond = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms/s` : 'n/a');
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');

export const tail: Scenario = async (ctx) => {
  const plan = ctx.quick ? QUICK : FULL;
  const rounds = ctx.repeats;
  const pair = async (id: string): Promise<Archives> => ({
    release: await probeArchive({ id, heavy: true, migrations: 3 }),
    upgrade: await probeArchive({ id, version: '1.1.0', heavy: true, migrations: 4 }),
  });
  // Built before any load runs, and shared by the hosts: each host sees every id once, so every
  // install is a first install (new tables, new code imported), as in the lifecycle scenario.
  const archives = { warm: await pair('tail-warm'), rounds: [] as Archives[][] };
  for (let round = 0; round < rounds; round++) {
    const list: Archives[] = [];
    for (let c = 0; c < plan.cycles; c++) list.push(await pair(`tail-${round}-${c}`));
    archives.rounds.push(list);
  }
  const sizes = {
    release: archives.warm.release.byteLength,
    upgrade: archives.warm.upgrade.byteLength,
  };
  ctx.log(`tail: ${rounds * plan.cycles * 2 + 2} archives built`);

  const runs: DatabaseRun[] = [];
  for (const database of ctx.databases) {
    runs.push(await runDatabase(ctx, database, plan, rounds, archives));
  }

  const tables: ResultTable[] = [];
  const targets: TargetCheck[] = [];
  const summaries: Partial<Record<Kind, Record<Phase, Figures[]>>> = {};
  const notes: string[] = [];
  for (const run of runs) {
    const m = medians(run);
    summaries[run.kind] = m;
    const idleP50 = median(m.idle.map((f) => f.p50));
    const idleWait = median(run.runQueueWait.map((w) => w.idle));
    const overloaded =
      run.dropped > 0 || idleP50 > OVERLOADED_IDLE_P50_MS || idleWait > OVERLOADED_WAIT_MS_PER_S;
    if (overloaded) {
      notes.push(
        `${LABEL[run.kind]}: the host was starved even when idle (idle p50 ${fmt.ms(idleP50)}, its main thread waited ${perSecond(idleWait)} for its core, ` +
          `${run.dropped} requests dropped): the machine was busy with something else, and these figures do not measure the install.`,
      );
    }
    const idle = m.idle;
    const p99 = (phase: Phase, route: number) => m[phase][route]?.p99 ?? Number.NaN;
    const ratio = (phase: Op, route: number) => p99(phase, route) / p99('idle', route);
    tables.push({
      title: `${LABEL[run.kind]}: latency of other routes at ${RATE} requests/s, idle and while plugins are installed, upgraded, uninstalled (median of ${rounds} rounds)`,
      columns: [
        'Route',
        'idle p50',
        'idle p99',
        'idle max',
        'install p99',
        'install max',
        'install p99 ÷ idle',
        'upgrade p99',
        'upgrade max',
        'upgrade p99 ÷ idle',
        'uninstall p99',
      ],
      rows: ROUTES.map((route, i) => [
        route.label,
        fmt.ms(idle[i]?.p50 ?? Number.NaN),
        fmt.ms(p99('idle', i)),
        fmt.ms(idle[i]?.max ?? Number.NaN),
        fmt.ms(p99('install', i)),
        fmt.ms(m.install[i]?.max ?? Number.NaN),
        times(ratio('install', i)),
        fmt.ms(p99('upgrade', i)),
        fmt.ms(m.upgrade[i]?.max ?? Number.NaN),
        times(ratio('upgrade', i)),
        fmt.ms(p99('uninstall', i)),
      ]),
      note:
        `Open-loop load from a core of its own: ${RATE / ROUTES.length} requests/s per route on a fixed schedule over ` +
        'up to 256 keep-alive connections; latency from the send call (any wait for a connection included) to the last byte of the answer. ' +
        `Requests (${PHASES.map((p) => `${p} ${m[p].reduce((s, f) => s + f.count, 0)}`).join(', ')}) are filed under the ` +
        'step that was running when they were sent; a step lasts until the next one starts.',
    });
    for (const phase of ['install', 'upgrade'] as const) {
      let at = 0;
      for (let i = 1; i < ROUTES.length; i++) if (ratio(phase, i) > ratio(phase, at)) at = i;
      const worst = ratio(phase, at);
      targets.push({
        goal: `No tail-latency spike above twice the idle p99 for other routes while ${phase === 'install' ? 'an install' : 'an upgrade'} runs (${LABEL[run.kind]})`,
        measured:
          (overloaded ? 'NOT VALID, the host was overloaded: ' : '') +
          `worst ${ROUTES[at]?.label ?? '?'}: p99 ${fmt.ms(p99(phase, at))} vs ${fmt.ms(p99('idle', at))} idle ` +
          `(${times(worst)}, max ${fmt.ms(m[phase][at]?.max ?? Number.NaN)}); all four routes: ` +
          ROUTES.map((_, i) => times(ratio(phase, i))).join(', '),
        met: !overloaded && Number.isFinite(worst) && worst <= 2,
      });
    }
    if (run.profile) {
      const { coveredMs, shares } = run.profile;
      const shown = shares.slice(0, 10);
      const rest = shares.slice(10).reduce((sum, s) => sum + s.ms, 0);
      tables.push({
        title: `${LABEL[run.kind]}: what the server's main thread did while the slowest 1 % of requests during installs and upgrades waited (CPU profile)`,
        columns: ['Running', 'ms', 'share'],
        rows: [
          ...shown.map((s) => [s.what, s.ms.toFixed(1), fmt.ratio(s.ms / coveredMs)]),
          ...(rest > 0 ? [['everything else', rest.toFixed(1), fmt.ratio(rest / coveredMs)]] : []),
        ],
        note:
          `Samples of the main thread's profile inside the union of those requests' flight times (${coveredMs.toFixed(0)} ms), by the innermost ` +
          'frame of the host or a plugin. A gap in the samples means the thread did not run (its core was busy elsewhere). ' +
          'The profiler slows the server: latencies of a --profile run are not comparable with a plain run.',
      });
    }
  }

  tables.push({
    title: 'The steps under load, and the generator itself',
    columns: [
      'Database',
      'install (median)',
      'upgrade (median)',
      'uninstall (median)',
      'requests recorded',
      'non-2xx, lost or dropped',
      'send lag p99 idle',
      'send lag p99 install',
      'send lag p99 upgrade',
      'server waited for its core, idle',
      'server waited for its core, busy',
    ],
    rows: runs.map((run) => [
      LABEL[run.kind],
      fmt.ms(median(run.opMs.install)),
      fmt.ms(median(run.opMs.upgrade)),
      fmt.ms(median(run.opMs.uninstall)),
      run.recorded,
      PHASES.reduce(
        (sum, p) => sum + (summaries[run.kind]?.[p].reduce((s, f) => s + f.non2xx, 0) ?? 0),
        0,
      ) +
        run.unfinished +
        run.dropped,
      fmt.ms(run.sendLagP99.idle),
      fmt.ms(run.sendLagP99.install),
      fmt.ms(run.sendLagP99.upgrade),
      perSecond(median(run.runQueueWait.map((w) => w.idle))),
      perSecond(median(run.runQueueWait.map((w) => w.busy))),
    ]),
    note:
      `Install: a ${fmt.kb(sizes.release)} archive with 3 migrations, a new plugin id each time; ` +
      `upgrade: 1.0.0 → 1.1.0 (${fmt.kb(sizes.upgrade)}, 1 new migration); then uninstall; ${plan.cycles} cycles back to back per round. ` +
      'Send lag: how late the generator sent requests against its schedule (its timer ticks about every millisecond); ' +
      'it is not part of the latencies above, and a lag much above a millisecond means the generator itself was held up. ' +
      'Waited for its core: time the server’s main thread was runnable but not running (Linux scheduler statistics), per second, ' +
      'median over the rounds; busy is the stretch of installs, upgrades and uninstalls, whose other threads (zlib, hashing, file copies, GC) and the database compete for the core.',
  });

  notes.push(
    'Every request is timed by the generator to the microsecond; the same p99 measured from the scheduled send time (coordinated-omission corrected, so it also holds the generator’s timer lag) is in the JSON as p99FromSchedule.',
    'The server is pinned to one core: work it moves off its main thread (zlib, hashing and file copies in the libuv pool, GC helpers) still competes with the main thread for that core, as on a one-vCPU host.',
    ctx.postgresMissing
      ? `PostgreSQL: not measured (${ctx.postgresMissing}).`
      : 'SQLite and PostgreSQL run one after the other, each on a host of its own; PostgreSQL’s own processes are not pinned.',
  );
  if (ctx.quick) notes.push('--quick: one short round of one cycle; not for numbers.');

  return {
    id: 'tail',
    title: 'Tail latency of other routes during install and upgrade',
    tables,
    targets,
    notes,
    data: {
      rate: RATE,
      routes: ROUTES,
      plan,
      rounds,
      archiveBytes: sizes,
      summaries,
      runs,
    },
  };
};
