#!/usr/bin/env node
// `npm run pack:kit [-- --out <dir>]`: the plugin author kit as two npm tarballs that install and
// run outside this checkout (no tsx, no workspace):
//   polyphony-plugin-sdk-<version>.tgz   the SDK compiled by tsc: JS, .d.ts and source maps;
//   polyphony-plugin-kit-<version>.tgz   the kit bundled by esbuild (plugin-format, the SDK's
//                                        shared-modules list, zod, semver, yauzl, fflate inside),
//                                        esbuild its one dependency (native: it cannot be bundled).
// Each package is staged in a temporary folder with a package.json written for publishing, then
// `npm pack`ed into dist/kit/ (or --out). No network: nothing is installed.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sdkDir = path.join(root, 'packages/plugin-sdk');
const kitDir = path.join(root, 'packages/plugin-kit');
const require = createRequire(import.meta.url);

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = path.resolve(values.out ?? path.join(root, 'dist/kit'));

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const rootPackage = readJson(path.join(root, 'package.json'));
const sdkPackage = readJson(path.join(sdkDir, 'package.json'));
const kitPackage = readJson(path.join(kitDir, 'package.json'));

/** The fields every published package.json carries, from the workspace's own. */
function publishedFields(pkg) {
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    type: 'module',
    engines: rootPackage.engines,
  };
}

/** `npm pack` in `dir`, into outDir; returns the tarball's absolute path. */
function npmPack(dir) {
  const output = execFileSync(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [result] = JSON.parse(output);
  return path.join(outDir, result.filename);
}

/** Only what authors import: the backend entry, the web entry, the shared-modules list. */
const SDK_ENTRIES = ['.', './web', './shared-modules'];

function stageSdk(stage) {
  const dir = path.join(stage, 'plugin-sdk');
  // tsc straight into the staging folder: the workspace's packages/plugin-sdk/dist is left alone.
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      path.join(sdkDir, 'tsconfig.build.json'),
      '--outDir',
      path.join(dir, 'dist'),
    ],
    { cwd: sdkDir, stdio: 'inherit' },
  );
  // The sources the source maps point at (tests left out). tsc wrote each map's `sources` from
  // the staging folder to the workspace's src/: point them at the copy shipped beside dist/.
  cpSync(path.join(sdkDir, 'src'), path.join(dir, 'src'), {
    recursive: true,
    filter: (file) => !/\.test\.tsx?$/.test(file),
  });
  for (const name of readdirSync(path.join(dir, 'dist'), { recursive: true })) {
    if (!name.endsWith('.map')) continue;
    const file = path.join(dir, 'dist', name);
    const map = readJson(file);
    map.sources = map.sources.map((source) => {
      const inSdk = path.relative(sdkDir, path.resolve(path.dirname(file), source));
      if (!inSdk.startsWith(`src${path.sep}`)) throw new Error(`${file}: a source outside src/`);
      return path.relative(path.dirname(file), path.join(dir, inSdk)).split(path.sep).join('/');
    });
    writeFileSync(file, JSON.stringify(map));
  }
  const exports = {};
  for (const entry of SDK_ENTRIES) {
    const source = sdkPackage.exports[entry];
    if (typeof source !== 'string' || !source.startsWith('./src/') || !source.endsWith('.ts')) {
      throw new Error(`${sdkPackage.name}: export ${entry} is not a ./src/*.ts file: ${source}`);
    }
    const compiled = source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '');
    exports[entry] = { types: `${compiled}.d.ts`, default: `${compiled}.js` };
  }
  exports['./package.json'] = './package.json';
  writeJson(path.join(dir, 'package.json'), {
    ...publishedFields(sdkPackage),
    exports,
    files: ['dist', 'src'],
    peerDependencies: sdkPackage.peerDependencies,
    peerDependenciesMeta: sdkPackage.peerDependenciesMeta,
  });
  return dir;
}

/**
 * The kit finds its template and its package.json with `new URL('<relative>', import.meta.url)`
 * from each source file. In the bundle every such URL is relative to dist/ instead, so each one is
 * rewritten to point at the same file from there; one outside the package (not shipped) fails the
 * pack rather than the author's first `create`.
 */
