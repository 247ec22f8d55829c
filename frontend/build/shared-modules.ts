import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
// `@polyphony/plugin-sdk/shared-modules`, by path: Vite's config loader hands bare imports to
// Node, which cannot run the SDK's TypeScript sources; a relative import is bundled instead.
import { SHARED_MODULES, type SharedModule } from '../../packages/plugin-sdk/src/shared-modules.ts';

/**
 * The modules the host shares with plugin bundles, through the page's import map. The list lives
 * in the SDK, so the host's build and the plugin kit read the same one.
 */
export const SHARED_SPECIFIERS = SHARED_MODULES;

export type SharedSpecifier = SharedModule;

/**
 * The SDK's web entry is TypeScript, which this config cannot load, so its export names are kept
 * here; a unit test compares them with the module itself.
 */
export const SDK_WEB_EXPORTS = [
  'ApiError',
  'CLIENT_ERROR_CODES',
  'PluginLink',
  'definePluginFrontend',
  'isApiError',
  'usePageParams',
  'usePlugin',
  'useCurrentUser',
  'useSettings',
];

/** The global the host fills, at start, with the module objects it runs. */
export const SHARED_GLOBAL = '__POLYPHONY_SHARED_MODULES__';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The named exports of a CommonJS package (React's), read the way Node would load it. */
function commonJsExports(specifier: string, fromDir: string): string[] {
  const require = createRequire(`${fromDir}/`);
  const loaded = require(specifier) as Record<string, unknown>;
  return Object.keys(loaded).filter((name) => name !== 'default' && IDENTIFIER.test(name));
}

export function exportNamesOf(specifier: SharedSpecifier, fromDir: string): string[] {
  const names =
    specifier === '@polyphony/plugin-sdk/web'
      ? SDK_WEB_EXPORTS
      : commonJsExports(specifier, fromDir);
  return [...names].sort();
}

/**
 * A shim module: it hands out the host's own instance of `specifier`, so host and plugins share
 * one React (one set of hooks, one context tree) however each was bundled.
 */
export function shimSource(specifier: SharedSpecifier, names: readonly string[]): string {
  const key = JSON.stringify(specifier);
  return [
    `const registry = globalThis[${JSON.stringify(SHARED_GLOBAL)}];`,
    `const shared = registry && registry[${key}];`,
    `if (!shared) throw new Error(${JSON.stringify(
      `${specifier} is provided by the Polyphony host page; this module ran outside it.`,
    )});`,
    'export default shared.default ?? shared;',
    names.length > 0 ? `export const { ${names.join(', ')} } = shared;` : '',
    '',
  ].join('\n');
}

function fileStem(specifier: string): string {
  return specifier.replace(/^@/, '').replace(/[^a-z0-9]+/gi, '-');
}

interface Shim {
  specifier: SharedSpecifier;
  source: string;
  /** Under `assets/` in a build; served by the dev server in development. */
  fileName: string;
}

export function buildShims(fromDir: string): Shim[] {
  return SHARED_SPECIFIERS.map((specifier) => {
    const source = shimSource(specifier, exportNamesOf(specifier, fromDir));
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
    return { specifier, source, fileName: `assets/shared/${fileStem(specifier)}-${hash}.js` };
  });
}

export function importMapOf(shims: readonly Shim[], base: string): string {
  const imports = Object.fromEntries(shims.map((s) => [s.specifier, `${base}${s.fileName}`]));
  return JSON.stringify({ imports });
}

/**
 * Emits one small shim module per shared specifier (content-hashed, cached for good) and writes
 * the import map that points plugin bundles at them into index.html, before any module script.
 */
export function sharedModulesPlugin(): Plugin {
  let shims: Shim[] = [];
  let base = '/';
  return {
    name: 'polyphony:shared-modules',
    configResolved(config) {
      base = config.base;
      shims = buildShims(config.root);
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const url = request.url?.split('?')[0] ?? '';
        const shim = shims.find((s) => `${base}${s.fileName}` === url);
        if (shim === undefined) {
          next();
          return;
        }
        response.setHeader('Content-Type', 'text/javascript; charset=utf-8');
        response.end(shim.source);
      });
    },
    generateBundle() {
      for (const shim of shims) {
        this.emitFile({ type: 'asset', fileName: shim.fileName, source: shim.source });
      }
    },
    transformIndexHtml: {
      order: 'pre',
      handler: () => [
        {
          tag: 'script',
          attrs: { type: 'importmap' },
          children: importMapOf(shims, base),
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}
