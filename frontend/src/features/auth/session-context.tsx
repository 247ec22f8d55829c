import { createContext, use } from 'react';
import { ADMIN_ROLE } from '../../lib/api-types.ts';
import type { Session } from '../../lib/api-types.ts';

/** Filled by `RequireSession`; every page below it may assume a signed-in user. */
export const SignedInSessionContext = createContext<Session | null>(null);

export function useSignedInSession(): Session {
  const session = use(SignedInSessionContext);
  if (session === null) {
    throw new Error('useSignedInSession() needs a <RequireSession> above it.');
  }
  return session;
}

export function useIsAdmin(): boolean {
  return useSignedInSession().user.roles.includes(ADMIN_ROLE);
}
