import { strFromU8, unzipSync } from 'fflate';
import type { Plugin } from '../../../lib/api-types.ts';

/** What the browser could read of a chosen archive's plugin.json before uploading it. */
export interface ArchiveManifest {
  id: string;
  name: string | null;
  version: string | null;
}

const MANIFEST_FILE = 'plugin.json';
/** A real manifest is a few KiB; anything larger is left for the server to judge. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Reads plugin.json from the root of a ZIP, inflating that one entry only. Null when it cannot:
 * not a ZIP, no manifest at the root, not JSON, no id. The server checks everything again and
 * explains any refusal, so this is only good enough to ask "upgrade?" before uploading.
 */
export function readArchiveManifest(zip: Uint8Array): ArchiveManifest | null {
  let text: string;
  try {
    const files = unzipSync(zip, {
      filter: (file) => file.name === MANIFEST_FILE && file.originalSize <= MAX_MANIFEST_BYTES,
    });
    const manifest = files[MANIFEST_FILE];
    if (manifest === undefined) return null;
    text = strFromU8(manifest);
  } catch {
    return null;
  }
  return manifestFields(text);
}

function manifestFields(text: string): ArchiveManifest | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { id, name, version } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return null;
  return {
    id,
    name: typeof name === 'string' ? name : null,
    version: typeof version === 'string' ? version : null,
  };
}

/** What uploading an archive is about to do, as far as the browser can tell. */
export type UploadPlan =
  | { kind: 'install' }
  | { kind: 'upgrade'; plugin: Plugin; from: string; to: string }
  /** Unreadable manifest, or a version the server will refuse: upload and let it explain. */
  | { kind: 'let-server-decide' };

export function planUpload(
  manifest: ArchiveManifest | null,
  installed: readonly Plugin[],
): UploadPlan {
  if (manifest === null) return { kind: 'let-server-decide' };
  const plugin = installed.find((p) => p.id === manifest.id);
  if (plugin === undefined) return { kind: 'install' };
  const order =
    manifest.version === null ? null : compareVersions(manifest.version, plugin.version);
  // The same or an older version is refused (PLUGIN_VERSION_EXISTS, PLUGIN_DOWNGRADE), and the
  // server's message says what to do: asking to confirm first would only add a click.
  if (manifest.version === null || order === null || order <= 0) {
    return { kind: 'let-server-decide' };
  }
  return { kind: 'upgrade', plugin, from: plugin.version, to: manifest.version };
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/;

/**
 * Semantic-version precedence (semver.org §11): negative when `a` is older than `b`, 0 when equal,
 * positive when newer; null when either is not a version the host accepts (no build metadata).
 */
export function compareVersions(a: string, b: string): number | null {
  const left = SEMVER.exec(a);
  const right = SEMVER.exec(b);
  if (left === null || right === null) return null;
  for (let i = 1; i <= 3; i++) {
    const difference = Number(left[i]) - Number(right[i]);
    if (difference !== 0) return Math.sign(difference);
  }
  return comparePrerelease(left[4], right[4]);
}

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  // A version without a pre-release is newer than the same version with one.
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const order = compareIdentifier(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

function compareIdentifier(x: string, y: string): number {
  const xNumeric = /^\d+$/.test(x);
  const yNumeric = /^\d+$/.test(y);
  if (xNumeric && yNumeric) return Math.sign(Number(x) - Number(y));
  if (xNumeric !== yNumeric) return xNumeric ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}
