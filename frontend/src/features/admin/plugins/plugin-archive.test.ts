import { strToU8, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Plugin } from '../../../lib/api-types.ts';
import { compareVersions, planUpload, readArchiveManifest } from './plugin-archive.ts';

const manifest = JSON.stringify({ id: 'notes', name: 'Notes', version: '1.1.0', author: 'x' });

function zip(files: Record<string, string>, level: 0 | 6 = 6): Uint8Array {
  const entries: Zippable = {};
  for (const [name, text] of Object.entries(files)) entries[name] = strToU8(text);
  return zipSync(entries, { level });
}

describe('readArchiveManifest', () => {
  it("reads the root plugin.json's id, name and version, deflated or stored", () => {
    const files = { 'backend/main.js': 'export default {};', 'plugin.json': manifest };
    const expected = { id: 'notes', name: 'Notes', version: '1.1.0' };
    expect(readArchiveManifest(zip(files))).toEqual(expected);
    expect(readArchiveManifest(zip(files, 0))).toEqual(expected);
  });

  it('inflates the manifest only: another entry it could not inflate does not matter', () => {
    const archive = zip({ 'a.bin': 'x'.repeat(100), 'plugin.json': manifest }, 0);
    // Mark the first entry as LZMA (method 14) in its local and its central header.
    archive[8] = 14;
    const central = findBytes(archive, [0x50, 0x4b, 0x01, 0x02]);
    archive[central + 10] = 14;
    expect(readArchiveManifest(archive)?.id).toBe('notes');
  });

  it('gives up (null) on anything the server should explain instead', () => {
    expect(readArchiveManifest(strToU8('not a zip at all'))).toBeNull();
    expect(readArchiveManifest(new Uint8Array())).toBeNull();
    expect(readArchiveManifest(zip({ 'README.md': '#' }))).toBeNull();
    expect(readArchiveManifest(zip({ 'notes/plugin.json': manifest }))).toBeNull();
    expect(readArchiveManifest(zip({ 'plugin.json': '{ not json' }))).toBeNull();
    expect(readArchiveManifest(zip({ 'plugin.json': '["notes"]' }))).toBeNull();
    expect(readArchiveManifest(zip({ 'plugin.json': '{"name":"Notes"}' }))).toBeNull();
    expect(readArchiveManifest(zip({ 'plugin.json': '{"id":""}' }))).toBeNull();
  });

  it('keeps the id when the name or version is not text', () => {
    expect(readArchiveManifest(zip({ 'plugin.json': '{"id":"notes","version":2}' }))).toEqual({
      id: 'notes',
      name: null,
      version: null,
    });
  });
});

describe('compareVersions', () => {
  it('orders by semantic-version precedence', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '1.10.0',
      '2.0.0',
    ];
    for (let i = 0; i < ordered.length - 1; i++) {
      const [older, newer] = [ordered[i]!, ordered[i + 1]!];
      expect(compareVersions(older, newer), `${older} < ${newer}`).toBe(-1);
      expect(compareVersions(newer, older), `${newer} > ${older}`).toBe(1);
    }
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
  });

  it('is null for what the host does not accept as a version', () => {
    expect(compareVersions('v1.0.0', '1.0.0')).toBeNull();
    expect(compareVersions('1.0', '1.0.0')).toBeNull();
    expect(compareVersions('1.0.0', '1.0.0+build')).toBeNull();
  });
});

describe('planUpload', () => {
  const installed = [{ id: 'notes', name: 'Notes', version: '1.0.0' } as Plugin];

  it('asks to confirm an upgrade of an installed plugin to a newer version', () => {
    expect(planUpload({ id: 'notes', name: 'Notes', version: '1.1.0' }, installed)).toEqual({
      kind: 'upgrade',
      plugin: installed[0],
      from: '1.0.0',
      to: '1.1.0',
    });
  });

  it('installs a new id at once', () => {
    expect(planUpload({ id: 'polls', name: 'Polls', version: '1.0.0' }, installed)).toEqual({
      kind: 'install',
    });
  });

  it('lets the server decide the rest: unreadable, same version, older, odd version', () => {
    for (const read of [
      null,
      { id: 'notes', name: 'Notes', version: '1.0.0' },
      { id: 'notes', name: 'Notes', version: '0.9.0' },
      { id: 'notes', name: 'Notes', version: 'v2' },
      { id: 'notes', name: 'Notes', version: null },
    ]) {
      expect(planUpload(read, installed)).toEqual({ kind: 'let-server-decide' });
    }
  });
});

function findBytes(haystack: Uint8Array, needle: number[]): number {
  for (let i = 0; i <= haystack.length - needle.length; i++) {
    if (needle.every((byte, j) => haystack[i + j] === byte)) return i;
  }
  throw new Error('not found');
}
