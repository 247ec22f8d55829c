import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isKitError } from '../kit-error.ts';
import { originalPosition, positionOf, type SourceMap } from '../test-support/source-map.ts';
import { createTempPlugin, type TempPlugin } from '../test-support/temp-plugin.ts';
import { buildPlugin } from './build.ts';
import { SHARED_SPECIFIERS } from './esbuild-options.ts';

/** The modules a built file imports, read by esbuild itself rather than by the kit's checks. */
async function importsOf(file: string): Promise<{ path: string; kind: string }[]> {
  const result = await esbuild({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    logLevel: 'silent',
    plugins: [
      {
        name: 'everything-external',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'entry-point' ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.map(({ path: imported, kind }) => ({ path: imported, kind })),
  );
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

async function expectKitError(promise: Promise<unknown>, code: string): Promise<string> {
  const error: unknown = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isKitError(error)) throw new Error(`expected a KitError ${code}, got ${String(error)}`);
  expect(error.code).toBe(code);
  return error.message;
}

describe('buildPlugin on a plugin as create wrote it', () => {
  let temp: TempPlugin;
  let out: string;

  beforeAll(async () => {
    temp = await createTempPlugin();
    out = path.join(temp.plugin, 'build');
    await buildPlugin(temp.plugin);
  });

  afterAll(async () => {
    await temp.remove();
  });

  it('writes the archive tree the host expects, with plugin.json as it is', async () => {
    const result = await buildPlugin(temp.plugin);
    expect(result.files).toEqual([
      'backend/main.js',
      'backend/main.js.map',
      'frontend/index.js',
      'frontend/index.js.map',
      'plugin.json',
    ]);
    expect(result.warnings).toEqual([]);
    expect(await readFile(path.join(out, 'plugin.json'), 'utf8')).toBe(
      await readFile(path.join(temp.plugin, 'plugin.json'), 'utf8'),
    );
  });

  it('builds a frontend that imports only the shared modules, for production', async () => {
    const imports = await importsOf(path.join(out, 'frontend/index.js'));
    expect(imports.length).toBeGreaterThan(0);
    for (const { path: specifier, kind } of imports) {
      expect(SHARED_SPECIFIERS).toContain(specifier);
      expect(kind).toBe('import-statement');
    }
    expect(imports.map((i) => i.path)).toContain('react/jsx-runtime');
    const code = await readFile(path.join(out, 'frontend/index.js'), 'utf8');
    expect(code).not.toContain('jsx-dev-runtime');
    // Minified: one line of code and the source map's comment.
    expect(code.trimEnd().split('\n')).toHaveLength(2);
  });

  it('builds a backend that imports nothing but Node built-ins, and loads', async () => {
    const imports = await importsOf(path.join(out, 'backend/main.js'));
    for (const { path: specifier } of imports) expect(specifier).toMatch(/^node:/);
    const loaded = (await import(pathToFileURL(path.join(out, 'backend/main.js')).href)) as {
      default: { migrations: { name: string }[]; routes: unknown };
    };
    expect(loaded.default.migrations.map((m) => m.name)).toEqual(['001-greetings']);
    expect(typeof loaded.default.routes).toBe('function');
  });

  it.each([
    ['frontend/index.js', '../../src/frontend/greetings-page.tsx', 'No messages yet.'],
    ['backend/main.js', '../../src/backend/index.ts', 'There is no such greeting.'],
  ])('links %s to a source map that leads back to %s', async (file, source, needle) => {
    const code = await readFile(path.join(out, file), 'utf8');
    expect(code.trimEnd().endsWith(`//# sourceMappingURL=${path.basename(file)}.map`)).toBe(true);
    const map = await readJson<SourceMap>(path.join(out, `${file}.map`));
    const index = map.sources.indexOf(source);
    expect(index).toBeGreaterThanOrEqual(0);
    const original = await readFile(path.resolve(out, path.dirname(file), source), 'utf8');
    expect(map.sourcesContent?.[index]).toBe(original);

    const generated = positionOf(code, needle);
    expect(originalPosition(map, generated.line, generated.column)).toMatchObject({
      source,
      line: positionOf(original, needle).line,
    });
  });

  it('leaves the frontend readable with dev, still on the production JSX runtime', async () => {
    await buildPlugin(temp.plugin, { dev: true });
    const code = await readFile(path.join(out, 'frontend/index.js'), 'utf8');
    expect(code).toContain('// src/frontend/greetings-page.tsx');
    expect(code).toContain('from "react/jsx-runtime"');
    expect(code).not.toContain('jsx-dev-runtime');
  });
});

describe('buildPlugin', () => {
  let temp: TempPlugin;

  afterEach(async () => {
    await temp.remove();
  });

  const source = (file: string) => path.join(temp.plugin, file);
  const edit = async (file: string, change: (text: string) => string) => {
    await writeFile(source(file), change(await readFile(source(file), 'utf8')));
  };

  it('bundles npm packages into the backend, kysely included', async () => {
    temp = await createTempPlugin();
    await edit('src/backend/index.ts', (text) =>
      text
        .replace(
          "} from '@polyphony/plugin-sdk';",
          "} from '@polyphony/plugin-sdk';\nimport { sql } from 'kysely';",
        )
        .replace(
          "router.get('/greetings', async (c) => {",
          "router.get('/count', async (c) => c.json(await sql`select count(*) as n from ${sql.table(GREETINGS)}`.execute(ctx.db)));\n    router.get('/greetings', async (c) => {",
        ),
    );
    await buildPlugin(temp.plugin);
    const bundle = path.join(temp.plugin, 'build/backend/main.js');
    expect((await importsOf(bundle)).map((i) => i.path)).not.toContain('kysely');
    expect(await readFile(bundle, 'utf8')).toContain('node_modules/kysely/');
  });

  it("gives a CommonJS dependency's require('react') the host's React", async () => {
    temp = await createTempPlugin();
    await writeFile(
      source('src/frontend/legacy.cjs'),
      "const React = require('react');\nmodule.exports = () => React.createElement('p', null, 'legacy');\n",
    );
    await edit('src/frontend/index.tsx', (text) =>
      text
        .replace(
          'import { GreetingsPage }',
          "import Legacy from './legacy.cjs';\nimport { GreetingsPage }",
        )
        .replace(
          "title: 'Greetings' },",
          "title: 'Greetings' },\n    { path: '/legacy', component: Legacy },",
        ),
    );
    await buildPlugin(temp.plugin);
    const bundle = path.join(temp.plugin, 'build/frontend/index.js');
    for (const { path: specifier, kind } of await importsOf(bundle)) {
      expect(SHARED_SPECIFIERS).toContain(specifier);
      expect(kind).toBe('import-statement');
    }
    expect(await readFile(bundle, 'utf8')).not.toMatch(/require\(\s*["']react["']/);
  });

  it('refuses a frontend that bundles a copy of React', async () => {
    temp = await createTempPlugin();
    // Not a shared module, so it is bundled, and it is ReactDOM.
    await edit('src/frontend/index.tsx', (text) =>
      text.replace(
        'import { GreetingsPage }',
        "import { renderToString } from 'react-dom/server';\nexport const html = renderToString;\nimport { GreetingsPage }",
      ),
    );
    const message = await expectKitError(buildPlugin(temp.plugin), 'KIT_BUNDLE_REFUSED');
    expect(message).toMatch(/contains a copy of react-dom \(.*node_modules\/react-dom\//);
  });

  it("bundles what React ships beside the shared entries, given the host's React", async () => {
    temp = await createTempPlugin();
    // What the React Compiler's output imports: not shared, so bundled; it requires 'react'.
    await edit('src/frontend/index.tsx', (text) =>
      text.replace(
        'import { GreetingsPage }',
        "import { c } from 'react/compiler-runtime';\nexport const cache = c;\nimport { GreetingsPage }",
      ),
    );
    await buildPlugin(temp.plugin);
    const bundle = path.join(temp.plugin, 'build/frontend/index.js');
    for (const { path: specifier } of await importsOf(bundle)) {
      expect(SHARED_SPECIFIERS).toContain(specifier);
    }
  });

  it('reports every compile error with its file and line, from both sides at once', async () => {
    temp = await createTempPlugin();
    await edit('src/frontend/greetings-page.tsx', (text) =>
      text.replace('const card = {', 'const broken = ;\nconst card = {'),
    );
    await edit('src/backend/index.ts', (text) =>
      text.replace(
        "from '@polyphony/plugin-sdk';",
        "from '@polyphony/plugin-sdk';\nimport pad from 'left-pad-that-is-not-installed';",
      ),
    );
    const frontendLine =
      (await readFile(source('src/frontend/greetings-page.tsx'), 'utf8'))
        .split('\n')
        .findIndex((line) => line.startsWith('const broken')) + 1;
    const message = await expectKitError(buildPlugin(temp.plugin), 'KIT_BUILD_FAILED');
    expect(message).toContain(`src/frontend/greetings-page.tsx:${frontendLine}:`);
    expect(message).toMatch(/src\/backend\/index\.ts:\d+:\d+:/);
    expect(message).toContain('Could not resolve "left-pad-that-is-not-installed"');
  });

  it('empties build/ first and copies public files, leaving dotfiles out', async () => {
    temp = await createTempPlugin();
    await mkdir(source('build'), { recursive: true });
    await writeFile(source('build/stale.js'), 'old');
    await mkdir(source('src/frontend/public/images'), { recursive: true });
    await writeFile(source('src/frontend/public/images/logo.svg'), '<svg/>');
    await writeFile(source('src/frontend/public/.DS_Store'), 'junk');
    const result = await buildPlugin(temp.plugin);
    expect(result.files).toContain('frontend/images/logo.svg');
    expect(result.files).not.toContain('stale.js');
    expect(result.files.some((file) => file.includes('.DS_Store'))).toBe(false);
    expect(await readFile(source('build/frontend/images/logo.svg'), 'utf8')).toBe('<svg/>');
    await expect(readFile(source('build/stale.js'))).rejects.toThrow();
  });

  it('writes imported CSS beside the bundle, and chunks for dynamic imports', async () => {
    temp = await createTempPlugin();
    await writeFile(source('src/frontend/styles.css'), '.my-plugin-title { color: teal; }\n');
    await writeFile(source('src/frontend/heavy.ts'), 'export const heavy = 42;\n');
    await edit('src/frontend/index.tsx', (text) =>
      text.replace(
        'import { GreetingsPage }',
        "import './styles.css';\nexport const load = () => import('./heavy.ts');\nimport { GreetingsPage }",
      ),
    );
    const result = await buildPlugin(temp.plugin);
    expect(result.files).toEqual(
      expect.arrayContaining([
        'frontend/index.css',
        expect.stringMatching(/^frontend\/chunks\/heavy-\w+\.js$/) as unknown,
      ]),
    );
    expect(await readFile(source('build/frontend/index.css'), 'utf8')).toContain('teal');
  });

  it('refuses a public file that would replace the bundle', async () => {
    temp = await createTempPlugin();
    await mkdir(source('src/frontend/public'), { recursive: true });
    await writeFile(source('src/frontend/public/index.js'), 'x');
    const message = await expectKitError(buildPlugin(temp.plugin), 'KIT_BUILD_FAILED');
    expect(message).toContain('build/frontend/index.js');
  });

  it('builds a plugin without pages', async () => {
    temp = await createTempPlugin();
    await rm(source('src/frontend'), { recursive: true });
    const result = await buildPlugin(temp.plugin);
    expect(result.files).toEqual(['backend/main.js', 'backend/main.js.map', 'plugin.json']);
  });

  it('refuses a folder with nothing to build, or that is not a plugin', async () => {
    temp = await createTempPlugin();
    await rm(source('src'), { recursive: true });
    expect(await expectKitError(buildPlugin(temp.plugin), 'KIT_NOT_A_PLUGIN')).toContain(
      'nothing to build',
    );
    await rm(source('plugin.json'));
    expect(await expectKitError(buildPlugin(temp.plugin), 'KIT_NOT_A_PLUGIN')).toContain(
      'has no plugin.json',
    );
    await expectKitError(buildPlugin(source('missing')), 'KIT_NOT_FOUND');
  });

  it('refuses a manifest that names an entry the kit does not write', async () => {
    temp = await createTempPlugin();
    await edit('plugin.json', (text) =>
      text.replace('"version"', '"backend": "server/main.js",\n  "version"'),
    );
    const message = await expectKitError(buildPlugin(temp.plugin), 'KIT_BUILD_FAILED');
    expect(message).toContain('"backend": "server/main.js"');
  });
});
