import { queryOptions, useQuery } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../lib/api-client.ts';
import type { Session } from '../../lib/api-types.ts';

export const sessionQueryKey = ['auth', 'me'] as const;

export function isSessionQuery(queryKey: readonly unknown[]): boolean {
  return (
    queryKey.length === sessionQueryKey.length &&
    sessionQueryKey.every((part, i) => queryKey[i] === part)
  );
}

/**
 * The current session, or `null` when signed out. A 401 is an answer here, not a failure: it is
 * how the app learns that nobody is signed in, so it must not trigger error states or retries.
 */
async function fetchSession(signal: AbortSignal): Promise<Session | null> {
  try {
    const session = (await api.get('/auth/me', { signal })) as Session;
    // Set here, before any component sees the session, so no request can go out without it.
    api.setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      api.setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export const sessionQuery = queryOptions({
  queryKey: sessionQueryKey,
  queryFn: ({ signal }) => fetchSession(signal),
  staleTime: 30_000,
});

export function useSession() {
  return useQuery(sessionQuery);
}

/** After sign-in or setup: the answer already holds the session, so no `/auth/me` round trip. */
export function storeSession(queryClient: QueryClient, session: Session) {
  api.setCsrfToken(session.csrfToken);
  queryClient.setQueryData(sessionQueryKey, session);
}

export function forgetSession(queryClient: QueryClient) {
  api.setCsrfToken(null);
  queryClient.setQueryData(sessionQueryKey, null);
}
