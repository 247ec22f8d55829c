import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SDK_VERSION } from './version.ts';

describe('SDK_VERSION', () => {
  it("is the package's version", async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(SDK_VERSION).toBe(manifest.version);
  });
});
