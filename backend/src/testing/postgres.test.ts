import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import {
  createThrowawaySchema,
  DEFAULT_TEST_POSTGRES_URL,
  findTestPostgres,
  redactUrl,
  testPostgresFromEnv,
} from './postgres.ts';
import { freePort } from './server-process.ts';
import { isTestHostError } from './test-host-error.ts';

/** This run's PostgreSQL database (see test/global-setup.ts), or null when it runs on SQLite only. */
const postgresUrl = inject('postgresUrl');

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isTestHostError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  return { code: 'no error', message: '' };
}

describe('testPostgresFromEnv', () => {
  it('reads POLYPHONY_TEST_POSTGRES_URL, then DATABASE_URL, then the local default', () => {
    const test = 'postgres://t@db/test';
    const app = 'postgres://a@db/app';
    expect(testPostgresFromEnv({ POLYPHONY_TEST_POSTGRES_URL: test, DATABASE_URL: app })).toEqual({
      url: test,
      source: 'POLYPHONY_TEST_POSTGRES_URL',
    });
    expect(testPostgresFromEnv({ DATABASE_URL: app })).toEqual({
      url: app,
      source: 'DATABASE_URL',
    });
    expect(testPostgresFromEnv({ DATABASE_URL: '' })).toEqual({
      url: DEFAULT_TEST_POSTGRES_URL,
      source: 'default',
    });
    expect(
      testPostgresFromEnv({ POLYPHONY_TEST_SKIP_POSTGRES: '1', DATABASE_URL: app }),
    ).toBeNull();
  });
});

describe('redactUrl', () => {
  it('hides the password and nothing else', () => {
    expect(redactUrl('postgres://u:pw@db:5432/x?sslmode=require')).toBe(
      'postgres://u:***@db:5432/x?sslmode=require',
    );
    expect(redactUrl('postgres://u@db/x')).toBe('postgres://u@db/x');
    expect(redactUrl('not a url')).toBe('(not a URL)');
  });
});

describe('findTestPostgres', () => {
  it('answers a named server without trying it, so that one that is down fails the tests', async () => {
    const down = `postgres://nobody@127.0.0.1:${await freePort()}/x`;
    expect(await findTestPostgres({ POLYPHONY_TEST_POSTGRES_URL: down })).toEqual({
      url: down,
      source: 'POLYPHONY_TEST_POSTGRES_URL',
    });
    expect(await findTestPostgres({ DATABASE_URL: down })).toMatchObject({ url: down });
  });

  it('gives the reason when PostgreSQL is turned off', async () => {
    expect(await findTestPostgres({ POLYPHONY_TEST_SKIP_POSTGRES: '1' })).toEqual({
      url: null,
      reason: 'POLYPHONY_TEST_SKIP_POSTGRES=1',
    });
  });
});

describe.runIf(postgresUrl !== null)('createThrowawaySchema', () => {
  const url = postgresUrl ?? '';

  it('makes an empty schema that its server URL selects, and drops it with its tables', async () => {
    const schema = await createThrowawaySchema(url, 'spec_');
    expect(schema.name).toMatch(/^spec_[0-9a-f]{12}$/);
    const [path] = await query<{ search_path: string }>(schema.serverUrl, 'show search_path');
    expect(path?.search_path).toBe(schema.name);
    await query(schema.serverUrl, 'create table kept (id int)');
    const tables = await query<{ schema: string }>(
      url,
      "select table_schema as schema from information_schema.tables where table_name = 'kept'",
    );
    expect(tables).toEqual([{ schema: schema.name }]);

    await schema.drop();
    await schema.drop();
    const left = await query(url, `select 1 from pg_namespace where nspname = '${schema.name}'`);
    expect(left).toEqual([]);
  });

  it('refuses with POSTGRES_UNAVAILABLE when the database does not exist', async () => {
    const missing = new URL(url);
    missing.pathname = '/polyphony_no_such_database';
    const refused = await codeOf(createThrowawaySchema(missing.toString()));
    expect(refused.code).toBe('POSTGRES_UNAVAILABLE');
    expect(refused.message).toMatch(/polyphony_no_such_database/);
  });
});
