// Items 1 and 2: what a request costs on the way to the same handler, from bare Hono to a plugin
// route among 200 plugins, and with a signed-in session; first the trivial handler, then one
// database read, on SQLite and on PostgreSQL.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { signIn } from '../lib/admin.ts';
import {
  mainThreadProfile,
  monotonicMs,
  sumProfile,
  type ProfileNode,
} from '../lib/cpu-profile.ts';
import { fmt } from '../lib/format.ts';
import { runLoad, type LoadResult } from '../lib/loadgen.ts';
import { probeArchive } from '../lib/plugins.ts';
import {
  newHostData,
  startBare,
  startHost,
  type DatabaseTarget,
  type Server,
} from '../lib/servers.ts';
import { interleave, median, spread } from '../lib/stats.ts';
import type { BenchContext, ResultTable, Scenario, TargetCheck } from '../lib/types.ts';

const VARIANTS = ['bare', 'core', 'plugin1', 'plugin200', 'session'] as const;
type Variant = (typeof VARIANTS)[number];
const LABELS: Record<Variant, string> = {
  bare: '(a) bare Hono',
  core: '(b) core route',
  plugin1: '(c) plugin route, 1 plugin',
  plugin200: '(d) plugin route, 200 plugins',
  session: '(e) plugin route, signed in',
};
/** The plugin measured among many: installed last, so every other one is mounted before it. */
const MANY = 200;

interface Hosts {
  bare: Server;
  one: Server;
  many: Server;
  cookie: string;
  /** Milliseconds the host with many plugins took to install them. */
  installManyMs: number;
}

interface VariantFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  rpsSpread: { min: number; max: number };
  runs: LoadResult[];
}

async function startHosts(
  ctx: BenchContext,
  database: DatabaseTarget,
  manyCount: number,
): Promise<Hosts> {
  const started: Server[] = [];
  try {
    const bare = await startBare(await newHostData(ctx.workDir, database));
    started.push(bare);
    const one = await startHost(await newHostData(ctx.workDir, database), { entry: 'bench' });
    started.push(one);
    const many = await startHost(await newHostData(ctx.workDir, database), { entry: 'bench' });
    started.push(many);

    const admin = await signIn(one.url);
    await admin.install(await probeArchive({ id: 'probe' }));
    const manyAdmin = await signIn(many.url);
    const before = performance.now();
    for (let i = 1; i <= manyCount; i++) {
      await manyAdmin.install(await probeArchive({ id: `probe-${i}` }));
    }
    const installManyMs = performance.now() - before;
    return { bare, one, many, cookie: admin.cookie, installManyMs };
  } catch (error) {
    await Promise.all(started.map((server) => server.stop()));
    throw error;
  }
}

/** The URL (and headers) of each variant: `hello` for the trivial handler, `items/7` for a read. */
function target(hosts: Hosts, variant: Variant, route: 'hello' | 'items/7', manyCount: number) {
  switch (variant) {
    case 'bare':
      return { url: `${hosts.bare.url}/${route}` };
    case 'core':
      return { url: `${hosts.one.url}/api/v1/bench/${route}` };
    case 'plugin1':
      return { url: `${hosts.one.url}/api/v1/plugins/probe/${route}` };
    case 'plugin200':
      return { url: `${hosts.many.url}/api/v1/plugins/probe-${manyCount}/${route}` };
    case 'session':
      return {
        url: `${hosts.one.url}/api/v1/plugins/probe/me/${route}`,
        headers: { cookie: hosts.cookie },
      };
  }
}

async function measure(
  ctx: BenchContext,
  hosts: Hosts,
  route: 'hello' | 'items/7',
  label: string,
  manyCount: number,
): Promise<Record<Variant, VariantFigures>> {
  const seconds = ctx.quick ? 1 : 2;
  const samples = await interleave(VARIANTS, ctx.repeats, async (variant, round) => {
    const result = await runLoad({
      ...target(hosts, variant, route, manyCount),
      seconds,
      warmupSeconds: ctx.quick ? 0.5 : 1,
      connections: 50,
    });
    if (result.errors > 0 || result.non2xx > 0) {
      throw new Error(
        `${label} ${variant}: ${result.errors} socket errors, ${result.non2xx} non-2xx answers`,
      );
    }
    ctx.log(`  ${label} ${variant} #${round + 1}: ${fmt.rps(result.rps)}`);
    return result;
  });
  return Object.fromEntries(
    VARIANTS.map((variant) => {
      const runs = samples[variant];
      const figures: VariantFigures = {
        rps: median(runs.map((r) => r.rps)),
        p50Ms: median(runs.map((r) => r.p50Ms)),
        p99Ms: median(runs.map((r) => r.p99Ms)),
        rpsSpread: spread(runs.map((r) => r.rps)),
        runs,
      };
      return [variant, figures];
    }),
  ) as Record<Variant, VariantFigures>;
}

