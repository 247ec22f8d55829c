import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '@polyphony/plugin-format';
import { z } from 'zod';

/** The repository root: defaults are anchored here, not to whatever directory the process started in. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  pluginsDir: string;
  plugins: PluginConfig;
  webRoot: string;
  admin: { username: string; password: string } | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  session: { idleHours: number; maxHours: number };
  trustProxy: boolean;
}

export interface PluginConfig {
  limits: ArchiveLimits;
  hookTimeoutMs: number;
  migrationTimeoutMs: number;
  syncIntervalMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const optionalText = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const positiveHours = (fallback: number) =>
  z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(fallback);

const MB = 1024 * 1024;

const positive = (fallback: number, max: number) =>
  z.coerce.number().positive().max(max).default(fallback);

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8000),
    POLYPHONY_HOST: optionalText,
    POLYPHONY_DATA_DIR: optionalText,
    DATABASE_URL: optionalText.refine(
      (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
      'must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite database)',
    ),
    POLYPHONY_PLUGINS_DIR: optionalText,
    POLYPHONY_WEB_ROOT: optionalText,
    POLYPHONY_PLUGIN_MAX_UPLOAD_MB: positive(DEFAULT_ARCHIVE_LIMITS.maxUploadBytes / MB, 4096),
    POLYPHONY_PLUGIN_MAX_ENTRIES: z.coerce
      .number()
      .int()
      .positive()
      .max(1_000_000)
      .default(DEFAULT_ARCHIVE_LIMITS.maxEntries),
    POLYPHONY_PLUGIN_MAX_UNPACKED_MB: positive(DEFAULT_ARCHIVE_LIMITS.maxUnpackedBytes / MB, 16384),
    POLYPHONY_PLUGIN_MAX_RATIO: positive(DEFAULT_ARCHIVE_LIMITS.maxRatio, 100_000),
    POLYPHONY_PLUGIN_HOOK_TIMEOUT_SECONDS: positive(10, 3600),
    POLYPHONY_PLUGIN_MIGRATION_TIMEOUT_SECONDS: positive(60, 24 * 3600),
    POLYPHONY_PLUGIN_SYNC_SECONDS: z.coerce.number().min(0).max(3600).default(2),
    POLYPHONY_ADMIN_USERNAME: optionalText,
    POLYPHONY_ADMIN_PASSWORD: z.string().optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    POLYPHONY_SESSION_IDLE_HOURS: positiveHours(24 * 7),
    POLYPHONY_SESSION_MAX_HOURS: positiveHours(24 * 30),
    POLYPHONY_TRUST_PROXY: z
      .enum(['true', 'false', '1', '0', ''])
      .default('false')
      .transform((value) => value === 'true' || value === '1'),
  })
  .superRefine((env, ctx) => {
    const hasUser = env.POLYPHONY_ADMIN_USERNAME !== undefined;
    const hasPassword =
      env.POLYPHONY_ADMIN_PASSWORD !== undefined && env.POLYPHONY_ADMIN_PASSWORD !== '';
    if (hasUser !== hasPassword) {
      ctx.addIssue({
        code: 'custom',
        path: [hasUser ? 'POLYPHONY_ADMIN_PASSWORD' : 'POLYPHONY_ADMIN_USERNAME'],
        message:
          'POLYPHONY_ADMIN_USERNAME and POLYPHONY_ADMIN_PASSWORD go together: set both or neither',
      });
    }
  });

/**
 * Reads and validates the configuration from the environment. A bad value throws a ConfigError
 * naming every offending variable, so the server refuses to start instead of half-working.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const resolveDir = (value: string | undefined, fallback: string) =>
    value === undefined ? fallback : path.resolve(cwd, value);
  const dataDir = resolveDir(e.POLYPHONY_DATA_DIR, path.join(projectRoot, 'data'));
  return {
    port: e.PORT,
    host: e.POLYPHONY_HOST ?? '0.0.0.0',
    dataDir,
    database:
      e.DATABASE_URL === undefined
        ? { kind: 'sqlite', file: path.join(dataDir, 'polyphony.db') }
        : { kind: 'postgres', url: e.DATABASE_URL },
    pluginsDir: resolveDir(e.POLYPHONY_PLUGINS_DIR, path.join(projectRoot, 'backend/src/plugins')),
    plugins: {
      limits: {
        maxUploadBytes: Math.round(e.POLYPHONY_PLUGIN_MAX_UPLOAD_MB * MB),
        maxEntries: e.POLYPHONY_PLUGIN_MAX_ENTRIES,
        maxUnpackedBytes: Math.round(e.POLYPHONY_PLUGIN_MAX_UNPACKED_MB * MB),
        maxRatio: e.POLYPHONY_PLUGIN_MAX_RATIO,
      },
      hookTimeoutMs: Math.round(e.POLYPHONY_PLUGIN_HOOK_TIMEOUT_SECONDS * 1000),
      migrationTimeoutMs: Math.round(e.POLYPHONY_PLUGIN_MIGRATION_TIMEOUT_SECONDS * 1000),
      syncIntervalMs: Math.round(e.POLYPHONY_PLUGIN_SYNC_SECONDS * 1000),
    },
    webRoot: resolveDir(e.POLYPHONY_WEB_ROOT, path.join(projectRoot, 'frontend/dist')),
    admin:
      e.POLYPHONY_ADMIN_USERNAME !== undefined && e.POLYPHONY_ADMIN_PASSWORD !== undefined
        ? { username: e.POLYPHONY_ADMIN_USERNAME, password: e.POLYPHONY_ADMIN_PASSWORD }
        : null,
    logLevel: e.LOG_LEVEL,
    session: {
      idleHours: e.POLYPHONY_SESSION_IDLE_HOURS,
      maxHours: e.POLYPHONY_SESSION_MAX_HOURS,
    },
    trustProxy: e.POLYPHONY_TRUST_PROXY,
  };
}
