import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A throwaway PostgreSQL database for this run, or null when PostgreSQL tests are skipped. */
    postgresUrl: string | null;
  }
}

/** Where the test run may create and drop databases (trust auth on this machine). */
export const adminUrl =
  process.env.POLYPHONY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export default async function setup(project: TestProject) {
  if (process.env.POLYPHONY_TEST_SKIP_POSTGRES === '1') {
    console.warn('POLYPHONY_TEST_SKIP_POSTGRES=1: database tests run on SQLite only.');
    project.provide('postgresUrl', null);
    return;
  }
  const name = `polyphony_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl}: every database test runs on SQLite and PostgreSQL. ` +
        'Start it, point POLYPHONY_TEST_POSTGRES_URL at one, or set POLYPHONY_TEST_SKIP_POSTGRES=1.',
      { cause: error },
    );
  }
  await client.query(`create database ${name}`);
  await client.end();
  project.provide('postgresUrl', withDatabase(adminUrl, name));

  return async () => {
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  };
}
