import { Button, Checkbox, Group, Skeleton, Stack, Text } from '@mantine/core';
import { describeError } from '../../../lib/error-messages.ts';
import { useRoles } from '../admin-queries.ts';

export interface RoleCheckboxesProps {
  value: string[];
  onChange: (roles: string[]) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/**
 * Roles as a labelled group of checkboxes rather than a multi-select: there are few of them, each
 * is visible with its description, and each is one click (or Space) to toggle.
 */
export function RoleCheckboxes({ value, onChange, error, disabled = false }: RoleCheckboxesProps) {
  const roles = useRoles();
  const loadError = roles.isError ? describeError(roles.error) : undefined;

  return (
    <Checkbox.Group
      label="Roles"
      description="What this person may see and do."
      value={value}
      onChange={onChange}
      error={error ?? loadError}
      disabled={disabled}
    >
      <Stack gap="sm" mt="xs">
        {roles.isPending && <RoleSkeletons />}
        {roles.isError && (
          <Group>
            <Button
              size="xs"
              variant="light"
              onClick={() => void roles.refetch()}
              loading={roles.isFetching}
            >
              Load roles again
            </Button>
          </Group>
        )}
        {roles.data?.map((role) => (
          <Checkbox
            key={role.name}
            value={role.name}
            label={role.name}
            description={role.description === '' ? undefined : role.description}
          />
        ))}
        {roles.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            There are no roles yet.
          </Text>
        )}
      </Stack>
    </Checkbox.Group>
  );
}

function RoleSkeletons() {
  return (
    <Stack gap="sm" aria-hidden>
      {[0, 1, 2].map((row) => (
        <Group key={row} gap="sm" wrap="nowrap">
          <Skeleton height={20} width={20} radius="sm" />
          <Skeleton height={12} width="40%" />
        </Group>
      ))}
    </Stack>
  );
}
