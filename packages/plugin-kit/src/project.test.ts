import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isKitError } from './kit-error.ts';
import { archiveIdentity, checkEntryFields, findProject } from './project.ts';
import { tempFolder, type TempFolder } from './test-support/temp-plugin.ts';

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return isKitError(error) ? error.code : 'not a KitError';
  }
}

describe('findProject', () => {
  let temp: TempFolder;

  afterEach(async () => {
    await temp.remove();
  });

  it('finds the entries by convention, in JavaScript too', async () => {
    temp = await tempFolder();
    await writeFile(path.join(temp.dir, 'plugin.json'), '{}');
    await mkdir(path.join(temp.dir, 'src/backend'), { recursive: true });
    await mkdir(path.join(temp.dir, 'src/frontend/public'), { recursive: true });
    await writeFile(path.join(temp.dir, 'src/backend/index.mjs'), '');
    await writeFile(path.join(temp.dir, 'src/frontend/index.jsx'), '');
    expect(await findProject(temp.dir)).toMatchObject({
      root: temp.dir,
      backendEntry: 'src/backend/index.mjs',
      frontendEntry: 'src/frontend/index.jsx',
      publicDir: 'src/frontend/public',
      buildDir: path.join(temp.dir, 'build'),
      distDir: path.join(temp.dir, 'dist'),
    });
  });

  it('prefers TypeScript when both are there, and tells when a side is missing', async () => {
    temp = await tempFolder();
    await writeFile(path.join(temp.dir, 'plugin.json'), '{}');
    await mkdir(path.join(temp.dir, 'src/backend'), { recursive: true });
    await writeFile(path.join(temp.dir, 'src/backend/index.js'), '');
    await writeFile(path.join(temp.dir, 'src/backend/index.ts'), '');
    expect(await findProject(temp.dir)).toMatchObject({
      backendEntry: 'src/backend/index.ts',
      frontendEntry: null,
      publicDir: null,
    });
  });
});

describe('archiveIdentity', () => {
  it('reads the id and version that name the ZIP', () => {
    expect(archiveIdentity({ id: 'team-polls', version: '1.2.0-beta.1' })).toEqual({
      id: 'team-polls',
      version: '1.2.0-beta.1',
    });
  });

  it.each([
    [null],
    [{ version: '1.0.0' }],
    [{ id: 'x', version: 1 }],
    [{ id: '../evil', version: '1.0.0' }],
    [{ id: 'x', version: '1.0.0/../../y' }],
  ])('refuses %j', (json) => {
    expect(codeOf(() => archiveIdentity(json))).toBe('KIT_MANIFEST_UNREADABLE');
  });
});

describe('checkEntryFields', () => {
  it('accepts a manifest without entry fields, or with the default paths', () => {
    expect(
      codeOf(() => {
        checkEntryFields({ id: 'x' });
      }),
    ).toBeNull();
    expect(
      codeOf(() => {
        checkEntryFields({ backend: 'backend/main.js', frontend: 'frontend/index.js' });
      }),
    ).toBeNull();
  });

  it('refuses paths the kit does not write', () => {
    expect(
      codeOf(() => {
        checkEntryFields({ frontend: 'web/index.js' });
      }),
    ).toBe('KIT_BUILD_FAILED');
  });
});
