import { spawn } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { transform } from 'esbuild';
import { parseManifest } from '@polyphony/plugin-format';
import { SDK_VERSION } from '@polyphony/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { listFiles } from '../build/build.ts';
import { POLYPHONY_VERSION } from '../host-version.ts';
import { isKitError } from '../kit-error.ts';
import {
  WORKSPACE_ROOT,
  createTempPlugin,
  linkWorkspaceModules,
  tempFolder,
  type TempFolder,
} from '../test-support/temp-plugin.ts';
import { createPlugin, idFromFolderName, nameFromId, TEMPLATE_DIR } from './create.ts';

const temps: TempFolder[] = [];

async function folder(): Promise<TempFolder> {
  const temp = await tempFolder();
  temps.push(temp);
  return temp;
}

afterEach(async () => {
  await Promise.all(temps.splice(0).map((temp) => temp.remove()));
});

async function kitError(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error: unknown = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isKitError(error)) throw new Error(`expected a KitError, got ${String(error)}`);
  return error;
}

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  // A clean environment: the child must not think it runs inside this test run.
  const env = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV',
      ),
    ),
    NO_COLOR: '1',
  };
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}

describe('idFromFolderName and nameFromId', () => {
  it.each([
    ['my-plugin', 'my-plugin'],
    ['My Plugin!', 'my-plugin'],
    ['Équipe_Sondages  2', 'equipe-sondages-2'],
    ['--x--', 'x'],
    ['日本', ''],
    [`${'a'.repeat(39)}-bcd`, 'a'.repeat(39)],
  ])('%s → %s', (folderName, id) => {
    expect(idFromFolderName(folderName)).toBe(id);
  });

  it('names a plugin after its id', () => {
    expect(nameFromId('team-polls')).toBe('Team polls');
    expect(nameFromId('x')).toBe('X');
  });
});

