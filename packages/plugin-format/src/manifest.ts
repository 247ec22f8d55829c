import { readFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { z } from 'zod';
import { PluginFormatError } from './errors.ts';
import { settingsSchemaSchema } from './settings-schema.ts';

/**
 * `plugin.json`: what a plugin declares about itself. Validated strictly, so a typo in a field
 * name is an error naming that field rather than a setting silently ignored.
 */

export const PLUGIN_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Ids that would read as host paths or features; refused so no plugin can shadow them. */
export const RESERVED_PLUGIN_IDS: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'app',
  'assets',
  'auth',
  'core',
  'host',
  'login',
  'logout',
  'navigation',
  'new',
  'plugin',
  'plugins',
  'polyphony',
  'settings',
  'setup',
  'static',
  'system',
]);

export const pluginIdSchema = z
  .string()
  .min(2, 'must be 2 to 40 characters')
  .max(40, 'must be 2 to 40 characters')
  .regex(
    PLUGIN_ID_PATTERN,
    'must be lowercase letters and digits in hyphen-separated words, like "team-polls"',
  )
  .refine((id) => !RESERVED_PLUGIN_IDS.has(id), 'is reserved by Polyphony');

const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** A module path inside the archive: relative, forward slashes, no climbing out. */
const entryPathSchema = z
  .string()
  .max(200)
  .refine(
    (value) => value.split('/').every((segment) => SAFE_SEGMENT.test(segment)),
    'must be a relative path inside the archive (no "..", no leading "/", no backslashes)',
  )
  .refine((value) => /\.m?js$/.test(value), 'must name a .js or .mjs file');

const roleNameSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'is not a role name');

const navigationEntrySchema = z.strictObject({
  label: z.string().trim().min(1).max(40),
  path: z
    .string()
    .max(200)
    .regex(
      /^\/(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*(?:\/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)*)?$/,
      'must start with "/" and hold only path segments, like "/" or "/reports"',
    ),
  roles: z.array(roleNameSchema).min(1, 'name at least one role').max(20),
  icon: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'must be an icon name like "heart"')
    .optional(),
});

export const manifestSchema = z.strictObject({
  $schema: z.string().optional(),
  id: pluginIdSchema,
  name: z.string().trim().min(1).max(80),
  version: z
    .string()
    .refine((v) => semver.valid(v) === v, 'must be a semantic version like "1.2.0"'),
  author: z.string().trim().min(1).max(120),
  description: z.string().max(500).optional(),
  homepage: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(300)
    .optional(),
  license: z.string().max(60).optional(),
  polyphony: z
    .string()
    .refine(
      (range) => semver.validRange(range) !== null,
      'must be a semver range of host versions, like "^0.1.0"',
    ),
  backend: entryPathSchema.optional(),
  frontend: entryPathSchema.optional(),
  navigation: z.array(navigationEntrySchema).max(20).optional(),
  settings: settingsSchemaSchema.optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestNavigationEntry = z.infer<typeof navigationEntrySchema>;

export const MANIFEST_FILE = 'plugin.json';
const DEFAULT_BACKEND = 'backend/main.js';
const DEFAULT_FRONTEND = 'frontend/index.js';

/** One mistake in plugin.json: the field's dotted path (`navigation.0.roles`, `(root)`) and what is wrong. */
export interface ManifestIssue {
  path: string;
  message: string;
}

function issuesOf(error: z.ZodError): ManifestIssue[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    // Unknown keys are reported on their parent; name each key instead, so typos are obvious.
    if (issue.code === 'unrecognized_keys' && issue.message.startsWith('Unrecognized key')) {
      return issue.keys.map((key) => ({
        path: [...base, key].join('.'),
        message: 'is not a known field',
      }));
    }
    return [{ path: base.join('.') || '(root)', message: issue.message }];
  });
}

