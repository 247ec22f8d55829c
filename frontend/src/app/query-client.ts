import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api-client.ts';
import { forgetSession, sessionQueryKey } from '../features/auth/session.ts';

/**
 * One place reacts to the session ending or its CSRF token going stale, whichever request notices
 * first; individual screens only deal with errors that are about them.
 */
export function createAppQueryClient(): QueryClient {
  const handleError = (error: unknown) => {
    if (!isApiError(error)) return;
    if (error.code === 'UNAUTHENTICATED') {
      // The guard around signed-in pages sees `null` and sends the reader to sign in.
      forgetSession(queryClient);
    } else if (error.code === 'CSRF_TOKEN_INVALID') {
      void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    }
  };

  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: handleError }),
    mutationCache: new MutationCache({ onError: handleError }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => failureCount < 2 && isWorthRetrying(error),
        staleTime: 5_000,
      },
      mutations: { retry: false },
    },
  });
  return queryClient;
}

/** Only failures that may pass on their own; a 4xx answer will be the same next time. */
function isWorthRetrying(error: unknown): boolean {
  if (!isApiError(error)) return true;
  return error.status === 0 || error.status >= 500;
}