describe('createPlugin', () => {
  it('writes every file of the template, with no placeholder left', async () => {
    const temp = await folder();
    const dir = path.join(temp.dir, 'team-polls');
    const created = await createPlugin(dir, { author: 'Ada Example' });
    expect(created).toMatchObject({ dir, id: 'team-polls', name: 'Team polls' });

    const template = (await listFiles(TEMPLATE_DIR)).map((file) =>
      file === '_gitignore' ? '.gitignore' : file,
    );
    expect(created.files).toEqual([...template].sort());
    expect((await listFiles(dir)).sort()).toEqual([...created.files].sort());
    for (const file of created.files) {
      expect(await readFile(path.join(dir, file), 'utf8')).not.toMatch(/\{\{\w+\}\}/);
    }
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toContain('build/');
  });

  it('writes a manifest the host accepts, for the host version the kit was made with', async () => {
    const temp = await folder();
    const dir = path.join(temp.dir, 'team-polls');
    await createPlugin(dir, { author: 'Ada Example' });
    const manifest = parseManifest(await readFile(path.join(dir, 'plugin.json'), 'utf8'));
    expect(manifest).toMatchObject({
      id: 'team-polls',
      name: 'Team polls',
      version: '0.1.0',
      author: 'Ada Example',
      polyphony: `^${POLYPHONY_VERSION}`,
      navigation: [{ label: 'Team polls', path: '/' }],
    });
    expect(manifest.settings?.properties.greeting).toMatchObject({ browser: true });
    const backend = await readFile(path.join(dir, 'src/backend/index.ts'), 'utf8');
    expect(backend).toContain("const GREETINGS = 'plugin_team_polls_greetings';");
  });

  it('depends on the kit and SDK versions it was made with', async () => {
    const temp = await folder();
    const dir = path.join(temp.dir, 'team-polls');
    await createPlugin(dir, { author: 'Ada Example' });
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      private: boolean;
      type: string;
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const kit = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(pkg).toMatchObject({ name: 'team-polls', private: true, type: 'module' });
    expect(Object.keys(pkg.scripts)).toEqual(
      expect.arrayContaining(['build', 'pack', 'validate', 'dev', 'test']),
    );
    expect(pkg.devDependencies['@polyphony/plugin-kit']).toBe(`^${kit.version}`);
    expect(pkg.devDependencies['@polyphony/plugin-sdk']).toBe(`^${SDK_VERSION}`);
  });

  it('escapes names for JSON and TypeScript alike', async () => {
    const temp = await folder();
    const dir = path.join(temp.dir, 'quotes');
    const name = `Say "hi" & 'bye' \\o/`;
    await createPlugin(dir, { name, author: 'Ada "A" Example' });
    const manifest = parseManifest(await readFile(path.join(dir, 'plugin.json'), 'utf8'));
    expect(manifest).toMatchObject({ name, author: 'Ada "A" Example' });
    // The rendered test must still compile, and its describe() must carry the name as it is.
    const test = await transform(await readFile(path.join(dir, 'test/plugin.test.ts'), 'utf8'), {
      loader: 'ts',
    });
    const literal =
      /describe\(((?:'(?:[^'\\]|\\.)*')|(?:"(?:[^"\\]|\\.)*")|(?:`(?:[^`\\]|\\.)*`))/.exec(
        test.code,
      )?.[1];
    expect(literal).toBeDefined();
    expect(runInNewContext(literal ?? '')).toBe(name);
  });

  it('shortens a long name for the navigation link', async () => {
    const temp = await folder();
    const name = 'A plugin with a name much longer than forty characters';
    await createPlugin(path.join(temp.dir, 'long'), { name });
    const manifest = parseManifest(await readFile(path.join(temp.dir, 'long/plugin.json'), 'utf8'));
    expect(manifest.name).toBe(name);
    expect(manifest.navigation?.[0]?.label).toBe(name.slice(0, 40).trim());
  });

  it('refuses a folder that is not empty, and writes nothing', async () => {
    const temp = await folder();
    const dir = path.join(temp.dir, 'busy');
    await mkdir(dir);
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    const error = await kitError(createPlugin(dir));
    expect(error.code).toBe('KIT_TARGET_NOT_EMPTY');
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('refuses an id the host would refuse, suggesting --id when it came from the folder', async () => {
    const temp = await folder();
    const reserved = await kitError(createPlugin(path.join(temp.dir, 'admin')));
    expect(reserved.code).toBe('KIT_INVALID_OPTION');
    expect(reserved.message).toMatch(/--id: /);
    expect(reserved.message).toContain('derived from the folder name "admin"');

    const given = await kitError(createPlugin(path.join(temp.dir, 'x'), { id: 'Bad_Id' }));
    expect(given.message).toMatch(/--id: /);
    expect(given.message).not.toContain('derived');

    const named = await kitError(createPlugin(path.join(temp.dir, 'y'), { name: 'n'.repeat(81) }));
    expect(named.message).toMatch(/--name: /);
    expect(await readdir(temp.dir)).toEqual([]);
  });
});

describe('a created plugin', () => {
  it('typechecks and passes its own tests against an in-process Polyphony', async () => {
    const temp = await createTempPlugin('typed-plugin');
    temps.push(temp);
    const bin = (name: string) => path.join(WORKSPACE_ROOT, 'node_modules/.bin', name);
    const typecheck = await Promise.all([
      run(bin('tsc'), ['--noEmit', '-p', '.'], temp.plugin),
      run(bin('tsc'), ['--noEmit', '-p', 'test'], temp.plugin),
    ]);
    for (const result of typecheck) expect(result, result.output).toMatchObject({ code: 0 });

    const tested = await run('npm', ['test', '--silent'], temp.plugin);
    expect(tested.code, tested.output).toBe(0);
    // eslint-disable-next-line no-control-regex -- colour codes, in case a tool ignores NO_COLOR
    expect(tested.output.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+5 passed/);
  }, 180_000);

  it('links node_modules beside the plugin, not inside it', async () => {
    const temp = await folder();
    await linkWorkspaceModules(temp.dir);
    await createPlugin(path.join(temp.dir, 'p1'));
    expect(await readdir(path.join(temp.dir, 'p1'))).not.toContain('node_modules');
  });
});
