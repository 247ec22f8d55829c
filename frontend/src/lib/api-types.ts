/** The API's types, exactly as docs/api.md defines them. */

export interface User {
  id: string;
  username: string;
  roles: string[];
}

export interface AdminUser extends User {
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

export interface Role {
  name: string;
  description: string;
  builtin: boolean;
  userCount: number;
  createdAt: string;
}

export interface NavItem {
  id: string;
  label: string;
  path: string;
  icon: string | null;
  source: 'core' | 'plugin';
}

export type AuditOutcome = 'success' | 'failure';

export interface AuditEntry {
  id: number;
  at: string;
  actor: { id: string | null; username: string } | null;
  action: string;
  target: { type: string; id: string | null; label: string | null } | null;
  outcome: AuditOutcome;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  page: number;
  pageSize: number;
  total: number;
}

/** What sign-in, first-run setup and `GET /auth/me` answer. */
export interface Session {
  user: User;
  csrfToken: string;
}

export const ADMIN_ROLE = 'admin';
