// Plugin frontend bundles against the web contract: the notes fixture's TSX built with Vite and
// with esbuild (e2e/support/plugin-bundles.ts), and the hand-written bundles of the notes fixture
// and the Kudos example. Each may import only the host's shared modules, must not carry its own
// React, and must render its pages inside the host's plugin context.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { PluginFrontendDefinition, PluginWebContext } from '@polyphony/plugin-sdk/web';
import { createApiClient } from '@polyphony/plugin-sdk/web/api-client';
import { PageParamsContext, PluginContext } from '@polyphony/plugin-sdk/web/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NOTES_WEB_ENTRY,
  PLUGIN_SHARED_MODULES,
  REACT_COPY_MARKERS,
  buildWithEsbuild,
  buildWithVite,
  importedSpecifiers,
  notesWebDefine,
} from '../../../e2e/support/plugin-bundles.ts';
import { EXAMPLES, FIXTURES } from '../plugin-app.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'polyphony-plugin-frontends-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const require = createRequire(import.meta.url);

/**
 * Imports a bundle as the host page would, with each shared specifier pointing at the very module
 * this test renders with (what the import map does in the browser), so they share one React and
 * one plugin context.
 */
async function loadBundle(code: string, name: string): Promise<PluginFrontendDefinition> {
  let linked = code;
  for (const specifier of PLUGIN_SHARED_MODULES) {
    const target = JSON.stringify(pathToFileURL(require.resolve(specifier)).href);
    linked = linked.replace(new RegExp(`(from\\s*)(["'])${specifier}\\2`, 'g'), `$1${target}`);
  }
  const file = path.join(scratch, `${name}.js`);
  await writeFile(file, linked);
  const loaded = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
    default: PluginFrontendDefinition;
  };
  return loaded.default;
}

function pluginContext(roles: string[], settings: PluginWebContext['settings']): PluginWebContext {
  const base = '/plugins/notes';
  return {
    id: 'notes',
    name: 'Notes',
    version: '1.0.0',
    basePath: base,
    user: { id: 'u-1', username: 'ada', roles },
    hasRole: (...wanted) => wanted.some((role) => roles.includes(role)),
    settings,
    api: createApiClient({ baseUrl: '/api/v1/plugins/notes' }),
    href: (to) => (to === '/' ? base : `${base}${to}`),
    navigate: () => undefined,
    navigateApp: () => undefined,
  };
}

function render(
  component: ComponentType,
  context: PluginWebContext,
  params: Record<string, string> = {},
): string {
  return renderToStaticMarkup(
    createElement(
      PluginContext.Provider,
      { value: context },
      createElement(PageParamsContext.Provider, { value: params }, createElement(component)),
    ),
  );
}

function pageAt(definition: PluginFrontendDefinition, pagePath: string): ComponentType {
  const page = definition.pages?.find((p) => p.path === pagePath);
  if (page === undefined) throw new Error(`no page at ${pagePath}`);
  return page.component;
}

function expectOnlySharedImports(code: string) {
  const imported = importedSpecifiers(code);
  expect(
    imported.every((s) => PLUGIN_SHARED_MODULES.includes(s)),
    imported.join(', '),
  ).toBe(true);
  expect(imported).toContain('@polyphony/plugin-sdk/web');
  for (const marker of REACT_COPY_MARKERS) expect(code).not.toContain(marker);
}

const builders = [
  ['Vite', buildWithVite],
  ['esbuild', buildWithEsbuild],
] as const;