function invalid(issues: ManifestIssue[]): PluginFormatError {
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.path} ${i.message}`)
    .join('; ');
  return new PluginFormatError('MANIFEST_INVALID', `plugin.json is invalid: ${summary}.`, {
    details: { issues },
  });
}

/** Parses the text of plugin.json, or throws MANIFEST_INVALID naming every bad field. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PluginFormatError('MANIFEST_INVALID', 'plugin.json is not valid JSON.', {
      cause: error,
      details: { issues: [{ path: '(root)', message: 'is not valid JSON' }] },
    });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw invalid(issuesOf(parsed.error));
  return parsed.data;
}

export interface ResolvedEntries {
  /** Path of the backend module inside the plugin folder, or null for a frontend-only plugin. */
  backend: string | null;
  /** Path of the frontend entry, or null for a backend-only plugin. */
  frontend: string | null;
  /** The folder served as static files: the frontend entry's folder. */
  frontendDir: string | null;
}

/**
 * Reads plugin.json from the root of an extracted archive, or throws MANIFEST_MISSING (with a
 * hint when the archive holds it one folder down) or MANIFEST_INVALID.
 */
export async function readManifestFile(
  folder: string,
  files: readonly string[],
): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path.join(folder, MANIFEST_FILE), 'utf8');
  } catch (error) {
    const nested = files.find((file) => file.endsWith(`/${MANIFEST_FILE}`));
    const hint = nested
      ? ` It holds ${nested}: zip the contents of the plugin folder, not the folder itself.`
      : '';
    throw new PluginFormatError(
      'MANIFEST_MISSING',
      `The archive has no ${MANIFEST_FILE} at its root.${hint}`,
      { cause: error },
    );
  }
  return parseManifest(text);
}

/** Applies the default entry paths and checks the named files exist among the archive's files. */
export function resolveEntries(
  manifest: Pick<Manifest, 'backend' | 'frontend'>,
  files: ReadonlySet<string>,
): ResolvedEntries {
  const issues: ManifestIssue[] = [];
  const pick = (field: 'backend' | 'frontend', fallback: string): string | null => {
    const named = manifest[field];
    if (named === undefined) return files.has(fallback) ? fallback : null;
    if (!files.has(named))
      issues.push({ path: field, message: `names ${named}, which is not in the archive` });
    return named;
  };
  const backend = pick('backend', DEFAULT_BACKEND);
  const frontend = pick('frontend', DEFAULT_FRONTEND);
  let frontendDir: string | null = null;
  if (frontend !== null) {
    frontendDir = path.posix.dirname(frontend);
    // Everything in this folder becomes public: it must not hold the manifest or the backend.
    if (frontendDir === '.') {
      issues.push({ path: 'frontend', message: 'must be inside a folder, like frontend/index.js' });
    } else if (backend !== null && backend.startsWith(`${frontendDir}/`)) {
      issues.push({
        path: 'frontend',
        message: 'must not share its folder with the backend module',
      });
    }
  }
  if (backend === null && frontend === null && issues.length === 0) {
    issues.push({
      path: '(root)',
      message: `the archive has neither ${DEFAULT_BACKEND} nor ${DEFAULT_FRONTEND}`,
    });
  }
  if (issues.length > 0) throw invalid(issues);
  return { backend, frontend, frontendDir };
}

/** Refuses a plugin whose supported host range does not include this host. */
export function assertCompatible(
  manifest: Pick<Manifest, 'name' | 'version' | 'polyphony'>,
  hostVersion: string,
): void {
  if (!semver.satisfies(hostVersion, manifest.polyphony, { includePrerelease: true })) {
    // The name or version may be missing when the kit checks a manifest that has other mistakes.
    const plugin = [manifest.name, manifest.version].filter((part) => part !== '').join(' ');
    throw new PluginFormatError(
      'PLUGIN_INCOMPATIBLE',
      `${plugin} supports Polyphony ${manifest.polyphony}; this is Polyphony ${hostVersion}.`,
      { details: { supported: manifest.polyphony, host: hostVersion } },
    );
  }
}
