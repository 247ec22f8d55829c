import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { AppError } from '../errors/app-error.ts';
import type { AuditContext, AuditLog } from '../audit/audit-log.ts';
import type { PasswordHasher } from '../auth/password.ts';
import { rolesOf, type AuthUser, type SessionStore } from '../auth/session-store.ts';
import type { DialectName } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Database } from '../db/schema.ts';
import type { RoleService } from '../roles/role-service.ts';
import { ADMIN_ROLE } from './user-rules.ts';

export interface AdminUser extends AuthUser {
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

export interface NewUser {
  username: string;
  password: string;
  roles: string[];
}

export interface UserPatch {
  roles?: string[] | undefined;
  disabled?: boolean | undefined;
  password?: string | undefined;
}

export interface LoginCandidate {
  id: string;
  username: string;
  passwordHash: string;
  disabled: boolean;
  roles: string[];
}

export interface UserService {
  list(): Promise<AdminUser[]>;
  get(id: string): Promise<AdminUser>;
  count(): Promise<number>;
  findForLogin(username: string): Promise<LoginCandidate | null>;
  create(input: NewUser, context: AuditContext): Promise<AdminUser>;
  /** Creates the first admin, only while no user exists (first-run setup and bootstrap). */
  createFirstAdmin(input: Omit<NewUser, 'roles'>, context: AuditContext): Promise<AdminUser>;
  update(id: string, patch: UserPatch, context: AuditContext): Promise<AdminUser>;
  remove(id: string, context: AuditContext): Promise<void>;
  recordLogin(id: string): Promise<void>;
  setPassword(id: string, password: string): Promise<void>;
}

export interface UserServiceDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  passwords: PasswordHasher;
  sessions: SessionStore;
  roles: RoleService;
  audit: AuditLog;
  now: () => Date;
}

