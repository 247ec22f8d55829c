import { describe, expect, it } from 'vitest';
import { isPluginFormatError } from './errors.ts';
import { assertCompatible, parseManifest, resolveEntries, type Manifest } from './manifest.ts';

const base = {
  id: 'team-polls',
  name: 'Team polls',
  version: '1.2.0',
  author: 'Ada',
  polyphony: '^0.1.0',
};

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (isPluginFormatError(error) && error.code === 'MANIFEST_INVALID') {
      return (error.details as { issues: { path: string }[] }).issues.map((i) => i.path);
    }
    throw error;
  }
  throw new Error('expected MANIFEST_INVALID');
}

describe('plugin.json', () => {
  it('accepts a minimal manifest and one with every field', () => {
    expect(parseManifest(JSON.stringify(base))).toMatchObject(base);
    const full = {
      ...base,
      $schema: 'https://example.com/plugin.schema.json',
      description: 'Quick polls',
      homepage: 'https://example.com/polls',
      license: 'MIT',
      backend: 'server/index.mjs',
      frontend: 'web/index.js',
      navigation: [{ label: 'Polls', path: '/', roles: ['viewer'], icon: 'chart-bar' }],
      settings: { type: 'object', properties: { question: { type: 'string', default: 'Lunch?' } } },
    };
    expect(parseManifest(JSON.stringify(full))).toMatchObject(full);
  });

  it('names every bad field, unknown nested ones included', () => {
    const paths = issuesOf(() =>
      parseManifest(
        JSON.stringify({
          ...base,
          id: 'Team_Polls',
          homepage: 'javascript:alert(1)',
          navigation: [{ label: 'Polls', path: '../x', roles: [], colour: 'red' }],
        }),
      ),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'id',
        'homepage',
        'navigation.0.path',
        'navigation.0.roles',
        'navigation.0.colour',
      ]),
    );
  });

  it('refuses a frontend folder that would publish the manifest or the backend', () => {
    const manifest = (extra: Partial<Manifest>) => ({
      ...parseManifest(JSON.stringify(base)),
      ...extra,
    });
    expect(
      issuesOf(() => resolveEntries(manifest({ frontend: 'index.js' }), new Set(['index.js']))),
    ).toEqual(['frontend']);
    expect(
      issuesOf(() =>
        resolveEntries(
          manifest({ backend: 'app/server.js', frontend: 'app/index.js' }),
          new Set(['app/server.js', 'app/index.js']),
        ),
      ),
    ).toEqual(['frontend']);
    expect(issuesOf(() => resolveEntries(manifest({}), new Set(['README.md'])))).toEqual([
      '(root)',
    ]);
  });

  it('applies the default entry paths when those files exist', () => {
    const manifest = parseManifest(JSON.stringify(base));
    expect(resolveEntries(manifest, new Set(['backend/main.js']))).toEqual({
      backend: 'backend/main.js',
      frontend: null,
      frontendDir: null,
    });
    expect(resolveEntries(manifest, new Set(['frontend/index.js', 'frontend/a.css']))).toEqual({
      backend: null,
      frontend: 'frontend/index.js',
      frontendDir: 'frontend',
    });
  });

  it('checks the host version against the supported range, pre-releases included', () => {
    const manifest = parseManifest(JSON.stringify(base));
    expect(() => {
      assertCompatible(manifest, '0.1.4');
    }).not.toThrow();
    expect(() => {
      assertCompatible(manifest, '0.2.0-beta.1');
    }).toThrow(/supports Polyphony \^0\.1\.0/);
    expect(() => {
      assertCompatible({ ...manifest, polyphony: '>=0.1.0' }, '0.2.0-beta.1');
    }).not.toThrow();
  });
});
