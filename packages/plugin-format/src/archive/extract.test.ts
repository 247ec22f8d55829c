import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildZip, type ZipEntryInput } from '../zip-writer.ts';
import {
  extractArchive,
  extractCheckedEntries,
  MAX_LISTED_PROBLEMS,
  sha256File,
} from './extract.ts';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './limits.ts';

const MIB = 1024 * 1024;

let root: string;
let zipPath: string;
let stage: string;
let sibling: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'extract-'));
  zipPath = path.join(root, 'upload.zip');
  stage = path.join(root, 'stage');
  // Shares the staging folder's prefix: a naive startsWith(stage) check would let writes in here.
  sibling = path.join(root, 'stage-evil');
  await mkdir(sibling);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every path under `dir`, relative, folders with a trailing slash. */
async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const dirent of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? dirent.name : `${prefix}/${dirent.name}`;
    if (dirent.isDirectory()) found.push(`${relative}/`, ...(await listTree(dir, relative)));
    else found.push(relative);
  }
  return found.sort();
}

async function extract(
  archive: ZipEntryInput[] | Buffer,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<Awaited<ReturnType<typeof extractArchive>>> {
  await writeFile(zipPath, Buffer.isBuffer(archive) ? archive : buildZip(archive));
  return extractArchive(zipPath, stage, limits);
}

interface Rejection {
  code: string;
  message: string;
  details: unknown;
}

/**
 * Runs `action` while watching `root`, and says whether the staging folder was ever created.
 * inotify delivers events in order, so once a marker file written afterwards has been seen, any
 * event for the staging folder would have been seen too: no sleeping, no guessing.
 */
async function watchingStage<T>(
  action: () => Promise<T>,
): Promise<{ result: T; touched: boolean }> {
  const names = new Set<string>();
  let markerSeen = (): void => undefined;
  const marker = new Promise<void>((resolve) => (markerSeen = resolve));
  const watcher = watch(root, (_event, name) => {
    if (name === 'marker') markerSeen();
    else if (name !== null) names.add(name);
  });
  try {
    const result = await action();
    await writeFile(path.join(root, 'marker'), '');
    await marker;
    await rm(path.join(root, 'marker'));
    return { result, touched: names.has('stage') };
  } finally {
    watcher.close();
  }
}

/**
 * Extracts, expects the given code, and checks that nothing at all was left on disk. Unless the
 * defence only fires while inflating, the staging folder must never even have been created:
 * that is what proves every name and type was checked before the first write.
 */
async function expectRejected(
  archive: ZipEntryInput[] | Buffer,
  code: string,
  options: { limits?: ArchiveLimits; whileWriting?: boolean } = {},
): Promise<Rejection> {
  const { result: error, touched } = await watchingStage(() =>
    extract(archive, options.limits).then(
      () => {
        throw new Error('the archive was accepted');
      },
      (reason: unknown) => reason as Rejection,
    ),
  );
  expect(error.code).toBe(code);
  expect(touched).toBe(options.whileWriting === true);
  expect(await listTree(root)).toEqual(['stage-evil/', 'upload.zip']);
  return error;
}

function file(name: string | Buffer, content: string | Buffer = 'x'): ZipEntryInput {
  return { name, content };
}

describe('extractArchive: a well-formed archive', () => {
  it('writes nested files and folders exactly, with our modes, and reports them', async () => {
    const manifest = '{"id":"demo","version":"1.0.0"}';
    const big = randomBytes(300_000);
    const result = await extract([
      { name: 'plugin.json', content: manifest, method: 'store' },
      { name: 'backend', directory: true },
      { name: 'backend/index.js', content: 'export default {}', unixMode: 0o100777 },
      { name: 'frontend/assets/big.bin', content: big },
      { name: 'frontend/assets/empty.txt', content: '' },
      { name: 'docs/e\u0301t\u00e9.md', content: 'nfd and nfc in one name' },
    ]);

    expect(await readFile(path.join(stage, 'plugin.json'), 'utf8')).toBe(manifest);
    expect((await readFile(path.join(stage, 'frontend/assets/big.bin'))).equals(big)).toBe(true);
    expect(await readFile(path.join(stage, 'frontend/assets/empty.txt'), 'utf8')).toBe('');
    // Byte-exact: the name was neither normalized nor re-encoded on the way to disk.
    expect(await readdir(path.join(stage, 'docs'))).toEqual(['e\u0301t\u00e9.md']);
    expect(await listTree(stage)).toEqual([
      'backend/',
      'backend/index.js',
      'docs/',
      'docs/e\u0301t\u00e9.md',
      'frontend/',
      'frontend/assets/',
      'frontend/assets/big.bin',
      'frontend/assets/empty.txt',
      'plugin.json',
    ]);
    // References made with the intended modes under the same umask; the archive asked for 0o777.
    await writeFile(path.join(root, 'ref-file'), '', { mode: 0o644 });
    await mkdir(path.join(root, 'ref-dir'), { mode: 0o755 });
    const modeOf = async (target: string) => (await stat(target)).mode & 0o777;
    const executable = await modeOf(path.join(stage, 'backend/index.js'));
    expect(executable).toBe(await modeOf(path.join(root, 'ref-file')));
    expect(executable & 0o111).toBe(0);
    expect(await modeOf(path.join(stage, 'frontend/assets'))).toBe(
      await modeOf(path.join(root, 'ref-dir')),
    );

    expect(result.files).toEqual([
      'plugin.json',
      'backend/index.js',
      'frontend/assets/big.bin',
      'frontend/assets/empty.txt',
      'docs/e\u0301t\u00e9.md',
    ]);
    expect(result.directories).toEqual(['backend', 'frontend', 'frontend/assets', 'docs']);
    expect(result.unpackedBytes).toBe(
      manifest.length + 'export default {}'.length + big.length + 'nfd and nfc in one name'.length,
    );
  });

  it('refuses to reuse an existing destination, and leaves it alone', async () => {
    await mkdir(stage);
    await writeFile(path.join(stage, 'keep.txt'), 'mine');
    await expect(extract([file('plugin.json')])).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path.join(stage, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('hashes the archive file', async () => {
    const bytes = randomBytes(200_000);
    await writeFile(zipPath, bytes);
    expect(await sha256File(zipPath)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('extractArchive: entries that escape the target', () => {
  const dots = /"\." or "\.\." path segment/;
  const absolute = /absolute path/;
  const backslash = /backslash/;
  it.each([
    ['../x', dots],
    ['../stage-evil/pwned', dots],
    ['a/../../x', dots],
    ['a/../../stage-evil/pwned', dots],
    ['/x', absolute],
    ['/tmp/pwned', absolute],
    ['C:/x', absolute],
    ['C:\\x', absolute],
    ['c:x', absolute],
    ['\\\\host\\share\\x', absolute],
    ['..\\stage-evil\\pwned', backslash],
    ['a\\..\\..\\x', backslash],
  ])('rejects %j and writes nothing anywhere', async (name, reason) => {
    const error = await expectRejected(
      [file('plugin.json'), file(name, 'escaped')],
      'ARCHIVE_UNSAFE_PATH',
    );
    expect(error.message).toContain(JSON.stringify(name));
    expect(error.message).toMatch(reason);
    expect(await readdir(sibling)).toEqual([]);
  });

  it('checks a late bad entry before writing the good ones before it', async () => {
    await expectRejected(
      [file('plugin.json'), file('a/b'), file('../evil')],
      'ARCHIVE_UNSAFE_PATH',
    );
  });

  it('(control) the watch used above does see the staging folder being created', async () => {
    await writeFile(zipPath, buildZip([file('plugin.json')]));
    const { touched } = await watchingStage(() =>
      extractArchive(zipPath, stage, DEFAULT_ARCHIVE_LIMITS),
    );
    expect(touched).toBe(true);
  });
});

describe('extractArchive: every bad entry named at once', () => {
  const symlink = {
    name: 'link',
    content: '/etc/passwd',
    unixMode: 0o120777,
    method: 'store' as const,
  };

  it('checks every entry before refusing, and lists them all in details.issues', async () => {
    const error = await expectRejected(
      [
        file('plugin.json'),
        file('../escape.js'),
        file('backend/main.js'),
        symlink,
        file('a\\b.js'),
        { name: 'secret.js', content: 'x', encrypted: true },
        file('Plugin.json'),
      ],
      'ARCHIVE_UNSAFE_PATH',
    );
    // The first problem's code and message lead, so a single bad entry reads as it always did.
    expect(error.message).toBe(
      'Archive entry "../escape.js" is unsafe: it contains a "." or ".." path segment. 4 more entries have problems too.',
    );
    const { issues } = error.details as { issues: { path: string; code: string }[] };
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['../escape.js', 'ARCHIVE_UNSAFE_PATH'],
      ['link', 'ARCHIVE_UNSUPPORTED_ENTRY'],
      ['a\\b.js', 'ARCHIVE_UNSAFE_PATH'],
      ['secret.js', 'ARCHIVE_INVALID'],
      ['Plugin.json', 'ARCHIVE_UNSAFE_PATH'],
    ]);
    expect(error.details).toMatchObject({ entry: '../escape.js' });
  });

  it('keeps the details of a single bad entry, with the list of one', async () => {
    const error = await expectRejected([file('plugin.json'), symlink], 'ARCHIVE_UNSUPPORTED_ENTRY');
    expect(error.details).toEqual({
      entry: 'link',
      issues: [{ path: 'link', code: 'ARCHIVE_UNSUPPORTED_ENTRY', message: error.message }],
    });
  });

  it(`stops listing at ${MAX_LISTED_PROBLEMS} bad entries`, async () => {
    const names = Array.from({ length: 150 }, (_, i) => file(`../${i}`));
    const error = await expectRejected(names, 'ARCHIVE_UNSAFE_PATH');
    expect((error.details as { issues: unknown[] }).issues).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(error.message).toMatch(/ 99 more entries have problems too; the check stopped there\.$/);
  });

  it('still stops at a limit, whatever else is wrong', async () => {
    const error = await expectRejected(
      [file('../a'), { name: 'b.bin', content: 'x', declaredSize: 300 * MIB }, file('../c')],
      'ARCHIVE_TOO_LARGE',
    );
    expect(error.details).toEqual({
      limit: 'unpackedBytes',
      max: DEFAULT_ARCHIVE_LIMITS.maxUnpackedBytes,
    });
  });

  it('extractCheckedEntries writes only the entries that pass, and returns the others', async () => {
    await writeFile(
      zipPath,
      buildZip([
        file('plugin.json', '{}'),
        file('../escape.js'),
        symlink,
        file('frontend/index.js', 'ok'),
        file('FRONTEND/index.js', 'shadow'),
      ]),
    );
    const { extracted, problems } = await extractCheckedEntries(
      zipPath,
      stage,
      DEFAULT_ARCHIVE_LIMITS,
    );
    expect(extracted?.files).toEqual(['plugin.json', 'frontend/index.js']);
    expect(await listTree(stage)).toEqual(['frontend/', 'frontend/index.js', 'plugin.json']);
    expect(await readFile(path.join(stage, 'frontend/index.js'), 'utf8')).toBe('ok');
    expect(problems.map(({ entry, error }) => [entry, error.code])).toEqual([
      ['../escape.js', 'ARCHIVE_UNSAFE_PATH'],
      ['link', 'ARCHIVE_UNSUPPORTED_ENTRY'],
      ['FRONTEND/index.js', 'ARCHIVE_UNSAFE_PATH'],
    ]);
    expect(await readdir(sibling)).toEqual([]);
  });

  it('extractCheckedEntries reports damaged data as a problem and leaves nothing', async () => {
    const zip = buildZip([{ name: 'plugin.json', content: '{"id":"demo"}', method: 'store' }]);
    zip[30 + 'plugin.json'.length + 2] = 0x21;
    await writeFile(zipPath, zip);
    const { extracted, problems } = await extractCheckedEntries(
      zipPath,
      stage,
      DEFAULT_ARCHIVE_LIMITS,
    );
    expect(extracted).toBeNull();
    expect(problems.map(({ entry, error }) => [entry, error.code])).toEqual([
      ['(archive)', 'ARCHIVE_INVALID'],
    ]);
    expect(await listTree(root)).toEqual(['stage-evil/', 'upload.zip']);
  });
});

describe('extractArchive: names that would collapse into another on disk', () => {
  const dots = /"\." or "\.\." path segment/;
  const empty = /empty path segment/;
  const twice = /appears twice/;
  const folded = /only by case or Unicode form/;
  it.each([
    ['"./" next to the plain name', ['./plugin.json', 'plugin.json'], dots],
    ['a "." segment', ['a/./b'], dots],
    ['an empty segment', ['a//b'], empty],
    ['an empty last segment in a folder entry', ['a/', 'a//'], empty],
    ['an exact duplicate', ['plugin.json', 'plugin.json'], twice],
    ['a duplicate folder entry', ['a/', 'a/'], twice],
    ['names differing only by case', ['plugin.json', 'Plugin.json'], folded],
    ['folders differing only by case', ['A/x', 'a/y'], folded],
    ['NFC and NFD forms of one name', ['caf\u00e9.js', 'cafe\u0301.js'], folded],
    ['NFC and NFD forms with different case', ['CAF\u00c9.js', 'cafe\u0301.js'], folded],
  ])('rejects %s', async (_label, names, reason) => {
    const entries = names.map((name) =>
      name.endsWith('/') ? { name, directory: true } : file(name),
    );
    const error = await expectRejected(entries, 'ARCHIVE_UNSAFE_PATH');
    expect(error.message).toMatch(/^Archive entry ".*" is unsafe: /);
    expect(error.message).toMatch(reason);
  });
});

describe('extractArchive: other unsafe names', () => {
  const control = /control character/;
  const forbidden = /one of the characters/;
  const trailing = /ends with a dot or a space/;
  it.each([
    ['a NUL byte', 'a\u0000b', control],
    ['an escape character', 'a\u001bb', control],
    ['a newline', 'a\nb', control],
    ['DEL', 'a\u007fb', control],
    ['a C1 control character', 'a\u0085b', control],
    ['a trailing dot', 'plugin.json.', trailing],
    ['a trailing space', 'folder /x', trailing],
    ['a colon (NTFS streams)', 'plugin.json:stream', forbidden],
    ['an asterisk', 'a*b', forbidden],
    ['a question mark', 'a?b', forbidden],
    ['a double quote', 'a"b', forbidden],
    ['a less-than sign', 'a<b', forbidden],
    ['a greater-than sign', 'a>b', forbidden],
    ['a pipe', 'a|b', forbidden],
    ['a segment over 255 bytes', `${'é'.repeat(128)}.js`, /longer than 255 bytes/],
    ['more than 32 levels', `${'d/'.repeat(32)}f`, /more than 32 folders deep/],
    ['a name over 1024 bytes', `${'d'.repeat(200)}/`.repeat(6) + 'f', /longer than 1024 bytes/],
  ])('rejects a name with %s', async (_label, name, reason) => {
    const error = await expectRejected([file('plugin.json'), file(name)], 'ARCHIVE_UNSAFE_PATH');
    expect(error.message).toMatch(reason);
  });

  it('accepts 32 levels and 255-byte segments, the largest allowed', async () => {
    const deep = `${'d/'.repeat(31)}f`;
    const long = 'é'.repeat(127) + 'x';
    const result = await extract([file(deep), file(long)]);
    expect(result.files).toEqual([deep, long]);
  });

  it('rejects a name that is not valid UTF-8 and says which', async () => {
    const error = await expectRejected(
      [file(Buffer.from([0x70, 0x6c, 0xff, 0x2e, 0x6a, 0x73]))],
      'ARCHIVE_UNSAFE_PATH',
    );
    expect(error.message).toMatch(/not valid UTF-8/);
  });

  it('rejects an empty name', async () => {
    await expectRejected([file('')], 'ARCHIVE_UNSAFE_PATH');
  });
});

describe('extractArchive: entry types', () => {
  it.each([
    ['a symbolic link', 0o120777],
    ['a character device', 0o020644],
    ['a block device', 0o060644],
    ['a named pipe', 0o010644],
    ['a socket', 0o140644],
    ['an unknown type', 0o170644],
  ])('rejects %s', async (label, unixMode) => {
    const error = await expectRejected(
      [file('plugin.json'), { name: 'thing', content: '/etc/passwd', unixMode, method: 'store' }],
      'ARCHIVE_UNSUPPORTED_ENTRY',
    );
    expect(error.message).toContain(label === 'an unknown type' ? 'not a regular file' : label);
  });

  it('never lets a symlink land, even one pointing inside', async () => {
    await expectRejected(
      [{ name: 'link', content: 'plugin.json', unixMode: 0o120777 }, file('plugin.json')],
      'ARCHIVE_UNSUPPORTED_ENTRY',
    );
  });

  it.each([
    ['a file, then a folder inside it', [file('a'), file('a/b')]],
    ['a folder, then a file of the same name', [file('a/b'), file('a')]],
    ['a file and a folder entry of the same name', [file('a'), { name: 'a/', directory: true }]],
    ['a folder entry and a file of the same name', [{ name: 'a/', directory: true }, file('a')]],
  ])('rejects %s without crashing', async (_label, entries) => {
    const error = await expectRejected(entries, 'ARCHIVE_UNSAFE_PATH');
    expect(error.message).toMatch(/a file and a folder would both be named "a"/);
  });

  it('rejects a folder mode on a name without the trailing slash', async () => {
    await expectRejected([{ name: 'a', unixMode: 0o040755 }], 'ARCHIVE_INVALID');
  });

  it('rejects a folder entry that carries data', async () => {
    await expectRejected(
      [{ name: 'a/', directory: true, content: 'hidden', method: 'store' }],
      'ARCHIVE_INVALID',
    );
  });
});

/** Rewrites the compression method of the only entry, in both headers. */
function withMethod(zip: Buffer, method: number): Buffer {
  const patched = Buffer.from(zip);
  const centralOffset = patched.readUInt32LE(patched.length - 22 + 16);
  patched.writeUInt16LE(method, 8);
  patched.writeUInt16LE(method, centralOffset + 10);
  return patched;
}

describe('extractArchive: corrupt, truncated, encrypted and not-a-ZIP uploads', () => {
  it('rejects an empty file', async () => {
    await expectRejected(Buffer.alloc(0), 'ARCHIVE_INVALID');
  });

  it('rejects random bytes', async () => {
    const error = await expectRejected(randomBytes(4096), 'ARCHIVE_INVALID');
    expect(error.message).toMatch(/not a valid ZIP archive/);
  });

  it('rejects a truncated archive', async () => {
    const zip = buildZip([
      file('plugin.json', randomBytes(10_000)),
      file('b', randomBytes(10_000)),
    ]);
    await expectRejected(zip.subarray(0, zip.length - 30), 'ARCHIVE_INVALID');
    await expectRejected(zip.subarray(0, 15_000), 'ARCHIVE_INVALID');
  });

  it('rejects an archive whose central directory points past the data', async () => {
    const zip = buildZip([file('plugin.json', randomBytes(1000))]);
    const centralOffset = zip.readUInt32LE(zip.length - 22 + 16);
    zip.writeUInt32LE(500, centralOffset + 42);
    await expectRejected(zip, 'ARCHIVE_INVALID', { whileWriting: true });
  });

  it('rejects corrupt deflate data', async () => {
    const zip = buildZip([file('plugin.json', 'x'.repeat(10_000))]);
    zip.fill(0xff, 30 + 'plugin.json'.length, 30 + 'plugin.json'.length + 20);
    const error = await expectRejected(zip, 'ARCHIVE_INVALID', { whileWriting: true });
    expect(error.message).toMatch(/"plugin.json" is damaged/);
  });

  it('rejects stored data that does not match its checksum', async () => {
    const zip = buildZip([{ name: 'plugin.json', content: '{"id":"demo"}', method: 'store' }]);
    zip[30 + 'plugin.json'.length + 2] = 0x21;
    const error = await expectRejected(zip, 'ARCHIVE_INVALID', { whileWriting: true });
    expect(error.message).toMatch(/checksum/);
  });

  it('rejects encrypted entries', async () => {
    const error = await expectRejected(
      [file('plugin.json'), { name: 'secret.js', content: 'x', encrypted: true }],
      'ARCHIVE_INVALID',
    );
    expect(error.message).toBe('Encrypted archives are not supported.');
  });

  it('rejects compression methods other than stored and deflate', async () => {
    const zip = withMethod(buildZip([{ name: 'a.js', content: 'x', method: 'store' }]), 12);
    const error = await expectRejected(zip, 'ARCHIVE_INVALID');
    expect(error.message).toMatch(/compression method 12/);
  });
});

describe('extractArchive: zip bombs', () => {
  it('rejects more entries than allowed, from the count in the end record', async () => {
    const entries = ['a', 'b', 'c', 'd'].map((name) => file(name));
    const error = await expectRejected(entries, 'ARCHIVE_TOO_LARGE', {
      limits: { ...DEFAULT_ARCHIVE_LIMITS, maxEntries: 3 },
    });
    expect(error.details).toEqual({ limit: 'entries', max: 3 });
  });

  it('rejects 300 MiB of zeros before inflating any of it', async () => {
    const started = Date.now();
    const error = await expectRejected(
      [file('plugin.json'), { name: 'zeros.bin', content: Buffer.alloc(300 * MIB) }],
      'ARCHIVE_TOO_LARGE',
    );
    expect(error.details).toEqual({
      limit: 'unpackedBytes',
      max: DEFAULT_ARCHIVE_LIMITS.maxUnpackedBytes,
    });
    expect(error.message).toContain('200 MB');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects a total declared size over the cap even when the data is small', async () => {
    const error = await expectRejected(
      [
        { name: 'a.bin', content: 'x', declaredSize: 150 * MIB },
        { name: 'b.bin', content: 'x', declaredSize: 150 * MIB },
      ],
      'ARCHIVE_TOO_LARGE',
    );
    expect(error.details).toMatchObject({ limit: 'unpackedBytes' });
  });

  it('stops an honestly declared bomb by the ratio of bytes actually inflated', async () => {
    const error = await expectRejected(
      [file('plugin.json'), { name: 'zeros.bin', content: Buffer.alloc(20 * MIB) }],
      'ARCHIVE_TOO_LARGE',
      { whileWriting: true },
    );
    expect(error.details).toEqual({
      limit: 'ratio',
      max: DEFAULT_ARCHIVE_LIMITS.maxRatio,
      entry: 'zeros.bin',
    });
  });

  it('lets a small, highly compressible file through the ratio check', async () => {
    const result = await extract([file('data.json', ' '.repeat(MIB))]);
    expect(result.unpackedBytes).toBe(MIB);
  });

  it('stops 300 MiB of zeros that claim to be 1 KiB, without writing them', async () => {
    const error = await expectRejected(
      [{ name: 'zeros.bin', content: Buffer.alloc(300 * MIB), declaredSize: 1024 }],
      'ARCHIVE_INVALID',
      { whileWriting: true },
    );
    expect(error.message).toBe(
      'Archive entry "zeros.bin" is damaged: its size does not match its header.',
    );
  });

  it('does not silently truncate an entry that claims to be larger than it is', async () => {
    const error = await expectRejected(
      [{ name: 'short.bin', content: randomBytes(10_000), declaredSize: 20_000 }],
      'ARCHIVE_INVALID',
      { whileWriting: true },
    );
    expect(error.message).toMatch(/size does not match its header/);
  });

  it('rejects a stored entry whose sizes disagree', async () => {
    const error = await expectRejected(
      [{ name: 'a.bin', content: randomBytes(100), method: 'store', declaredSize: 50 }],
      'ARCHIVE_INVALID',
    );
    expect(error.message).toMatch(/size does not match its header/);
  });
});

/** Mounting needs root and a kernel that lets this container mount; probe once, up front. */
async function probeTmpfs(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'not running as root';
  const dir = await mkdtemp(path.join(tmpdir(), 'extract-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return null;
  } catch {
    return 'mount -t tmpfs is not permitted here';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const tmpfsUnavailable = await probeTmpfs();
if (tmpfsUnavailable !== null) {
  console.warn(`Skipping the disk-full and read-only extraction tests: ${tmpfsUnavailable}.`);
}

describe.skipIf(tmpfsUnavailable !== null)('extractArchive: a full or read-only disk', () => {
  let mountPoint: string;

  beforeEach(async () => {
    mountPoint = path.join(root, 'mnt');
    await mkdir(mountPoint);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
  });

  afterEach(() => {
    execFileSync('umount', [mountPoint]);
  });

  it('reports a full disk as PLUGIN_STORAGE_FAILED and leaves nothing behind', async () => {
    await writeFile(
      zipPath,
      buildZip([file('plugin.json'), { name: 'big.bin', content: randomBytes(2 * MIB) }]),
    );
    const destination = path.join(mountPoint, 'stage');
    await expect(
      extractArchive(zipPath, destination, DEFAULT_ARCHIVE_LIMITS),
    ).rejects.toMatchObject({
      code: 'PLUGIN_STORAGE_FAILED',
      message: 'The plugins folder could not be written: disk full or read-only.',
    });
    expect(await readdir(mountPoint)).toEqual([]);
  });

  it('reports a read-only folder as PLUGIN_STORAGE_FAILED', async () => {
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    await writeFile(zipPath, buildZip([file('plugin.json')]));
    const destination = path.join(mountPoint, 'stage');
    await expect(
      extractArchive(zipPath, destination, DEFAULT_ARCHIVE_LIMITS),
    ).rejects.toMatchObject({
      code: 'PLUGIN_STORAGE_FAILED',
    });
    expect(await readdir(mountPoint)).toEqual([]);
    await expect(lstat(destination)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
