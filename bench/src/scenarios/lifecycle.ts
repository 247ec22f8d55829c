// Item 3: how long each step of a plugin's life takes as the admin UI sees it (the HTTP round
// trip of Admin → Plugins), on SQLite and on PostgreSQL: install of a ~1 MB archive with three
// migrations, deactivate, activate, upgrade with one new migration, uninstall.
import path from 'node:path';
import { signIn, type Session } from '../lib/admin.ts';
import { fmt } from '../lib/format.ts';
import { probeArchive } from '../lib/plugins.ts';
import { newHostData, startHost, type DatabaseTarget, type Server } from '../lib/servers.ts';
import { interleave, median, spread } from '../lib/stats.ts';
import type { ResultTable, Scenario, TargetCheck } from '../lib/types.ts';

const STEPS = ['install', 'deactivate', 'activate', 'upgrade', 'uninstall'] as const;
type Step = (typeof STEPS)[number];
type Cycle = Record<Step, number>;
type Kind = DatabaseTarget['kind'];

const LABEL: Record<Kind, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
/** Medians need a few samples; a full run does at least this many cycles per database. */
const MIN_FULL_CYCLES = 10;

interface Host {
  server: Server;
  admin: Session;
  /** Bytes of the install and upgrade archives (the same for every cycle). */
  sizes: { install: number; upgrade: number };
}

