import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryErrorAlert } from '../../../components/query-error-alert.tsx';
import { TableSkeletonRows } from '../../../components/table-skeleton.tsx';
import type { Role } from '../../../lib/api-types.ts';
import { describeError } from '../../../lib/error-messages.ts';
import { pluralize } from '../../../lib/format.ts';
import { useDeleteRole, useRoles } from '../admin-queries.ts';
import { NewRoleModal } from './new-role-modal.tsx';

type OpenDialog = { kind: 'new' } | { kind: 'delete'; role: Role };

export function RolesPage() {
  useDocumentTitle('Roles · Administration · Polyphony');
  const roles = useRoles();
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const closeDialog = () => {
    setDialog(null);
  };

  return (
    <Stack gap="md">
      <PageHeader
        order={2}
        title="Roles"
        description="Roles decide what people may see. Plugins can offer their pages to specific roles."
        actions={
          <Button
            leftSection={<IconPlus size={18} aria-hidden />}
            onClick={() => {
              setDialog({ kind: 'new' });
            }}
          >
            New role
          </Button>
        }
      />

      {roles.isError && (
        <QueryErrorAlert
          title="Could not load the roles"
          error={roles.error}
          onRetry={() => void roles.refetch()}
          retrying={roles.isFetching}
        />
      )}
      {!(roles.isError && roles.data === undefined) && (
        <Paper withBorder radius="lg" style={{ overflow: 'hidden' }}>
          <RolesTable
            roles={roles.data}
            loading={roles.isPending}
            onDelete={(role) => {
              setDialog({ kind: 'delete', role });
            }}
          />
        </Paper>
      )}

      {dialog?.kind === 'new' && <NewRoleModal onClose={closeDialog} />}
      {dialog?.kind === 'delete' && <DeleteRoleDialog role={dialog.role} onClose={closeDialog} />}
    </Stack>
  );
}

const COLUMNS = ['Name', 'Description', 'Users', 'Actions'] as const;

interface RolesTableProps {
  roles: Role[] | undefined;
  loading: boolean;
  onDelete: (role: Role) => void;
}

function RolesTable({ roles, loading, onDelete }: RolesTableProps) {
  return (
    <Table.ScrollContainer minWidth={560} type="native">
      <Table highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th ta="right">Users</Table.Th>
            <Table.Th ta="right">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading && <TableSkeletonRows columns={COLUMNS.length} rows={3} />}
          {roles?.map((role) => (
            <Table.Tr key={role.name}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text fw={600} size="sm">
                    {role.name}
                  </Text>
                  {role.builtin && (
                    <Badge size="sm" variant="light" color="gray" tt="none">
                      Built-in
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {role.description === '' ? (
                  <Text size="sm" c="dimmed">
                    No description
                  </Text>
                ) : (
                  <Text size="sm">{role.description}</Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" ff="monospace">
                  {role.userCount}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                {role.builtin ? (
                  <Tooltip label="Built-in roles can't be deleted">
                    {/* A disabled button cannot show a tooltip; this span can. */}
                    <span>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        disabled
                        aria-label={`Delete role ${role.name}`}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </span>
                  </Tooltip>
                ) : (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Delete role ${role.name}`}
                    onClick={() => {
                      onDelete(role);
                    }}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface DeleteRoleDialogProps {
  role: Role;
  onClose: () => void;
}

function DeleteRoleDialog({ role, onClose }: DeleteRoleDialogProps) {
  const deleteRole = useDeleteRole();
  const error = deleteRole.isError
    ? describeError(deleteRole.error, {
        ROLE_IN_USE: `${role.name} is still given to some users. Remove it from them on the Users page first.`,
      })
    : null;

  return (
    <ConfirmDialog
      opened
      onClose={onClose}
      title={`Delete role ${role.name}?`}
      confirmLabel="Delete role"
      loading={deleteRole.isPending}
      error={error}
      onConfirm={() => {
        deleteRole.mutate(role.name, {
          onSuccess: () => {
            notifications.show({
              color: 'green',
              title: 'Role deleted',
              message: `The role ${role.name} no longer exists.`,
            });
            onClose();
          },
        });
      }}
    >
      The role <strong>{role.name}</strong> will be removed for good.{' '}
      {role.userCount > 0
        ? `${pluralize(role.userCount, 'user')} still ${role.userCount === 1 ? 'has' : 'have'} it, and a role in use can't be deleted: remove it from them on the Users page first.`
        : 'Nobody has it right now.'}
    </ConfirmDialog>
  );
}
