import path from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { SHARED_MODULES } from '@polyphony/plugin-sdk/shared-modules';
import { BACKEND_OUTPUT, FRONTEND_OUTPUT, type PluginProject } from '../project.ts';

export interface SideOptions {
  /** Readable output: no minification. The frontend still uses the production JSX runtime. */
  dev?: boolean;
}

/** The specifiers the host's page provides; a frontend bundle imports these and nothing else. */
export const SHARED_SPECIFIERS: readonly string[] = SHARED_MODULES;

/**
 * Bundled CommonJS code in an ES module has no `require`; esbuild's stand-in throws "Dynamic
 * require of ... is not supported" unless one exists. esbuild renames any `require` the plugin's
 * own code declares, so this one cannot clash.
 */
const NODE_REQUIRE_BANNER =
  "import { createRequire as __polyphonyCreateRequire } from 'node:module';\n" +
  'const require = __polyphonyCreateRequire(import.meta.url);';

/**
 * The backend: one ES module for Node, every npm package bundled (the host provides none, not
 * even hono or kysely), Node's built-ins left as imports. The same in development and production.
 */
export function backendBuildOptions(project: PluginProject): BuildOptions {
  if (project.backendEntry === null) throw new Error('the project has no backend entry');
  return {
    ...commonOptions(project),
    entryPoints: [project.backendEntry],
    outfile: path.join(project.buildDir, BACKEND_OUTPUT),
    platform: 'node',
    target: 'node20',
    banner: { js: NODE_REQUIRE_BANNER },
    // Never minified: the server's stack traces and logs stay readable, and size hardly matters.
    minify: false,
  };
}

/**
 * The frontend: one ES module (plus chunks for dynamic imports) for the browser, the shared modules
 * left as bare imports for the host's import map, everything else bundled, the production JSX
 * runtime (react/jsx-dev-runtime is not shared).
 */
export function frontendBuildOptions(
  project: PluginProject,
  options: SideOptions = {},
): BuildOptions {
  if (project.frontendEntry === null) throw new Error('the project has no frontend entry');
  const outdir = path.join(project.buildDir, path.posix.dirname(FRONTEND_OUTPUT));
  return {
    ...commonOptions(project),
    entryPoints: { [path.posix.basename(FRONTEND_OUTPUT, '.js')]: project.frontendEntry },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    jsxDev: false,
    jsxImportSource: 'react',
    // Bundled libraries branch on it; React itself comes from the host, already built.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    minify: !options.dev,
    plugins: [sharedModulesPlugin(project.root)],
  };
}

function commonOptions(project: PluginProject): BuildOptions {
  return {
    // Paths in comments, source maps and messages are relative to the project, whatever its
    // location, so two checkouts of the same sources build the same bytes.
    absWorkingDir: project.root,
    bundle: true,
    format: 'esm',
    sourcemap: 'linked',
    charset: 'utf8',
    write: false,
    metafile: true,
    logLevel: 'silent',
  };
}

const SHARED_REQUIRE_NAMESPACE = 'polyphony-shared-require';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Leaves the shared modules to the host's import map, matching the specifiers exactly. esbuild's
 * own `external` would also leave out every path below them (`react-dom/server`,
 * `react/compiler-runtime`), which the host does not provide: those are bundled instead.
 *
 * A CommonJS dependency that calls `require('react')` (use-sync-external-store, older React
 * libraries) would keep that call in an ES module, where it throws in the browser. Such calls go
 * to a tiny ES module that re-exports the host's shared module, so the bundle imports it like
 * everything else and the dependency gets the host's React.
 */
export function sharedModulesPlugin(resolveDir: string): Plugin {
  const filter = new RegExp(`^(?:${SHARED_SPECIFIERS.map(escapeRegExp).join('|')})$`);
  return {
    name: 'polyphony-shared-modules',
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.kind === 'require-call'
          ? { path: args.path, namespace: SHARED_REQUIRE_NAMESPACE }
          : { path: args.path, external: true },
      );
      build.onLoad({ filter: /.*/, namespace: SHARED_REQUIRE_NAMESPACE }, (args) => {
        const specifier = JSON.stringify(args.path);
        return {
          contents: `export * from ${specifier};\nexport { default } from ${specifier};\n`,
          loader: 'js',
          resolveDir,
        };
      });
    },
  };
}
