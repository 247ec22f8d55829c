import type { Logger } from 'pino';
import type { ActiveSession, AuthUser } from '../auth/session-store.ts';

export interface AppVariables {
  requestId: string;
  clientIp: string | null;
  logger: Logger;
  session: ActiveSession | null;
  user: AuthUser | null;
  /** Set by the CSP middleware: the nonce this response's inline scripts must carry. */
  secureHeadersNonce?: string;
}

export interface AppEnv {
  Variables: AppVariables;
}
