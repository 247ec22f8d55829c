/**
 * A deliberately small ZIP writer for tests and for packing example plugins. Unlike a real
 * archiver it does exactly what it is told, so tests can craft hostile archives: names no tool
 * would write, lying size headers, symlink modes, a set encryption flag.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntryInput {
  /** A string is written as UTF-8; a Buffer is written byte for byte. */
  name: string | Buffer;
  content?: Buffer | string;
  /** Marks a folder entry; a string name gets its trailing slash added when missing. */
  directory?: boolean;
  /** Full unix st_mode stored in the external attributes, e.g. 0o120777 for a symlink. */
  unixMode?: number;
  /** Defaults to deflate for files with content, store otherwise. */
  method?: 'store' | 'deflate';
  /** Lies about the uncompressed size in both the local and the central header. */
  declaredSize?: number;
  /** Sets the "traditional encryption" flag bit; the data itself is not encrypted. */
  encrypted?: boolean;
  /** Sets the "name is UTF-8" flag bit; defaults to true for string names with non-ASCII text. */
  utf8?: boolean;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION_NEEDED = 20;
const MADE_BY_UNIX = (3 << 8) | 20;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
// 1980-01-01 00:00, the earliest DOS date: fixed so that the same input gives the same bytes.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DEFAULT_FILE_MODE = 0o100644;
const DEFAULT_DIRECTORY_MODE = 0o040755;
const MSDOS_DIRECTORY_ATTRIBUTE = 0x10;

interface PreparedEntry {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  data: Buffer;
  declaredSize: number;
  externalAttributes: number;
}

function nameBytes(entry: ZipEntryInput): Buffer {
  if (Buffer.isBuffer(entry.name)) return entry.name;
  const name = entry.directory && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
  return Buffer.from(name, 'utf8');
}

function flagsOf(entry: ZipEntryInput): number {
  // eslint-disable-next-line no-control-regex -- "non-ASCII" is exactly the range past 0x7f
  const nonAscii = typeof entry.name === 'string' && /[^\x00-\x7f]/.test(entry.name);
  const utf8 = entry.utf8 ?? nonAscii;
  return (utf8 ? FLAG_UTF8 : 0) | (entry.encrypted ? FLAG_ENCRYPTED : 0);
}

function externalAttributesOf(entry: ZipEntryInput): number {
  const mode = entry.unixMode ?? (entry.directory ? DEFAULT_DIRECTORY_MODE : DEFAULT_FILE_MODE);
  const dosAttributes = entry.directory ? MSDOS_DIRECTORY_ATTRIBUTE : 0;
  return ((mode << 16) | dosAttributes) >>> 0;
}

function prepare(entry: ZipEntryInput): PreparedEntry {
  const content =
    typeof entry.content === 'string'
      ? Buffer.from(entry.content)
      : (entry.content ?? Buffer.alloc(0));
  const method = entry.method ?? (content.length > 0 ? 'deflate' : 'store');
  return {
    name: nameBytes(entry),
    flags: flagsOf(entry),
    method: method === 'deflate' ? METHOD_DEFLATE : METHOD_STORE,
    crc: crc32(content),
    data: method === 'deflate' ? deflateRawSync(content) : content,
    declaredSize: entry.declaredSize ?? content.length,
    externalAttributes: externalAttributesOf(entry),
  };
}

/**
 * The run of fields the local and the central header both carry, in the same order: from "version
 * needed to extract" to the name's length (the central header has "version made by" before it).
 */
function writeSharedFields(header: Buffer, entry: PreparedEntry, at: number): void {
  header.writeUInt16LE(VERSION_NEEDED, at);
  header.writeUInt16LE(entry.flags, at + 2);
  header.writeUInt16LE(entry.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(entry.crc, at + 10);
  header.writeUInt32LE(entry.data.length, at + 14);
  header.writeUInt32LE(entry.declaredSize, at + 18);
  header.writeUInt16LE(entry.name.length, at + 22);
}

function localHeader(entry: PreparedEntry): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_HEADER, 0);
  writeSharedFields(header, entry, 4);
  // 28 extra length: zero.
  return Buffer.concat([header, entry.name]);
}

function centralHeader(entry: PreparedEntry, localOffset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_HEADER, 0);
  header.writeUInt16LE(MADE_BY_UNIX, 4);
  writeSharedFields(header, entry, 6);
  // 30 extra length, 32 comment length, 34 disk number, 36 internal attributes: all zero.
  header.writeUInt32LE(entry.externalAttributes, 38);
  header.writeUInt32LE(localOffset, 42);
  return Buffer.concat([header, entry.name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(size, 12);
  record.writeUInt32LE(offset, 16);
  return record;
}

export function buildZip(entries: ZipEntryInput[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries.map(prepare)) {
    const local = Buffer.concat([localHeader(entry), entry.data]);
    central.push(centralHeader(entry, offset));
    parts.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([
    ...parts,
    directory,
    endOfCentralDirectory(entries.length, directory.length, offset),
  ]);
}

async function listFiles(root: string, relative = ''): Promise<string[]> {
  const dirents = await readdir(path.join(root, relative), { withFileTypes: true });
  const nested = await Promise.all(
    dirents.map(async (dirent) => {
      const child = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
      if (dirent.isDirectory()) return listFiles(root, child);
      if (dirent.isFile()) return [child];
      throw new Error(`zipDirectory packs regular files only; ${child} is not one`);
    }),
  );
  return nested.flat();
}

/** Packs every regular file under `dir` (sorted by path, deflated, no folder entries). */
export async function zipDirectory(
  dir: string,
  overrides: Record<string, string | Buffer | null> = {},
): Promise<Buffer> {
  const contents = new Map<string, Buffer | string>();
  for (const file of await listFiles(dir)) {
    contents.set(file, await readFile(path.join(dir, file)));
  }
  for (const [file, content] of Object.entries(overrides)) {
    if (content === null) contents.delete(file);
    else contents.set(file, content);
  }
  const names = [...contents.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return buildZip(
    names.map((name) => ({ name, content: contents.get(name) ?? '', method: 'deflate' as const })),
  );
}
