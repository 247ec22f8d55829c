import type {
  SettingProperty,
  SettingValue,
  SettingsSchema,
} from '@polyphony/plugin-format/settings-schema';

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

// The settings schema's types are the host's own (docs/plugins/archive-format.md#settings).
export type { SettingProperty, SettingValue, SettingsSchema };

export type PluginState = 'active' | 'deactivated' | 'failed';

export interface PluginNavigationLink {
  label: string;
  path: string;
  roles: string[];
  icon?: string;
}

/** An installed plugin, as the admin API shows it. */
export interface Plugin {
  id: string;
  name: string;
  version: string;
  description: string;
  author: string;
  homepage: string | null;
  license: string | null;
  /** failed: asked to be active, but could not load or start. */
  state: PluginState;
  /** Why it failed; null unless state is "failed". */
  error: string | null;
  installedAt: string;
  updatedAt: string;
  /** The tables its migrations created, all named plugin_<id>_... */
  tables: string[];
  navigation: PluginNavigationLink[];
  hasBackend: boolean;
  frontend: { entry: string } | null;
  hasSettings: boolean;
}

export interface PluginSettings {
  schema: SettingsSchema | null;
  /** Non-secret settings, defaults filled in. */
  values: Record<string, SettingValue>;
  /** For each secret: whether a value is stored. Never the value. */
  secrets: Record<string, boolean>;
}

/** What `POST /admin/plugins` answers: 201 with `upgradedFrom: null`, or 200 for an upgrade. */
export interface PluginUploadResult {
  plugin: Plugin;
  upgradedFrom: string | null;
}

/** What `GET /admin/plugins/:id/data` answers: what an uninstall would delete. */
export interface PluginData {
  tables: { name: string; rows: number }[];
}
