// npm run bench [-- --quick] [-- --only=requests,lifecycle] [-- --repeats=5] [-- --profile]
// Runs the scenarios one after the other, each variant in a process of its own on loopback,
// prints the tables, and writes bench/results/latest.json and latest.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findTestPostgres } from '@polyphony/backend/testing';
import { describeMachine } from './lib/machine.ts';
import { renderMarkdown, renderText } from './lib/report.ts';
import { REPO_ROOT, type DatabaseTarget } from './lib/servers.ts';
import type { BenchContext, Scenario, SectionResult } from './lib/types.ts';
import { browser } from './scenarios/browser.ts';
import { lifecycle } from './scenarios/lifecycle.ts';
import { requests } from './scenarios/requests.ts';
import { startup } from './scenarios/startup.ts';
import { tail } from './scenarios/tail.ts';

const SCENARIOS: Record<string, Scenario> = { requests, lifecycle, startup, tail, browser };

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    repeats: { type: 'string' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(REPO_ROOT, 'bench/results') },
  },
});

const chosen = values.only
  ? values.only.split(',').map((name) => name.trim())
  : Object.keys(SCENARIOS);
const unknown = chosen.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  console.error(
    `Unknown scenario: ${unknown.join(', ')}. Known: ${Object.keys(SCENARIOS).join(', ')}.`,
  );
  process.exit(2);
}
const repeats = values.repeats ? Number(values.repeats) : values.quick ? 1 : 3;
if (!Number.isInteger(repeats) || repeats < 1) {
  console.error('--repeats takes a whole number of at least 1.');
  process.exit(2);
}

const started = Date.now();
const log = (message: string) => {
  const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${seconds} s] ${message}\n`);
};

const databases: DatabaseTarget[] = [{ kind: 'sqlite' }];
const benchPostgres = process.env.BENCH_POSTGRES_URL;
const lookup = await findTestPostgres(
  benchPostgres ? { ...process.env, POLYPHONY_TEST_POSTGRES_URL: benchPostgres } : process.env,
);
if (lookup.url !== null) databases.push({ kind: 'postgres', url: lookup.url });
const postgresMissing = lookup.url === null ? lookup.reason : null;

const workDir = mkdtempSync(path.join(tmpdir(), 'polyphony-bench-'));
const profileDir = values.profile ? path.join(values.out, 'profiles') : null;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const ctx: BenchContext = {
  workDir,
  quick: values.quick,
  repeats,
  databases,
  postgresMissing,
  profileDir,
  log,
};

const machine = await describeMachine(databases, postgresMissing);
log(machine.summary);
const sections: SectionResult[] = [];
const failures: { id: string; error: string }[] = [];
for (const id of chosen) {
  const scenario = SCENARIOS[id] as Scenario;
  log(`${id}: starting`);
  try {
    sections.push(await scenario(ctx));
    log(`${id}: done`);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    failures.push({ id, error: message });
    log(`${id}: FAILED\n${message}`);
  }
}
rmSync(workDir, { recursive: true, force: true });

const report = {
  startedAt: new Date(started).toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  quick: values.quick,
  repeats,
  machine,
  sections,
  failures,
};
mkdirSync(values.out, { recursive: true });
writeFileSync(path.join(values.out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(path.join(values.out, 'latest.md'), renderMarkdown(report));
console.log(renderText(report));
console.log(
  `\nWrote ${path.relative(process.cwd(), path.join(values.out, 'latest.json'))} and latest.md (${report.seconds} s).`,
);
process.exit(failures.length === 0 ? 0 : 1);
