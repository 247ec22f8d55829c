// A page-only plugin whose page imports about 1 MB of JavaScript, for the browser scenario: it
// shows what a plugin that bundles a big library costs on the click. The probe plugin's
// `heavy` assets are files next to its bundle that its page never loads, so they cannot.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createZip, DEFAULT_ZIP_TIME } from '@polyphony/plugin-format';
import { random } from './plugins.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A valid ES module of about `bytes` characters that looks like minified library code: many
 * small exported functions with short random names and strings (gzip takes it to about 40 %).
 */
function libraryModule(bytes: number): string {
  const next = random(7);
  const word = () =>
    Array.from({ length: 3 + Math.floor(next() * 8) }, () =>
      String.fromCharCode(97 + Math.floor(next() * 26)),
    ).join('');
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part =
      `export function f${i}(a,b){if(a.${word()}>${Math.floor(next() * 1e6)})return b.${word()}(a);` +
      `return{${word()}:"${word()}",${word()}:a.${word()}+${i}}}\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

/** The probe plugin's page, made to import the library (and use it, so nothing is dead code). */
function heavyEntry(): string {
  const probe = readFileSync(path.join(here, '../probe-plugin/frontend.js'), 'utf8');
  return (
    `import * as library from './library.js';\n` +
    probe.replace(
      "h('p', null, `Version ${plugin.version}`)",
      "h('p', null, `Version ${plugin.version}, ${Object.keys(library).length} library functions`)",
    )
  );
}

/** The page's JavaScript, by file, as the browser fetches it. */
export interface HeavyPageFiles {
  entry: string;
  library: string;
}

export function heavyPageFiles(libraryBytes = 1_000_000): HeavyPageFiles {
  const entry = heavyEntry();
  if (!entry.includes('library functions')) {
    throw new Error('browser-plugin: the probe page changed; update heavyEntry()');
  }
  return { entry, library: libraryModule(libraryBytes) };
}

/** A plugin with no backend: a page (probe-plugin/frontend.js) that imports ~1 MB of code. */
export function heavyPageArchive(id: string, files = heavyPageFiles()): Buffer {
  const text = (value: string) => new TextEncoder().encode(value);
  const manifest = {
    id,
    name: `Probe ${id}`,
    version: '1.0.0',
    author: 'Polyphony benchmarks',
    description: 'A page that imports about 1 MB of JavaScript.',
    polyphony: '^0.1.0',
    frontend: 'frontend/index.js',
    navigation: [{ label: `Probe ${id}`, path: '/', roles: ['admin', 'editor', 'viewer'] }],
  };
  return Buffer.from(
    createZip(
      [
        { name: 'plugin.json', data: text(JSON.stringify(manifest, null, 2)) },
        { name: 'frontend/index.js', data: text(files.entry) },
        { name: 'frontend/library.js', data: text(files.library) },
      ],
      { mtime: DEFAULT_ZIP_TIME },
    ),
  );
}
