import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireUser, signedIn } from '../http/middleware.ts';
import { navigationFor, type NavSource } from './navigation.ts';

export function createNavigationRoutes(sources: readonly NavSource[]) {
  return new Hono<AppEnv>().get('/', requireUser, async (c) =>
    c.json({ items: await navigationFor(signedIn(c).user, sources) }),
  );
}
