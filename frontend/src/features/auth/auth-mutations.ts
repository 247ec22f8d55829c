import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { notifications } from '@mantine/notifications';
import { api } from '../../lib/api-client.ts';
import type { Session } from '../../lib/api-types.ts';
import { describeError } from '../../lib/error-messages.ts';
import { forgetSession, isSessionQuery, storeSession } from './session.ts';
import { setupStatusQueryKey } from './setup-status.ts';
import type { SetupStatus } from './setup-status.ts';

export interface Credentials {
  username: string;
  password: string;
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: Credentials) =>
      (await api.post('/auth/login', credentials)) as Session,
    onSuccess: (session) => {
      // Another user may have been signed in in this tab; nothing of theirs may linger. The
      // session query itself stays: the sign-in page observes it, and a removed query would never
      // tell that page about the new session.
      queryClient.removeQueries({ predicate: (query) => !isSessionQuery(query.queryKey) });
      storeSession(queryClient, session);
    },
  });
}

export function useCompleteSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: Credentials) =>
      (await api.post('/setup', credentials)) as Session,
    onSuccess: (session) => {
      storeSession(queryClient, session);
      queryClient.setQueryData<SetupStatus>(setupStatusQueryKey, { setupRequired: false });
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => {
      await api.post('/auth/logout');
    },
    onSuccess: () => {
      // Nothing fetched for this user may be shown to whoever signs in next in this tab. Removing
      // the session query too detaches the signed-in frame from it, so the frame does not race
      // this navigation with a redirect of its own that would remember the current page.
      queryClient.removeQueries();
      forgetSession(queryClient);
      void navigate('/login', { replace: true });
    },
    onError: (error) => {
      notifications.show({
        color: 'red',
        title: 'Could not sign out',
        message: describeError(error),
      });
    },
  });
}

export function useChangeOwnPassword() {
  return useMutation({
    mutationFn: async (input: { currentPassword: string; newPassword: string }) => {
      await api.post('/auth/password', input);
    },
  });
}
