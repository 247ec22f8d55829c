import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkWorkspaceModules, tempFolder, type TempFolder } from './test-support/temp-plugin.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the kit's real executables, as npx would. */
function cli(
  bin: 'polyphony-plugin' | 'create-polyphony-plugin',
  args: string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(BIN, `${bin}.js`), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** A stack trace line, which a user's mistake must never print. */
const STACK_LINE = /^\s+at .+[(:]\d+/m;

describe('the polyphony-plugin and create-polyphony-plugin commands', () => {
  let temp: TempFolder;
  let plugin: string;

  beforeAll(async () => {
    temp = await tempFolder();
    await linkWorkspaceModules(temp.dir);
    plugin = path.join(temp.dir, 'cli-plugin');
  });

  afterAll(async () => {
    await temp.remove();
  });

  it('tells where no installed kit is found to run npm install first', async () => {
    const bare = await tempFolder();
    try {
      const created = await cli('create-polyphony-plugin', ['lonely', '--author', 'A'], bare.dir);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain('npm install');
    } finally {
      await bare.remove();
    }
  });

  it('lists the commands with --help and exits 0', async () => {
    const run = await cli('polyphony-plugin', ['--help'], temp.dir);
    expect(run.code).toBe(0);
    for (const command of ['create', 'build', 'pack', 'validate', 'dev']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  it('exits 1 with the usage when no command or an unknown one is given', async () => {
    const none = await cli('polyphony-plugin', [], temp.dir);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('Usage: polyphony-plugin <command>');
    const unknown = await cli('polyphony-plugin', ['frobnicate'], temp.dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it("refuses an unknown option with the command's usage, without a stack trace", async () => {
    const run = await cli('polyphony-plugin', ['build', '--frob'], temp.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("'--frob'");
    expect(run.stderr).toContain('Usage: polyphony-plugin build [dir] [--dev]');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('prints the version', async () => {
    const run = await cli('polyphony-plugin', ['--version'], temp.dir);
    const kit = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(run).toMatchObject({ code: 0, stdout: `${kit.version}\n` });
  });

  it('creates a plugin with create-polyphony-plugin, then refuses the non-empty folder', async () => {
    const created = await cli(
      'create-polyphony-plugin',
      ['cli-plugin', '--name', 'CLI plugin', '--author', 'Ada Example'],
      temp.dir,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created the plugin "CLI plugin" (cli-plugin) in cli-plugin:');
    // The kit resolves from here (as inside a checkout): no `npm install` to suggest.
    expect(created.stdout).not.toContain('npm install');
    expect(JSON.parse(await readFile(path.join(plugin, 'plugin.json'), 'utf8'))).toMatchObject({
      id: 'cli-plugin',
      name: 'CLI plugin',
    });

    const again = await cli('polyphony-plugin', ['create', 'cli-plugin'], temp.dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');
    expect(again.stderr).not.toMatch(STACK_LINE);

    const help = await cli('create-polyphony-plugin', ['--help'], temp.dir);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain('Usage: polyphony-plugin create <dir>');
  });

  it('builds the current folder and packs it, printing the archive and its hash', async () => {
    const built = await cli('polyphony-plugin', ['build'], plugin);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toContain('  frontend/index.js\n');

    const packed = await cli('polyphony-plugin', ['pack', 'cli-plugin'], temp.dir);
    expect(packed.code, packed.stderr).toBe(0);
    const zip = path.join(plugin, 'dist/cli-plugin-0.1.0.zip');
    const sha256 = createHash('sha256')
      .update(await readFile(zip))
      .digest('hex');
    expect(packed.stdout).toContain('cli-plugin/dist/cli-plugin-0.1.0.zip\n');
    expect(packed.stdout).toContain(`sha256  ${sha256}`);

    const valid = await cli('polyphony-plugin', ['validate', zip], temp.dir);
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    expect(valid.stdout).toContain('ok: cli-plugin 0.1.0');
  });

  it('fails a build with the file and line of the error, and no stack trace', async () => {
    const page = path.join(plugin, 'src/frontend/greetings-page.tsx');
    const original = await readFile(page, 'utf8');
    try {
      await writeFile(page, `${original}\nexport const broken = <div>;\n`);
      const run = await cli('polyphony-plugin', ['build'], plugin);
      expect(run.code).toBe(1);
      const line = `${original}\nexport const broken`.split('\n').length;
      expect(run.stderr).toContain(`src/frontend/greetings-page.tsx:${line}:`);
      expect(run.stderr).not.toMatch(STACK_LINE);
    } finally {
      await writeFile(page, original);
    }
  });

  it('lists every problem of a broken manifest, one per line, and exits 1', async () => {
    const manifestFile = path.join(plugin, 'plugin.json');
    const original = await readFile(manifestFile, 'utf8');
    try {
      const manifest = JSON.parse(original) as Record<string, unknown>;
      await writeFile(
        manifestFile,
        JSON.stringify({ ...manifest, id: 'Bad_Id', version: 'v1', author: undefined, versoin: 1 }),
      );
      const run = await cli('polyphony-plugin', ['validate'], plugin);
      expect(run.code).toBe(1);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines.map((line) => line.split(':')[0]).sort()).toEqual(
        ['author', 'id', 'version', 'versoin'].sort(),
      );
      for (const line of lines) expect(line).toMatch(/^\S+: .+ \(MANIFEST_INVALID\)$/);
      expect(run.stderr).toContain('4 problems');

      const json = await cli('polyphony-plugin', ['validate', '--json'], plugin);
      expect(json.code).toBe(1);
      const body = JSON.parse(json.stdout) as { ok: boolean; problems: { where: string }[] };
      expect(body.ok).toBe(false);
      expect(body.problems).toHaveLength(4);
    } finally {
      await writeFile(manifestFile, original);
    }
  });

  it('checks the host version with validate --host', async () => {
    const run = await cli('polyphony-plugin', ['validate', '--host', '9.0.0'], plugin);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^polyphony: .+ \(PLUGIN_INCOMPATIBLE\)$/m);
  });

  it('refuses to start dev without credentials', async () => {
    const run = await cli('polyphony-plugin', ['dev'], plugin, {
      POLYPHONY_USERNAME: undefined,
      POLYPHONY_PASSWORD: undefined,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('POLYPHONY_PASSWORD');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('refuses to start dev with a --url that is not an address', async () => {
    const run = await cli('polyphony-plugin', ['dev', '--url', 'not-a-url'], plugin, {
      POLYPHONY_USERNAME: 'admin',
      POLYPHONY_PASSWORD: 'secret-password',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--url must be an http(s) address');
  });
});
