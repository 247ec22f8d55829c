import type { Context } from 'hono';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import {
  PluginError,
  validationFailed,
  type PluginEnv,
  type PluginUser,
} from '@polyphony/plugin-sdk';

// zod/mini rather than zod: the same checks in a 40 kB bundle instead of 750 kB. It ships
// without messages; English ones make VALIDATION_FAILED readable. This configures the plugin's
// own bundled copy of zod, nobody else's.
z.config(en());

/**
 * The built-in roles. Routes name them rather than letting any signed-in user in, so a role an
 * admin creates later gets nothing from the plugin until it is added here.
 */
export const EVERYONE = ['viewer', 'editor', 'admin'] as const;
/** Who may create polls. */
export const AUTHORS = ['editor', 'admin'] as const;

/**
 * The request's JSON body, checked against a schema. A body that is not JSON is 400 INVALID_JSON;
 * one of the wrong shape is 400 VALIDATION_FAILED with one issue per field, as the host's own
 * API answers.
 */
export async function readBody<S extends z.ZodMiniType>(
  c: Context<PluginEnv>,
  schema: S,
): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new PluginError(400, 'INVALID_JSON', 'The request body must be JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw validationFailed(parsed.error.issues);
  }
  return parsed.data;
}

/** The caller, on a route behind `requireRole` (which already answered 401 to anonymous callers). */
export function caller(c: Context<PluginEnv>): PluginUser {
  const user = c.get('user');
  if (user === null) throw new PluginError(401, 'UNAUTHENTICATED', 'Sign in first.');
  return user;
}

export function pollNotFound(): PluginError {
  return new PluginError(404, 'NOT_FOUND', 'No poll has that id. It may have been deleted.');
}
