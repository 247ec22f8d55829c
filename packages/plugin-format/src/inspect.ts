/**
 * Checks a plugin archive the way the host does at install, but lists every problem instead of
 * stopping at the first: the kit's `validate` runs this, so an author fixes everything in one go.
 * Each step is the host's own function (extraction, parseManifest, resolveEntries,
 * assertCompatible); only the collecting is added here.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARCHIVE, extractCheckedEntries } from './archive/extract.ts';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive/limits.ts';
import { isPluginFormatError, type PluginFormatError } from './errors.ts';
import {
  assertCompatible,
  MANIFEST_FILE,
  manifestSchema,
  readManifestFile,
  resolveEntries,
  type Manifest,
} from './manifest.ts';

export interface ArchiveProblem {
  /** The code the host would refuse the archive with (ARCHIVE_*, MANIFEST_*, PLUGIN_INCOMPATIBLE...). */
  code: string;
  /**
   * For MANIFEST_INVALID and PLUGIN_INCOMPATIBLE, the manifest field (`navigation.0.roles`,
   * `version`, `(root)`); for ARCHIVE_* the entry's name as the archive spells it, or `(archive)`
   * for the archive as a whole; for MANIFEST_MISSING, `plugin.json`.
   */
  where: string;
  message: string;
}

export interface InspectArchiveOptions {
  /** The host's limits; DEFAULT_ARCHIVE_LIMITS when not given. */
  limits?: ArchiveLimits;
  /** When given, the manifest's `polyphony` range must include it, as the host checks. */
  hostVersion?: string;
}

export interface ArchiveInspection {
  /** The parsed manifest, or null when plugin.json is missing or invalid. */
  manifest: Manifest | null;
  /** The files the archive would install (those whose entries passed the checks), in archive order. */
  files: string[];
  /** Every problem found; empty means the host would accept the archive (its code still has to load). */
  problems: ArchiveProblem[];
}

const MIB = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / MIB) * 10) / 10} MB`;
}

/** One problem per issue the error lists (manifest fields, archive entries), else the error itself. */
function problemsOf(error: PluginFormatError, where: string): ArchiveProblem[] {
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [{ code: error.code, where, message: error.message }];
  return (issues as { path: string; message: string; code?: string }[]).map((issue) => ({
    code: issue.code ?? error.code,
    where: issue.path,
    message: issue.message,
  }));
}

/** Runs one check, turning the package's own refusal into problems; anything else is a bug. */
function collect(problems: ArchiveProblem[], where: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!isPluginFormatError(error)) throw error;
    problems.push(...problemsOf(error, where));
  }
}

type PartialManifest = Partial<Pick<Manifest, 'name' | 'version' | 'polyphony'>> &
  Pick<Manifest, 'backend' | 'frontend'>;

/**
 * The fields that are valid on their own in a manifest that is not, so that the entries and the
 * host version are still checked. Null when plugin.json is not a JSON object, or when an entry
 * field is itself wrong (its problem is listed; guessing a default instead would mislead).
 */
async function validFields(folder: string, problems: readonly ArchiveProblem[]) {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(folder, MANIFEST_FILE), 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const entryFieldWrong = problems.some(
    (p) => p.code === 'MANIFEST_INVALID' && /^(?:backend|frontend)(?:\.|$)/.test(p.where),
  );
  if (entryFieldWrong) return null;
  const fields = raw as Record<string, unknown>;
  const shape = manifestSchema.shape;
  const pick = <K extends keyof PartialManifest>(key: K): PartialManifest[K] | undefined => {
    const parsed = shape[key].safeParse(fields[key]);
    return parsed.success ? parsed.data : undefined;
  };
  return {
    name: pick('name'),
    version: pick('version'),
    polyphony: pick('polyphony'),
    backend: pick('backend'),
    frontend: pick('frontend'),
  } satisfies PartialManifest;
}

async function inspectExtracted(
  folder: string,
  files: string[],
  hostVersion: string | undefined,
  problems: ArchiveProblem[],
): Promise<Manifest | null> {
  let manifest: Manifest | null = null;
  try {
    manifest = await readManifestFile(folder, files);
  } catch (error) {
    if (!isPluginFormatError(error)) throw error;
    problems.push(...problemsOf(error, MANIFEST_FILE));
    if (error.code === 'MANIFEST_MISSING') return null;
  }
  const fields = manifest ?? (await validFields(folder, problems));
  if (fields === null) return null;
  collect(problems, 'frontend', () => resolveEntries(fields, new Set(files)));
  const { name, version, polyphony } = fields;
  if (hostVersion !== undefined && polyphony !== undefined) {
    collect(problems, 'polyphony', () => {
      assertCompatible(
        { name: name ?? 'This plugin', version: version ?? '', polyphony },
        hostVersion,
      );
    });
  }
  return manifest;
}

/**
 * Checks the archive at `file` as the host would install it, collecting every problem. Never
 * throws for a bad or unreadable archive; the temporary folder it unpacks into is always removed.
 */
export async function inspectArchive(
  file: string,
  options: InspectArchiveOptions = {},
): Promise<ArchiveInspection> {
  const limits = options.limits ?? DEFAULT_ARCHIVE_LIMITS;
  const problems: ArchiveProblem[] = [];
  const unreadable = (error: unknown): ArchiveInspection => {
    const reason = error instanceof Error ? error.message : String(error);
    problems.push({
      code: 'ARCHIVE_INVALID',
      where: ARCHIVE,
      message: `Cannot read ${file}: ${reason}`,
    });
    return { manifest: null, files: [], problems };
  };
  let size: number;
  try {
    const stats = await stat(file);
    if (!stats.isFile()) throw new Error('it is not a file');
    size = stats.size;
  } catch (error) {
    return unreadable(error);
  }
  if (size > limits.maxUploadBytes) {
    // The host refuses such an upload before reading it; the rest is still worth checking.
    problems.push({
      code: 'PAYLOAD_TOO_LARGE',
      where: ARCHIVE,
      message: `The archive is ${megabytes(size)}; the host accepts at most ${megabytes(limits.maxUploadBytes)}.`,
    });
  }

  const temp = await mkdtemp(path.join(tmpdir(), 'polyphony-inspect-'));
  try {
    const folder = path.join(temp, 'plugin');
    let checked;
    try {
      checked = await extractCheckedEntries(file, folder, limits);
    } catch (error) {
      // The file vanished or cannot be opened since it was found: still not a reason to throw.
      if (typeof error === 'object' && error !== null && 'syscall' in error) {
        return unreadable(error);
      }
      if (!isPluginFormatError(error)) throw error;
      const entry = (error.details as { entry?: unknown } | undefined)?.entry;
      problems.push(...problemsOf(error, typeof entry === 'string' ? entry : ARCHIVE));
      return { manifest: null, files: [], problems };
    }
    for (const { entry, error } of checked.problems) {
      problems.push({ code: error.code, where: entry, message: error.message });
    }
    if (checked.extracted === null) return { manifest: null, files: [], problems };
    const { files } = checked.extracted;
    const manifest = await inspectExtracted(folder, files, options.hostVersion, problems);
    return { manifest, files, problems };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
