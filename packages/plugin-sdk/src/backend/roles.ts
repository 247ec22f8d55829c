import type { MiddlewareHandler } from 'hono';
import type { PluginEnv, PluginUser } from './types.ts';

/**
 * Whether the user holds at least one of the roles. False for nobody (`null`) and when no role
 * is listed.
 *
 * @example
 * ```ts
 * const user = c.get('user');
 * const polls = hasRole(user, 'admin') ? all : all.filter((p) => p.ownerId === user?.id);
 * ```
 */
export function hasRole(
  user: Pick<PluginUser, 'roles'> | null | undefined,
  ...roles: readonly string[]
): boolean {
  if (user === null || user === undefined) return false;
  return roles.some((role) => user.roles.includes(role));
}

/**
 * A Hono middleware that lets the request through when the signed-in user holds any of the
 * roles. Otherwise it answers in the host's error shape: `401 UNAUTHENTICATED` when nobody is
 * signed in (so it works on public routes too), `403 FORBIDDEN` when the user lacks the roles.
 * `ctx.requireRole` is this same function.
 *
 * Navigation links and page roles only hide pages: guard the API behind them with this.
 *
 * @example
 * ```ts
 * router.delete('/polls/:id', requireRole('admin'), async (c) => c.body(null, 204));
 * router.use('/admin/*', requireRole('admin', 'editor'));
 * ```
 */
export function requireRole(...roles: readonly string[]): MiddlewareHandler<PluginEnv> {
  const needed = [...roles];
  return async (c, next) => {
    // Undefined when the middleware runs outside the host, where nobody set the user.
    const user = c.get('user') as PluginUser | null | undefined;
    if (!user) {
      return c.json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } }, 401);
    }
    if (!hasRole(user, ...needed)) {
      return c.json(
        {
          error: {
            code: 'FORBIDDEN',
            message: `This needs one of the roles: ${needed.join(', ')}.`,
          },
        },
        403,
      );
    }
    await next();
  };
}
