import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { startServer } from './support/server.ts';

const adminUrl =
  process.env.POLYPHONY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

test('the server runs the same on PostgreSQL when DATABASE_URL names one', async ({ request }) => {
  const name = `polyphony_e2e_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const server = await startServer({
    DATABASE_URL: url.toString(),
    POLYPHONY_ADMIN_USERNAME: 'pgadmin',
    POLYPHONY_ADMIN_PASSWORD: 'pgadmin-password',
  });
  try {
    expect(await (await request.get(`${server.url}/api/v1/health`)).json()).toEqual({
      status: 'ok',
    });
    const login = await request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: 'pgadmin', password: 'pgadmin-password' },
    });
    expect(login.status()).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const created = await request.post(`${server.url}/api/v1/admin/users`, {
      data: { username: 'pguser', password: 'pguser-password', roles: ['viewer'] },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(created.status()).toBe(201);
    // The rows live in the new database.
    const direct = new pg.Client({ connectionString: url.toString() });
    await direct.connect();
    const users = await direct.query<{ username: string }>(
      'select username from users order by username',
    );
    await direct.end();
    expect(users.rows.map((r) => r.username)).toEqual(['pgadmin', 'pguser']);
  } finally {
    await server.stop();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
});

test('a bad configuration stops the server with a clear message', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    env: { ...process.env, PORT: 'eighty', DATABASE_URL: 'mysql://nope' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('Invalid configuration');
  expect(result.stderr).toMatch(/PORT/);
  expect(result.stderr).toMatch(/DATABASE_URL/);
});

test('unknown API paths answer JSON; app routes answer the web app; assets are compressed', async ({
  request,
}) => {
  const server = await startServer();
  try {
    const api = await request.get(`${server.url}/api/v1/nope`);
    expect(api.status()).toBe(404);
    expect(api.headers()['content-type']).toMatch(/json/);
    const page = await request.get(`${server.url}/admin/users`);
    expect(page.status()).toBe(200);
    expect(page.headers()['content-type']).toMatch(/html/);
    expect(page.headers()['cache-control']).toBe('no-cache');

    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.url}${script!}`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
  } finally {
    await server.stop();
  }
});
