import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as sdk from './index.ts';

describe('the root entry', () => {
  it('exports exactly the backend API, as values', () => {
    expect(Object.keys(sdk).sort()).toEqual([
      'PluginError',
      'SDK_VERSION',
      'defineMigration',
      'definePlugin',
      'hasRole',
      'isPluginError',
      'requireRole',
      'validationFailed',
    ]);
  });

  it('imports nothing at run time: no React, no DOM, not even hono or kysely', async () => {
    // Bundled the way a plugin's backend bundles it, with every package left external: any
    // import that survives type erasure would show up as an external in the output.
    const result = await build({
      entryPoints: [new URL('./index.ts', import.meta.url).pathname],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
    });
    const output = Object.values(result.metafile.outputs)[0];
    expect(output?.imports).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.every((input) => /src\/(backend\/[a-z-]+|index|version)\.ts$/.test(input))).toBe(
      true,
    );
  });
});
