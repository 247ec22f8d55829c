import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TestHostError } from './test-host-error.ts';

/**
 * Where tests look for PostgreSQL when nothing names one: the local server with trust
 * authentication that the host's own test suite uses.
 */
export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Names the PostgreSQL server for tests; read before DATABASE_URL. */
export const TEST_POSTGRES_URL_VARIABLE = 'POLYPHONY_TEST_POSTGRES_URL';
/** `1` turns PostgreSQL tests off, as in the host's own test suite. */
export const SKIP_POSTGRES_VARIABLE = 'POLYPHONY_TEST_SKIP_POSTGRES';

const CONNECT_TIMEOUT_MS = 5_000;
const PROBE_TIMEOUT_MS = 2_000;

/** A PostgreSQL URL, and where it came from (the variable that named it, or `default`). */
export interface TestPostgres {
  url: string;
  source: typeof TEST_POSTGRES_URL_VARIABLE | 'DATABASE_URL' | 'default';
}

/** The PostgreSQL server tests use, as the environment names it; null when they are turned off. */
export function testPostgresFromEnv(env: NodeJS.ProcessEnv = process.env): TestPostgres | null {
  if (env[SKIP_POSTGRES_VARIABLE] === '1') return null;
  const named = env[TEST_POSTGRES_URL_VARIABLE];
  if (named) return { url: named, source: TEST_POSTGRES_URL_VARIABLE };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, source: 'DATABASE_URL' };
  return { url: DEFAULT_TEST_POSTGRES_URL, source: 'default' };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

function unavailable(message: string, cause?: unknown): TestHostError {
  return new TestHostError('POSTGRES_UNAVAILABLE', message, cause === undefined ? {} : { cause });
}

const HOW_TO_NAME_ONE =
  `Start it, or name one with ${TEST_POSTGRES_URL_VARIABLE} or DATABASE_URL ` +
  `(postgres://user:password@host:5432/database).`;

/** A connected client, or POSTGRES_UNAVAILABLE saying where it looked and how to name a server. */
async function connect(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<pg.Client> {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw unavailable(`${redactUrl(url)} is not a postgres:// or postgresql:// URL.`);
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A server that goes away must not crash the test process; the next query reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw unavailable(
      `PostgreSQL is not reachable at ${redactUrl(url)} (${reason}). ${HOW_TO_NAME_ONE}`,
      error,
    );
  }
  return client;
}

/** The outcome of `findTestPostgres()`: a server to use, or why there is none. */
export type TestPostgresLookup =
  | { url: string; source: TestPostgres['source']; reason?: undefined }
  | { url: null; source?: undefined; reason: string };

/**
 * Finds the PostgreSQL server for tests that also run on PostgreSQL when one is at hand:
 * `POLYPHONY_TEST_POSTGRES_URL`, else `DATABASE_URL`, else the local default
 * (`postgres://postgres@127.0.0.1:5432/postgres`) if it answers. A server named by a variable is
 * answered without a check, so that a configured server that is down fails the tests instead of
 * skipping them; `POLYPHONY_TEST_SKIP_POSTGRES=1` turns PostgreSQL off. `reason` says why there
 * is none, for the skipped test's title.
 *
 * @example
 * const postgres = await findTestPostgres();
 * const databases = postgres.url === null ? ['sqlite'] : ['sqlite', 'postgres'];
 */
export async function findTestPostgres(
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestPostgresLookup> {
  const found = testPostgresFromEnv(env);
  if (found === null) return { url: null, reason: `${SKIP_POSTGRES_VARIABLE}=1` };
  if (found.source !== 'default') return found;
  try {
    const client = await connect(found.url, PROBE_TIMEOUT_MS);
    await client.end();
    return found;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { url: null, reason: `no PostgreSQL: ${reason}` };
  }
}

/** A schema made for one test host or server, inside an existing database. */
export interface ThrowawaySchema {
  /** The schema's name: `<prefix><12 hex digits>`, safe unquoted. */
  readonly name: string;
  /** The database URL it was made in (without the schema). */
  readonly url: string;
  /** The URL with the schema as the connection's search path, as a server's DATABASE_URL. */
  readonly serverUrl: string;
  /** Drops the schema and everything in it. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Creates an empty schema in the database at `url`, for one host to put its tables in: a schema
 * needs only the CREATE privilege on a database, where a database of its own would need
 * CREATEDB. Rejects with POSTGRES_UNAVAILABLE when PostgreSQL cannot be reached or refuses.
 */
export async function createThrowawaySchema(
  url: string,
  prefix = 'polyphony_test_',
): Promise<ThrowawaySchema> {
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  const client = await connect(url);
  try {
    await client.query(`create schema ${name}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw unavailable(`Could not create a schema in ${redactUrl(url)}: ${reason}`, error);
  } finally {
    await client.end();
  }
  const serverUrl = new URL(url);
  serverUrl.searchParams.set('options', `-c search_path=${name}`);
  let dropping: Promise<void> | null = null;
  return {
    name,
    url,
    serverUrl: serverUrl.toString(),
    drop() {
      dropping ??= (async () => {
        const dropper = await connect(url);
        try {
          await dropper.query(`drop schema if exists ${name} cascade`);
        } finally {
          await dropper.end();
        }
      })();
      return dropping;
    },
  };
}
