import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle, type DialectName } from '../../src/db/database.ts';
import { createThrowawaySchema } from '../../src/testing/postgres.ts';

export const SERVER_ADMIN = { username: 'root-admin', password: 'root-admin-password' };

/** A signed-in admin talking to a real server over HTTP, cookie and CSRF token included. */
export async function signIn(url: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(SERVER_ADMIN),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const call = async (method: string, route: string, body?: FormData | object) => {
    const headers: Record<string, string> = { cookie, 'x-csrf-token': csrfToken };
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`${url}${route}`, { method, headers, body: payload ?? null });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as Record<string, unknown>,
    };
  };
  return {
    call,
    upload(archive: Buffer) {
      const form = new FormData();
      form.append('file', new Blob([archive]), 'plugin.zip');
      return call('POST', '/api/v1/admin/plugins', form);
    },
  };
}

/**
 * A database for one real server process: a SQLite file in its data folder, or a fresh schema in
 * this run's PostgreSQL database. Returns the server environment and a handle for checks.
 */
export async function serverDatabase(
  dialect: DialectName,
  dataDir: string,
): Promise<{ env: Record<string, string>; open: () => DatabaseHandle }> {
  const admin = {
    POLYPHONY_ADMIN_USERNAME: SERVER_ADMIN.username,
    POLYPHONY_ADMIN_PASSWORD: SERVER_ADMIN.password,
  };
  if (dialect === 'sqlite') {
    const file = path.join(dataDir, 'polyphony.db');
    return { env: admin, open: () => openDatabase({ kind: 'sqlite', file }) };
  }
  const url = inject('postgresUrl');
  if (url === null) throw new Error('PostgreSQL tests are disabled for this run');
  const schema = await createThrowawaySchema(url, 's_');
  return {
    env: { ...admin, DATABASE_URL: schema.serverUrl },
    open: () => openDatabase({ kind: 'postgres', url }, { searchPath: schema.name, poolSize: 2 }),
  };
}