function table(title: string, figures: Record<Variant, VariantFigures>): ResultTable {
  const bare = figures.bare.rps;
  return {
    title,
    columns: ['Variant', 'Throughput', 'vs bare', 'vs core', 'p50', 'p99', 'Spread'],
    rows: VARIANTS.map((variant) => {
      const f = figures[variant];
      return [
        LABELS[variant],
        fmt.rps(f.rps),
        fmt.ratio(f.rps / bare),
        fmt.ratio(f.rps / figures.core.rps),
        fmt.ms(f.p50Ms),
        fmt.ms(f.p99Ms),
        `${fmt.rps(f.rpsSpread.min)} – ${fmt.rps(f.rpsSpread.max)}`,
      ];
    }),
    note: 'Median of the repeats; spread is the lowest and highest throughput among them.',
  };
}

function checks(
  what: string,
  figures: Record<Variant, VariantFigures>,
  manyCount: number,
): TargetCheck[] {
  const plugin = figures.plugin1.rps / figures.bare.rps;
  const lookup = figures.plugin200.rps / figures.plugin1.rps;
  return [
    {
      goal: `A plugin route serves ≥ 85 % of bare Hono's throughput (${what})`,
      measured: `${fmt.ratio(plugin)} (${fmt.rps(figures.plugin1.rps)} vs ${fmt.rps(figures.bare.rps)})`,
      met: plugin >= 0.85,
    },
    {
      goal: `Route lookup with ${manyCount} plugins within 5 % of 1 plugin (${what})`,
      measured: `${fmt.ratio(lookup)} of the 1-plugin throughput`,
      met: Math.abs(lookup - 1) <= 0.05,
    },
  ];
}

