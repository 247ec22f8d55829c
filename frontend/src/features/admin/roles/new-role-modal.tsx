import { Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { FormErrorAlert } from '../../../components/form-error-alert.tsx';
import { formErrorsFrom } from '../../../lib/error-messages.ts';
import { useCreateRole } from '../admin-queries.ts';
import { ROLE_NAME_HINT, roleNameProblem } from './role-rules.ts';
import { FormActions } from '../../../components/form-actions.tsx';

const FIELDS = ['name', 'description'] as const;

export interface NewRoleModalProps {
  onClose: () => void;
}

export function NewRoleModal({ onClose }: NewRoleModalProps) {
  const createRole = useCreateRole();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [nameProblem, setNameProblem] = useState<string | null>(null);

  const serverErrors = createRole.isError
    ? formErrorsFrom(createRole.error, FIELDS, { fieldForCode: { ROLE_EXISTS: 'name' } })
    : { fields: {}, form: null };

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = roleNameProblem(name);
    setNameProblem(problem);
    if (problem !== null) return;
    const trimmedDescription = description.trim();
    createRole.mutate(
      {
        name: name.trim(),
        ...(trimmedDescription === '' ? {} : { description: trimmedDescription }),
      },
      {
        onSuccess: (role) => {
          notifications.show({
            color: 'green',
            title: 'Role created',
            message: `You can now give people the role ${role.name}.`,
          });
          onClose();
        },
      },
    );
  }

  return (
    <Modal opened onClose={onClose} title="New role">
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <FormErrorAlert message={serverErrors.form} title="The role was not created" />
          <TextInput
            label="Name"
            description={ROLE_NAME_HINT}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
            }}
            error={nameProblem ?? serverErrors.fields.name}
            data-autofocus
          />
          <Textarea
            label="Description"
            description="Optional. Who should have this role, and what it is for."
            autosize
            minRows={2}
            maxRows={5}
            value={description}
            onChange={(event) => {
              setDescription(event.currentTarget.value);
            }}
            error={serverErrors.fields.description}
          />
          <FormActions
            submitLabel="Create role"
            onCancel={onClose}
            pending={createRole.isPending}
          />
        </Stack>
      </form>
    </Modal>
  );
}
