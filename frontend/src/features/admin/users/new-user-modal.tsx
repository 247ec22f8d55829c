import { Modal, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { FormErrorAlert } from '../../../components/form-error-alert.tsx';
import { PasswordField } from '../../../components/password-field.tsx';
import { formErrorsFrom } from '../../../lib/error-messages.ts';
import {
  credentialProblems,
  normalizeUsername,
  PASSWORD_HINT,
  USERNAME_HINT,
} from '../../auth/credential-rules.ts';
import { useCreateUser } from '../admin-queries.ts';
import { RoleCheckboxes } from './role-checkboxes.tsx';
import { UsernameField } from '../../../components/username-field.tsx';
import { FormActions } from '../../../components/form-actions.tsx';

const FIELDS = ['username', 'password', 'roles'] as const;
type Field = (typeof FIELDS)[number];

/** New accounts start as viewers: the least access, widened deliberately. */
const DEFAULT_ROLES = ['viewer'];

export interface NewUserModalProps {
  onClose: () => void;
}

export function NewUserModal({ onClose }: NewUserModalProps) {
  const createUser = useCreateUser();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<string[]>(DEFAULT_ROLES);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});

  const serverErrors = createUser.isError
    ? formErrorsFrom(createUser.error, FIELDS, {
        fieldForCode: { USERNAME_TAKEN: 'username', UNKNOWN_ROLE: 'roles' },
      })
    : { fields: {}, form: null };

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = credentialProblems(username, password);
    if (roles.length === 0) found.roles = 'Choose at least one role.';
    setProblems(found);
    if (Object.keys(found).length > 0) return;

    createUser.mutate(
      { username: normalizeUsername(username), password, roles },
      {
        onSuccess: (user) => {
          notifications.show({
            color: 'green',
            title: 'User created',
            message: `${user.username} can now sign in.`,
          });
          onClose();
        },
      },
    );
  }

  return (
    <Modal opened onClose={onClose} title="New user" size="md">
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <FormErrorAlert message={serverErrors.form} title="The user was not created" />
          <UsernameField
            description={USERNAME_HINT}
            autoComplete="off"
            value={username}
            onChange={(event) => {
              setUsername(event.currentTarget.value);
            }}
            error={problems.username ?? serverErrors.fields.username}
            data-autofocus
          />
          <PasswordField
            label="Password"
            description={`${PASSWORD_HINT} Share it with them privately.`}
            autoComplete="new-password"
            value={password}
            onChange={(event) => {
              setPassword(event.currentTarget.value);
            }}
            error={problems.password ?? serverErrors.fields.password}
          />
          <RoleCheckboxes
            value={roles}
            onChange={setRoles}
            error={problems.roles ?? serverErrors.fields.roles}
          />
          <FormActions
            submitLabel="Create user"
            onCancel={onClose}
            pending={createUser.isPending}
          />
        </Stack>
      </form>
    </Modal>
  );
}
