import type { Metafile } from 'esbuild';
import { SHARED_SPECIFIERS } from './esbuild-options.ts';

export interface BundleCheck {
  /** The host could not load the bundle: the build fails. */
  errors: string[];
  /** Probably wrong, but legitimate uses exist: printed, the build goes on. */
  warnings: string[];
}

/**
 * Files that are React or ReactDOM themselves (not helpers such as react/compiler-runtime, which
 * use the shared React): a second copy breaks hooks and contexts, which need the host's instance.
 */
const REACT_COPY_FILES: Record<string, RegExp> = {
  react: /^(?:index\.js|cjs\/react\.(?:production|development)(?:\.min)?\.js)$/,
  'react-dom': /./,
};

/**
 * Property names only React and ReactDOM use (their shared internals, React 19 and 18). A bundle
 * containing one carries a copy of React that esbuild could not see as such (a pre-bundled
 * dependency), or reaches into React's internals: either way, worth a look.
 */
export const REACT_INTERNALS_MARKERS = [
  '__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE',
  '__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED',
];

function reactCopyOf(input: string): string | null {
  // The last node_modules segment names the package the file belongs to.
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/((?:(?!node_modules\/).)*)$/.exec(
    input,
  );
  const name = match?.[1];
  const file = match?.[2];
  if (name === undefined || file === undefined) return null;
  return REACT_COPY_FILES[name]?.test(file) ? name : null;
}

function importersOf(metafile: Metafile, specifier: string): string[] {
  return Object.entries(metafile.inputs)
    .filter(([, input]) => input.imports.some((i) => i.external === true && i.path === specifier))
    .map(([file]) => file)
    .sort();
}

/**
 * Checks a frontend build the way the host's page will load it: it may import the shared modules
 * and its own chunks, nothing else; it must not `require()` anything (no `require` in a browser
 * module); it must not contain React (two Reacts: hooks fail, `usePlugin()` finds no context).
 */
export function checkFrontendBundle(
  metafile: Metafile,
  textOf: (outputPath: string) => string | undefined,
): BundleCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const foreign = new Set<string>();
  const required = new Set<string>();
  for (const [outputPath, output] of Object.entries(metafile.outputs)) {
    if (!outputPath.endsWith('.js')) continue;
    for (const imported of output.imports) {
      if (imported.external !== true) continue;
      if (imported.kind === 'require-call' || imported.kind === 'require-resolve') {
        required.add(imported.path);
      } else if (!SHARED_SPECIFIERS.includes(imported.path)) {
        foreign.add(imported.path);
      }
    }
    const text = textOf(outputPath) ?? '';
    const markers = REACT_INTERNALS_MARKERS.filter((marker) => text.includes(marker));
    if (markers.length > 0) {
      warnings.push(
        `${outputPath} uses React's internals (${markers.join(', ')}): it may carry its own ` +
          'copy of React, which breaks hooks. React must come from the host.',
      );
    }
  }
  for (const specifier of [...foreign].sort()) {
    const importers = importersOf(metafile, specifier);
    errors.push(
      `${importers.join(', ') || 'the bundle'} imports "${specifier}", which Polyphony does not ` +
        `provide to plugin pages: bundle it. Only ${SHARED_SPECIFIERS.join(', ')} come from the host.`,
    );
  }
  for (const specifier of [...required].sort()) {
    errors.push(
      `${importersOf(metafile, specifier).join(', ') || 'the bundle'} calls require("${specifier}"), ` +
        'which fails in the browser: use an ES module version of that dependency.',
    );
  }
  const copies = new Map<string, string>();
  for (const input of Object.keys(metafile.inputs).sort()) {
    const name = reactCopyOf(input);
    if (name !== null && !copies.has(name)) copies.set(name, input);
  }
  for (const [name, input] of copies) {
    errors.push(
      `the bundle contains a copy of ${name} (${input}). React must come from the host: import ` +
        `it as "react", "react-dom" or "react-dom/client" and nothing deeper, so it stays external.`,
    );
  }
  return { errors, warnings };
}