/** Where a sample's time went, by the layer of the first frame (innermost first) that names one. */
const LAYERS: readonly (readonly [RegExp, string])[] = [
  [/\/node_modules\/(pino|sonic-boom|@pinojs)\//, 'access log (pino)'],
  [/\/backend\/src\/http\/security-headers/, 'security headers'],
  [/\/backend\/src\/http\/compression/, 'compression (negotiation only)'],
  [/\/backend\/src\/http\/middleware/, 'request id and logger, session, CSRF'],
  [/\/backend\/src\/app\.ts/, 'API middleware (body limit, Cache-Control)'],
  [/\/backend\/src\/plugin-host\//, 'plugin dispatch'],
  [/\/bench\/src\/(handlers|servers)|\/plugins\/\.runtime\//, 'the handler itself'],
  [/\/node_modules\/hono\/dist\//, 'Hono (routing, middleware chain, c.json)'],
  [/\/node_modules\/@hono\/node-server\//, '@hono/node-server (Node ⇄ fetch bridge)'],
  [
    /^node:(_http_|net$|internal\/stream|internal\/streams|_stream|events|internal\/http)/,
    'Node.js HTTP parser and sockets',
  ],
];

function layerOf(stack: readonly ProfileNode[]): string {
  const top = stack[0]?.callFrame.functionName;
  if (top === '(garbage collector)') return 'garbage collection';
  if (top === '(idle)') return 'idle';
  if (top === '(program)') return 'V8 and native code without a JS frame';
  for (const { callFrame } of stack) {
    for (const [pattern, layer] of LAYERS) if (pattern.test(callFrame.url)) return layer;
  }
  return 'other';
}

interface Breakdown {
  requests: number;
  /** Microseconds of CPU per request, by layer; idle excluded. */
  perRequest: Record<string, number>;
}

/**
 * One profiled run per server, not measured for throughput: the main thread's CPU profile during
 * the load, summed by layer and divided by the requests served. The profiler slows every layer
 * alike; the point is which layers a plugin route adds and what each costs.
 */
async function profileRun(
  ctx: BenchContext,
  start: (nodeArgs: string[]) => Promise<Server>,
  route: string,
  seconds: number,
  prepare?: (server: Server) => Promise<void>,
): Promise<Breakdown> {
  const dir = path.join(ctx.workDir, `profile-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  const server = await start(['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250']);
  let requests = 0;
  let window: [number, number] = [0, 0];
  try {
    await prepare?.(server);
    await runLoad({ url: `${server.url}${route}`, seconds: 1, warmupSeconds: 0 });
    const from = monotonicMs();
    const result = await runLoad({ url: `${server.url}${route}`, seconds, warmupSeconds: 0 });
    window = [from, monotonicMs()];
    requests = result.requests;
  } finally {
    await server.stop();
  }
  const file = mainThreadProfile(dir);
  if (file === null) throw new Error(`no CPU profile was written into ${dir}`);
  const sums = sumProfile(file, [window], layerOf);
  const perRequest: Record<string, number> = {};
  for (const { what, ms } of sums.shares) {
    if (what !== 'idle') perRequest[what] = (ms * 1000) / requests;
  }
  return { requests, perRequest };
}

async function whereTimeGoes(
  ctx: BenchContext,
  hosts: Hosts,
  manyCount: number,
): Promise<{ table: ResultTable; data: unknown }> {
  const seconds = ctx.quick ? 1 : 3;
  const bare = await profileRun(
    ctx,
    (nodeArgs) => startBare(null, { nodeArgs }),
    '/hello',
    seconds,
  );
  const one = await profileRun(
    ctx,
    async (nodeArgs) =>
      startHost(await newHostData(ctx.workDir, { kind: 'sqlite' }), { entry: 'bench', nodeArgs }),
    '/api/v1/plugins/probe/hello',
    seconds,
    async (server) => {
      await (await signIn(server.url)).install(await probeArchive({ id: 'probe' }));
    },
  );
  // (d): the measured host with many plugins, restarted on its data under the profiler.
  await hosts.many.stop({ keepData: true });
  const many = await profileRun(
    ctx,
    (nodeArgs) =>
      startHost(
        { dataDir: hosts.many.dataDir, databaseUrl: null, schema: null },
        { entry: 'bench', nodeArgs },
      ),
    `/api/v1/plugins/probe-${manyCount}/hello`,
    seconds,
  );
  const of = (b: Breakdown, layer: string) => b.perRequest[layer] ?? 0;
  const layers = [...new Set([bare, one, many].flatMap((b) => Object.keys(b.perRequest)))].sort(
    (x, y) => of(one, y) - of(one, x),
  );
  const total = (b: Breakdown) => Object.values(b.perRequest).reduce((sum, us) => sum + us, 0);
  const us = (value: number) => `${value.toFixed(1)} µs`;
  const row = (label: string, get: (b: Breakdown) => number) => [
    label,
    us(get(bare)),
    us(get(one)),
    us(get(many)),
    us(get(one) - get(bare)),
    us(get(many) - get(one)),
  ];
  return {
    table: {
      title:
        'Where the time of a trivial GET goes (CPU profile of the server under load, per request)',
      columns: [
        'Layer',
        '(a) bare Hono',
        '(c) 1 plugin',
        `(d) ${manyCount} plugins`,
        '(c) − (a)',
        '(d) − (c)',
      ],
      rows: [
        ...layers.map((layer) => row(layer, (b) => of(b, layer))),
        row('total CPU per request', total),
      ],
      note:
        'From `node --cpu-prof` (250 µs sampling) during one unmeasured run of each: samples summed by the ' +
        'innermost frame that belongs to a layer, divided by the requests served. The profiler ' +
        'slows everything, so the totals exceed the throughput figures above; the shares are what counts.',
    },
    data: { bare, one, many },
  };
}

export const requests: Scenario = async (ctx) => {
  const manyCount = ctx.quick ? 20 : MANY;
  const tables: ResultTable[] = [];
  const targets: TargetCheck[] = [];
  const notes: string[] = [];
  const data: Record<string, unknown> = {};

  for (const database of ctx.databases) {
    const name = database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    ctx.log(`requests: starting the ${name} hosts and installing ${manyCount} plugins`);
    const hosts = await startHosts(ctx, database, manyCount);
    try {
      notes.push(
        `${name}: installing the ${manyCount} plugins of variant (d) took ` +
          `${(hosts.installManyMs / 1000).toFixed(1)} s (${fmt.ms(hosts.installManyMs / manyCount)} each).`,
      );
      // The trivial handler touches no database: it runs once, on the default (SQLite) hosts.
      if (database.kind === 'sqlite') {
        const trivial = await measure(ctx, hosts, 'hello', 'trivial', manyCount);
        tables.push(table('Trivial JSON GET (no database)', trivial));
        targets.push(...checks('trivial handler', trivial, manyCount));
        data.trivial = trivial;
      }
      const read = await measure(ctx, hosts, 'items/7', `${name} read`, manyCount);
      tables.push(table(`One database read per request, ${name}`, read));
      targets.push(...checks(`one ${name} read`, read, manyCount));
      data[`read-${database.kind}`] = read;
      if (database.kind === 'sqlite') {
        ctx.log('requests: profiling variants (a), (c) and (d) to see where the time goes');
        const breakdown = await whereTimeGoes(ctx, hosts, manyCount);
        tables.splice(1, 0, breakdown.table);
        data.breakdown = breakdown.data;
      }
    } finally {
      await Promise.all([hosts.bare.stop(), hosts.one.stop(), hosts.many.stop()]);
    }
  }
  if (ctx.postgresMissing !== null) notes.push(`No PostgreSQL: ${ctx.postgresMissing}`);
  notes.push(
    'Every server runs alone on one core (the load generator on the other), with 50 ' +
      'keep-alive connections; the host logs each API request at info to a file, as deployed.',
    'Variant (e) sends the session cookie of a signed-in admin, so each request also resolves ' +
      'the session (one read) before the handler runs.',
  );
  return {
    id: 'requests',
    title: 'Request cost: bare Hono, core route, plugin route',
    tables,
    targets,
    notes,
    data,
  };
};
