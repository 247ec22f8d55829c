import { createHash } from 'node:crypto';
import { chmod, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { inspectArchive } from '@polyphony/plugin-format';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listFiles } from '../build/build.ts';
import { isKitError } from '../kit-error.ts';
import { createTempPlugin, type TempPlugin } from '../test-support/temp-plugin.ts';
import { packPlugin } from './pack.ts';

const temps: TempPlugin[] = [];

async function plugin(): Promise<TempPlugin> {
  const temp = await createTempPlugin();
  temps.push(temp);
  return temp;
}

afterEach(async () => {
  await Promise.all(temps.splice(0).map((temp) => temp.remove()));
});

/** Gives every file of the project a new modification time (and one file new permissions). */
async function touchEverything(dir: string): Promise<void> {
  const later = new Date(Date.now() + 3_600_000);
  for (const file of await listFiles(dir)) {
    if (file.startsWith('build/') || file.startsWith('dist/')) continue;
    await utimes(path.join(dir, file), later, later);
  }
  await chmod(path.join(dir, 'src/backend/index.ts'), 0o755);
}

describe('packPlugin', () => {
  it('zips the build into dist/<id>-<version>.zip and reports its size and hash', async () => {
    const temp = await plugin();
    const result = await packPlugin(temp.plugin, { sourceDateEpoch: undefined });
    expect(result.file).toBe(path.join(temp.plugin, 'dist/my-plugin-0.1.0.zip'));
    const bytes = await readFile(result.file);
    expect(result.size).toBe(bytes.length);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

    const files = unzipSync(bytes);
    const built = await listFiles(path.join(temp.plugin, 'build'));
    expect(Object.keys(files).sort()).toEqual(built.sort());
    expect(result.entries).toEqual(built.sort());
    for (const name of built) {
      expect(
        Buffer.from(files[name]!).equals(await readFile(path.join(temp.plugin, 'build', name))),
      ).toBe(true);
    }
    expect((await inspectArchive(result.file)).problems).toEqual([]);
  });

  it('gives the same bytes for the same sources, whatever their times, permissions and the clock', async () => {
    const temp = await plugin();
    // Only Date is faked: a pack that read the clock would differ between the two days.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2024-03-01T10:00:00Z'));
      const first = await readFile(
        (await packPlugin(temp.plugin, { sourceDateEpoch: undefined })).file,
      );
      await touchEverything(temp.plugin);
      vi.setSystemTime(new Date('2025-07-15T22:30:00Z'));
      const second = await readFile(
        (await packPlugin(temp.plugin, { sourceDateEpoch: undefined })).file,
      );
      expect(second.equals(first)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives the same bytes from two copies of the sources in different folders', async () => {
    const [one, two] = [await plugin(), await plugin()];
    expect(one.plugin).not.toBe(two.plugin);
    const packed = await Promise.all(
      [one, two].map(async (temp) =>
        readFile((await packPlugin(temp.plugin, { sourceDateEpoch: undefined })).file),
      ),
    );
    expect(packed[1]!.equals(packed[0]!)).toBe(true);
  });

  it('stamps every entry with SOURCE_DATE_EPOCH when set', async () => {
    const temp = await plugin();
    const plain = await readFile(
      (await packPlugin(temp.plugin, { sourceDateEpoch: undefined })).file,
    );
    const previous = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const stamped = await readFile((await packPlugin(temp.plugin)).file);
      expect(stamped.equals(plain)).toBe(false);
      // The local header of the first entry: date at offset 12, 2023-11-14.
      expect(stamped.readUInt16LE(12)).toBe(((2023 - 1980) << 9) | (11 << 5) | 14);
      expect(plain.readUInt16LE(12)).toBe((1 << 5) | 1);
    } finally {
      if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = previous;
    }
  });

  it('zips build/ as it is with build: false, and refuses when there is none', async () => {
    const temp = await plugin();
    const error: unknown = await packPlugin(temp.plugin, { build: false }).catch((e: unknown) => e);
    expect(isKitError(error) && error.code).toBe('KIT_NOT_FOUND');

    await packPlugin(temp.plugin);
    await writeFile(path.join(temp.plugin, 'build/extra.txt'), 'kept');
    const result = await packPlugin(temp.plugin, { build: false });
    expect(result.entries).toContain('extra.txt');
  });

  it('refuses a manifest without a version before building anything', async () => {
    const temp = await plugin();
    const manifest = path.join(temp.plugin, 'plugin.json');
    await writeFile(
      manifest,
      (await readFile(manifest, 'utf8')).replace('"version": "0.1.0",', ''),
    );
    const error: unknown = await packPlugin(temp.plugin).catch((e: unknown) => e);
    expect(isKitError(error) && error.code).toBe('KIT_MANIFEST_UNREADABLE');
    await expect(stat(path.join(temp.plugin, 'build'))).rejects.toThrow();
  });
});
