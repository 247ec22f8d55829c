/**
 * Unpacks an uploaded plugin archive into a fresh staging folder, or refuses it whole.
 *
 * Two passes over the central directory: the first validates every name, type and declared size
 * and writes nothing, so an archive rejected for any entry leaves no file behind; the second
 * writes exactly the names the first pass approved. The first pass checks every entry before it
 * refuses, so one refusal names every bad entry; only the limits (entries, bytes) stop it early.
 * Sizes are enforced on the bytes actually inflated, because every size field in a ZIP is
 * attacker-controlled.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { isPluginFormatError, PluginFormatError } from '../errors.ts';
import type { ArchiveLimits } from './limits.ts';

export interface ExtractedArchive {
  /** Relative POSIX paths of the regular files written. */
  files: string[];
  /** Relative POSIX paths of every folder created, whether listed in the archive or implied. */
  directories: string[];
  /** Bytes actually inflated and written. */
  unpackedBytes: number;
}

type EntryKind = 'file' | 'directory';
type SizeLimit = 'entries' | 'unpackedBytes' | 'ratio';

interface PlannedEntry {
  path: string;
  segments: string[];
  kind: EntryKind;
  rawName: Buffer;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  localHeaderOffset: number;
}

interface ParsedName {
  path: string;
  segments: string[];
  directory: boolean;
}

// decodeStrings: false hands us the raw name bytes, so the name we validate is byte for byte the
// name we write (yauzl would otherwise guess CP437 or apply the Info-ZIP Unicode extra field).
const OPEN_OPTIONS = {
  lazyEntries: true,
  autoClose: true,
  validateEntrySizes: true,
  decodeStrings: false,
} as const;

const MIB = 1024 * 1024;
const RATIO_GRACE_BYTES = MIB;
const MAX_DEPTH = 32;
const MAX_SEGMENT_BYTES = 255;
// Keeps destination + name well under PATH_MAX, so a long name is a 400 rather than an
// ENAMETOOLONG halfway through the extraction.
const MAX_NAME_BYTES = 1024;
const FORBIDDEN_CHARACTERS = /[:*?"<>|]/;
const CONTROL_CHARACTER = /\p{Cc}/u;
const ABSOLUTE_PATH = /^(?:[/\\]|[A-Za-z]:)/;
const TRAILING_DOT_OR_SPACE = /[. ]$/;

const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const UNSUPPORTED_TYPES = new Map([
  [0o120000, 'a symbolic link'],
  [0o020000, 'a character device'],
  [0o060000, 'a block device'],
  [0o010000, 'a named pipe'],
  [0o140000, 'a socket'],
]);

const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const STORAGE_ERROR_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM']);
const SIZE_MISMATCH =
  /too many bytes in the stream|not enough bytes in the stream|compressed\/uncompressed size mismatch/;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function megabytes(bytes: number): string {
  return `${Math.round((bytes / MIB) * 10) / 10} MB`;
}

function invalid(message: string, cause?: unknown): PluginFormatError {
  return new PluginFormatError('ARCHIVE_INVALID', message, { cause });
}

function quoted(name: string): string {
  return JSON.stringify(name);
}

function unsafe(name: string, reason: string): PluginFormatError {
  return new PluginFormatError(
    'ARCHIVE_UNSAFE_PATH',
    `Archive entry ${quoted(name)} is unsafe: ${reason}.`,
    {
      details: { entry: name, reason },
    },
  );
}

function tooLarge(
  limit: SizeLimit,
  max: number,
  message: string,
  entry?: string,
): PluginFormatError {
  const details = entry === undefined ? { limit, max } : { limit, max, entry };
  return new PluginFormatError('ARCHIVE_TOO_LARGE', message, { details });
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null
    ? (error as { code?: unknown }).code
    : undefined;
}

function isSystemError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'syscall' in error;
}

