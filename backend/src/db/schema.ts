import type { Generated } from 'kysely';

/** The core tables. Plugin tables live beside them, always prefixed `plugin_<id>_`. */
export interface Database {
  users: UsersTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
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
