import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_ZIP_TIME, createZip, zipArchiveTree, type ZipEntry } from './release-zip.ts';

const text = (value: string) => new TextEncoder().encode(value);

/** The central directory's records, read straight from the bytes. */
function centralRecords(zip: Uint8Array) {
  const view = Buffer.from(zip);
  const end = view.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = view.readUInt16LE(end + 10);
  let offset = view.readUInt32LE(end + 16);
  const records = [];
  for (let i = 0; i < count; i += 1) {
    const nameLength = view.readUInt16LE(offset + 28);
    const extraLength = view.readUInt16LE(offset + 30);
    const commentLength = view.readUInt16LE(offset + 32);
    const localOffset = view.readUInt32LE(offset + 42);
    records.push({
      madeBy: view.readUInt16LE(offset + 4),
      method: view.readUInt16LE(offset + 10),
      time: view.readUInt16LE(offset + 12),
      date: view.readUInt16LE(offset + 14),
      mode: view.readUInt32LE(offset + 38) >>> 16,
      name: view.toString('utf8', offset + 46, offset + 46 + nameLength),
      extraLength,
      localExtraLength: view.readUInt16LE(localOffset + 28),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return records;
}

const entries: ZipEntry[] = [
  { name: 'plugin.json', data: text('{"id":"x"}') },
  { name: 'frontend/index.js', data: text('export default {};\n'.repeat(50)) },
  { name: 'backend/main.js', data: text('export default {};') },
  { name: 'frontend/Zebra.js', data: new Uint8Array(0) },
  { name: 'frontend/ünïcode.txt', data: text('é') },
];

describe('createZip', () => {
  it('writes an archive other tools read back, byte for byte', () => {
    const files = unzipSync(createZip(entries, { mtime: DEFAULT_ZIP_TIME }));
    expect(Object.keys(files).sort()).toEqual(entries.map((e) => e.name).sort());
    for (const entry of entries) expect(files[entry.name]).toEqual(entry.data);
  });

  it('orders entries by the bytes of their names, whatever order they come in', () => {
    const forward = createZip(entries, { mtime: DEFAULT_ZIP_TIME });
    const backward = createZip([...entries].reverse(), { mtime: DEFAULT_ZIP_TIME });
    expect(Buffer.from(backward).equals(Buffer.from(forward))).toBe(true);
    expect(centralRecords(forward).map((r) => r.name)).toEqual([
      'backend/main.js',
      'frontend/Zebra.js', // 'Z' sorts before 'i' by bytes, not by locale
      'frontend/index.js',
      'frontend/ünïcode.txt',
      'plugin.json',
    ]);
  });

  it('writes fixed metadata: Unix 0644 files, one time in UTC, no extra fields', () => {
    const mtime = new Date(Date.UTC(2024, 4, 17, 13, 45, 30));
    for (const record of centralRecords(createZip(entries, { mtime }))) {
      expect(record.mode).toBe(0o100644);
      expect(record.madeBy >> 8).toBe(3);
      expect(record.date).toBe(((2024 - 1980) << 9) | (5 << 5) | 17);
      expect(record.time).toBe((13 << 11) | (45 << 5) | 15);
      expect(record.extraLength).toBe(0);
      expect(record.localExtraLength).toBe(0);
    }
  });

  it('deflates what shrinks and stores what does not', () => {
    const records = centralRecords(createZip(entries, { mtime: DEFAULT_ZIP_TIME }));
    expect(records.find((r) => r.name === 'frontend/index.js')?.method).toBe(8);
    expect(records.find((r) => r.name === 'frontend/Zebra.js')?.method).toBe(0);
  });

  it('does not depend on the time zone', () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      const east = createZip(entries, { mtime: new Date(Date.UTC(2024, 0, 1, 23)) });
      process.env.TZ = 'America/Adak';
      const west = createZip(entries, { mtime: new Date(Date.UTC(2024, 0, 1, 23)) });
      expect(Buffer.from(east).equals(Buffer.from(west))).toBe(true);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('refuses two entries with the same name', () => {
    expect(() => createZip([entries[0]!, { ...entries[0]! }], { mtime: DEFAULT_ZIP_TIME })).toThrow(
      /two ZIP entries are named plugin.json/,
    );
  });

  it('refuses more entries than a ZIP without ZIP64 holds, with the host code', () => {
    const many = Array.from({ length: 0x10000 }, (_, n) => ({
      name: `f${n}`,
      data: new Uint8Array(0),
    }));
    expect(() => createZip(many, { mtime: DEFAULT_ZIP_TIME })).toThrow(
      expect.objectContaining({ name: 'PluginFormatError', code: 'ARCHIVE_TOO_LARGE' }),
    );
  });
});

describe('zipArchiveTree', () => {
  it('zips every file below a folder, in byte order, the same whatever the files’ times', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'release-zip-'));
    try {
      await mkdir(path.join(dir, 'frontend/assets'), { recursive: true });
      await writeFile(path.join(dir, 'plugin.json'), '{}');
      await writeFile(path.join(dir, 'frontend/index.js'), 'export default {};');
      await writeFile(path.join(dir, 'frontend/assets/a.svg'), '<svg/>');
      const first = await zipArchiveTree(dir);
      expect(first.entries).toEqual(['frontend/assets/a.svg', 'frontend/index.js', 'plugin.json']);
      const later = new Date(Date.now() + 86_400_000);
      await utimes(path.join(dir, 'plugin.json'), later, later);
      const second = await zipArchiveTree(dir);
      expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
      expect(Object.keys(unzipSync(first.bytes)).sort()).toEqual(first.entries);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
