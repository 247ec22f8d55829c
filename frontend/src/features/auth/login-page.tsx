import { Alert, Button, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { FormErrorAlert } from '../../components/form-error-alert.tsx';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { PasswordField } from '../../components/password-field.tsx';
import { describeError, formErrorsFrom } from '../../lib/error-messages.ts';
import { AuthLayout } from './auth-layout.tsx';
import { useSignIn } from './auth-mutations.ts';
import { normalizeUsername } from './credential-rules.ts';
import { redirectTargetFrom } from './redirect-target.ts';
import { useSession } from './session.ts';
import { useSetupStatus } from './setup-status.ts';
import { UsernameField } from '../../components/username-field.tsx';

export function LoginPage() {
  useDocumentTitle('Sign in · Polyphony');
  const location = useLocation();
  const session = useSession();
  const setupStatus = useSetupStatus();

  if (session.data) return <Navigate to={redirectTargetFrom(location.state)} replace />;
  if (setupStatus.data?.setupRequired === true) return <Navigate to="/setup" replace />;
  if (session.isPending || setupStatus.isPending) {
    return <FullPageLoader label="Loading…" />;
  }

  // Either check failing means the server is unwell; the form stays usable and says so.
  const serverProblem = session.error ?? setupStatus.error;
  return (
    <AuthLayout title="Sign in" subtitle="Welcome back. Sign in to continue to Polyphony.">
      {serverProblem !== null && (
        <Alert color="orange" variant="light" title="The server is not answering normally">
          {describeError(serverProblem)}
        </Alert>
      )}
      <SignInForm />
    </AuthLayout>
  );
}

type Field = 'username' | 'password';

function SignInForm() {
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<Partial<Record<Field, string>>>({});

  const serverErrors = signIn.isError
    ? formErrorsFrom(signIn.error, ['username', 'password'] as const)
    : { fields: {}, form: null };

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    if (username.trim() === '') problems.username = 'Enter your username.';
    if (password === '') problems.password = 'Enter your password.';
    setMissing(problems);
    if (Object.keys(problems).length > 0) return;
    signIn.mutate({ username: normalizeUsername(username), password });
  }

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        <FormErrorAlert message={serverErrors.form} title="Sign-in failed" />
        <UsernameField
          name="username"
          value={username}
          onChange={(event) => {
            setUsername(event.currentTarget.value);
          }}
          error={missing.username ?? serverErrors.fields.username}
          autoFocus
        />
        <PasswordField
          label="Password"
          name="password"
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
          error={missing.password ?? serverErrors.fields.password}
        />
        <Button type="submit" loading={signIn.isPending} fullWidth mt="xs">
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
