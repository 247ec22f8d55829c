import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort, runCli, startPolyphony, type PolyphonyServer } from './server-process.ts';
import { isTestHostError } from './test-host-error.ts';

const ADMIN = { username: 'launcher-admin', password: 'a long launcher password' };

let server: PolyphonyServer | null = null;

afterEach(async () => {
  await server?.stop();
  server = null;
  vi.unstubAllEnvs();
});

async function signIn(url: string, credentials: typeof ADMIN): Promise<number> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  return response.status;
}

describe('startPolyphony', () => {
  it('starts a real server on a free port with a first admin, on SQLite in a throwaway folder', async () => {
    // A developer's own database is not a throwaway one: the server must not inherit it.
    vi.stubEnv('DATABASE_URL', `postgres://nobody@127.0.0.1:${await freePort()}/theirs`);
    server = await startPolyphony({ admin: ADMIN });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.url}/api/v1/health`)).json()).toEqual({ status: 'ok' });
    expect(await signIn(server.url, ADMIN)).toBe(200);
    expect(await signIn(server.url, { ...ADMIN, password: 'wrong password!' })).toBe(401);
    expect(fs.readdirSync(server.dataDir)).toContain('polyphony.db');

    const { dataDir } = server;
    await server.stop();
    // Ended by the SIGTERM: a graceful shutdown exits with 0.
    expect([0, 'SIGTERM']).toContain(await server.exited);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('keeps the data folder on request, and starts again on it', async () => {
    const first = await startPolyphony({ admin: ADMIN });
    await first.stop({ keepData: true });
    // No admin given this time: the one in the kept database signs in.
    server = await startPolyphony({ dataDir: first.dataDir });
    expect(await signIn(server.url, ADMIN)).toBe(200);
    const listed = await runCli(['plugins', 'list'], server.dataDir);
    expect(listed).toMatchObject({ code: 0 });
  });

  it('rejects with SERVER_START_FAILED and the output when the server does not start', async () => {
    // os.tmpdir() reads TMPDIR: the throwaway data folder goes where this test can see it.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'server-process-spec-'));
    vi.stubEnv('TMPDIR', tmp);
    try {
      const failure = await startPolyphony({ env: { LOG_LEVEL: 'loud' } }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isTestHostError(failure) && failure.code).toBe('SERVER_START_FAILED');
      expect(isTestHostError(failure) && failure.message).toMatch(/exited with 1[\s\S]*LOG_LEVEL/);
      // tsx keeps its cache in the temp folder too; the data folder is the launcher's.
      const left = fs.readdirSync(tmp).filter((name) => name.startsWith('polyphony-server-'));
      expect(left).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
