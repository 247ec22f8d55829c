import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runtimeImports } from '../test-support/runtime-imports.ts';
import { isSharedModule, SHARED_MODULES } from './shared-modules.ts';

describe('SHARED_MODULES', () => {
  it('is what the frontend guide tells plugin authors to leave out of their bundles', async () => {
    const guide = await readFile(
      new URL('../../../docs/plugins/frontend.md', import.meta.url),
      'utf8',
    );
    const listed =
      /The page has an import map that provides exactly these modules[^`]*```\n([^`]*)```/.exec(
        guide,
      );
    expect(listed?.[1]?.trim().split('\n')).toEqual([...SHARED_MODULES]);
  });

  it('includes the web entry and never the backend entry, which plugins bundle', () => {
    expect(isSharedModule('@polyphony/plugin-sdk/web')).toBe(true);
    expect(isSharedModule('@polyphony/plugin-sdk')).toBe(false);
    expect(isSharedModule('react/jsx-dev-runtime')).toBe(false);
  });

  it('imports nothing, so any build tool can load it', async () => {
    const { imports, inputs } = await runtimeImports(
      new URL('./shared-modules.ts', import.meta.url),
    );
    expect(inputs).toHaveLength(1);
    expect(imports).toEqual([]);
  });
});
