import type { AuditEntry } from '../../../lib/api-types.ts';

/** The actions docs/api.md lists, in words; plugins may record others, shown by their id. */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  'setup.completed': 'Setup completed',
  'auth.login': 'Signed in',
  'auth.login_failed': 'Sign-in failed',
  'auth.login_rate_limited': 'Sign-in rate limited',
  'user.created': 'User created',
  'user.roles_changed': 'Roles changed',
  'user.disabled': 'User disabled',
  'user.enabled': 'User enabled',
  'user.password_reset': 'Password reset',
  'user.deleted': 'User deleted',
  'role.created': 'Role created',
  'role.deleted': 'Role deleted',
  'plugin.installed': 'Plugin installed',
  'plugin.upgraded': 'Plugin upgraded',
  'plugin.activated': 'Plugin activated',
  'plugin.deactivated': 'Plugin deactivated',
  'plugin.uninstalled': 'Plugin uninstalled',
  'plugin.settings_changed': 'Plugin settings changed',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export interface ActorDescription {
  name: string;
  /** Why there is no account behind the name, when there is none. */
  note: string | null;
}

const SYSTEM_ACTOR_NOTES: Record<string, string> = {
  cli: 'operator command line',
  bootstrap: 'created from the environment at start',
};

export function describeActor(actor: AuditEntry['actor']): ActorDescription {
  if (actor === null) return { name: 'Anonymous', note: 'not signed in' };
  if (actor.id !== null) return { name: actor.username, note: null };
  // No account behind it: the server acted on its own behalf (see docs/api.md).
  return { name: actor.username, note: SYSTEM_ACTOR_NOTES[actor.username] ?? 'system' };
}

export function describeTarget(target: AuditEntry['target']): string | null {
  if (target === null) return null;
  const name = target.label ?? target.id;
  return name === null ? target.type : `${target.type} ${name}`;
}

/**
 * One readable line for the details column: refusals by their code and message, role changes as
 * "before → after", plugin operations by version ("1.0.0 → 1.1.0") and what they ran, dropped or
 * changed; anything else as compact JSON so that nothing recorded is hidden.
 */
export function summarizeDetails(details: AuditEntry['details']): string | null {
  if (details === null || Object.keys(details).length === 0) return null;
  const {
    before,
    after,
    code,
    message,
    reason,
    version,
    from,
    migrations,
    dropped,
    changed,
    ...rest
  } = details;
  const parts: string[] = [];
  if (typeof code === 'string') parts.push(code);
  if (typeof message === 'string') parts.push(message);
  if (before !== undefined || after !== undefined) {
    parts.push(`${listOf(before)} → ${listOf(after)}`);
  }
  if (typeof from === 'string')
    parts.push(`${from} → ${typeof version === 'string' ? version : '?'}`);
  else if (typeof version === 'string') parts.push(`version ${version}`);
  if (migrations !== undefined) parts.push(`migrations run: ${listOf(migrations)}`);
  if (dropped !== undefined) parts.push(`dropped: ${listOf(dropped)}`);
  if (changed !== undefined) parts.push(`changed: ${listOf(changed)}`);
  if (typeof reason === 'string') parts.push(reason);
  // Whatever was not shown above, including a known field of an unexpected type.
  const unshown: Record<string, unknown> = { ...rest };
  for (const [key, value] of Object.entries({ code, message, reason, from })) {
    if (value !== undefined && typeof value !== 'string') unshown[key] = value;
  }
  if (version !== undefined && version !== null && typeof version !== 'string') {
    unshown.version = version;
  }
  if (Object.keys(unshown).length > 0) parts.push(JSON.stringify(unshown));
  if (parts.length === 0) return JSON.stringify(details);
  return parts.join(' · ');
}

function listOf(value: unknown): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? '(none)' : value.map((item) => String(item)).join(', ');
  }
  if (value === undefined || value === null) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
