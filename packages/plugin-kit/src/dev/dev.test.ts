// `dev` against a real Polyphony server process: the upload path an author's saves take.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKitError } from '../kit-error.ts';
import { createTempPlugin, type TempPlugin } from '../test-support/temp-plugin.ts';
import { startPolyphony, type PolyphonyServer } from '../testing.ts';
import { runDev } from './dev.ts';

const ADMIN = { username: 'admin', password: 'a long dev password' };
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin');

async function waitFor(what: string, check: () => boolean, seen: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; saw:\n${seen()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An admin's session on the server, to call the plugin's routes as a browser would. */
async function signIn(url: string) {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return (route: string) =>
    fetch(`${url}/api/v1/plugins/my-plugin${route}`, { headers: { cookie } });
}

describe('dev against a running Polyphony', () => {
  let server: PolyphonyServer;
  let temp: TempPlugin;
  const file = (name: string) => path.join(temp.plugin, name);
  const edit = async (name: string, change: (text: string) => string) => {
    await writeFile(file(name), change(await readFile(file(name), 'utf8')));
  };

  beforeAll(async () => {
    [server, temp] = await Promise.all([startPolyphony({ admin: ADMIN }), createTempPlugin()]);
  });

  afterAll(async () => {
    await Promise.all([server.stop(), temp.remove()]);
  });

  it('installs, upgrades on each change that builds, and reports the rest', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const seen = () => [...lines, ...errors].join('\n');
    const count = (text: string) => lines.filter((line) => line.includes(text)).length;
    const stop = new AbortController();
    const running = runDev(temp.plugin, {
      url: server.url,
      ...ADMIN,
      signal: stop.signal,
      debounceMs: 50,
      log: (line) => lines.push(line),
      logError: (line) => errors.push(line),
    });
    try {
      await waitFor('the install', () => count('installed my-plugin 0.1.0') === 1, seen);
      const get = await signIn(server.url);
      expect((await get('/greetings')).status).toBe(200);

      // A new route: the same version goes in again, and serves the new code.
      await edit('src/backend/index.ts', (text) =>
        text.replace(
          "router.get('/greetings',",
          "router.get('/ping', (c) => c.json({ pong: true }));\n    router.get('/greetings',",
        ),
      );
      await waitFor(
        'the replacement',
        () => count('upgraded my-plugin 0.1.0 (replaced)') === 1,
        seen,
      );
      expect(await (await get('/ping')).json()).toEqual({ pong: true });

      // A compile error is printed with its place; nothing is uploaded; the watch goes on.
      const page = 'src/frontend/greetings-page.tsx';
      const original = await readFile(file(page), 'utf8');
      await writeFile(file(page), original.replace('const card = {', 'const card = {{'));
      await waitFor('the compile error', () => errors.some((e) => e.includes(`${page}:`)), seen);
      await writeFile(file(page), original.replace('No messages yet.', 'Nothing yet.'));
      await waitFor('the fixed upload', () => count('(replaced)') === 2, seen);

      // The host's refusals are reported with its code, and the next change goes through.
      await edit('plugin.json', (text) => text.replace('"version": "0.1.0"', '"version": "0.0.9"'));
      await waitFor(
        'the refusal',
        () => errors.some((e) => e.includes('(PLUGIN_DOWNGRADE)')),
        seen,
      );
      await edit('plugin.json', (text) => text.replace('"version": "0.0.9"', '"version": "0.2.0"'));
      await waitFor('the upgrade', () => count('upgraded my-plugin 0.1.0 → 0.2.0') === 1, seen);
    } finally {
      stop.abort();
      await running;
    }

    // Stopped means stopped: a change after that uploads nothing.
    const before = seen();
    await edit('src/backend/index.ts', (text) => `${text}\n// after the stop\n`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen()).toBe(before);
  });

  it('keeps watching when Polyphony is not up yet, and says so', async () => {
    const errors: string[] = [];
    const stop = new AbortController();
    const running = runDev(temp.plugin, {
      url: 'http://127.0.0.1:9', // the discard port: nothing answers there
      ...ADMIN,
      signal: stop.signal,
      debounceMs: 50,
      log: () => undefined,
      logError: (line) => errors.push(line),
    });
    try {
      await waitFor(
        'the build to try an upload',
        () =>
          errors.filter((e) => e.includes('Cannot reach Polyphony at http://127.0.0.1:9')).length >=
          2,
        () => errors.join('\n'),
      );
    } finally {
      stop.abort();
      await running;
    }
  });

  it('stops at once when the host refuses the sign-in', async () => {
    const error: unknown = await runDev(temp.plugin, {
      url: server.url,
      username: 'admin',
      password: 'not the password',
      signal: new AbortController().signal,
      log: () => undefined,
      logError: () => undefined,
    }).catch((e: unknown) => e);
    expect(isKitError(error) && error.code).toBe('KIT_LOGIN_FAILED');
  });

  it('stops cleanly on Ctrl-C when run as polyphony-plugin dev', async () => {
    const child = spawn(
      process.execPath,
      [path.join(BIN, 'polyphony-plugin.js'), 'dev', '--url', server.url],
      {
        cwd: temp.plugin,
        env: {
          ...process.env,
          NO_COLOR: '1',
          POLYPHONY_USERNAME: ADMIN.username,
          POLYPHONY_PASSWORD: ADMIN.password,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await waitFor(
      'an upload',
      () => /\] (upgraded|unchanged) my-plugin/.test(stdout),
      () => stdout + stderr,
    );
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('Stopped.');
  });
});
