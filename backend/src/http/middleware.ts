import { randomUUID, timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { ActiveSession, AuthUser, SessionStore } from '../auth/session-store.ts';
import { AppError } from '../errors/app-error.ts';
import type { AppEnv } from './app-env.ts';
import { readSessionCookie } from './session-cookie.ts';

function socketAddress(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // app.request() in tests has no socket.
    return null;
  }
}

/** Request id, client address and the logger; logs each API request once, with its id. */
export function requestContext(logger: Logger, trustProxy: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestId = randomUUID();
    const forwarded = trustProxy
      ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
      : undefined;
    c.set('requestId', requestId);
    c.set('clientIp', forwarded ?? socketAddress(c));
    // Not a child logger per request: making one cost more than the line below (bench/RESULTS.md).
    c.set('logger', logger);
    c.set('session', null);
    c.set('user', null);
    const started = performance.now();
    await next();
    if (c.req.path.startsWith('/api/')) {
      logger.info(
        {
          requestId,
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
          user: c.get('user')?.username,
        },
        'request',
      );
    }
  };
}

/** Resolves the session cookie into `session` and `user`; an invalid cookie just means anonymous. */
export function sessionLoader(sessions: SessionStore): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = readSessionCookie(c);
    if (token !== undefined) {
      const resolved = await sessions.resolve(token);
      if (resolved) {
        c.set('session', resolved.session);
        c.set('user', resolved.user);
      }
    }
    await next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'X-CSRF-Token';

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A state-changing request that a session cookie authenticates must prove it came from our own
 * pages by echoing the session's token in a header, which a cross-site form cannot set.
 */
export function csrfProtection(exemptPaths: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = c.get('session');
    if (session && !SAFE_METHODS.has(c.req.method) && !exemptPaths.includes(c.req.path)) {
      const sent = c.req.header(CSRF_HEADER);
      if (sent === undefined || !sameToken(sent, session.csrfToken)) {
        throw new AppError(
          'CSRF_TOKEN_INVALID',
          `This request needs the ${CSRF_HEADER} header of your session.`,
        );
      }
    }
    await next();
  };
}

/** The signed-in user and their session, or UNAUTHENTICATED. */
export function signedIn(c: Context<AppEnv>): { user: AuthUser; session: ActiveSession } {
  const user = c.get('user');
  const session = c.get('session');
  if (!user || !session) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return { user, session };
}

export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  signedIn(c);
  await next();
};

export function requireRole(role: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { user } = signedIn(c);
    if (!user.roles.includes(role)) {
      throw new AppError('FORBIDDEN', `This needs the ${role} role.`);
    }
    await next();
  };
}
