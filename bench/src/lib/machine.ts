// The machine a run measured, for the report: figures only compare within one run on one machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { CHROMIUM_PATH } from '../../../e2e/support/chromium.ts';
import { defaultTool } from './loadgen.ts';
import { CORES } from './processes.ts';
import { REPO_ROOT, type DatabaseTarget } from './servers.ts';

export interface Machine {
  summary: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  loadGenerator: string;
  pinning: string;
  postgres: string;
  chromium: string;
  commit: string;
}

function firstLine(command: string, args: string[]): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) return null;
  return `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? null;
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release)?.[1];
    return `${pretty ?? os.type()} (Linux ${os.release()})`;
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

async function postgresVersion(databases: readonly DatabaseTarget[]): Promise<string | null> {
  const target = databases.find((d) => d.kind === 'postgres');
  if (target?.kind !== 'postgres') return null;
  const client = new pg.Client({ connectionString: target.url });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? '?'}`;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function describeMachine(
  databases: readonly DatabaseTarget[],
  postgresMissing: string | null,
): Promise<Machine> {
  const cpus = os.cpus();
  const tool = defaultTool();
  const loadGenerator =
    tool === 'wrk'
      ? `${firstLine('wrk', ['--version']) ?? 'wrk'} (flat out); autocannon for fixed rates`
      : 'autocannon (wrk is not installed)';
  const chromium = existsSync(CHROMIUM_PATH)
    ? (firstLine(CHROMIUM_PATH, ['--version']) ?? CHROMIUM_PATH)
    : `not installed (${CHROMIUM_PATH})`;
  const machine = {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    node: process.version,
    loadGenerator,
    pinning: CORES
      ? `server on core ${CORES.server}, load generator on core ${CORES.load} (taskset)`
      : 'none (one core, or no taskset)',
    postgres: (await postgresVersion(databases)) ?? `not measured: ${postgresMissing ?? 'unknown'}`,
    chromium,
    commit: firstLine('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD']) ?? 'unknown',
  };
  return {
    ...machine,
    summary: `${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${tool}`,
  };
}
