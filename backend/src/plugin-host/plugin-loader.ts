import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../errors/app-error.ts';
import type { PluginBackend } from '@polyphony/plugin-sdk';
import { reasonOf, withTimeout } from './with-timeout.ts';

const HOOKS = ['routes', 'publicRoutes', 'activate', 'deactivate'] as const;

function shapeProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) {
    return ['the default export must be an object (see docs/plugins/backend.md)'];
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set<string>(['migrations', ...HOOKS]);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) problems.push(`"${key}" is not part of the backend contract`);
  }
  for (const hook of HOOKS) {
    if (record[hook] !== undefined && typeof record[hook] !== 'function') {
      problems.push(`"${hook}" must be a function`);
    }
  }
  const migrations = record.migrations;
  if (migrations !== undefined) {
    if (!Array.isArray(migrations)) return [...problems, '"migrations" must be an array'];
    const names = new Set<string>();
    migrations.forEach((migration: unknown, index) => {
      const m = migration as { name?: unknown; up?: unknown; down?: unknown } | null;
      if (typeof m?.name !== 'string' || m.name.length === 0 || m.name.length > 200) {
        problems.push(`migrations[${index}] needs a name`);
      } else if (names.has(m.name)) {
        problems.push(`migrations[${index}]: the name "${m.name}" is used twice`);
      } else names.add(m.name);
      if (typeof m?.up !== 'function')
        problems.push(`migrations[${index}] needs an up(db) function`);
      if (m?.down !== undefined && typeof m.down !== 'function') {
        problems.push(`migrations[${index}].down must be a function`);
      }
    });
  }
  return problems;
}

/**
 * Imports a plugin's backend module and checks its default export against the contract.
 * Anything it throws, at import or in top-level await, becomes PLUGIN_LOAD_FAILED.
 */
export async function loadBackendModule(
  folder: string,
  entry: string,
  timeoutMs: number,
): Promise<PluginBackend> {
  const url = pathToFileURL(path.join(folder, entry)).href;
  let loaded: { default?: unknown };
  try {
    loaded = await withTimeout(
      import(url) as Promise<{ default?: unknown }>,
      timeoutMs,
      'Loading the backend module',
    );
  } catch (error) {
    throw new AppError(
      'PLUGIN_LOAD_FAILED',
      `The backend module ${entry} failed to load: ${reasonOf(error)}`,
      { cause: error, details: { entry, reason: reasonOf(error) } },
    );
  }
  const problems = shapeProblems(loaded.default);
  if (problems.length > 0) {
    throw new AppError(
      'PLUGIN_LOAD_FAILED',
      `The backend module ${entry} does not fit the contract: ${problems.join('; ')}.`,
      { details: { entry, problems } },
    );
  }
  return loaded.default as PluginBackend;
}
