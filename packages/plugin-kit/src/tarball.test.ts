// The kit as an author outside this checkout gets it: `npm run pack:kit`, the two tarballs
// installed by npm in a folder that cannot see the workspace, then create → build → pack → validate
// with the installed commands (bundled JS, no tsx). npm fetches esbuild, the kit's one dependency,
// from its cache or the registry.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_MODULES } from '@polyphony/plugin-sdk/shared-modules';
import { tempFolder, WORKSPACE_ROOT, type TempFolder } from './test-support/temp-plugin.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of the commands: without what would let them see the workspace (a loader in
 * NODE_OPTIONS, NODE_PATH) or steer npm towards it (the npm_* variables of `npm test`).
 */
function isolatedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|NODE_OPTIONS$|NODE_PATH$)/i.test(name)) continue;
    env[name] = value;
  }
  return env;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: isolatedEnv(), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `npx --no`: the installed command or a failure, never a package fetched by that name. */
function npx(args: string[], cwd: string): Promise<Run> {
  return run('npx', ['--no', ...args], cwd);
}

function outside(dir: string): boolean {
  return path.relative(WORKSPACE_ROOT, dir).startsWith('..');
}

/** The bare specifiers a built ES module (and its chunks) imports. */
async function bareImports(entry: string): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    logLevel: 'silent',
    plugins: [
      {
        name: 'bare-external',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
  });
  const specifiers = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports.filter((used) => used.external).map((used) => used.path),
  );
  return [...new Set(specifiers)].sort();
}

describe('the kit from its packed tarballs', () => {
  let tarballs: TempFolder;
  let project: TempFolder;
  let plugin: string;

  beforeAll(async () => {
    tarballs = await tempFolder('polyphony-kit-tarballs-');
    project = await tempFolder('polyphony-kit-project-');
    // Outside the checkout, Node and esbuild cannot reach its node_modules by walking up.
    expect(outside(project.dir)).toBe(true);
    plugin = path.join(project.dir, 'my-plugin');

    const packed = await run(
      process.execPath,
      ['scripts/pack-kit.mjs', '--out', tarballs.dir],
      WORKSPACE_ROOT,
    );
    expect(packed).toMatchObject({ code: 0 });
    const sdk = path.join(tarballs.dir, 'polyphony-plugin-sdk-0.1.0.tgz');
    const kit = path.join(tarballs.dir, 'polyphony-plugin-kit-0.1.0.tgz');
    expect(packed.stdout.trim().split('\n')).toEqual([sdk, kit]);

    expect((await run('npm', ['init', '-y'], project.dir)).code).toBe(0);
    const installed = await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', sdk, kit],
      project.dir,
    );
    expect(installed).toMatchObject({ code: 0 });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([tarballs.remove(), project.remove()]);
  });

  it('installs with esbuild as its one dependency, and no tsx', async () => {
    const kitPackage = JSON.parse(
      await readFile(
        path.join(project.dir, 'node_modules/@polyphony/plugin-kit/package.json'),
        'utf8',
      ),
    ) as { dependencies: Record<string, string> };
    expect(Object.keys(kitPackage.dependencies)).toEqual(['esbuild']);
    expect(existsSync(path.join(project.dir, 'node_modules/tsx'))).toBe(false);
  });

  it('creates, builds, packs and validates a plugin that imports only the shared modules', async () => {
    const created = await npx(
      ['create-polyphony-plugin', 'my-plugin', '--author', 'Ada Example'],
      project.dir,
    );
    expect(created).toMatchObject({ code: 0 });
    expect(existsSync(path.join(plugin, 'src/backend/index.ts'))).toBe(true);

    for (const command of ['build', 'pack', 'validate']) {
      const result = await npx(['polyphony-plugin', command], plugin);
      expect({ command, ...result }).toMatchObject({ command, code: 0 });
    }
    expect(existsSync(path.join(plugin, 'dist/my-plugin-0.1.0.zip'))).toBe(true);

    const imports = await bareImports(path.join(plugin, 'build/frontend/index.js'));
    expect(imports.length).toBeGreaterThan(0);
    const shared: readonly string[] = SHARED_MODULES;
    expect(imports.filter((specifier) => !shared.includes(specifier))).toEqual([]);
    // The backend bundled the SDK the tarball installed, its source maps leading to its sources
    // in node_modules, nowhere outside the project (not to the checkout it was packed from).
    const backendDir = path.join(plugin, 'build/backend');
    const { sources } = JSON.parse(
      await readFile(path.join(backendDir, 'main.js.map'), 'utf8'),
    ) as { sources: string[] };
    const files = sources.map((source) => path.resolve(backendDir, source));
    expect(files).toContain(
      path.join(project.dir, 'node_modules/@polyphony/plugin-sdk/src/backend/define.ts'),
    );
    for (const file of files) {
      expect(path.relative(project.dir, file)).not.toMatch(/^\.\./);
      expect(existsSync(file)).toBe(true);
    }
  });

  it('serves the library API from the bundle', async () => {
    const listed = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const kit = await import('@polyphony/plugin-kit'); console.log(typeof kit.buildPlugin, kit.POLYPHONY_VERSION);",
      ],
      project.dir,
    );
    expect(listed).toMatchObject({ code: 0, stdout: 'function 0.1.0\n' });
  });

  it('says the testing helper needs the host, which a tarball install lacks', async () => {
    const imported = await run(
      process.execPath,
      ['--input-type=module', '-e', "await import('@polyphony/plugin-kit/testing');"],
      project.dir,
    );
    expect(imported.code).not.toBe(0);
    expect(imported.stderr).toContain('@polyphony/plugin-kit/testing boots the Polyphony host');
    expect(imported.stderr).toContain('inside a Polyphony checkout');
  });
});
