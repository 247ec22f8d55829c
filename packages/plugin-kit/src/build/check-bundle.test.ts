import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { checkFrontendBundle, REACT_INTERNALS_MARKERS } from './check-bundle.ts';

type Import = Metafile['outputs'][string]['imports'][number];

/** A metafile of one output, `build/frontend/index.js`, built from `inputs`. */
function metafile(imports: Import[], inputs: Record<string, Import[]> = {}): Metafile {
  return {
    inputs: Object.fromEntries(
      Object.entries({ 'src/frontend/index.tsx': [], ...inputs }).map(([file, fileImports]) => [
        file,
        { bytes: 1, imports: fileImports },
      ]),
    ),
    outputs: {
      'build/frontend/index.js': {
        bytes: 1,
        imports,
        exports: ['default'],
        inputs: {},
      },
      'build/frontend/index.js.map': { bytes: 1, imports: [], exports: [], inputs: {} },
    },
  };
}

const external = (path: string, kind: Import['kind'] = 'import-statement'): Import => ({
  path,
  kind,
  external: true,
});

describe('checkFrontendBundle', () => {
  it('accepts imports of the shared modules and of its own chunks', () => {
    const check = checkFrontendBundle(
      metafile([
        external('react'),
        external('react/jsx-runtime'),
        external('@polyphony/plugin-sdk/web'),
        { path: 'build/frontend/chunks/lazy-X.js', kind: 'dynamic-import' },
      ]),
      () => 'code',
    );
    expect(check).toEqual({ errors: [], warnings: [] });
  });

  it('refuses a module the host does not provide, naming who imports it', () => {
    const check = checkFrontendBundle(
      metafile([external('lodash')], { 'src/frontend/util.ts': [external('lodash')] }),
      () => '',
    );
    expect(check.errors).toEqual([
      expect.stringMatching(
        /^src\/frontend\/util\.ts imports "lodash", which Polyphony does not provide/,
      ),
    ]);
  });

  it('refuses a require() left in the bundle', () => {
    const check = checkFrontendBundle(metafile([external('react', 'require-call')]), () => '');
    expect(check.errors).toEqual([expect.stringContaining('calls require("react")')]);
  });

  it.each([
    ['node_modules/react/cjs/react.production.js', 'react'],
    ['node_modules/react/index.js', 'react'],
    ['node_modules/react-dom/cjs/react-dom-server.browser.production.js', 'react-dom'],
    ['node_modules/some-lib/node_modules/react/cjs/react.development.js', 'react'],
  ])('refuses a bundled copy of React: %s', (input, name) => {
    const check = checkFrontendBundle(metafile([], { [input]: [] }), () => '');
    expect(check.errors).toEqual([
      expect.stringContaining(`contains a copy of ${name} (${input})`),
    ]);
  });

  it.each([
    'node_modules/react/compiler-runtime.js',
    'node_modules/react-is/cjs/react-is.production.js',
    'node_modules/react-redux/dist/react-redux.mjs',
    'src/frontend/react/index.js',
  ])('does not mistake %s for React', (input) => {
    expect(checkFrontendBundle(metafile([], { [input]: [] }), () => '').errors).toEqual([]);
  });

  it("warns about code that reaches into React's internals", () => {
    const check = checkFrontendBundle(metafile([]), (output) =>
      output.endsWith('.js') ? `x.${REACT_INTERNALS_MARKERS[0]}.H` : undefined,
    );
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([expect.stringContaining("uses React's internals")]);
  });
});