describe.each(builders)('the notes TSX frontend built with %s', (name, build) => {
  let code: string;
  let notes: PluginFrontendDefinition;
  beforeAll(async () => {
    code = await build(NOTES_WEB_ENTRY, { define: notesWebDefine('1.1.0') });
    notes = await loadBundle(code, `notes-web-${name}`);
  });

  it('is a small ES module importing only the shared modules, with no React of its own', () => {
    expectOnlySharedImports(code);
    expect(importedSpecifiers(code)).toContain('react/jsx-runtime');
    expect(code).not.toContain('process.env');
    expect(code.length).toBeLessThan(12_000);
  });

  it('declares its pages and settings page as its default export', () => {
    expect(notes.pages?.map((p) => [p.path, p.title, p.roles])).toEqual([
      ['/', 'Notes', undefined],
      ['/notes/:noteId', 'Note', undefined],
      ['/admin', 'Notes admin', undefined],
      ['/broken', 'Broken', undefined],
    ]);
    expect(typeof notes.settingsPage).toBe('function');
  });

  it('renders its pages from the plugin context: title setting, user, version, links', () => {
    const admin = render(pageAt(notes, '/'), pluginContext(['admin'], { title: 'Team notes' }));
    expect(admin).toContain('<h1 id="notes-title">Team notes</h1>');
    expect(admin).toContain('<strong data-testid="notes-user">ada</strong>');
    expect(admin).toContain('Loading notes…');
    expect(admin).toContain('<label>New note');
    expect(admin).toContain('<a href="/plugins/notes/admin">Manage notes</a>');
    expect(admin).toContain('<p data-testid="notes-version">frontend 1.1.0</p>');

    const viewer = render(pageAt(notes, '/'), pluginContext(['viewer'], {}));
    expect(viewer).toContain('<h1 id="notes-title">Notes</h1>');
    expect(viewer).not.toContain('Manage notes');

    const note = render(pageAt(notes, '/notes/:noteId'), pluginContext(['viewer'], {}), {
      noteId: 'n-1',
    });
    expect(note).toContain('<a href="/plugins/notes">Back to notes</a>');
    expect(render(pageAt(notes, '/admin'), pluginContext(['admin'], {}))).toContain('Notes admin');
    expect(() => render(pageAt(notes, '/broken'), pluginContext([], {}))).toThrow(
      'broke this page on purpose',
    );
    const settings = render(notes.settingsPage!, pluginContext(['admin'], { title: 'Team notes' }));
    expect(settings).toContain('Notes has no extra settings.');
    expect(settings).toContain('Team notes');
  });
});

describe.each(builders)('the %s builder', (_name, build) => {
  it('builds for production and refuses a bundle that imports anything else', async () => {
    const dir = await mkdtemp(path.join(scratch, 'entry-'));
    const modeEntry = path.join(dir, 'mode.tsx');
    await writeFile(
      modeEntry,
      "export default { mode: process.env.NODE_ENV === 'production' ? 'mode-prod' : 'mode-other' };",
    );
    const built = await build(modeEntry);
    expect(built).toContain('mode-prod');
    expect(built).not.toContain('mode-other');

    const foreignEntry = path.join(dir, 'foreign.tsx');
    await writeFile(
      foreignEntry,
      "export default { pages: [], load: () => import('https://cdn.example/lib.js') };",
    );
    await expect(build(foreignEntry)).rejects.toThrow(
      /imports https:\/\/cdn\.example\/lib\.js; a plugin bundle may import only react/,
    );
  });
});

describe('hand-written plugin bundles', () => {
  it('the notes fixture: shared imports only, its pages render in the plugin context', async () => {
    const code = await readFile(path.join(FIXTURES, 'notes/frontend/index.js'), 'utf8');
    expectOnlySharedImports(code);
    const notes = await loadBundle(code, 'notes-fixture');
    expect(notes.pages?.map((p) => p.path)).toEqual(['/', '/notes/:noteId', '/admin', '/broken']);
    const home = render(pageAt(notes, '/'), pluginContext(['admin'], { title: 'Team notes' }));
    expect(home).toContain('<h1 id="notes-title">Team notes</h1>');
    expect(home).toContain('<p data-testid="notes-version">frontend 1.0.0</p>');
    expect(home).toContain('<a href="/plugins/notes/admin">Manage notes</a>');
    expect(render(notes.settingsPage!, pluginContext([], {}))).toContain('no extra settings');
  });

  it('the Kudos example: shared imports only, its page renders in the plugin context', async () => {
    const code = await readFile(path.join(EXAMPLES, 'kudos/frontend/index.js'), 'utf8');
    expectOnlySharedImports(code);
    const kudos = await loadBundle(code, 'kudos');
    expect(kudos.pages?.map((p) => p.path)).toEqual(['/']);
    const page = render(pageAt(kudos, '/'), pluginContext(['viewer'], { maxPerDay: 3 }));
    expect(page).toContain('>Kudos</h1>');
    expect(page).toContain('Thank a teammate in public, ada. You can give 3 kudos a day.');
    expect(page).toContain('To (username)');
    expect(page).toContain('Loading kudos…');
  });
});
