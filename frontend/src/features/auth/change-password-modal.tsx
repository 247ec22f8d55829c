import { Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { FormErrorAlert } from '../../components/form-error-alert.tsx';
import { PasswordField } from '../../components/password-field.tsx';
import { formErrorsFrom } from '../../lib/error-messages.ts';
import { useChangeOwnPassword } from './auth-mutations.ts';
import { PASSWORD_HINT, passwordProblem } from './credential-rules.ts';
import { FormActions } from '../../components/form-actions.tsx';

export interface ChangePasswordModalProps {
  username: string;
  onClose: () => void;
}

export function ChangePasswordModal({ username, onClose }: ChangePasswordModalProps) {
  const change = useChangeOwnPassword();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problems, setProblems] = useState<Partial<Record<'current' | 'new' | 'confirm', string>>>(
    {},
  );

  const serverErrors = change.isError
    ? formErrorsFrom(change.error, ['currentPassword', 'newPassword'] as const, {
        fieldForCode: { INVALID_CREDENTIALS: 'currentPassword' },
        overrides: { INVALID_CREDENTIALS: 'The current password is wrong.' },
      })
    : { fields: {}, form: null };

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: typeof problems = {};
    if (currentPassword === '') found.current = 'Enter your current password.';
    const weak = passwordProblem(newPassword);
    if (weak !== null) found.new = weak;
    else if (newPassword !== confirmation) found.confirm = 'The passwords do not match.';
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            title: 'Password changed',
            message: 'Your other sessions were signed out.',
          });
          onClose();
        },
      },
    );
  }

  return (
    <Modal opened onClose={onClose} title="Change your password">
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            You stay signed in here; every other session of yours ends.
          </Text>
          <FormErrorAlert message={serverErrors.form} title="The password was not changed" />
          {/* Lets password managers file the new password under the right account. */}
          <input type="text" autoComplete="username" value={username} readOnly hidden />
          <PasswordField
            label="Current password"
            value={currentPassword}
            onChange={(event) => {
              setCurrentPassword(event.currentTarget.value);
            }}
            error={problems.current ?? serverErrors.fields.currentPassword}
            data-autofocus
          />
          <PasswordField
            label="New password"
            description={PASSWORD_HINT}
            autoComplete="new-password"
            value={newPassword}
            onChange={(event) => {
              setNewPassword(event.currentTarget.value);
            }}
            error={problems.new ?? serverErrors.fields.newPassword}
          />
          <PasswordField
            label="Repeat the new password"
            autoComplete="new-password"
            value={confirmation}
            onChange={(event) => {
              setConfirmation(event.currentTarget.value);
            }}
            error={problems.confirm}
          />
          <FormActions
            submitLabel="Change password"
            onCancel={onClose}
            pending={change.isPending}
          />
        </Stack>
      </form>
    </Modal>
  );
}
