import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isKitError } from '../kit-error.ts';
import { packPlugin } from '../pack/pack.ts';
import { createTempPlugin, type TempPlugin } from '../test-support/temp-plugin.ts';
import { formatProblem, validatePlugin } from './validate.ts';

const BROKEN_MANIFEST = {
  id: 'Bad_Id',
  name: '',
  version: 'v1.0',
  polyphony: '^0.1.0',
  versoin: '1',
  navigation: [{ label: 'X', path: 'no-slash', roles: [] }],
  settings: {
    type: 'object',
    properties: { greeting: { type: 'string', defualt: 'Hi' } },
  },
};

let temp: TempPlugin;

afterEach(async () => {
  await temp.remove();
});

describe('validatePlugin', () => {
  it('accepts the plugin create writes', async () => {
    temp = await createTempPlugin();
    const result = await validatePlugin(temp.plugin);
    expect(result.problems).toEqual([]);
    expect(result.kind).toBe('folder');
    expect(result.manifest).toMatchObject({ id: 'my-plugin', version: '0.1.0' });
    expect(result.files).toContain('frontend/index.js');
  });

  it('lists every problem of a broken manifest, each naming its field', async () => {
    temp = await createTempPlugin();
    await writeFile(path.join(temp.plugin, 'plugin.json'), JSON.stringify(BROKEN_MANIFEST));
    const result = await validatePlugin(temp.plugin);
    expect(result.manifest).toBeNull();
    expect(result.problems.every((p) => p.code === 'MANIFEST_INVALID')).toBe(true);
    expect(result.problems.map((p) => p.where).sort()).toEqual(
      [
        'author',
        'id',
        'name',
        'navigation.0.path',
        'navigation.0.roles',
        'settings.properties.greeting',
        'version',
        'versoin',
      ].sort(),
    );
    const lines = result.problems.map(formatProblem);
    expect(lines).toContain('versoin: is not a known field (MANIFEST_INVALID)');
    expect(lines.find((line) => line.startsWith('settings.properties.greeting: '))).toContain(
      'defualt',
    );
  });

  it('checks a ZIP as it is, and the host version when asked', async () => {
    temp = await createTempPlugin();
    const { file } = await packPlugin(temp.plugin);
    expect((await validatePlugin(file)).problems).toEqual([]);
    const result = await validatePlugin(file, { hostVersion: '0.2.0' });
    expect(result.kind).toBe('zip');
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'PLUGIN_INCOMPATIBLE', where: 'polyphony' }),
    ]);
  });

  it('reports a file that is not a ZIP as a problem of the archive', async () => {
    temp = await createTempPlugin();
    const file = path.join(temp.dir, 'not-a.zip');
    await writeFile(file, 'hello');
    const { problems } = await validatePlugin(file);
    expect(problems).toEqual([expect.objectContaining({ code: 'ARCHIVE_INVALID' })]);
  });

  it('refuses a path that does not exist', async () => {
    temp = await createTempPlugin();
    const error: unknown = await validatePlugin(path.join(temp.dir, 'nope')).catch(
      (e: unknown) => e,
    );
    expect(isKitError(error) && error.code).toBe('KIT_NOT_FOUND');
  });
});
