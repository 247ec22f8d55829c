import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './support/accessibility.ts';
import { installViaApi, signIn } from './support/plugins.ts';
import { startServer, type RunningServer } from './support/server.ts';

// An author's first ten minutes, with the real commands: create-polyphony-plugin, then
// polyphony-plugin build, pack, validate and dev, against a real server and a real browser.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);
const admin = { username: 'ada', password: 'ada-password-1' };

interface Run {
  code: number | null;
  output: string;
}

/** Runs a kit command the way a terminal would, from the plugin's folder. */
function kit(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(bin(command), args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      resolve({ code, output });
    });
  });
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

// One author, one plugin, in order: each test starts where the one before left off.
test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let parent: string;
let plugin: string;

test.beforeAll(async () => {
  server = await startServer({
    POLYPHONY_ADMIN_USERNAME: admin.username,
    POLYPHONY_ADMIN_PASSWORD: admin.password,
  });
  parent = await mkdtemp(path.join(tmpdir(), 'polyphony-author-'));
  // Stands in for `npm install` of the kit and the SDK: the workspace's packages, beside the plugin.
  await symlink(path.join(root, 'node_modules'), path.join(parent, 'node_modules'), 'dir');
  plugin = path.join(parent, 'shout-box');
});

test.afterAll(async () => {
  await server.stop();
  await rm(parent, { recursive: true, force: true });
});

const topBarLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

test('create, build, pack, validate and install: the route answers and the page renders', async ({
  page,
}) => {
  const created = await kit(
    'create-polyphony-plugin',
    ['shout-box', '--name', 'Shout box'],
    parent,
  );
  expect(created.code, created.output).toBe(0);

  const built = await kit('polyphony-plugin', ['build'], plugin);
  expect(built.code, built.output).toBe(0);

  const packed = await kit('polyphony-plugin', ['pack', '--no-build'], plugin);
  expect(packed.code, packed.output).toBe(0);
  const zip = path.join(plugin, 'dist/shout-box-0.1.0.zip');
  const first = await sha256(zip);
  expect(packed.output).toContain(first);

  // The same sources give the same bytes: rebuilt from scratch, with every file's time changed.
  const later = new Date(Date.now() + 3_600_000);
  for (const file of ['plugin.json', 'src/backend/index.ts', 'src/frontend/index.tsx']) {
    await utimes(path.join(plugin, file), later, later);
  }
  const repacked = await kit('polyphony-plugin', ['pack'], plugin);
  expect(repacked.code, repacked.output).toBe(0);
  expect(await sha256(zip)).toBe(first);

  const validated = await kit('polyphony-plugin', ['validate', zip], plugin);
  expect(validated.code, validated.output).toBe(0);

  await signIn(page, server.url, admin);
  await installViaApi(page, server.url, await readFile(zip));

  const route = await page.request.get(`${server.url}/api/v1/plugins/shout-box/greetings`);
  expect(route.status()).toBe(200);
  expect(await route.json()).toEqual({ greetings: [] });

  await page.goto(server.url);
  await topBarLink(page, 'Shout box').click();
  await expect(page.getByRole('heading', { name: `Hello, ${admin.username}!` })).toBeVisible();
  await page.getByLabel('Leave a message').fill('First!');
  await page.getByRole('button', { name: 'Post' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'First!' })).toBeVisible();
  await expectAccessible(page, 'the generated plugin page');
});

test('validate lists every problem of a broken manifest, naming each field', async () => {
  const manifestFile = path.join(plugin, 'plugin.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
  const broken = {
    ...manifest,
    id: 'Shout Box',
    version: 'one',
    polyphony: 'whenever',
    colour: 'red',
    navigation: [{ label: 'Shout box', path: 'no-slash', roles: [] }],
  };
  await writeFile(manifestFile, JSON.stringify(broken, null, 2));
  try {
    const result = await kit('polyphony-plugin', ['validate'], plugin);
    expect(result.code).toBe(1);
    for (const where of [
      'id:',
      'version:',
      'polyphony:',
      'colour:',
      'navigation.0.path:',
      'navigation.0.roles:',
    ]) {
      expect(result.output).toContain(where);
    }
    expect(result.output).toContain('(MANIFEST_INVALID)');
  } finally {
    await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
  }
});

test('dev uploads each save to the running server, and the next visit runs it', async ({
  page,
}) => {
  const dev: ChildProcess = spawn(bin('polyphony-plugin'), ['dev', '--url', server.url], {
    cwd: plugin,
    env: {
      ...process.env,
      NO_COLOR: '1',
      POLYPHONY_USERNAME: admin.username,
      POLYPHONY_PASSWORD: admin.password,
    },
  });
  let output = '';
  dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const uploads = () => output.match(/^\[[\d:]+\] (installed|upgraded) shout-box/gm)?.length ?? 0;
  try {
    // The first build is uploaded at once (a development build: new bytes, the same version).
    await expect.poll(uploads, { timeout: 30_000 }).toBe(1);

    const pageFile = path.join(plugin, 'src/frontend/greetings-page.tsx');
    const source = await readFile(pageFile, 'utf8');
    await writeFile(pageFile, source.replace('Leave a message', 'Shout something'));
    await expect.poll(uploads, { timeout: 30_000 }).toBe(2);
    expect(output).toMatch(/upgraded shout-box 0\.1\.0 \(replaced\)/);

    await signIn(page, server.url, admin);
    await topBarLink(page, 'Shout box').click();
    await expect(page.getByLabel('Shout something')).toBeVisible();
  } finally {
    dev.kill('SIGINT');
    await new Promise<void>((resolve) => {
      dev.once('exit', () => {
        resolve();
      });
    });
  }
});
