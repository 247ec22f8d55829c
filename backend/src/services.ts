import type { Kysely } from 'kysely';
import { createAuditLog, type AuditLog } from './audit/audit-log.ts';
import { createPasswordHasher, type PasswordHasher } from './auth/password.ts';
import { createRateLimiter, type RateLimiter } from './auth/rate-limiter.ts';
import { createSessionStore, type SessionStore } from './auth/session-store.ts';
import type { Config } from './config/config.ts';
import type { DialectName } from './db/database.ts';
import type { Database } from './db/schema.ts';
import { createRoleService, type RoleService } from './roles/role-service.ts';
import { createUserService, type UserService } from './users/user-service.ts';

/** The host's capabilities, shared by the HTTP app and the operator CLI. No I/O happens here. */
export interface CoreServices {
  db: Kysely<Database>;
  dialect: DialectName;
  now: () => Date;
  passwords: PasswordHasher;
  sessions: SessionStore;
  audit: AuditLog;
  roles: RoleService;
  users: UserService;
  loginLimits: { perUsername: RateLimiter; perIp: RateLimiter };
}

export interface CoreServicesOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  session: Config['session'];
  passwords?: PasswordHasher;
  now?: () => Date;
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export function createCoreServices(options: CoreServicesOptions): CoreServices {
  const { db, dialect } = options;
  const now = options.now ?? (() => new Date());
  const passwords = options.passwords ?? createPasswordHasher();
  const sessions = createSessionStore(
    db,
    { idleMs: options.session.idleHours * 3_600_000, maxMs: options.session.maxHours * 3_600_000 },
    now,
  );
  const audit = createAuditLog(db, now);
  const roles = createRoleService(db, audit, now);
  const users = createUserService({ db, dialect, passwords, sessions, roles, audit, now });
  const clock = () => now().getTime();
  return {
    db,
    dialect,
    now,
    passwords,
    sessions,
    audit,
    roles,
    users,
    loginLimits: {
      perUsername: createRateLimiter({ limit: 5, windowMs: FIFTEEN_MINUTES }, clock),
      perIp: createRateLimiter({ limit: 50, windowMs: FIFTEEN_MINUTES }, clock),
    },
  };
}
