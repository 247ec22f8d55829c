import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { POLYPHONY_VERSION, defaultHostRange } from './host-version.ts';

describe('POLYPHONY_VERSION', () => {
  it("is the host's version: the root package.json's", async () => {
    const root = JSON.parse(
      await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { name: string; version: string };
    expect(root.name).toBe('polyphony');
    expect(POLYPHONY_VERSION).toBe(root.version);
  });

  it('gives new plugins a caret range on it', () => {
    expect(defaultHostRange()).toBe(`^${POLYPHONY_VERSION}`);
    expect(defaultHostRange('2.3.4')).toBe('^2.3.4');
  });
});
