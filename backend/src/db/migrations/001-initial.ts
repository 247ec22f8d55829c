import type { Kysely } from 'kysely';
import type { CoreMigration } from '../migrate.ts';

export const initial: CoreMigration = {
  name: '001-initial',
  up: async (db: Kysely<unknown>, dialect) => {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('disabled_at', 'text')
      .addColumn('last_login_at', 'text')
      .execute();

    await db.schema
      .createTable('roles')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('user_roles')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role_name', 'text', (c) =>
        c.notNull().references('roles.name').onDelete('restrict'),
      )
      .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_name'])
      .execute();
    await db.schema
      .createIndex('user_roles_role_idx')
      .on('user_roles')
      .column('role_name')
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
    await db.schema
      .createIndex('sessions_expires_idx')
      .on('sessions')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_username', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('target_label', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('details', 'text')
      .addColumn('ip', 'text')
      .execute();
    await db.schema.createIndex('audit_log_action_idx').on('audit_log').column('action').execute();

    const now = new Date().toISOString();
    await db
      .insertInto('roles' as never)
      .values([
        { name: 'admin', description: 'Full access, including Admin', created_at: now },
        { name: 'editor', description: 'Creates and changes content', created_at: now },
        { name: 'viewer', description: 'Reads content', created_at: now },
      ] as never)
      .execute();
  },
};
