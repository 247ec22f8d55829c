import { describe, expect, it } from 'vitest';
import {
  buildShims,
  exportNamesOf,
  importMapOf,
  SDK_WEB_EXPORTS,
  SHARED_GLOBAL,
  SHARED_SPECIFIERS,
} from './shared-modules.ts';
import { SHARED_MODULES_GLOBAL, sharedModules } from '../src/features/plugins/shared-modules.ts';

const frontendDir = new URL('..', import.meta.url).pathname;

describe('shared modules', () => {
  it("lists exactly the SDK web entry's exports", async () => {
    const sdk = (await import('@polyphony/plugin-sdk/web')) as Record<string, unknown>;
    expect([...SDK_WEB_EXPORTS].sort()).toEqual(Object.keys(sdk).sort());
  });

  it("reads React's named exports, hooks and JSX factories included", () => {
    expect(exportNamesOf('react', frontendDir)).toEqual(
      expect.arrayContaining(['useState', 'useEffect', 'createElement', 'Fragment', 'use']),
    );
    expect(exportNamesOf('react/jsx-runtime', frontendDir)).toEqual(['Fragment', 'jsx', 'jsxs']);
    expect(exportNamesOf('react-dom/client', frontendDir)).toEqual(
      expect.arrayContaining(['createRoot', 'hydrateRoot']),
    );
  });

  it('hands out the registered module, default and named exports alike', async () => {
    const shim = buildShims(frontendDir).find((s) => s.specifier === 'react/jsx-runtime');
    if (shim === undefined) throw new Error('no shim for react/jsx-runtime');
    const fake = { jsx: () => 'jsx', jsxs: () => 'jsxs', Fragment: 'fragment' };
    const globals = globalThis as Record<string, unknown>;
    globals[SHARED_GLOBAL] = { 'react/jsx-runtime': fake };
    try {
      const url = `data:text/javascript;base64,${Buffer.from(shim.source).toString('base64')}`;
      const loaded = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
      expect(loaded.jsx).toBe(fake.jsx);
      expect(loaded.Fragment).toBe('fragment');
      expect(loaded.default).toBe(fake);
    } finally {
      Reflect.deleteProperty(globals, SHARED_GLOBAL);
    }
  });

  it('fails with a clear message when no host registered the modules', async () => {
    const shim = buildShims(frontendDir).find((s) => s.specifier === 'react');
    if (shim === undefined) throw new Error('no shim for react');
    const url = `data:text/javascript;base64,${Buffer.from(shim.source).toString('base64')}`;
    await expect(import(/* @vite-ignore */ url)).rejects.toThrow(/provided by the Polyphony host/);
  });

  it('are registered by the app under the global and specifiers the shims read', () => {
    expect(SHARED_MODULES_GLOBAL).toBe(SHARED_GLOBAL);
    expect(Object.keys(sharedModules).sort()).toEqual([...SHARED_SPECIFIERS].sort());
  });

  it('maps every shared specifier to a content-hashed file', () => {
    const shims = buildShims(frontendDir);
    const map = JSON.parse(importMapOf(shims, '/')) as { imports: Record<string, string> };
    expect(Object.keys(map.imports)).toEqual([...SHARED_SPECIFIERS]);
    for (const url of Object.values(map.imports)) {
      expect(url).toMatch(/^\/assets\/shared\/[a-z0-9-]+-[0-9a-f]{10}\.js$/);
    }
  });
});
