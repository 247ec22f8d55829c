import type { Kysely } from 'kysely';
import { AppError } from '../errors/app-error.ts';
import type { AuditContext, AuditLog } from '../audit/audit-log.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Database } from '../db/schema.ts';
import { BUILTIN_ROLES, isBuiltinRole } from '../users/user-rules.ts';

export interface Role {
  name: string;
  description: string;
  builtin: boolean;
  userCount: number;
  createdAt: string;
}

export interface RoleService {
  list(): Promise<Role[]>;
  /** The names in `names` that are not roles. */
  unknown(names: readonly string[], executor?: Kysely<Database>): Promise<string[]>;
  create(input: { name: string; description: string }, context: AuditContext): Promise<Role>;
  remove(name: string, context: AuditContext): Promise<void>;
}

export function createRoleService(
  db: Kysely<Database>,
  audit: AuditLog,
  now: () => Date,
): RoleService {
  async function list(): Promise<Role[]> {
    const rows = await db
      .selectFrom('roles')
      .leftJoin('user_roles', 'user_roles.role_name', 'roles.name')
      .select((eb) => [
        'roles.name',
        'roles.description',
        'roles.created_at',
        eb.fn.count<number | string>('user_roles.user_id').as('user_count'),
      ])
      .groupBy(['roles.name', 'roles.description', 'roles.created_at'])
      .execute();
    const builtinOrder = (name: string) => {
      const index = (BUILTIN_ROLES as readonly string[]).indexOf(name);
      return index === -1 ? BUILTIN_ROLES.length : index;
    };
    return rows
      .map((row) => ({
        name: row.name,
        description: row.description,
        builtin: isBuiltinRole(row.name),
        userCount: Number(row.user_count),
        createdAt: row.created_at,
      }))
      .sort((a, b) => builtinOrder(a.name) - builtinOrder(b.name) || a.name.localeCompare(b.name));
  }

  return {
    list,

    async unknown(names, executor = db) {
      if (names.length === 0) return [];
      const rows = await executor
        .selectFrom('roles')
        .select('name')
        .where('name', 'in', [...names])
        .execute();
      const known = new Set(rows.map((row) => row.name));
      return [...new Set(names)].filter((name) => !known.has(name));
    },

    create(input, context) {
      const target = { type: 'role', id: input.name, label: input.name };
      return audit.recordingFailures(context, 'role.created', target, async () => {
        const createdAt = now().toISOString();
        try {
          await db.transaction().execute(async (trx) => {
            await trx
              .insertInto('roles')
              .values({ ...input, created_at: createdAt })
              .execute();
            await audit.record(
              context,
              { action: 'role.created', target, details: { description: input.description } },
              trx,
            );
          });
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new AppError('ROLE_EXISTS', `The role "${input.name}" already exists.`);
          }
          throw error;
        }
        return { ...input, builtin: false, userCount: 0, createdAt };
      });
    },

    remove(name, context) {
      const target = { type: 'role', id: name, label: name };
      return audit.recordingFailures(context, 'role.deleted', target, () =>
        db.transaction().execute(async (trx) => {
          const role = await trx
            .selectFrom('roles')
            .select('name')
            .where('name', '=', name)
            .executeTakeFirst();
          if (!role) throw new AppError('ROLE_NOT_FOUND', `There is no role "${name}".`);
          if (isBuiltinRole(name)) {
            throw new AppError(
              'ROLE_BUILTIN',
              `"${name}" is a built-in role and cannot be deleted.`,
            );
          }
          const holders = await trx
            .selectFrom('user_roles')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('role_name', '=', name)
            .executeTakeFirstOrThrow();
          if (Number(holders.n) > 0) {
            throw new AppError(
              'ROLE_IN_USE',
              `"${name}" is still held by ${holders.n} user(s). Take it from them first.`,
              { details: { userCount: Number(holders.n) } },
            );
          }
          await trx.deleteFrom('roles').where('name', '=', name).execute();
          await audit.record(context, { action: 'role.deleted', target }, trx);
        }),
      );
    },
  };
}
