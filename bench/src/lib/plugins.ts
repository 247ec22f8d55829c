// Plugin archives for the benchmarks, built in memory: the probe plugin (probe-plugin/) under any
// id, with 3 or 4 migrations, and optionally about 1 MB of frontend assets.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createZip, DEFAULT_ZIP_TIME, type ZipEntry } from '@polyphony/plugin-format';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const PREFIX_MARK = '__BENCH_TABLE_PREFIX__';

export interface ProbeOptions {
  id: string;
  version?: string;
  /** How many of the probe's migrations the version ships (1-4): 3 for a release, 4 for its upgrade. */
  migrations?: number;
  /** Adds about 1 MB (compressed) of frontend assets: a bundle-like script and a binary image. */
  heavy?: boolean;
}

/** The host's table prefix for a plugin id (backend/src/plugin-host/migrations/namespace.ts). */
export function tablePrefix(id: string): string {
  return `plugin_${id.replaceAll('-', '_')}_`;
}

const bundles = new Map<number, Promise<string>>();

/** The backend module, bundled once per migration count; the prefix is filled in per archive. */
function backendBundle(migrations: number): Promise<string> {
  let bundle = bundles.get(migrations);
  if (!bundle) {
    bundle = build({
      entryPoints: [path.join(here, '../probe-plugin/backend.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      define: { __PREFIX__: JSON.stringify(PREFIX_MARK), __MIGRATIONS__: String(migrations) },
      logLevel: 'silent',
    }).then((result) => result.outputFiles[0]?.text ?? '');
    bundles.set(migrations, bundle);
  }
  return bundle;
}

/** A seeded generator (mulberry32): the same archive bytes on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let heavyAssets: { script: Uint8Array; image: Uint8Array } | null = null;

/** Minified-bundle-like text (compresses about 3:1) and random bytes (does not compress). */
function heavy(): { script: Uint8Array; image: Uint8Array } {
  if (heavyAssets) return heavyAssets;
  const next = random(42);
  const words = Array.from({ length: 4000 }, () =>
    Array.from({ length: 3 + Math.floor(next() * 8) }, () =>
      String.fromCharCode(97 + Math.floor(next() * 26)),
    ).join(''),
  );
  let script = '';
  while (script.length < 1_200_000) {
    const a = words[Math.floor(next() * words.length)] ?? 'a';
    const b = words[Math.floor(next() * words.length)] ?? 'b';
    script += `function ${a}(${b}){return ${b}.${a}?${Math.floor(next() * 1e6)}:"${b}"}`;
  }
  const image = new Uint8Array(560_000);
  for (let i = 0; i < image.length; i++) image[i] = Math.floor(next() * 256);
  heavyAssets = { script: new TextEncoder().encode(script), image };
  return heavyAssets;
}

const frontendSource = new Uint8Array(readFileSync(path.join(here, '../probe-plugin/frontend.js')));

/** A probe plugin archive (ZIP bytes) that the host installs like any other. */
export async function probeArchive(options: ProbeOptions): Promise<Buffer> {
  const { id, version = '1.0.0', migrations = 3 } = options;
  const text = (value: string) => new TextEncoder().encode(value);
  const manifest = {
    id,
    name: `Probe ${id}`,
    version,
    author: 'Polyphony benchmarks',
    description: 'Serves the benchmark handlers and a page.',
    polyphony: '^0.1.0',
    backend: 'backend/index.js',
    frontend: 'frontend/index.js',
    navigation: [{ label: `Probe ${id}`, path: '/', roles: ['admin', 'editor', 'viewer'] }],
  };
  const backend = (await backendBundle(migrations)).replaceAll(PREFIX_MARK, tablePrefix(id));
  const entries: ZipEntry[] = [
    { name: 'plugin.json', data: text(JSON.stringify(manifest, null, 2)) },
    { name: 'backend/index.js', data: text(backend) },
    { name: 'frontend/index.js', data: frontendSource },
  ];
  if (options.heavy) {
    const assets = heavy();
    entries.push(
      { name: 'frontend/vendor.js', data: assets.script },
      { name: 'frontend/splash.bin', data: assets.image },
    );
  }
  return Buffer.from(createZip(entries, { mtime: DEFAULT_ZIP_TIME }));
}
