import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from './config.ts';

describe('loadConfig', () => {
  it('defaults to port 8000 and SQLite in data/ under the project root', () => {
    const config = loadConfig({}, '/somewhere/else');
    expect(config.port).toBe(8000);
    expect(config.database).toEqual({
      kind: 'sqlite',
      file: path.join(projectRoot, 'data', 'polyphony.db'),
    });
    expect(config.pluginsDir).toBe(path.join(projectRoot, 'backend/src/plugins'));
    expect(config.admin).toBeNull();
    expect(config.logLevel).toBe('info');
  });

  it('puts the SQLite file in POLYPHONY_DATA_DIR, resolved against the working directory', () => {
    const config = loadConfig({ POLYPHONY_DATA_DIR: 'var/poly' }, '/srv');
    expect(config.dataDir).toBe('/srv/var/poly');
    expect(config.database).toEqual({ kind: 'sqlite', file: '/srv/var/poly/polyphony.db' });
  });

  it('uses PostgreSQL when DATABASE_URL names one', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/poly', PORT: '9000' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/poly' });
    expect(config.port).toBe(9000);
  });

  it('names every bad variable at once', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*LOG_LEVEL/);
  });

  it('wants the bootstrap admin username and password together', () => {
    expect(() => loadConfig({ POLYPHONY_ADMIN_USERNAME: 'root' })).toThrow(
      /POLYPHONY_ADMIN_PASSWORD/,
    );
    expect(
      loadConfig({ POLYPHONY_ADMIN_USERNAME: 'root', POLYPHONY_ADMIN_PASSWORD: 'secret-pw' }).admin,
    ).toEqual({
      username: 'root',
      password: 'secret-pw',
    });
  });

  it('plugin limits: defaults, overrides in MB and seconds, and refusals', () => {
    expect(loadConfig({}).plugins).toEqual({
      limits: {
        maxUploadBytes: 50 * 1024 * 1024,
        maxEntries: 5000,
        maxUnpackedBytes: 200 * 1024 * 1024,
        maxRatio: 100,
      },
      hookTimeoutMs: 10_000,
      migrationTimeoutMs: 60_000,
      syncIntervalMs: 2000,
    });
    const custom = loadConfig({
      POLYPHONY_PLUGIN_MAX_UPLOAD_MB: '5',
      POLYPHONY_PLUGIN_HOOK_TIMEOUT_SECONDS: '2.5',
      POLYPHONY_PLUGIN_SYNC_SECONDS: '0',
    }).plugins;
    expect(custom.limits.maxUploadBytes).toBe(5 * 1024 * 1024);
    expect(custom.hookTimeoutMs).toBe(2500);
    expect(custom.syncIntervalMs).toBe(0);
    expect(() =>
      loadConfig({ POLYPHONY_PLUGIN_MAX_ENTRIES: '0', POLYPHONY_PLUGIN_MAX_RATIO: 'lots' }),
    ).toThrow(/POLYPHONY_PLUGIN_MAX_ENTRIES[\s\S]*POLYPHONY_PLUGIN_MAX_RATIO/);
  });
});