/** Something to reject or throw with, whatever was caught. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** Maps a file-system failure that an admin can fix (space, permissions) to a 507. */
export function toStorageError(error: unknown): unknown {
  const code = errorCode(error);
  if (typeof code !== 'string' || !STORAGE_ERROR_CODES.has(code)) return error;
  return new PluginFormatError(
    'PLUGIN_STORAGE_FAILED',
    'The plugins folder could not be written: disk full or read-only.',
    { cause: error },
  );
}

/** yauzl and zlib report problems as bare messages; give them our stable codes. */
function toArchiveError(error: unknown, entry?: string): Error {
  if (isPluginFormatError(error)) return asError(error);
  // A failing read of our own temp file is a server problem, not a bad upload.
  if (isSystemError(error)) return asError(error);
  const message = error instanceof Error ? error.message : String(error);
  const subject = entry === undefined ? 'An entry' : `Archive entry ${quoted(entry)}`;
  if (/encrypt/i.test(message)) return invalid('Encrypted archives are not supported.', error);
  if (SIZE_MISMATCH.test(message)) {
    return invalid(`${subject} is damaged: its size does not match its header.`, error);
  }
  if (/unsupported compression method/.test(message)) {
    return invalid(`${subject} uses a compression method that is not supported.`, error);
  }
  const code = errorCode(error);
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return invalid(`${subject} is damaged: its compressed data is corrupt.`, error);
  }
  return invalid(
    'The file is not a valid ZIP archive: it is corrupt, truncated or not a ZIP file.',
    error,
  );
}

function classifyWriteError(error: unknown, entry: string): unknown {
  const storage = toStorageError(error);
  return storage === error ? toArchiveError(error, entry) : storage;
}

/** For messages only: invalid UTF-8 shows as U+FFFD instead of failing. */
function lossyName(raw: Buffer): string {
  return raw.toString('utf8');
}

function decodeName(raw: Buffer): string {
  try {
    return strictUtf8.decode(raw);
  } catch {
    throw unsafe(lossyName(raw), 'its name is not valid UTF-8');
  }
}

