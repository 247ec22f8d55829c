import { Button, List, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { FormErrorAlert } from '../../components/form-error-alert.tsx';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { PasswordField } from '../../components/password-field.tsx';
import { QueryErrorAlert } from '../../components/query-error-alert.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { describeError, formErrorsFrom } from '../../lib/error-messages.ts';
import { AuthLayout } from './auth-layout.tsx';
import { useCompleteSetup } from './auth-mutations.ts';
import {
  credentialProblems,
  normalizeUsername,
  PASSWORD_HINT,
  USERNAME_HINT,
} from './credential-rules.ts';
import { setupStatusQueryKey, useSetupStatus } from './setup-status.ts';
import { UsernameField } from '../../components/username-field.tsx';

export function SetupPage() {
  useDocumentTitle('Set up · Polyphony');
  const setupStatus = useSetupStatus();

  if (setupStatus.data === undefined) {
    if (!setupStatus.isError) return <FullPageLoader label="Loading…" />;
    return (
      <AuthLayout
        title="Set up Polyphony"
        subtitle="Checking whether this server needs setting up."
      >
        <QueryErrorAlert
          title="Could not reach the server"
          error={setupStatus.error}
          onRetry={() => void setupStatus.refetch()}
          retrying={setupStatus.isFetching}
        />
      </AuthLayout>
    );
  }
  // Setup happens once; afterwards this page only points to sign-in.
  if (!setupStatus.data.setupRequired) return <Navigate to="/login" replace />;

  return (
    <AuthLayout
      title="Welcome to Polyphony"
      subtitle="Create the first administrator account. You can add more people afterwards."
    >
      <SetupForm />
    </AuthLayout>
  );
}

type Field = 'username' | 'password' | 'confirmPassword';

function SetupForm() {
  const completeSetup = useCompleteSetup();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});

  const serverErrors = completeSetup.isError
    ? formErrorsFrom(completeSetup.error, ['username', 'password'] as const)
    : { fields: {}, form: null };

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = credentialProblems(username, password);
    if (confirmPassword !== password) found.confirmPassword = 'The passwords do not match.';
    setProblems(found);
    if (Object.keys(found).length > 0) return;

    completeSetup.mutate(
      { username: normalizeUsername(username), password },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            title: 'Polyphony is ready',
            message: 'Your administrator account is created and you are signed in.',
          });
          void navigate('/', { replace: true });
        },
        onError: (error) => {
          // Someone else finished setup meanwhile: refreshing the status sends this page to sign-in.
          if (isApiError(error) && error.code === 'SETUP_ALREADY_DONE') {
            notifications.show({ color: 'blue', message: describeError(error) });
            void queryClient.invalidateQueries({ queryKey: setupStatusQueryKey });
          }
        },
      },
    );
  }

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        <FormErrorAlert message={serverErrors.form} title="Setup failed" />
        <UsernameField
          name="username"
          description={USERNAME_HINT}
          value={username}
          onChange={(event) => {
            setUsername(event.currentTarget.value);
          }}
          error={problems.username ?? serverErrors.fields.username}
          autoFocus
        />
        <PasswordField
          label="Password"
          name="password"
          description={PASSWORD_HINT}
          autoComplete="new-password"
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
          error={problems.password ?? serverErrors.fields.password}
        />
        <PasswordField
          label="Confirm password"
          name="confirmPassword"
          autoComplete="new-password"
          value={confirmPassword}
          onChange={(event) => {
            setConfirmPassword(event.currentTarget.value);
          }}
          error={problems.confirmPassword}
        />
        <Text size="xs" c="dimmed" component="div">
          This account can:
          <List size="xs" c="dimmed" mt={4} spacing={2}>
            <List.Item>add people and decide what they may see,</List.Item>
            <List.Item>install plugins that add pages to Polyphony.</List.Item>
          </List>
        </Text>
        <Button type="submit" loading={completeSetup.isPending} fullWidth>
          Create admin account
        </Button>
      </Stack>
    </form>
  );
}
