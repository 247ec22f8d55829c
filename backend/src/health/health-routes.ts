import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { pingDatabase } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import type { AppEnv } from '../http/app-env.ts';

export function createHealthRoutes(db: Kysely<Database>) {
  return new Hono<AppEnv>().get('/', async (c) => {
    try {
      await pingDatabase(db);
    } catch (error) {
      c.get('logger').warn(
        { err: error, requestId: c.get('requestId') },
        'health check: database unavailable',
      );
      throw new AppError('DATABASE_UNAVAILABLE', 'The database does not answer.');
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });
}