function checkSegment(segment: string, name: string): void {
  if (segment === '') throw unsafe(name, 'it contains an empty path segment ("//")');
  if (segment === '.' || segment === '..') {
    throw unsafe(name, 'it contains a "." or ".." path segment');
  }
  if (FORBIDDEN_CHARACTERS.test(segment)) {
    throw unsafe(name, 'it contains one of the characters : * ? " < > |');
  }
  if (TRAILING_DOT_OR_SPACE.test(segment)) {
    throw unsafe(name, 'a path segment ends with a dot or a space');
  }
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
    throw unsafe(name, `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
}

function parseEntryName(raw: Buffer): ParsedName {
  const name = decodeName(raw);
  if (name === '') throw unsafe(name, 'its name is empty');
  if (CONTROL_CHARACTER.test(name)) throw unsafe(name, 'it contains a control character');
  if (ABSOLUTE_PATH.test(name)) throw unsafe(name, 'it is an absolute path');
  if (name.includes('\\')) throw unsafe(name, 'it contains a backslash');
  if (raw.length > MAX_NAME_BYTES) {
    throw unsafe(name, `its name is longer than ${MAX_NAME_BYTES} bytes`);
  }
  const directory = name.endsWith('/');
  const body = directory ? name.slice(0, -1) : name;
  const segments = body.split('/');
  if (segments.length > MAX_DEPTH) {
    throw unsafe(name, `it is nested more than ${MAX_DEPTH} folders deep`);
  }
  for (const segment of segments) checkSegment(segment, name);
  return { path: body, segments, directory };
}

/** Unix file type bits, when the archive carries them; 0 means "no type recorded". */
function unixFileType(entry: Entry): number {
  const host = entry.versionMadeBy >>> 8;
  const mode = entry.externalFileAttributes >>> 16;
  return host === UNIX_HOST || mode !== 0 ? mode & S_IFMT : 0;
}

function kindOf(entry: Entry, parsed: ParsedName, name: string): EntryKind {
  const type = unixFileType(entry);
  const unsupported = UNSUPPORTED_TYPES.get(type);
  if (unsupported !== undefined || (type !== 0 && type !== S_IFREG && type !== S_IFDIR)) {
    throw new PluginFormatError(
      'ARCHIVE_UNSUPPORTED_ENTRY',
      `Archive entry ${quoted(name)} is ${unsupported ?? 'not a regular file or folder'}; plugins may only contain files and folders.`,
      { details: { entry: name } },
    );
  }
  if ((type === S_IFDIR && !parsed.directory) || (type === S_IFREG && parsed.directory)) {
    throw invalid(`Archive entry ${quoted(name)} claims to be both a file and a folder.`);
  }
  return parsed.directory ? 'directory' : 'file';
}

function checkEncoding(entry: Entry, name: string): void {
  if (entry.isEncrypted()) throw invalid('Encrypted archives are not supported.');
  if (entry.compressionMethod !== METHOD_STORE && entry.compressionMethod !== METHOD_DEFLATE) {
    throw invalid(
      `Archive entry ${quoted(name)} uses compression method ${entry.compressionMethod}; only "stored" and "deflate" are supported.`,
    );
  }
}

interface Claim {
  path: string;
  kind: EntryKind;
  explicit: boolean;
}

/** An entry the first pass refused: its name as the archive spells it, and why. */
export interface EntryProblem {
  entry: string;
  error: PluginFormatError;
}

/** The refusals that concern one entry; any other error (a limit, a broken ZIP) stops the pass. */
const ENTRY_PROBLEM_CODES: ReadonlySet<string> = new Set([
  'ARCHIVE_INVALID',
  'ARCHIVE_UNSAFE_PATH',
  'ARCHIVE_UNSUPPORTED_ENTRY',
]);

/**
 * Past this many bad entries the check stops: the list is for a person to read, and an archive
 * of thousands of bad names should not be answered with megabytes of them.
 */
export const MAX_LISTED_PROBLEMS = 100;

function isEntryProblem(error: unknown): error is PluginFormatError {
  return isPluginFormatError(error) && ENTRY_PROBLEM_CODES.has(error.code);
}

/**
 * Everything the first pass learned; the second pass writes exactly this and nothing else.
 * `entries` has one slot per central-directory entry, in order; a refused entry's slot is null.
 */
class ArchivePlan {
  readonly entries: (PlannedEntry | null)[] = [];
  readonly files: string[] = [];
  readonly directories: string[] = [];
  readonly problems: EntryProblem[] = [];
  private readonly claims = new Map<string, Claim>();
  private declaredBytes = 0;
  private readonly limits: ArchiveLimits;

  constructor(limits: ArchiveLimits) {
    this.limits = limits;
  }

  add(entry: Entry): void {
    // Counted whatever the entry's fate: the cap bounds the whole archive, refused entries too.
    this.countDeclared(entry.uncompressedSize);
    const name = lossyName(entry.fileNameRaw);
    try {
      this.entries.push(this.plan(entry, name));
    } catch (error) {
      if (!isEntryProblem(error)) throw error;
      this.problems.push({ entry: name, error });
      this.entries.push(null);
      if (this.problems.length >= MAX_LISTED_PROBLEMS) throw refusal(this.problems, true);
    }
  }

  private plan(entry: Entry, name: string): PlannedEntry {
    checkEncoding(entry, name);
    const parsed = parseEntryName(entry.fileNameRaw);
    const kind = kindOf(entry, parsed, name);
    if (kind === 'directory' && entry.uncompressedSize > 0) {
      throw invalid(`Archive entry ${quoted(name)} is a folder but carries data.`);
    }
    const wanted: Claim[] = [];
    for (let depth = 1; depth < parsed.segments.length; depth += 1) {
      const folder = parsed.segments.slice(0, depth).join('/');
      wanted.push({ path: folder, kind: 'directory', explicit: false });
    }
    wanted.push({ path: parsed.path, kind, explicit: true });
    // All checked before any is recorded, so a refused entry leaves no trace in the plan.
    for (const claim of wanted) this.checkClaim(claim, name);
    for (const claim of wanted) this.claim(claim);
    return {
      path: parsed.path,
      segments: parsed.segments,
      kind,
      rawName: entry.fileNameRaw,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      crc32: entry.crc32,
      localHeaderOffset: entry.relativeOffsetOfLocalHeader,
    };
  }

  /**
   * Case-insensitive and normalization-insensitive, because the staging folder may live on such a
   * file system (macOS, Windows shares) where two "different" names would land on one file.
   */
  private static keyOf(entryPath: string): string {
    return entryPath.normalize('NFC').toLowerCase();
  }

  private checkClaim({ path: entryPath, kind, explicit }: Claim, name: string): void {
    const existing = this.claims.get(ArchivePlan.keyOf(entryPath));
    if (existing === undefined) return;
    if (existing.path !== entryPath) {
      throw unsafe(name, `it differs from ${quoted(existing.path)} only by case or Unicode form`);
    }
    if (existing.kind !== kind) {
      throw unsafe(name, `a file and a folder would both be named ${quoted(entryPath)}`);
    }
    if (existing.explicit && explicit) throw unsafe(name, 'it appears twice in the archive');
  }

  private claim(claim: Claim): void {
    const key = ArchivePlan.keyOf(claim.path);
    const existing = this.claims.get(key);
    if (existing === undefined) {
      this.claims.set(key, { ...claim });
      (claim.kind === 'file' ? this.files : this.directories).push(claim.path);
      return;
    }
    existing.explicit ||= claim.explicit;
  }

  private countDeclared(bytes: number): void {
    this.declaredBytes += bytes;
    if (this.declaredBytes > this.limits.maxUnpackedBytes) {
      throw tooLarge(
        'unpackedBytes',
        this.limits.maxUnpackedBytes,
        `The archive unpacks to more than ${megabytes(this.limits.maxUnpackedBytes)}.`,
      );
    }
  }
}

/** One refusal naming every bad entry: the first one's code and message, all of them in details. */
function refusal(problems: readonly EntryProblem[], stopped = false): PluginFormatError {
  const [first, ...others] = problems;
  if (first === undefined) throw new Error('refusal() needs at least one problem');
  const issues = problems.map(({ entry, error }) => ({
    path: entry,
    code: error.code,
    message: error.message,
  }));
  const more =
    others.length === 0
      ? ''
      : ` ${others.length} more ${others.length === 1 ? 'entry has' : 'entries have'} problems too${stopped ? '; the check stopped there' : ''}.`;
  const details = { ...(first.error.details as Record<string, unknown> | undefined), issues };
  return new PluginFormatError(first.error.code, `${first.error.message}${more}`, {
    details,
    cause: first.error.cause,
  });
}

/**
 * Counts what really comes out of the inflater, across all entries, and checks the CRC that yauzl
 * leaves unchecked, so what lands on disk is exactly what the archive's checksums vouch for.
 */
class InflateMeter extends Transform {
  private inflated = 0;
  private crc = 0;
  private readonly entry: PlannedEntry;
  private readonly totals: { inflated: number };
  private readonly limits: ArchiveLimits;

  constructor(entry: PlannedEntry, totals: { inflated: number }, limits: ArchiveLimits) {
    super();
    this.entry = entry;
    this.totals = totals;
    this.limits = limits;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.inflated += chunk.length;
    this.totals.inflated += chunk.length;
    this.crc = crc32(chunk, this.crc);
    callback(this.overLimit(), chunk);
  }

  override _flush(callback: TransformCallback): void {
    const damaged = `Archive entry ${quoted(this.entry.path)} is damaged: its checksum does not match.`;
    callback(this.crc === this.entry.crc32 ? null : invalid(damaged));
  }

  private overLimit(): PluginFormatError | null {
    const name = this.entry.path;
    const { maxUnpackedBytes, maxRatio } = this.limits;
    if (this.totals.inflated > maxUnpackedBytes) {
      const message = `The archive unpacks to more than ${megabytes(maxUnpackedBytes)}.`;
      return tooLarge('unpackedBytes', maxUnpackedBytes, message, name);
    }
    const ratio = this.inflated / Math.max(1, this.entry.compressedSize);
    if (this.inflated > RATIO_GRACE_BYTES && ratio > maxRatio) {
      const message = `Archive entry ${quoted(name)} inflates more than ${maxRatio} times its compressed size; it looks like a zip bomb.`;
      return tooLarge('ratio', maxRatio, message, name);
    }
    return null;
  }
}

function openZip(zipPath: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, OPEN_OPTIONS, (error, zip) => {
      if (error) {
        reject(toArchiveError(error));
        return;
      }
      // yauzl may emit 'error' while no iteration is listening (closing the file after an early
      // rejection); unheard, it would crash the process. forEachEntry adds the listener that acts.
      zip.on('error', () => undefined);
      resolve(zip);
    });
  });
}

function openEntryStream(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) reject(error);
      else resolve(stream);
    });
  });
}

/** Visits entries strictly one at a time: the next is read only once the previous is written. */
function forEachEntry(
  zip: ZipFile,
  visit: (entry: Entry, index: number) => Promise<void>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let index = 0;
    let current = Promise.resolve();
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      zip.close();
      reject(asError(error));
    };
    const readNext = (): void => {
      if (!settled) zip.readEntry();
    };
    zip.on('error', (error: unknown) => {
      // Let a write in flight finish first, so the caller's cleanup cannot race it.
      void current.then(() => {
        fail(toArchiveError(error));
      });
    });
    zip.on('end', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    zip.on('entry', (entry: Entry) => {
      const position = index++;
      // Starting inside then() turns a synchronous throw into a rejection instead of an
      // exception thrown back into yauzl's callback, which nothing would catch.
      current = current
        .then(() => visit(entry, position))
        .then(readNext)
        .catch(fail);
    });
    readNext();
  });
}

async function planArchive(zipPath: string, limits: ArchiveLimits): Promise<ArchivePlan> {
  const zip = await openZip(zipPath);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw tooLarge(
      'entries',
      limits.maxEntries,
      `The archive holds ${zip.entryCount} entries; at most ${limits.maxEntries} are allowed.`,
    );
  }
  const plan = new ArchivePlan(limits);
  await forEachEntry(zip, (entry) => {
    plan.add(entry);
    return Promise.resolve();
  });
  return plan;
}

function assertUnchanged(entry: Entry, planned: PlannedEntry | undefined): PlannedEntry {
  const same =
    planned !== undefined &&
    entry.fileNameRaw.equals(planned.rawName) &&
    entry.compressedSize === planned.compressedSize &&
    entry.uncompressedSize === planned.uncompressedSize &&
    entry.crc32 === planned.crc32 &&
    entry.relativeOffsetOfLocalHeader === planned.localHeaderOffset;
  if (!same) throw invalid('The archive changed while it was being extracted.');
  return planned;
}

function insideDestination(destination: string, segments: string[]): string {
  const target = path.join(destination, ...segments);
  // Validation already rules escapes out; this is the last line if a rule is ever loosened.
  if (!target.startsWith(destination + path.sep)) {
    throw new Error(`Refusing to write outside the staging folder: ${target}`);
  }
  return target;
}

interface WriteContext {
  zip: ZipFile;
  destination: string;
  limits: ArchiveLimits;
  totals: { inflated: number };
}

async function writeEntry(
  context: WriteContext,
  entry: Entry,
  planned: PlannedEntry,
): Promise<void> {
  const target = insideDestination(context.destination, planned.segments);
  if (planned.kind === 'directory') {
    await mkdir(target, { recursive: true, mode: 0o755 });
    return;
  }
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  const source = await openEntryStream(context.zip, entry);
  // 'wx' never overwrites and never follows a link that might already sit at the path.
  const writer = createWriteStream(target, { flags: 'wx', mode: 0o644 });
  try {
    await pipeline(source, new InflateMeter(planned, context.totals, context.limits), writer);
  } catch (error) {
    // Wait for the file to be closed (or its lazy open to land) before the caller removes the
    // folder, or the removal could race a file appearing in it.
    await destroyAndWait(writer);
    throw error;
  }
}

function destroyAndWait(stream: Writable): Promise<void> {
  stream.destroy();
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', () => {
      resolve();
    });
  });
}

async function writeArchive(
  zipPath: string,
  destination: string,
  plan: ArchivePlan,
  limits: ArchiveLimits,
): Promise<number> {
  const zip = await openZip(zipPath);
  const context: WriteContext = { zip, destination, limits, totals: { inflated: 0 } };
  if (zip.entryCount !== plan.entries.length) {
    zip.close();
    throw invalid('The archive changed while it was being extracted.');
  }
  await forEachEntry(zip, async (entry, index) => {
    const slot = plan.entries[index];
    // A refused entry is never written; extractArchive refuses the archive before getting here.
    if (slot === null) return;
    const planned = assertUnchanged(entry, slot);
    try {
      await writeEntry(context, entry, planned);
    } catch (error) {
      throw classifyWriteError(error, planned.path);
    }
  });
  return context.totals.inflated;
}

async function createDestination(destination: string): Promise<void> {
  try {
    await mkdir(destination, { mode: 0o755 });
  } catch (error) {
    throw toStorageError(error);
  }
}

async function writePlan(
  zipPath: string,
  root: string,
  plan: ArchivePlan,
  limits: ArchiveLimits,
): Promise<ExtractedArchive> {
  await createDestination(root);
  try {
    const unpackedBytes = await writeArchive(zipPath, root, plan, limits);
    return { files: plan.files, directories: plan.directories, unpackedBytes };
  } catch (error) {
    // The error that stopped the extraction is the one worth reporting; if removal fails too
    // (a read-only disk), there is nothing more this function could do about it.
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Extracts `zipPath` into `destination`, which must not exist yet (its parent must). On any
 * failure `destination` is removed again and the error is a PluginFormatError where the cause is
 * the archive or the disk. Bad entries are refused together: the error names the first, and its
 * `details.issues` lists every one (`{ path, code, message }`).
 */
export async function extractArchive(
  zipPath: string,
  destination: string,
  limits: ArchiveLimits,
): Promise<ExtractedArchive> {
  const root = path.resolve(destination);
  const plan = await planArchive(zipPath, limits);
  if (plan.problems.length > 0) throw refusal(plan.problems);
  return writePlan(zipPath, root, plan, limits);
}

/** Where a problem is that no single entry owns (a damaged stream, the archive as a whole). */
export const ARCHIVE = '(archive)';

export interface CheckedExtraction {
  /** What was written: every entry that passed the checks. Null when writing failed part-way. */
  extracted: ExtractedArchive | null;
  /** Each refused entry, then the archive's error that stopped the writing, if one did. */
  problems: EntryProblem[];
}

/**
 * For checking an archive rather than installing it (the kit's validate): the same checks as
 * extractArchive, but the entries that pass are written even when others are refused, so the
 * manifest can be checked too. Never use its output as an installed plugin. Errors that stop the
 * first pass (limits, a broken ZIP) and failures of the disk are thrown.
 */
export async function extractCheckedEntries(
  zipPath: string,
  destination: string,
  limits: ArchiveLimits,
): Promise<CheckedExtraction> {
  const root = path.resolve(destination);
  const plan = await planArchive(zipPath, limits);
  try {
    return { extracted: await writePlan(zipPath, root, plan, limits), problems: plan.problems };
  } catch (error) {
    if (!isPluginFormatError(error) || error.code === 'PLUGIN_STORAGE_FAILED') throw error;
    const entry = (error.details as { entry?: unknown } | undefined)?.entry;
    return {
      extracted: null,
      problems: [...plan.problems, { entry: typeof entry === 'string' ? entry : ARCHIVE, error }],
    };
  }
}

export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
