import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipArchiveTree } from '@polyphony/plugin-format';
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

async function statOrNull(target: string) {
  try {
    return await fs.stat(target);
  } catch {
    return null;
  }
}

/** Zips an archive tree exactly as `polyphony-plugin pack` does (the same writer, shared). */
export async function zipFolder(folder: string): Promise<Uint8Array> {
  return (await zipArchiveTree(folder)).bytes;
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