function relocateUrls() {
  const pattern = /new URL\((['"])(\.\.?\/[^'"]*)\1,\s*import\.meta\.url\)/g;
  return {
    name: 'relocate-kit-urls',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
        if (!args.path.startsWith(path.join(kitDir, 'src') + path.sep)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        const contents = source.replace(pattern, (_match, quote, relative) => {
          const target = path.resolve(path.dirname(args.path), relative);
          const inPackage = path.relative(kitDir, target);
          if (inPackage.startsWith('..') || !/^(template|package\.json)(\/|$)/.test(inPackage)) {
            throw new Error(`${args.path}: ${relative} is not shipped in the kit's tarball`);
          }
          // The bundles are in dist/ of the same package: one folder below its root.
          let moved = path.posix.join('..', inPackage.split(path.sep).join('/'));
          if (relative.endsWith('/')) moved += '/';
          return `new URL(${quote}${moved}${quote}, import.meta.url)`;
        });
        return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}

/**
 * `@polyphony/plugin-kit/testing` re-exports the host's testing helper, which only exists in a
 * Polyphony checkout. The module imports it dynamically so that, without it, the author reads why
 * instead of a bare ERR_MODULE_NOT_FOUND. The names it re-exports are read from the helper itself.
 */
async function testingModule() {
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'backend/src/testing/index.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  const names = [...output.exports].sort();
  if (!names.includes('createTestHost')) {
    throw new Error('the testing helper has no createTestHost');
  }
  return [
    "// The host's testing helper (docs/plugins/testing.md): it boots Polyphony in-process, so it",
    '// needs the host, which is not published. Inside a Polyphony checkout it resolves.',
    'let testing;',
    'try {',
    "  testing = await import('@polyphony/backend/testing');",
    '} catch (error) {',
    "  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('@polyphony/backend')) throw error;",
    '  throw new Error(',
    "    '@polyphony/plugin-kit/testing boots the Polyphony host in your tests, and the host is not ' +",
    "      'installed here (@polyphony/backend is not found). It is not published: run the tests from a ' +",
    "      'plugin folder inside a Polyphony checkout (for example under examples/plugins/). build, ' +",
    "      'pack, validate and dev work anywhere.',",
    '    { cause: error },',
    '  );',
    '}',
    ...names.map((name) => `export const ${name} = testing.${name};`),
    '',
  ].join('\n');
}

async function stageKit(stage) {
  const dir = path.join(stage, 'plugin-kit');
  const bundleDir = path.join(dir, 'dist');
  await esbuild.build({
    absWorkingDir: kitDir,
    entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
    outdir: bundleDir,
    bundle: true,
    splitting: true,
    chunkNames: '[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Native binaries: installed by npm for the author's platform, never bundled.
    external: ['esbuild'],
    // yauzl and other CommonJS dependencies require Node's built-ins; ES modules have no require.
    banner: {
      js:
        "import { createRequire as __kitCreateRequire } from 'node:module';\n" +
        'const require = __kitCreateRequire(import.meta.url);',
    },
    legalComments: 'eof',
    logLevel: 'warning',
    plugins: [relocateUrls()],
  });
  cpSync(path.join(kitDir, 'template'), path.join(dir, 'template'), { recursive: true });
  cpSync(path.join(kitDir, 'README.md'), path.join(dir, 'README.md'));
  mkdirSync(path.join(dir, 'bin'));
  for (const [bin, args] of [
    ['polyphony-plugin', 'process.argv.slice(2)'],
    ['create-polyphony-plugin', "['create', ...process.argv.slice(2)]"],
  ]) {
    writeFileSync(
      path.join(dir, 'bin', `${bin}.js`),
      `#!/usr/bin/env node\nimport { main } from '../dist/cli.js';\n\nprocess.exitCode = await main(${args});\n`,
      { mode: 0o755 },
    );
  }
  writeFileSync(path.join(dir, 'testing.js'), await testingModule());
  writeFileSync(path.join(dir, 'testing.d.ts'), "export * from '@polyphony/backend/testing';\n");
  if (!kitPackage.dependencies?.esbuild) throw new Error('the kit does not depend on esbuild');
  writeJson(path.join(dir, 'package.json'), {
    ...publishedFields(kitPackage),
    bin: {
      'polyphony-plugin': './bin/polyphony-plugin.js',
      'create-polyphony-plugin': './bin/create-polyphony-plugin.js',
    },
    exports: {
      '.': './dist/index.js',
      './testing': { types: './testing.d.ts', default: './testing.js' },
      './package.json': './package.json',
    },
    files: ['bin', 'dist', 'template', 'testing.js', 'testing.d.ts', 'README.md'],
    dependencies: { esbuild: kitPackage.dependencies.esbuild },
  });
  return dir;
}

const stage = mkdtempSync(path.join(os.tmpdir(), 'polyphony-pack-kit-'));
try {
  mkdirSync(outDir, { recursive: true });
  const sdk = stageSdk(stage);
  const kit = await stageKit(stage);
  for (const dir of [sdk, kit]) console.log(npmPack(dir));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
