// Builds plugin frontends the way the plugin author docs tell authors to: a plain Vite library
// build, or esbuild, with the host's shared modules left as bare imports for its import map.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild, parseSync } from 'vite';
import { SHARED_SPECIFIERS } from '../../frontend/build/shared-modules.ts';

/** The modules the host page provides through its import map: a bundle imports only these. */
export const PLUGIN_SHARED_MODULES: readonly string[] = SHARED_SPECIFIERS;

export interface PluginBuildOptions {
  /** Build-time constants, as JavaScript source: `{ __VERSION__: JSON.stringify('1.1.0') }`. */
  define?: Record<string, string>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The notes fixture's frontend (e2e/fixtures/plugins/notes-web), for the notes backend fixture. */
export const NOTES_WEB_ENTRY = path.join(root, 'e2e/fixtures/plugins/notes-web/index.tsx');

/** The define that sets the version the notes frontend shows (`frontend 1.1.0`). */
export function notesWebDefine(version: string): Record<string, string> {
  return { __NOTES_FRONTEND_VERSION__: JSON.stringify(version) };
}

function defineFor(options: PluginBuildOptions): Record<string, string> {
  // Vite's library mode leaves process.env alone, and under Vitest NODE_ENV is "test": say it.
  return { 'process.env.NODE_ENV': JSON.stringify('production'), ...options.define };
}

/** Plain Vite library mode: the config the docs give plugin authors, minus `root`/`outDir`. */
export async function buildWithVite(
  entry: string,
  options: PluginBuildOptions = {},
): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'polyphony-plugin-vite-'));
  try {
    await viteBuild({
      configFile: false,
      envDir: false,
      root: path.dirname(entry),
      mode: 'production',
      logLevel: 'warn',
      publicDir: false,
      define: defineFor(options),
      // Vite picks the JSX dev runtime whenever process.env.NODE_ENV is not "production" (under
      // Vitest it is "test"), and react/jsx-dev-runtime is not a shared module.
      oxc: { jsx: { runtime: 'automatic', importSource: 'react', development: false } },
      build: {
        outDir,
        emptyOutDir: true,
        copyPublicDir: false,
        lib: { entry, formats: ['es'], fileName: () => 'index.js' },
        rolldownOptions: { external: [...PLUGIN_SHARED_MODULES] },
      },
    });
    return checkedBundle(await readFile(path.join(outDir, 'index.js'), 'utf8'), entry, 'Vite');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The same bundle with esbuild's JS API. */
export async function buildWithEsbuild(
  entry: string,
  options: PluginBuildOptions = {},
): Promise<string> {
  const result = await esbuild({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    jsx: 'automatic',
    minify: true,
    external: [...PLUGIN_SHARED_MODULES],
    define: defineFor(options),
    outfile: 'index.js',
    write: false,
    logLevel: 'warning',
  });
  const output = result.outputFiles.find((file) => file.path.endsWith('.js'));
  if (output === undefined) throw new Error(`esbuild produced no JavaScript for ${entry}`);
  return checkedBundle(output.text, entry, 'esbuild');
}

/** Every module a bundle loads: static imports, re-exports, and string-literal dynamic imports. */
export function importedSpecifiers(code: string): string[] {
  const { module, errors } = parseSync('index.js', code, { sourceType: 'module' });
  if (errors.length > 0) {
    throw new Error(`not valid JavaScript: ${errors.map((e) => e.message).join('; ')}`);
  }
  const specifiers = [
    ...module.staticImports.map((i) => i.moduleRequest.value),
    ...module.staticExports.flatMap((e) =>
      e.entries.flatMap((entry) => (entry.moduleRequest ? [entry.moduleRequest.value] : [])),
    ),
    ...module.dynamicImports.flatMap((i) => {
      const literal = /^(['"`])(.*)\1$/.exec(
        code.slice(i.moduleRequest.start, i.moduleRequest.end),
      );
      return literal?.[2] === undefined ? [] : [literal[2]];
    }),
  ];
  return [...new Set(specifiers)];
}

/** Strings only a copy of React or ReactDOM contains (React 19, and older for good measure). */
export const REACT_COPY_MARKERS = [
  'react.transitional.element',
  'react.fragment',
  '__CLIENT_INTERNALS_DO_NOT_USE',
  '__SECRET_INTERNALS_DO_NOT_USE',
  'react.production',
  'react-dom.production',
  'ReactCurrentDispatcher',
];

/**
 * Refuses a bundle the host could not load: one that imports anything but the shared modules (the
 * page has nothing else in its import map), that `require`s one of them (a CommonJS dependency
 * bundled around an external React, which throws in the browser), or that carries its own copy of
 * React (two Reacts: hooks fail, and the host's context never reaches the plugin's pages).
 */
function checkedBundle(code: string, entry: string, builder: string): string {
  const foreign = importedSpecifiers(code).filter((s) => !PLUGIN_SHARED_MODULES.includes(s));
  if (foreign.length > 0) {
    throw new Error(
      `${builder} bundle of ${entry} imports ${foreign.join(', ')}; ` +
        `a plugin bundle may import only ${PLUGIN_SHARED_MODULES.join(', ')}`,
    );
  }
  const required = PLUGIN_SHARED_MODULES.filter((s) => requireCallOf(s).test(code));
  if (required.length > 0) {
    throw new Error(
      `${builder} bundle of ${entry} calls require() on ${required.join(', ')}, which fails in ` +
        'the browser: a bundled CommonJS dependency imports a shared module',
    );
  }
  const copies = REACT_COPY_MARKERS.filter((marker) => code.includes(marker));
  if (copies.length > 0) {
    throw new Error(
      `${builder} bundle of ${entry} contains a copy of React (${copies.join(', ')}); ` +
        'React must come from the host: mark the shared modules external',
    );
  }
  return code;
}

function requireCallOf(specifier: string): RegExp {
  const literal = specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(String.raw`\brequire\(\s*(['"\x60])${literal}\1\s*\)`);
}