/** The plugin's public route: 200 while it serves, 404 once it is gone. */
async function helloStatus(server: Server, id: string): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/plugins/${id}/hello`);
  await response.arrayBuffer();
  return response.status;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`lifecycle: ${what}`);
}

interface PluginBody {
  plugin?: { state?: string; version?: string; error?: string | null };
  upgradedFrom?: string | null;
}

/**
 * One plugin's whole life on a host, each step timed alone. A fresh id per cycle: every install
 * is a first install (new tables, new code imported), as an admin adding a plugin sees it. The
 * same id again would be faster than real: its archive bytes, so its module URL, would repeat
 * and Node's module cache would answer the import.
 */
async function cycle(host: Host, id: string): Promise<Cycle> {
  const [release, upgrade] = await Promise.all([
    probeArchive({ id, heavy: true, migrations: 3 }),
    probeArchive({ id, version: '1.1.0', heavy: true, migrations: 4 }),
  ]);
  host.sizes = { install: release.byteLength, upgrade: upgrade.byteLength };
  const { admin, server } = host;
  const body = (value: unknown) => value as PluginBody;

  // Install activates a fresh plugin (PluginManager.install), so the first step serves at once.
  const install = await admin.install(release);
  check(
    body(install.body).plugin?.state === 'active',
    `${id} is not active after install: ${JSON.stringify(install.body)}`,
  );
  check((await helloStatus(server, id)) === 200, `${id} does not serve after install`);

  const deactivate = await admin.deactivate(id);
  check(body(deactivate.body).plugin?.state === 'deactivated', `${id} did not deactivate`);
  check((await helloStatus(server, id)) === 404, `${id} still serves when deactivated`);

  const activate = await admin.activate(id);
  check(body(activate.body).plugin?.state === 'active', `${id} did not activate`);

  const upgraded = await admin.install(upgrade, { replace: true });
  const after = body(upgraded.body);
  check(
    after.upgradedFrom === '1.0.0' && after.plugin?.version === '1.1.0',
    `${id} did not upgrade: ${JSON.stringify(upgraded.body)}`,
  );
  check(after.plugin?.state === 'active', `${id} is not active after the upgrade`);
  check((await helloStatus(server, id)) === 200, `${id} does not serve after the upgrade`);

  const uninstall = await admin.uninstall(id);
  check((await helloStatus(server, id)) === 404, `${id} still serves after uninstall`);

  return {
    install: install.ms,
    deactivate: deactivate.ms,
    activate: activate.ms,
    upgrade: upgraded.ms,
    uninstall: uninstall.ms,
  };
}

interface Summary {
  median: number;
  min: number;
  max: number;
}

function summarize(cycles: readonly Cycle[]): Record<Step, Summary> {
  return Object.fromEntries(
    STEPS.map((step) => {
      const values = cycles.map((c) => c[step]);
      return [step, { median: median(values), ...spread(values) }];
    }),
  ) as Record<Step, Summary>;
}

export const lifecycle: Scenario = async (ctx) => {
  const rounds = ctx.quick ? 1 : Math.max(ctx.repeats, MIN_FULL_CYCLES);
  const kinds = ctx.databases.map((d) => d.kind);
  const hosts = new Map<Kind, Host>();
  const warmUps: Partial<Record<Kind, Cycle>> = {};
  let samples: Record<Kind, Cycle[]>;
  try {
    for (const database of ctx.databases) {
      const data = await newHostData(path.join(ctx.workDir, 'lifecycle'), database);
      const nodeArgs = ctx.profileDir
        ? [
            '--cpu-prof',
            // A folder per host: node writes a profile per thread (tsx's loader has one).
            `--cpu-prof-dir=${path.join(ctx.profileDir, `lifecycle-${database.kind}`)}`,
          ]
        : [];
      const server = await startHost(data, { entry: 'main', nodeArgs });
      const host: Host = {
        server,
        admin: await signIn(server.url),
        sizes: { install: 0, upgrade: 0 },
      };
      hosts.set(database.kind, host);
      ctx.log(`lifecycle: ${LABEL[database.kind]} host up in ${fmt.ms(server.startMs)}`);
      // The first install after start also loads code paths the host has not used yet; timed
      // apart, so the medians describe a server that has been running.
      if (!ctx.quick) warmUps[database.kind] = await cycle(host, `lc-${database.kind}-warm`);
    }
    // SQLite and PostgreSQL cycles alternate, so a noisy moment touches both alike.
    samples = await interleave(kinds, rounds, async (kind, round) => {
      const host = hosts.get(kind);
      if (!host) throw new Error(`no ${kind} host`);
      const result = await cycle(host, `lc-${kind}-${round}`);
      ctx.log(
        `lifecycle: ${LABEL[kind]} cycle ${round + 1}/${rounds}: ` +
          STEPS.map((s) => `${s} ${fmt.ms(result[s])}`).join(', '),
      );
      return result;
    });
  } finally {
    for (const host of hosts.values()) await host.server.stop();
  }

  const summaries = Object.fromEntries(
    kinds.map((kind) => [kind, summarize(samples[kind])]),
  ) as Partial<Record<Kind, Record<Step, Summary>>>;
  const sizes = hosts.get('sqlite')?.sizes ?? { install: Number.NaN, upgrade: Number.NaN };

  const table: ResultTable = {
    title: `Plugin lifecycle, HTTP round trip as the admin UI sees it (median of ${rounds} cycles, min–max)`,
    columns: ['Step', ...kinds.flatMap((k) => [`${LABEL[k]} median`, `${LABEL[k]} min–max`])],
    rows: STEPS.map((step) => [
      step === 'install'
        ? `install (${fmt.kb(sizes.install)} archive, 3 migrations)`
        : step === 'upgrade'
          ? '1.0.0 → 1.1.0 upgrade (1 new migration)'
          : step,
      ...kinds.flatMap((kind) => {
        const s = summaries[kind]?.[step];
        return s ? [fmt.ms(s.median), `${fmt.ms(s.min)} – ${fmt.ms(s.max)}`] : ['n/a', 'n/a'];
      }),
    ]),
    note:
      'Each cycle installs a new plugin id (a first install: new tables, new code imported), then ' +
      'deactivates, activates, upgrades and uninstalls it through the admin API, one request at a time ' +
      'on one running host per database; cycles alternate between the databases' +
      (ctx.quick ? '.' : ', after one untimed warm-up cycle per host.'),
  };

  const sqlite = summaries.sqlite;
  const targets: TargetCheck[] = sqlite
    ? [
        {
          goal: 'Installing the 1 MB, 3-migration plugin takes under 300 ms median on SQLite',
          measured: `${fmt.ms(sqlite.install.median)} median (${fmt.ms(sqlite.install.min)} – ${fmt.ms(sqlite.install.max)}) over ${rounds} installs of a ${fmt.kb(sizes.install)} archive`,
          met: sqlite.install.median < 300,
        },
        {
          goal: 'Activate under 20 ms (SQLite)',
          measured: `${fmt.ms(sqlite.activate.median)} median (${fmt.ms(sqlite.activate.min)} – ${fmt.ms(sqlite.activate.max)})`,
          met: sqlite.activate.median < 20,
        },
        {
          goal: 'Deactivate under 20 ms (SQLite)',
          measured: `${fmt.ms(sqlite.deactivate.median)} median (${fmt.ms(sqlite.deactivate.min)} – ${fmt.ms(sqlite.deactivate.max)})`,
          met: sqlite.deactivate.median < 20,
        },
      ]
    : [];

  const notes = [
    'Times are client-side: from sending the request to the end of the response body, on loopback, so they include multipart upload, extraction, migrations, the registry transaction and mounting the routes.',
    ctx.postgresMissing
      ? `PostgreSQL: not measured (${ctx.postgresMissing}).`
      : 'The targets are stated for SQLite; the PostgreSQL columns are for comparison.',
  ];
  if (ctx.quick) notes.push('--quick: one cycle per database and no warm-up; not for numbers.');

  return {
    id: 'lifecycle',
    title: 'Plugin lifecycle latency',
    tables: [table],
    targets,
    notes,
    data: { rounds, archiveBytes: sizes, samples, summaries, warmUps },
  };
};
