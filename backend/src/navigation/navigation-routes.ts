import { Hono } from 'hono';
import { AppError } from '../errors/app-error.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireUser } from '../http/middleware.ts';
import { navigationFor, type NavSource } from './navigation.ts';

export function createNavigationRoutes(sources: readonly NavSource[]) {
  return new Hono<AppEnv>().get('/', requireUser, async (c) => {
    const user = c.get('user');
    if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
    return c.json({ items: await navigationFor(user, sources) });
  });
}
