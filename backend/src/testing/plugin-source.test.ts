import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPluginSource, zipFolder } from './plugin-source.ts';
import { isTestHostError } from './test-host-error.ts';

let dir: string;

async function write(file: string, content: string): Promise<void> {
  await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await fs.writeFile(path.join(dir, file), content);
}

function entries(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(
    Object.entries(unzipSync(bytes)).map(([name, content]) => [name, strFromU8(content)]),
  );
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isTestHostError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugin-source-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('readPluginSource', () => {
  it('zips an archive tree as it is, every file at its path', async () => {
    await write('tree/plugin.json', '{"id":"demo"}');
    await write('tree/backend/main.js', 'export default {}');
    const archive = await readPluginSource(path.join(dir, 'tree'));
    expect(archive.filename).toBe('tree.zip');
    expect(entries(archive.bytes)).toEqual({
      'backend/main.js': 'export default {}',
      'plugin.json': '{"id":"demo"}',
    });
  });

  it("zips a project's build folder, not its sources", async () => {
    await write('project/plugin.json', '{"id":"source"}');
    await write('project/src/backend/index.ts', 'export default {}');
    await write('project/build/plugin.json', '{"id":"built"}');
    await write('project/build/backend/main.js', 'export default {}');
    const archive = await readPluginSource(pathToFileURL(path.join(dir, 'project')));
    expect(Object.keys(entries(archive.bytes)).sort()).toEqual(['backend/main.js', 'plugin.json']);
    expect(entries(archive.bytes)['plugin.json']).toBe('{"id":"built"}');
  });

  it('refuses a project that is not built, and a folder that is no plugin', async () => {
    await write('project/plugin.json', '{}');
    await write('project/src/backend/index.ts', '');
    await write('empty/README.md', '');
    expect(await codeOf(readPluginSource(path.join(dir, 'project')))).toBe('PLUGIN_NOT_BUILT');
    expect(await codeOf(readPluginSource(path.join(dir, 'empty')))).toBe('PLUGIN_SOURCE_NOT_FOUND');
    expect(await codeOf(readPluginSource(path.join(dir, 'missing.zip')))).toBe(
      'PLUGIN_SOURCE_NOT_FOUND',
    );
  });

  it('passes a file and bytes through untouched, for the host to judge', async () => {
    await write('dist/demo-1.0.0.zip', 'not really a zip');
    const file = await readPluginSource(path.join(dir, 'dist/demo-1.0.0.zip'));
    expect(file.filename).toBe('demo-1.0.0.zip');
    expect(Buffer.from(file.bytes).toString()).toBe('not really a zip');
    const bytes = Buffer.from('zip bytes');
    expect((await readPluginSource(bytes)).bytes).toBe(bytes);
  });
});

describe('zipFolder', () => {
  it('gives the same bytes for the same files: sorted entries, a fixed date', async () => {
    await write('tree/b.txt', 'b');
    await write('tree/a/c.txt', 'c');
    const zip = Buffer.from(await zipFolder(path.join(dir, 'tree')));
    expect(Object.keys(unzipSync(zip))).toEqual(['a/c.txt', 'b.txt']);
    // The first local header's DOS date: 1980-01-01, whatever the clock says.
    expect(zip.readUInt16LE(12)).toBe((0 << 9) | (1 << 5) | 1);
    expect(Buffer.from(await zipFolder(path.join(dir, 'tree'))).equals(zip)).toBe(true);
  });
});
