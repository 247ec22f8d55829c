import { describe, expect, it } from 'vitest';
import { runtimeImports } from '../test-support/runtime-imports.ts';
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
    const { imports, inputs } = await runtimeImports(new URL('./index.ts', import.meta.url));
    expect(imports).toEqual([]);
    expect(inputs.every((input) => /src\/(backend\/[a-z-]+|index|version)\.ts$/.test(input))).toBe(
      true,
    );
  });
});
