import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspectArchive, type ArchiveProblem, type Manifest } from '@polyphony/plugin-format';
import { KitError } from '../kit-error.ts';
import { packPlugin, type PackPluginOptions } from '../pack/pack.ts';

export type { ArchiveProblem };

export interface ValidatePluginOptions extends Pick<PackPluginOptions, 'build' | 'color'> {
  /** Also check the manifest's `polyphony` range against this host version. */
  hostVersion?: string;
}

export interface ValidateResult {
  /** What was checked: the plugin folder (packed to a temporary ZIP) or the ZIP itself. */
  target: string;
  kind: 'folder' | 'zip';
  /** The manifest as the host would read it; null when it is missing or invalid. */
  manifest: Manifest | null;
  /** The archive's files. */
  files: string[];
  /** Every problem, each naming the manifest field or archive entry; empty when the host would accept it. */
  problems: ArchiveProblem[];
}

/**
 * Runs the host's own archive and manifest checks (@polyphony/plugin-format's `inspectArchive`,
 * the code the host runs at install) on a ZIP, or on a plugin folder, which is built and packed
 * to a temporary ZIP first, so what is checked is exactly what `pack` would ship.
 */
export async function validatePlugin(
  target: string,
  options: ValidatePluginOptions = {},
): Promise<ValidateResult> {
  const resolved = path.resolve(target);
  let info;
  try {
    info = await stat(resolved);
  } catch {
    throw new KitError('KIT_NOT_FOUND', `There is no file or folder ${resolved}.`);
  }
  const inspectOptions =
    options.hostVersion === undefined ? {} : { hostVersion: options.hostVersion };
  if (info.isFile()) {
    const inspection = await inspectArchive(resolved, inspectOptions);
    return { target: resolved, kind: 'zip', ...inspection };
  }
  const temp = await mkdtemp(path.join(tmpdir(), 'polyphony-validate-'));
  try {
    const packed = await packPlugin(resolved, {
      build: options.build ?? true,
      outFile: path.join(temp, 'plugin.zip'),
      ...(options.color === undefined ? {} : { color: options.color }),
    });
    const inspection = await inspectArchive(packed.file, inspectOptions);
    return { target: resolved, kind: 'folder', ...inspection };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** One problem per line, as `<where>: <message> (<code>)`. */
export function formatProblem(problem: ArchiveProblem): string {
  return `${problem.where}: ${problem.message} (${problem.code})`;
}
