import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { hasRole, requireRole } from './roles.ts';
import type { PluginEnv, PluginUser } from './types.ts';

const ada: PluginUser = { id: 'u1', username: 'ada', roles: ['editor', 'viewer'] };

describe('hasRole', () => {
  it('is true when the user holds any of the roles', () => {
    expect(hasRole(ada, 'editor')).toBe(true);
    expect(hasRole(ada, 'admin', 'viewer')).toBe(true);
  });

  it('is false for other roles, for nobody, and when no role is listed', () => {
    expect(hasRole(ada, 'admin')).toBe(false);
    expect(hasRole(null, 'viewer')).toBe(false);
    expect(hasRole(undefined, 'viewer')).toBe(false);
    expect(hasRole(ada)).toBe(false);
  });
});

/** A router like the one the host hands a plugin, with `user` set the way the host sets it. */
function appFor(user: PluginUser | null | 'unset', ...roles: string[]) {
  const app = new Hono<PluginEnv>();
  if (user !== 'unset') {
    app.use('*', async (c, next) => {
      c.set('user', user);
      await next();
    });
  }
  app.get('/guarded', requireRole(...roles), (c) => c.json({ ok: true }));
  return app;
}

describe('requireRole', () => {
  it('lets a user holding any of the roles through', async () => {
    const response = await appFor(ada, 'admin', 'editor').request('/guarded');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("answers 403 FORBIDDEN, in the host's error shape, naming the roles", async () => {
    const response = await appFor(ada, 'admin').request('/guarded');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      error: { code: 'FORBIDDEN', message: 'This needs one of the roles: admin.' },
    });
  });

  it('answers 401 UNAUTHENTICATED when nobody is signed in, or no user was set at all', async () => {
    for (const app of [appFor(null, 'viewer'), appFor('unset', 'viewer')]) {
      const response = await app.request('/guarded');
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' },
      });
    }
  });

  it('keeps the roles it was made with, whatever the caller does to its array later', async () => {
    const roles = ['admin'];
    const app = new Hono<PluginEnv>();
    app.use('*', async (c, next) => {
      c.set('user', ada);
      await next();
    });
    app.get('/guarded', requireRole(...roles), (c) => c.json({ ok: true }));
    roles.push('editor');
    expect((await app.request('/guarded')).status).toBe(403);
  });
});
