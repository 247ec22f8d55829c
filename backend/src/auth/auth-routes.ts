import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import type { AppEnv } from '../http/app-env.ts';
import { auditContext } from '../http/audit-context.ts';
import { requireUser, signedIn } from '../http/middleware.ts';
import { clearSessionCookie, writeSessionCookie } from '../http/session-cookie.ts';
import { readJson } from '../http/validate.ts';
import type { CoreServices } from '../services.ts';
import { ADMIN_ROLE, passwordSchema, usernameSchema } from '../users/user-rules.ts';
import type { AuthUser } from './session-store.ts';

const loginSchema = z.object({
  // Any string may be tried; only the lookup decides. Lower-case it like usernames are stored.
  username: z.string().trim().toLowerCase().min(1).max(256),
  password: z.string().min(1).max(1024),
});

const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: passwordSchema,
});

export const setupSchema = z.object({ username: usernameSchema, password: passwordSchema });

export interface AuthRoutesOptions {
  trustProxy: boolean;
}

/** Starts a session for `user` and answers `{ user, csrfToken }` with the cookie. */
export async function signIn(
  c: Context<AppEnv>,
  services: CoreServices,
  user: AuthUser,
  options: AuthRoutesOptions,
  status: 200 | 201 = 200,
): Promise<Response> {
  const { token, session } = await services.sessions.create(user.id, {
    ip: c.get('clientIp'),
    userAgent: c.req.header('user-agent') ?? null,
  });
  writeSessionCookie(c, token, session.expiresAt, options.trustProxy);
  return c.json(
    {
      user: { id: user.id, username: user.username, roles: user.roles },
      csrfToken: session.csrfToken,
    },
    status,
  );
}

export function createAuthRoutes(services: CoreServices, options: AuthRoutesOptions) {
  const { users, passwords, audit, loginLimits } = services;
  // Unknown usernames still cost one hash, so timing does not tell which usernames exist.
  const decoyHash = passwords.hash('decoy password that matches nothing');

  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const { username, password } = await readJson(c, loginSchema);
      const ipKey = c.get('clientIp') ?? 'unknown';
      const retryAfter = Math.max(
        loginLimits.perUsername.retryAfter(username),
        loginLimits.perIp.retryAfter(ipKey),
      );
      if (retryAfter > 0) {
        throw new AppError(
          'RATE_LIMITED',
          `Too many failed sign-ins. Try again in ${retryAfter} seconds.`,
          { details: { retryAfterSeconds: retryAfter } },
        );
      }

      const candidate = await users.findForLogin(username);
      const valid = candidate
        ? await passwords.verify(password, candidate.passwordHash)
        : await passwords.verify(password, await decoyHash).then(() => false);
      const isAdmin = candidate?.roles.includes(ADMIN_ROLE) ?? false;
      const target = candidate
        ? { type: 'user', id: candidate.id, label: candidate.username }
        : null;

      if (!candidate || !valid) {
        loginLimits.perUsername.recordFailure(username);
        loginLimits.perIp.recordFailure(ipKey);
        if (isAdmin) {
          await audit.record(auditContext(c), {
            action: 'auth.login_failed',
            target,
            outcome: 'failure',
            details: { code: 'INVALID_CREDENTIALS' },
          });
          // Recorded once, when the lock engages, so a flood of refused attempts cannot flood the log.
          const lockedFor = loginLimits.perUsername.retryAfter(username);
          if (lockedFor > 0) {
            await audit.record(auditContext(c), {
              action: 'auth.login_rate_limited',
              target,
              outcome: 'failure',
              details: { retryAfterSeconds: lockedFor },
            });
          }
        }
        throw new AppError('INVALID_CREDENTIALS', 'The username or password is wrong.');
      }
      if (candidate.disabled) {
        if (isAdmin) {
          await audit.record(auditContext(c), {
            action: 'auth.login_failed',
            target,
            outcome: 'failure',
            details: { code: 'ACCOUNT_DISABLED' },
          });
        }
        throw new AppError('ACCOUNT_DISABLED', 'This account is disabled. Ask an admin.');
      }

      loginLimits.perUsername.reset(username);
      await users.recordLogin(candidate.id);
      const user = { id: candidate.id, username: candidate.username, roles: candidate.roles };
      if (isAdmin) {
        await audit.record(
          { actor: { id: user.id, username: user.username }, ip: c.get('clientIp') },
          { action: 'auth.login', target },
        );
      }
      return signIn(c, services, user, options);
    })

    .post('/logout', async (c) => {
      const session = c.get('session');
      if (session) await services.sessions.revoke(session.id);
      clearSessionCookie(c);
      return c.body(null, 204);
    })

    .get('/me', requireUser, (c) => {
      const { user, session } = signedIn(c);
      return c.json({ user, csrfToken: session.csrfToken });
    })

    .post('/password', requireUser, async (c) => {
      const { currentPassword, newPassword } = await readJson(c, changePasswordSchema);
      const { user, session } = signedIn(c);
      const candidate = await users.findForLogin(user.username);
      if (!candidate || !(await passwords.verify(currentPassword, candidate.passwordHash))) {
        throw new AppError('INVALID_CREDENTIALS', 'The current password is wrong.');
      }
      await users.setPassword(user.id, newPassword);
      await services.sessions.revokeAllForUser(user.id, { except: session.id });
      return c.body(null, 204);
    });
}

export function createSetupRoutes(services: CoreServices, options: AuthRoutesOptions) {
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ setupRequired: (await services.users.count()) === 0 }))
    .post('/', async (c) => {
      const input = await readJson(c, setupSchema);
      const admin = await services.users.createFirstAdmin(input, auditContext(c));
      return signIn(c, services, admin, options, 201);
    });
}
