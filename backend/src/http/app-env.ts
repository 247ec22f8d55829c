import type { Logger } from 'pino';
import type { ActiveSession, AuthUser } from '../auth/session-store.ts';

export interface AppVariables {
  requestId: string;
  clientIp: string | null;
  /** The host's logger: a line about this request names `requestId` itself. */
  logger: Logger;
  session: ActiveSession | null;
  user: AuthUser | null;
  /** The nonce this response's inline scripts must carry: made by `cspNonce()` when asked for. */
  cspNonce?: string;
}

export interface AppEnv {
  Variables: AppVariables;
}
