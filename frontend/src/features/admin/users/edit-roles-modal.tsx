import { Modal, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { FormErrorAlert } from '../../../components/form-error-alert.tsx';
import type { AdminUser } from '../../../lib/api-types.ts';
import { formErrorsFrom } from '../../../lib/error-messages.ts';
import { useUpdateUser } from '../admin-queries.ts';
import { RoleCheckboxes } from './role-checkboxes.tsx';
import { FormActions } from '../../../components/form-actions.tsx';

export interface EditRolesModalProps {
  user: AdminUser;
  onClose: () => void;
}

export function EditRolesModal({ user, onClose }: EditRolesModalProps) {
  const updateUser = useUpdateUser();
  const [roles, setRoles] = useState<string[]>(user.roles);
  const [problem, setProblem] = useState<string | undefined>();

  const serverErrors = updateUser.isError
    ? formErrorsFrom(updateUser.error, ['roles'] as const, {
        fieldForCode: { UNKNOWN_ROLE: 'roles' },
      })
    : { fields: {}, form: null };
  const unchanged = sameMembers(roles, user.roles);

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (roles.length === 0) {
      setProblem('Choose at least one role.');
      return;
    }
    setProblem(undefined);
    updateUser.mutate(
      { id: user.id, changes: { roles } },
      {
        onSuccess: (updated) => {
          notifications.show({
            color: 'green',
            title: 'Roles updated',
            message: `${updated.username} now has: ${updated.roles.join(', ')}.`,
          });
          onClose();
        },
      },
    );
  }

  return (
    <Modal opened onClose={onClose} title={`Change roles for ${user.username}`}>
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <FormErrorAlert message={serverErrors.form} title="The roles were not changed" />
          <RoleCheckboxes
            value={roles}
            onChange={setRoles}
            error={problem ?? serverErrors.fields.roles}
          />
          <FormActions
            submitLabel="Save roles"
            onCancel={onClose}
            pending={updateUser.isPending}
            submitDisabled={unchanged}
          />
        </Stack>
      </form>
    </Modal>
  );
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