export function createUserService(deps: UserServiceDeps): UserService {
  const { db, audit, now } = deps;

  async function toAdminUsers(
    executor: Kysely<Database>,
    ids?: readonly string[],
  ): Promise<AdminUser[]> {
    let query = executor.selectFrom('users').selectAll().orderBy('username');
    if (ids) query = query.where('id', 'in', [...ids]);
    const rows = await query.execute();
    if (rows.length === 0) return [];
    let roleQuery = executor.selectFrom('user_roles').selectAll().orderBy('role_name');
    if (ids) roleQuery = roleQuery.where('user_id', 'in', [...ids]);
    const roleRows = await roleQuery.execute();
    const rolesByUser = new Map<string, string[]>();
    for (const { user_id, role_name } of roleRows) {
      rolesByUser.set(user_id, [...(rolesByUser.get(user_id) ?? []), role_name]);
    }
    return rows.map((row) => ({
      id: row.id,
      username: row.username,
      roles: rolesByUser.get(row.id) ?? [],
      disabled: row.disabled_at !== null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      lastLoginAt: row.last_login_at,
    }));
  }

  async function getWith(executor: Kysely<Database>, id: string): Promise<AdminUser> {
    const [user] = await toAdminUsers(executor, [id]);
    if (!user) throw new AppError('USER_NOT_FOUND', 'There is no such user.');
    return user;
  }

  /**
   * Serializes every change that could remove the last admin. On PostgreSQL, two concurrent
   * transactions could otherwise each demote a different admin and leave none; the row lock on
   * the admin role makes them take turns. SQLite already runs one writer at a time.
   */
  async function lockAdmins(trx: Kysely<Database>): Promise<void> {
    if (deps.dialect === 'postgres') {
      await sql`select name from roles where name = ${ADMIN_ROLE} for update`.execute(trx);
    }
  }

  const isActiveAdmin = (user: AdminUser) => !user.disabled && user.roles.includes(ADMIN_ROLE);

  /** Called only when the user changed was an active admin: then one must remain. */
  async function assertAnActiveAdminRemains(trx: Kysely<Database>): Promise<void> {
    const row = await trx
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_roles.role_name', '=', ADMIN_ROLE)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) {
      throw new AppError(
        'LAST_ADMIN',
        'This is the last active admin: it must keep the admin role and stay enabled.',
      );
    }
  }

  async function assertRolesExist(trx: Kysely<Database>, roles: readonly string[]) {
    const unknown = await deps.roles.unknown(roles, trx);
    if (unknown.length > 0) {
      throw new AppError('UNKNOWN_ROLE', `No such role: ${unknown.join(', ')}.`, {
        details: { roles: unknown },
      });
    }
  }

  async function insertUser(
    trx: Kysely<Database>,
    input: NewUser,
    passwordHash: string,
  ): Promise<string> {
    const id = randomUUID();
    const time = now().toISOString();
    try {
      await trx
        .insertInto('users')
        .values({
          id,
          username: input.username,
          password_hash: passwordHash,
          created_at: time,
          updated_at: time,
          disabled_at: null,
          last_login_at: null,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('USERNAME_TAKEN', `The username "${input.username}" is taken.`);
      }
      throw error;
    }
    const roles = [...new Set(input.roles)];
    if (roles.length > 0) {
      await trx
        .insertInto('user_roles')
        .values(roles.map((role_name) => ({ user_id: id, role_name })))
        .execute();
    }
    return id;
  }

  return {
    list: () => toAdminUsers(db),

    get: (id) => getWith(db, id),

    async count() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async findForLogin(username) {
      const row = await db
        .selectFrom('users')
        .select(['id', 'username', 'password_hash', 'disabled_at'])
        .where('username', '=', username)
        .executeTakeFirst();
      if (!row) return null;
      return {
        id: row.id,
        username: row.username,
        passwordHash: row.password_hash,
        disabled: row.disabled_at !== null,
        roles: await rolesOf(db, row.id),
      };
    },

    create(input, context) {
      const target = { type: 'user', label: input.username };
      return audit.recordingFailures(context, 'user.created', target, async () => {
        const passwordHash = await deps.passwords.hash(input.password);
        return db.transaction().execute(async (trx) => {
          await assertRolesExist(trx, input.roles);
          const id = await insertUser(trx, input, passwordHash);
          await audit.record(
            context,
            { action: 'user.created', target: { ...target, id }, details: { roles: input.roles } },
            trx,
          );
          return getWith(trx, id);
        });
      });
    },

    async createFirstAdmin(input, context) {
      const passwordHash = await deps.passwords.hash(input.password);
      return db.transaction().execute(async (trx) => {
        await lockAdmins(trx);
        const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
        if (existing) {
          throw new AppError('SETUP_ALREADY_DONE', 'Polyphony is already set up. Sign in instead.');
        }
        const id = await insertUser(trx, { ...input, roles: [ADMIN_ROLE] }, passwordHash);
        const actor = context.actor ?? { id, username: input.username };
        await audit.record(
          { ...context, actor },
          { action: 'setup.completed', target: { type: 'user', id, label: input.username } },
          trx,
        );
        return getWith(trx, id);
      });
    },

    async update(id, patch, context) {
      const current = await getWith(db, id).catch(() => null);
      const target = { type: 'user', id, label: current?.username ?? null };
      const action =
        patch.roles !== undefined
          ? 'user.roles_changed'
          : patch.disabled === true
            ? 'user.disabled'
            : patch.disabled === false
              ? 'user.enabled'
              : 'user.password_reset';
      return audit.recordingFailures(context, action, target, async () => {
        const passwordHash =
          patch.password === undefined ? undefined : await deps.passwords.hash(patch.password);
        return db.transaction().execute(async (trx) => {
          await lockAdmins(trx);
          const before = await getWith(trx, id);
          const time = now().toISOString();
          const entries: { action: string; details?: Record<string, unknown> }[] = [];

          if (patch.roles !== undefined) {
            const roles = [...new Set(patch.roles)].sort();
            await assertRolesExist(trx, roles);
            await trx.deleteFrom('user_roles').where('user_id', '=', id).execute();
            if (roles.length > 0) {
              await trx
                .insertInto('user_roles')
                .values(roles.map((role_name) => ({ user_id: id, role_name })))
                .execute();
            }
            entries.push({
              action: 'user.roles_changed',
              details: { before: before.roles, after: roles },
            });
          }
          if (patch.disabled !== undefined && patch.disabled !== before.disabled) {
            await trx
              .updateTable('users')
              .set({ disabled_at: patch.disabled ? time : null })
              .where('id', '=', id)
              .execute();
            if (patch.disabled) await deps.sessions.revokeAllForUser(id, { executor: trx });
            entries.push({ action: patch.disabled ? 'user.disabled' : 'user.enabled' });
          }
          if (passwordHash !== undefined) {
            await trx
              .updateTable('users')
              .set({ password_hash: passwordHash })
              .where('id', '=', id)
              .execute();
            await deps.sessions.revokeAllForUser(id, { executor: trx });
            entries.push({ action: 'user.password_reset' });
          }
          await trx.updateTable('users').set({ updated_at: time }).where('id', '=', id).execute();
          if (isActiveAdmin(before)) await assertAnActiveAdminRemains(trx);
          for (const entry of entries) {
            await audit.record(
              context,
              {
                action: entry.action,
                target: { ...target, label: before.username },
                details: entry.details ?? null,
              },
              trx,
            );
          }
          return getWith(trx, id);
        });
      });
    },

    async remove(id, context) {
      const current = await getWith(db, id).catch(() => null);
      const target = { type: 'user', id, label: current?.username ?? null };
      await audit.recordingFailures(context, 'user.deleted', target, () =>
        db.transaction().execute(async (trx) => {
          await lockAdmins(trx);
          const user = await getWith(trx, id);
          if (context.actor?.id === id) {
            throw new AppError('CANNOT_DELETE_SELF', 'You cannot delete your own account.');
          }
          await trx.deleteFrom('users').where('id', '=', id).execute();
          if (isActiveAdmin(user)) await assertAnActiveAdminRemains(trx);
          await audit.record(
            context,
            { action: 'user.deleted', target, details: { roles: user.roles } },
            trx,
          );
        }),
      );
    },

    async recordLogin(id) {
      await db
        .updateTable('users')
        .set({ last_login_at: now().toISOString() })
        .where('id', '=', id)
        .execute();
    },

    async setPassword(id, password) {
      const passwordHash = await deps.passwords.hash(password);
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: now().toISOString() })
        .where('id', '=', id)
        .execute();
    },
  };
}
