import type { Generated } from 'kysely';

/** The core tables. Plugin tables live beside them, always prefixed `plugin_<id>_`. */
export interface Database {
  users: UsersTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  plugins: PluginsTable;
  plugins_archives: PluginArchivesTable;
  plugins_migrations: PluginMigrationsTable;
  plugins_locks: PluginLocksTable;
}

/** Timestamps are ISO 8601 UTC strings on both databases, so they compare and sort as text. */
export type Timestamp = string;

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Null while the account is active. */
  disabled_at: Timestamp | null;
  last_login_at: Timestamp | null;
}

export interface RolesTable {
  name: string;
  description: string;
  created_at: Timestamp;
}

export interface UserRolesTable {
  user_id: string;
  role_name: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a leaked database row cannot be replayed as a cookie. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  outcome: 'success' | 'failure';
  /** JSON text. */
  details: string | null;
  ip: string | null;
}

export interface PluginsTable {
  id: string;
  name: string;
  version: string;
  description: string;
  author: string;
  /** The validated plugin.json, as JSON text. */
  manifest: string;
  /** What the admins asked for. A load failure is recorded in `error` and reported as `failed`. */
  state: 'active' | 'deactivated';
  error: string | null;
  archive_sha256: string;
  /** JSON text: OwnedObject[], the tables and other objects its migrations created. */
  owned_objects: string;
  /** JSON text: the stored setting values, secrets included. */
  settings: string;
  installed_at: Timestamp;
  updated_at: Timestamp;
}

export interface PluginArchivesTable {
  plugin_id: string;
  sha256: string;
  size: number;
  content: Uint8Array;
}

export interface PluginMigrationsTable {
  plugin_id: string;
  name: string;
  position: number;
  executed_at: Timestamp;
}

export interface PluginLocksTable {
  plugin_id: string;
  operation: string;
  owner: string;
  host: string;
  pid: number;
  acquired_at: Timestamp;
}
