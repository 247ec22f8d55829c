import { Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { FormErrorAlert } from '../../../components/form-error-alert.tsx';
import { PasswordField } from '../../../components/password-field.tsx';
import type { AdminUser } from '../../../lib/api-types.ts';
import { formErrorsFrom } from '../../../lib/error-messages.ts';
import { PASSWORD_HINT, passwordProblem } from '../../auth/credential-rules.ts';
import { useUpdateUser } from '../admin-queries.ts';
import { FormActions } from '../../../components/form-actions.tsx';

export interface ResetPasswordModalProps {
  user: AdminUser;
  onClose: () => void;
}

export function ResetPasswordModal({ user, onClose }: ResetPasswordModalProps) {
  const updateUser = useUpdateUser();
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const serverErrors = updateUser.isError
    ? formErrorsFrom(updateUser.error, ['password'] as const)
    : { fields: {}, form: null };

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const issue = passwordProblem(password);
    setProblem(issue);
    if (issue !== null) return;
    updateUser.mutate(
      { id: user.id, changes: { password } },
      {
        onSuccess: (updated) => {
          notifications.show({
            color: 'green',
            title: 'Password reset',
            message: `${updated.username} was signed out and needs the new password next time.`,
          });
          onClose();
        },
      },
    );
  }

  return (
    <Modal opened onClose={onClose} title={`Reset password for ${user.username}`}>
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Their current sessions end right away. Give them the new password privately.
          </Text>
          <FormErrorAlert message={serverErrors.form} title="The password was not reset" />
          {/* Lets password managers file the new password under the right account. */}
          <input type="text" autoComplete="username" value={user.username} readOnly hidden />
          <PasswordField
            label="New password"
            description={PASSWORD_HINT}
            autoComplete="new-password"
            value={password}
            onChange={(event) => {
              setPassword(event.currentTarget.value);
            }}
            error={problem ?? serverErrors.fields.password}
            data-autofocus
          />
          <FormActions
            submitLabel="Reset password"
            onCancel={onClose}
            pending={updateUser.isPending}
          />
        </Stack>
      </form>
    </Modal>
  );
}
