import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { KitError } from './kit-error.ts';

/**
 * The layout of a plugin project. A convention, not a config file: the kit finds the entries by
 * name, builds them into the archive tree the host expects (docs/plugins/archive-format.md), and
 * the manifest needs no `backend`/`frontend` fields because the default paths apply.
 */
export const MANIFEST_FILE = 'plugin.json';
export const BACKEND_SOURCES = [
  'src/backend/index.ts',
  'src/backend/index.mts',
  'src/backend/index.js',
  'src/backend/index.mjs',
] as const;
export const FRONTEND_SOURCES = [
  'src/frontend/index.tsx',
  'src/frontend/index.ts',
  'src/frontend/index.jsx',
  'src/frontend/index.js',
] as const;
/** Copied as-is next to the frontend bundle (images, fonts, data files). */
export const PUBLIC_DIR = 'src/frontend/public';
export const BUILD_DIR = 'build';
export const DIST_DIR = 'dist';
/** Paths inside build/ (and so inside the archive): the host's defaults. */
export const BACKEND_OUTPUT = 'backend/main.js';
export const FRONTEND_OUTPUT = 'frontend/index.js';

export interface PluginProject {
  /** Absolute path of the project folder. */
  root: string;
  /** Relative to root, or null when the plugin has no backend. */
  backendEntry: string | null;
  /** Relative to root, or null when the plugin has no pages. */
  frontendEntry: string | null;
  /** Relative to root, or null when there is no public folder. */
  publicDir: string | null;
  buildDir: string;
  distDir: string;
}

async function kindOf(file: string): Promise<'file' | 'directory' | null> {
  try {
    const info = await stat(file);
    if (info.isFile()) return 'file';
    if (info.isDirectory()) return 'directory';
    return null;
  } catch {
    return null;
  }
}

async function firstFile(root: string, candidates: readonly string[]): Promise<string | null> {
  for (const candidate of candidates) {
    if ((await kindOf(path.join(root, candidate))) === 'file') return candidate;
  }
  return null;
}

/** Finds the plugin project in `dir`; refuses a folder without plugin.json. */
export async function findProject(dir: string): Promise<PluginProject> {
  const root = path.resolve(dir);
  const kind = await kindOf(root);
  if (kind === null) throw new KitError('KIT_NOT_FOUND', `There is no folder ${root}.`);
  if (kind !== 'directory') throw new KitError('KIT_NOT_A_PLUGIN', `${root} is not a folder.`);
  if ((await kindOf(path.join(root, MANIFEST_FILE))) !== 'file') {
    throw new KitError(
      'KIT_NOT_A_PLUGIN',
      `${root} has no ${MANIFEST_FILE}, so it is not a plugin folder. ` +
        'Create a plugin with `polyphony-plugin create <folder>`.',
    );
  }
  return {
    root,
    backendEntry: await firstFile(root, BACKEND_SOURCES),
    frontendEntry: await firstFile(root, FRONTEND_SOURCES),
    publicDir: (await kindOf(path.join(root, PUBLIC_DIR))) === 'directory' ? PUBLIC_DIR : null,
    buildDir: path.join(root, BUILD_DIR),
    distDir: path.join(root, DIST_DIR),
  };
}

/**
 * The manifest as JSON, or null when it is not JSON. The kit reads only what it needs (the id and
 * version to name the ZIP, the entry fields to warn early); `validate` runs the host's full checks.
 */
export async function readManifestJson(project: PluginProject): Promise<unknown> {
  const text = await readFile(path.join(project.root, MANIFEST_FILE), 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function field(json: unknown, name: string): unknown {
  return typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)[name]
    : undefined;
}

/** The id and version that name the archive; refuses a manifest without them. */
export function archiveIdentity(json: unknown): { id: string; version: string } {
  const id = field(json, 'id');
  const version = field(json, 'version');
  if (json === null) {
    throw new KitError(
      'KIT_MANIFEST_UNREADABLE',
      `${MANIFEST_FILE} is not valid JSON. Run \`polyphony-plugin validate\` to see where.`,
    );
  }
  if (typeof id !== 'string' || typeof version !== 'string' || id === '' || version === '') {
    throw new KitError(
      'KIT_MANIFEST_UNREADABLE',
      `${MANIFEST_FILE} needs an "id" and a "version" to name the archive. ` +
        'Run `polyphony-plugin validate` to see every problem.',
    );
  }
  // The id and version become a file name: keep anything odd out of the path.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id) || !/^[0-9A-Za-z.+-]+$/.test(version)) {
    throw new KitError(
      'KIT_MANIFEST_UNREADABLE',
      `${MANIFEST_FILE} has an id or version the host would refuse. ` +
        'Run `polyphony-plugin validate` to see every problem.',
    );
  }
  return { id, version };
}

/**
 * The kit always writes the host's default entry paths. A manifest naming other paths would point
 * at files the build never writes: say so at build time rather than at install.
 */
export function checkEntryFields(json: unknown): void {
  for (const [name, output] of [
    ['backend', BACKEND_OUTPUT],
    ['frontend', FRONTEND_OUTPUT],
  ] as const) {
    const value = field(json, name);
    if (value !== undefined && value !== output) {
      throw new KitError(
        'KIT_BUILD_FAILED',
        `${MANIFEST_FILE} sets "${name}": ${JSON.stringify(value)}, but the kit builds the ${name} ` +
          `into ${output}. Remove the field (the host then uses ${output}).`,
      );
    }
  }
}
