import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl, { type Entry } from 'yauzl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildZip, zipDirectory } from './zip-writer.ts';

interface ReadEntry {
  entry: Entry;
  name: string;
  content: Buffer;
}

function nth<T>(list: T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads every entry back through yauzl, the library the host itself uses. */
async function readZip(zip: Buffer): Promise<ReadEntry[]> {
  const file = await yauzl.fromBufferPromise(zip, {
    decodeStrings: true,
    validateEntrySizes: true,
  });
  const entries: ReadEntry[] = [];
  for await (const entry of file.eachEntry()) {
    const content = entry.fileName.endsWith('/')
      ? Buffer.alloc(0)
      : await readStream(await file.openReadStreamPromise(entry));
    entries.push({ entry, name: entry.fileName, content });
  }
  return entries;
}

async function openError(zip: Buffer): Promise<string> {
  try {
    await readZip(zip);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('buildZip', () => {
  it('round-trips stored and deflated files, folders and UTF-8 names through yauzl', async () => {
    const big = Buffer.alloc(100_000, 'abc');
    const entries = await readZip(
      buildZip([
        { name: 'plugin.json', content: '{"id":"demo"}', method: 'store' },
        { name: 'assets', directory: true },
        { name: 'assets/big.txt', content: big, method: 'deflate' },
        { name: 'assets/empty.txt' },
        { name: 'docs/résumé.md', content: 'é' },
      ]),
    );
    expect(entries.map((e) => e.name)).toEqual([
      'plugin.json',
      'assets/',
      'assets/big.txt',
      'assets/empty.txt',
      'docs/résumé.md',
    ]);
    expect(nth(entries, 0).content.toString()).toBe('{"id":"demo"}');
    expect(nth(entries, 0).entry.compressionMethod).toBe(0);
    expect(nth(entries, 2).content.equals(big)).toBe(true);
    expect(nth(entries, 2).entry.compressionMethod).toBe(8);
    expect(nth(entries, 2).entry.compressedSize).toBeLessThan(big.length);
    expect(nth(entries, 3).content.length).toBe(0);
    expect(nth(entries, 4).content.toString()).toBe('é');
    expect(nth(entries, 4).entry.generalPurposeBitFlag & 0x800).toBe(0x800);
  });

  it('writes the unix mode and host that extraction reads the entry type from', async () => {
    const entries = await readZip(
      buildZip([
        { name: 'link', content: 'target', unixMode: 0o120777, method: 'store' },
        { name: 'dir', directory: true },
        { name: 'file', content: 'x' },
      ]),
    );
    expect(entries.map(({ entry }) => entry.versionMadeBy >>> 8)).toEqual([3, 3, 3]);
    expect(entries.map(({ entry }) => entry.externalFileAttributes >>> 16)).toEqual([
      0o120777, 0o040755, 0o100644,
    ]);
  });

  it('writes raw Buffer names byte for byte, without the UTF-8 flag unless asked', async () => {
    const raw = Buffer.from([0x61, 0xff, 0x62]);
    const file = await yauzl.fromBufferPromise(buildZip([{ name: raw, content: 'x' }]), {
      decodeStrings: false,
    });
    const entries: Entry[] = [];
    for await (const entry of file.eachEntry()) entries.push(entry);
    expect(nth(entries, 0).fileNameRaw.equals(raw)).toBe(true);
    expect(nth(entries, 0).generalPurposeBitFlag & 0x800).toBe(0);
  });

  it('can lie about sizes, which yauzl notices', async () => {
    const content = Buffer.alloc(10_000);
    expect(await openError(buildZip([{ name: 'a', content, declaredSize: 10 }]))).toMatch(
      /too many bytes/,
    );
    expect(await openError(buildZip([{ name: 'a', content, declaredSize: 20_000 }]))).toMatch(
      /not enough bytes/,
    );
    expect(
      await openError(buildZip([{ name: 'a', content, method: 'store', declaredSize: 10 }])),
    ).toMatch(/size mismatch/);
  });

  it('can set the encryption flag', async () => {
    const file = await yauzl.fromBufferPromise(
      buildZip([{ name: 'secret', content: 'x', encrypted: true }]),
    );
    const entries: Entry[] = [];
    for await (const entry of file.eachEntry()) entries.push(entry);
    expect(entries[0]?.isEncrypted()).toBe(true);
  });
});

describe('zipDirectory', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'zip-writer-'));
    await mkdir(path.join(dir, 'backend'), { recursive: true });
    await writeFile(path.join(dir, 'plugin.json'), '{"id":"demo"}');
    await writeFile(path.join(dir, 'backend', 'index.js'), 'export default {}');
    await writeFile(path.join(dir, 'README.md'), 'readme');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('packs every file in a stable order, deterministically', async () => {
    const first = await zipDirectory(dir);
    expect((await zipDirectory(dir)).equals(first)).toBe(true);
    const entries = await readZip(first);
    expect(entries.map((e) => e.name)).toEqual(['README.md', 'backend/index.js', 'plugin.json']);
    expect(entries[1]?.content.toString()).toBe('export default {}');
  });

  it('applies overrides: replaced, added and deleted files', async () => {
    const entries = await readZip(
      await zipDirectory(dir, {
        'plugin.json': '{"id":"other"}',
        'frontend/index.js': Buffer.from('x'),
        'README.md': null,
      }),
    );
    expect(entries.map((e) => [e.name, e.content.toString()])).toEqual([
      ['backend/index.js', 'export default {}'],
      ['frontend/index.js', 'x'],
      ['plugin.json', '{"id":"other"}'],
    ]);
  });
});
