import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { TestHostError } from './test-host-error.ts';

/**
 * A plugin to install, in any of the forms a plugin project has at hand:
 * - the bytes of a ZIP archive;
 * - the path (or `file:` URL) of a ZIP archive, such as `dist/<id>-<version>.zip`;
 * - an archive tree: a folder holding `plugin.json` at its root, such as the kit's `build/`;
 * - a plugin project: a folder whose `build/plugin.json` exists (its `build/` is installed).
 *
 * Relative paths are resolved against the working directory; `new URL('..', import.meta.url)`
 * avoids depending on it.
 */
export type PluginSource = string | URL | Uint8Array;

export interface PluginArchive {
  bytes: Uint8Array;
  /** The file name the upload carries (the host only shows it in the audit log). */
  filename: string;
}

const MANIFEST_FILE = 'plugin.json';
// 1980-01-01, the earliest time a ZIP can hold: the same folder gives the same bytes.
const ZIP_TIME = new Date(1980, 0, 1);

async function statOrNull(target: string) {
  try {
    return await fs.stat(target);
  } catch {
    return null;
  }
}

/** Every file under `root` (links followed), as archive entry names. */
async function listFiles(root: string, relative = ''): Promise<string[]> {
  const dirents = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  const nested = await Promise.all(
    dirents.map(async (dirent) => {
      const name = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
      const stat = await fs.stat(path.join(root, name));
      if (stat.isDirectory()) return listFiles(root, name);
      return stat.isFile() ? [name] : [];
    }),
  );
  return nested.flat();
}

/** Zips every file of an archive tree, in a stable order. */
export async function zipFolder(folder: string): Promise<Uint8Array> {
  const names = (await listFiles(folder)).sort();
  const entries: Zippable = {};
  for (const name of names) entries[name] = await fs.readFile(path.join(folder, name));
  return zipSync(entries, { level: 6, mtime: ZIP_TIME });
}

/** The archive tree a folder stands for: the folder itself, or a built project's `build/`. */
async function archiveTree(folder: string): Promise<string> {
  const build = path.join(folder, 'build');
  if (await statOrNull(path.join(build, MANIFEST_FILE))) return build;
  if ((await statOrNull(path.join(folder, MANIFEST_FILE))) === null) {
    throw new TestHostError(
      'PLUGIN_SOURCE_NOT_FOUND',
      `${folder} is not a plugin: it has neither ${MANIFEST_FILE} nor build/${MANIFEST_FILE}.`,
    );
  }
  // A project's sources are not an archive tree: installing them would fail on missing entries.
  if (await statOrNull(path.join(folder, 'src'))) {
    throw new TestHostError(
      'PLUGIN_NOT_BUILT',
      `${folder} looks like a plugin project that is not built (no build/${MANIFEST_FILE}). ` +
        'Run `polyphony-plugin build` before the tests.',
    );
  }
  return folder;
}

/** Reads a plugin source into the ZIP bytes the host will receive. */
export async function readPluginSource(source: PluginSource): Promise<PluginArchive> {
  if (source instanceof Uint8Array) return { bytes: source, filename: 'plugin.zip' };
  const target = path.resolve(source instanceof URL ? fileURLToPath(source) : source);
  const stat = await statOrNull(target);
  if (stat === null) {
    throw new TestHostError('PLUGIN_SOURCE_NOT_FOUND', `There is no plugin at ${target}.`);
  }
  if (stat.isDirectory()) {
    const bytes = await zipFolder(await archiveTree(target));
    return { bytes, filename: `${path.basename(target)}.zip` };
  }
  // Any other file goes to the host as it is: the host decides whether it is a valid archive.
  return { bytes: await fs.readFile(target), filename: path.basename(target) };
}
