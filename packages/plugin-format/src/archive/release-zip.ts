import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { deflateSync } from 'fflate';
import { PluginFormatError } from '../errors.ts';

/**
 * The ZIP of a plugin release, as `polyphony-plugin pack` writes it and the test host installs it.
 * A ZIP writer whose output depends on nothing but the entries: names in byte order, one fixed
 * timestamp, fixed permissions (regular files, 0644), no folder entries, no extra fields, no
 * comment, and a deflate implementation in JavaScript (fflate) at a fixed level, so Node's zlib
 * version cannot change the bytes either. Written by hand because ZIP libraries take local time
 * and the clock into their headers.
 */
export interface ZipEntry {
  /** The entry's name, `/`-separated, relative. */
  name: string;
  data: Uint8Array;
}

export interface ZipOptions {
  /** Every entry's modification time, written in UTC (ZIP times have no zone). */
  mtime: Date;
}

/** The deflate level: part of the format of our archives, so the same sources give the same bytes. */
export const DEFLATE_LEVEL = 9;
/** 1980-01-01T00:00:00Z, the earliest time a ZIP can hold, when SOURCE_DATE_EPOCH is not set. */
export const DEFAULT_ZIP_TIME = new Date(Date.UTC(1980, 0, 1));
export const LATEST_ZIP_TIME = new Date(Date.UTC(2107, 11, 31, 23, 59, 58));

const VERSION_NEEDED = 20; // 2.0: deflate
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED; // Unix, so the external attributes are a mode
const UTF8_NAMES = 0x0800;
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;
const STORED = 0;
const DEFLATED = 8;

function dosDateTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date:
      ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** Byte order of the UTF-8 names: the same on every machine and locale. */
function compareNames(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  length = 0;

  bytes(data: Uint8Array): void {
    this.chunks.push(data);
    this.length += data.length;
  }

  /** Little-endian fields, as ZIP headers are. */
  fields(...values: [size: 2 | 4, value: number][]): void {
    const buffer = Buffer.alloc(values.reduce((sum, [size]) => sum + size, 0));
    let offset = 0;
    for (const [size, value] of values) {
      if (size === 2) buffer.writeUInt16LE(value, offset);
      else buffer.writeUInt32LE(value >>> 0, offset);
      offset += size;
    }
    this.bytes(buffer);
  }

  toBytes(): Uint8Array {
    return Buffer.concat(this.chunks, this.length);
  }
}

export function createZip(entries: readonly ZipEntry[], options: ZipOptions): Uint8Array {
  const { time, date } = dosDateTime(options.mtime);
  const named = entries
    .map((entry) => ({ ...entry, nameBytes: Buffer.from(entry.name, 'utf8') }))
    .sort((a, b) => compareNames(a.nameBytes, b.nameBytes));
  if (named.length > 0xffff)
    throw new PluginFormatError('ARCHIVE_TOO_LARGE', 'Too many files for a ZIP.');
  const out = new ByteWriter();
  const central = new ByteWriter();
  let previous: Buffer | null = null;
  for (const entry of named) {
    if (previous !== null && compareNames(previous, entry.nameBytes) === 0) {
      throw new Error(`two ZIP entries are named ${entry.name}`);
    }
    previous = entry.nameBytes;
    const deflated = deflateSync(entry.data, { level: DEFLATE_LEVEL });
    const method = deflated.length < entry.data.length ? DEFLATED : STORED;
    const stored = method === DEFLATED ? deflated : entry.data;
    const crc = crc32(entry.data);
    if (out.length > 0xffffffff - stored.length - 30 - entry.nameBytes.length) {
      throw new PluginFormatError('ARCHIVE_TOO_LARGE', 'The archive would exceed 4 GiB.');
    }
    const offset = out.length;
    const common: [2 | 4, number][] = [
      [2, VERSION_NEEDED],
      [2, UTF8_NAMES],
      [2, method],
      [2, time],
      [2, date],
      [4, crc],
      [4, stored.length],
      [4, entry.data.length],
      [2, entry.nameBytes.length],
      [2, 0], // extra field length
    ];
    out.fields([4, 0x04034b50], ...common);
    out.bytes(entry.nameBytes);
    out.bytes(stored);
    central.fields(
      [4, 0x02014b50],
      [2, VERSION_MADE_BY],
      ...common,
      [2, 0], // comment length
      [2, 0], // disk number
      [2, 0], // internal attributes
      [4, REGULAR_FILE_0644],
      [4, offset],
    );
    central.bytes(entry.nameBytes);
  }
  const centralOffset = out.length;
  out.bytes(central.toBytes());
  out.fields(
    [4, 0x06054b50],
    [2, 0], // this disk
    [2, 0], // the central directory's disk
    [2, named.length],
    [2, named.length],
    [4, central.length],
    [4, centralOffset],
    [2, 0], // comment length
  );
  return out.toBytes();
}

/** Every regular file below `dir` (links followed), as `/`-separated relative names. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix))) {
    const relative = prefix === '' ? entry : `${prefix}/${entry}`;
    const info = await stat(path.join(dir, relative));
    if (info.isDirectory()) found.push(...(await listFiles(dir, relative)));
    else if (info.isFile()) found.push(relative);
  }
  return found;
}

/**
 * Zips an archive tree (a plugin's build/) with `createZip`: the bytes depend only on the files'
 * names and contents and on `mtime`. Returns the entry names in archive order too.
 */
export async function zipArchiveTree(
  dir: string,
  options: ZipOptions = { mtime: DEFAULT_ZIP_TIME },
): Promise<{ bytes: Uint8Array; entries: string[] }> {
  const names = (await listFiles(dir)).sort((a, b) =>
    Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')),
  );
  const entries = await Promise.all(
    names.map(async (name) => ({ name, data: await readFile(path.join(dir, name)) })),
  );
  return { bytes: createZip(entries, options), entries: names };
}
