import { createHash } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zipArchiveTree } from '@polyphony/plugin-format';
import { buildPlugin, type BuildPluginOptions, type BuildResult } from '../build/build.ts';
import { KitError } from '../kit-error.ts';
import {
  BUILD_DIR,
  MANIFEST_FILE,
  archiveIdentity,
  findProject,
  readManifestJson,
  type PluginProject,
} from '../project.ts';
import { zipTimestamp } from './zip.ts';

export interface PackPluginOptions extends BuildPluginOptions {
  /** Build first (the default); false zips build/ as it is. */
  build?: boolean;
  /** Where to write the ZIP; `dist/<id>-<version>.zip` in the project by default. */
  outFile?: string;
  /** Seconds since 1970 for every entry's time; process.env.SOURCE_DATE_EPOCH by default. */
  sourceDateEpoch?: string | undefined;
}

export interface PackResult {
  /** Absolute path of the ZIP. */
  file: string;
  size: number;
  /** Hex SHA-256 of the ZIP's bytes. */
  sha256: string;
  /** The archive's entries, in archive order. */
  entries: string[];
  /** The build that ran first, or null with `build: false`. */
  build: BuildResult | null;
}

async function defaultOutFile(project: PluginProject): Promise<string> {
  const { id, version } = archiveIdentity(await readManifestJson(project));
  return path.join(project.distDir, `${id}-${version}.zip`);
}

async function requireBuilt(project: PluginProject): Promise<void> {
  try {
    await stat(path.join(project.buildDir, MANIFEST_FILE));
  } catch {
    throw new KitError(
      'KIT_NOT_FOUND',
      `${BUILD_DIR}/${MANIFEST_FILE} does not exist: build first, or pack without --no-build.`,
    );
  }
}

/** Writes the file under a temporary name first, so a reader never sees half a ZIP. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}

/**
 * Builds the plugin (unless `build: false`) and zips build/ into dist/<id>-<version>.zip. The same
 * sources give the same bytes, whatever the files' times, the machine's zone or the folder's path.
 */
export async function packPlugin(
  dir: string,
  options: PackPluginOptions = {},
): Promise<PackResult> {
  const project = await findProject(dir);
  // Everything that can be refused is checked before the build: a wrong SOURCE_DATE_EPOCH, a
  // manifest without the id or version that name the archive.
  const mtime = zipTimestamp(
    'sourceDateEpoch' in options ? options.sourceDateEpoch : process.env.SOURCE_DATE_EPOCH,
  );
  const file = path.resolve(options.outFile ?? (await defaultOutFile(project)));
  const built = options.build === false ? null : await buildPlugin(project.root, options);
  await requireBuilt(project);
  const { bytes, entries } = await zipArchiveTree(project.buildDir, { mtime });
  await writeAtomically(file, bytes);
  return {
    file,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    entries,
    build: built,
  };
}
