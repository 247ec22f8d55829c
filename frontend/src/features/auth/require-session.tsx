import { Center, Container } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { QueryErrorAlert } from '../../components/query-error-alert.tsx';
import { redirectStateFor } from './redirect-target.ts';
import { useSession } from './session.ts';
import { SignedInSessionContext } from './session-context.tsx';

export interface RequireSessionProps {
  children: ReactNode;
}

/**
 * Renders its children only for a signed-in user. Without a session it sends the reader to the
 * sign-in page, which in turn forwards to first-run setup while no user exists yet.
 */
export function RequireSession({ children }: RequireSessionProps) {
  const session = useSession();
  const location = useLocation();

  // A failed background refetch keeps the last answer; only a missing answer blocks the app.
  if (session.data === undefined) {
    if (!session.isError) return <FullPageLoader label="Checking your session…" />;
    return (
      <Center mih="60vh" px="md">
        <Container size="xs" w="100%">
          <QueryErrorAlert
            title="Could not check your session"
            error={session.error}
            onRetry={() => void session.refetch()}
            retrying={session.isFetching}
          />
        </Container>
      </Center>
    );
  }

  if (session.data === null) {
    return <Navigate to="/login" replace state={redirectStateFor(location)} />;
  }

  return <SignedInSessionContext value={session.data}>{children}</SignedInSessionContext>;
}
