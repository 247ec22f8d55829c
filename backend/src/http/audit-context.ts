import type { Context } from 'hono';
import type { AuditContext } from '../audit/audit-log.ts';
import type { AppEnv } from './app-env.ts';

export function auditContext(c: Context<AppEnv>): AuditContext {
  const user = c.get('user');
  return {
    actor: user ? { id: user.id, username: user.username } : null,
    ip: c.get('clientIp'),
  };
}
