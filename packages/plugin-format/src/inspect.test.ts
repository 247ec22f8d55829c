import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_LISTED_PROBLEMS } from './archive/extract.ts';
import { DEFAULT_ARCHIVE_LIMITS } from './archive/limits.ts';
import { inspectArchive, type ArchiveProblem } from './inspect.ts';
import { buildZip, type ZipEntryInput } from './zip-writer.ts';

const manifest = {
  id: 'team-polls',
  name: 'Team polls',
  version: '1.2.0',
  author: 'Ada',
  polyphony: '^0.1.0',
};

let root: string;
let scratch: string;
let savedTmpdir: string | undefined;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'inspect-test-'));
  // inspectArchive unpacks under os.tmpdir(); point it here to see what it leaves behind.
  scratch = path.join(root, 'tmp');
  await mkdir(scratch);
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
});

afterEach(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await rm(root, { recursive: true, force: true });
});

async function archive(entries: ZipEntryInput[]): Promise<string> {
  const file = path.join(root, 'plugin.zip');
  await writeFile(file, buildZip(entries));
  return file;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);
const brief = (problems: ArchiveProblem[]) => problems.map((p) => `${p.code} ${p.where}`);

describe('inspectArchive', () => {
  it('accepts a good archive: its manifest, its files, no problems, no temp folder left', async () => {
    const file = await archive([
      { name: 'plugin.json', content: json(manifest) },
      { name: 'backend/main.js', content: 'export default {}' },
      { name: 'frontend/index.js', content: 'export {}' },
    ]);
    const result = await inspectArchive(file, { hostVersion: '0.1.3' });
    expect(result).toEqual({
      manifest,
      files: ['plugin.json', 'backend/main.js', 'frontend/index.js'],
      problems: [],
    });
    expect(await readdir(scratch)).toEqual([]);
  });

  it('lists every bad field of the manifest with its path, and the entries and host checks too', async () => {
    const file = await archive([
      {
        name: 'plugin.json',
        content: json({
          ...manifest,
          id: 'Team_Polls',
          version: '1.2',
          homepage: 'javascript:alert(1)',
          colour: 'red',
          polyphony: '^2.0.0',
          frontend: 'web/index.js',
        }),
      },
      { name: 'backend/main.js', content: 'export default {}' },
    ]);
    const result = await inspectArchive(file, { hostVersion: '0.1.3' });
    expect(result.manifest).toBeNull();
    expect(brief(result.problems)).toEqual([
      'MANIFEST_INVALID id',
      'MANIFEST_INVALID version',
      'MANIFEST_INVALID homepage',
      'MANIFEST_INVALID colour',
      'MANIFEST_INVALID frontend',
      'PLUGIN_INCOMPATIBLE polyphony',
    ]);
    expect(result.problems[3]?.message).toBe('is not a known field');
    expect(result.problems[4]?.message).toBe('names web/index.js, which is not in the archive');
    expect(result.problems[5]?.message).toBe(
      'Team polls supports Polyphony ^2.0.0; this is Polyphony 0.1.3.',
    );
    expect(await readdir(scratch)).toEqual([]);
  });

  it('lists a bad manifest and a missing frontend entry of an otherwise valid manifest', async () => {
    const file = await archive([
      { name: 'plugin.json', content: json({ ...manifest, frontend: 'web/index.js' }) },
      { name: 'backend/main.js', content: 'export default {}' },
    ]);
    const result = await inspectArchive(file);
    // The manifest itself is valid: it is returned, and the problem names the field.
    expect(result.manifest).toMatchObject({ id: 'team-polls', frontend: 'web/index.js' });
    expect(result.problems).toEqual([
      {
        code: 'MANIFEST_INVALID',
        where: 'frontend',
        message: 'names web/index.js, which is not in the archive',
      },
    ]);
  });

  it('does not guess entries when an entry field is itself wrong', async () => {
    const file = await archive([
      { name: 'plugin.json', content: json({ ...manifest, backend: '../server.ts' }) },
    ]);
    const result = await inspectArchive(file);
    expect(brief(result.problems)).toEqual([
      'MANIFEST_INVALID backend',
      'MANIFEST_INVALID backend',
    ]);
  });

  it('lists bad entries and still checks the manifest among the good ones', async () => {
    const file = await archive([
      { name: 'plugin.json', content: json({ ...manifest, version: 'one' }) },
      { name: '../escape.js', content: 'x' },
      { name: 'frontend/index.js', content: 'export {}' },
      { name: 'frontend/link.js', content: '/etc/passwd', unixMode: 0o120777, method: 'store' },
    ]);
    const result = await inspectArchive(file);
    expect(brief(result.problems)).toEqual([
      'ARCHIVE_UNSAFE_PATH ../escape.js',
      'ARCHIVE_UNSUPPORTED_ENTRY frontend/link.js',
      'MANIFEST_INVALID version',
    ]);
    expect(result.files).toEqual(['plugin.json', 'frontend/index.js']);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('lists a long run of bad entries up to the cap, each by name', async () => {
    const names = Array.from({ length: 120 }, (_, i) => ({ name: `../${i}.js`, content: 'x' }));
    const result = await inspectArchive(await archive(names));
    expect(result.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(result.problems[0]).toEqual({
      code: 'ARCHIVE_UNSAFE_PATH',
      where: '../0.js',
      message: 'Archive entry "../0.js" is unsafe: it contains a "." or ".." path segment.',
    });
    expect(result.problems.at(-1)?.where).toBe(`../${MAX_LISTED_PROBLEMS - 1}.js`);
  });

  it('names a manifest that sits one folder down', async () => {
    const file = await archive([
      { name: 'team-polls/plugin.json', content: json(manifest) },
      { name: 'team-polls/backend/main.js', content: 'export default {}' },
    ]);
    const result = await inspectArchive(file);
    expect(result.problems).toEqual([
      {
        code: 'MANIFEST_MISSING',
        where: 'plugin.json',
        message:
          'The archive has no plugin.json at its root. It holds team-polls/plugin.json: zip the contents of the plugin folder, not the folder itself.',
      },
    ]);
  });

  it('names plugin.json that is not JSON, and an archive with no code at all', async () => {
    const notJson = await inspectArchive(
      await archive([{ name: 'plugin.json', content: '{ "id": ' }]),
    );
    expect(notJson.problems).toEqual([
      { code: 'MANIFEST_INVALID', where: '(root)', message: 'is not valid JSON' },
    ]);
    const noCode = await inspectArchive(
      await archive([{ name: 'plugin.json', content: json(manifest) }]),
    );
    expect(brief(noCode.problems)).toEqual(['MANIFEST_INVALID (root)']);
  });

  it('reports what the host would refuse before unpacking: size, entry count, not a ZIP', async () => {
    const file = await archive([
      { name: 'plugin.json', content: json(manifest) },
      { name: 'backend/main.js', content: 'export default {}' },
    ]);
    const small = { ...DEFAULT_ARCHIVE_LIMITS, maxUploadBytes: 10, maxEntries: 1 };
    const result = await inspectArchive(file, { limits: small });
    expect(brief(result.problems)).toEqual([
      'PAYLOAD_TOO_LARGE (archive)',
      'ARCHIVE_TOO_LARGE (archive)',
    ]);
    expect(result.problems[1]?.message).toBe('The archive holds 2 entries; at most 1 are allowed.');

    const junk = path.join(root, 'junk.zip');
    await writeFile(junk, 'not a zip at all');
    expect(brief((await inspectArchive(junk)).problems)).toEqual(['ARCHIVE_INVALID (archive)']);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('never throws for a file it cannot read', async () => {
    const missing = path.join(root, 'nope.zip');
    const result = await inspectArchive(missing);
    expect(result).toEqual({
      manifest: null,
      files: [],
      problems: [
        {
          code: 'ARCHIVE_INVALID',
          where: '(archive)',
          message: expect.stringContaining(missing) as string,
        },
      ],
    });
    expect(brief((await inspectArchive(root)).problems)).toEqual(['ARCHIVE_INVALID (archive)']);
  });
});
