import { Button, Paper, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryErrorAlert } from '../../../components/query-error-alert.tsx';
import type { AdminUser } from '../../../lib/api-types.ts';
import { describeError } from '../../../lib/error-messages.ts';
import { useSignedInSession } from '../../auth/session-context.tsx';
import { useDeleteUser, useUpdateUser, useUsers } from '../admin-queries.ts';
import { EditRolesModal } from './edit-roles-modal.tsx';
import { NewUserModal } from './new-user-modal.tsx';
import { ResetPasswordModal } from './reset-password-modal.tsx';
import { UsersTable } from './users-table.tsx';
import type { UserAction } from './users-table.tsx';

type OpenDialog = { kind: 'new' } | { kind: Exclude<UserAction, 'enable'>; user: AdminUser };

export function UsersPage() {
  useDocumentTitle('Users · Administration · Polyphony');
  const users = useUsers();
  const { user: currentUser } = useSignedInSession();
  const enableUser = useUpdateUser();
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const closeDialog = () => {
    setDialog(null);
  };

  function handleAction(action: UserAction, user: AdminUser) {
    if (action !== 'enable') {
      setDialog({ kind: action, user });
      return;
    }
    // Enabling only gives back access the account had; it needs no confirmation.
    enableUser.mutate(
      { id: user.id, changes: { disabled: false } },
      {
        onSuccess: (updated) => {
          notifications.show({
            color: 'green',
            title: 'User enabled',
            message: `${updated.username} can sign in again.`,
          });
        },
        onError: (error) => {
          notifications.show({
            color: 'red',
            title: `Could not enable ${user.username}`,
            message: describeError(error),
          });
        },
      },
    );
  }

  return (
    <Stack gap="md">
      <PageHeader
        order={2}
        title="Users"
        description="Everyone who can sign in to Polyphony, and what their roles let them do."
        actions={
          <Button
            leftSection={<IconUserPlus size={18} aria-hidden />}
            onClick={() => {
              setDialog({ kind: 'new' });
            }}
          >
            New user
          </Button>
        }
      />

      {users.isError && (
        <QueryErrorAlert
          title="Could not load the users"
          error={users.error}
          onRetry={() => void users.refetch()}
          retrying={users.isFetching}
        />
      )}

      {!(users.isError && users.data === undefined) && (
        <Paper withBorder radius="lg" style={{ overflow: 'hidden' }}>
          <UsersTable
            users={users.data}
            loading={users.isPending}
            currentUserId={currentUser.id}
            onAction={handleAction}
          />
        </Paper>
      )}

      {dialog?.kind === 'new' && <NewUserModal onClose={closeDialog} />}
      {dialog?.kind === 'roles' && <EditRolesModal user={dialog.user} onClose={closeDialog} />}
      {dialog?.kind === 'password' && (
        <ResetPasswordModal user={dialog.user} onClose={closeDialog} />
      )}
      {dialog?.kind === 'disable' && (
        <DisableUserDialog
          user={dialog.user}
          isCurrentUser={dialog.user.id === currentUser.id}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'delete' && <DeleteUserDialog user={dialog.user} onClose={closeDialog} />}
    </Stack>
  );
}

interface UserDialogProps {
  user: AdminUser;
  onClose: () => void;
}

function DisableUserDialog({
  user,
  isCurrentUser,
  onClose,
}: UserDialogProps & { isCurrentUser: boolean }) {
  const updateUser = useUpdateUser();
  return (
    <ConfirmDialog
      opened
      onClose={onClose}
      title={`Disable ${user.username}?`}
      confirmLabel="Disable user"
      confirmColor="orange"
      loading={updateUser.isPending}
      error={updateUser.isError ? describeError(updateUser.error) : null}
      onConfirm={() => {
        updateUser.mutate(
          { id: user.id, changes: { disabled: true } },
          {
            onSuccess: (updated) => {
              notifications.show({
                color: 'green',
                title: 'User disabled',
                message: `${updated.username} was signed out and can no longer sign in.`,
              });
              onClose();
            },
          },
        );
      }}
    >
      <Text size="sm">
        <strong>{user.username}</strong> will be signed out everywhere and cannot sign in until the
        account is enabled again. Nothing is deleted.
      </Text>
      {isCurrentUser && (
        <Text size="sm" mt="xs" c="orange.8" fw={500}>
          This is your own account: you will be signed out too.
        </Text>
      )}
    </ConfirmDialog>
  );
}

function DeleteUserDialog({ user, onClose }: UserDialogProps) {
  const deleteUser = useDeleteUser();
  return (
    <ConfirmDialog
      opened
      onClose={onClose}
      title={`Delete ${user.username}?`}
      confirmLabel="Delete user"
      loading={deleteUser.isPending}
      error={deleteUser.isError ? describeError(deleteUser.error) : null}
      onConfirm={() => {
        deleteUser.mutate(user.id, {
          onSuccess: () => {
            notifications.show({
              color: 'green',
              title: 'User deleted',
              message: `${user.username} no longer has an account.`,
            });
            onClose();
          },
        });
      }}
    >
      This permanently deletes the account <strong>{user.username}</strong>. Their entries in the
      audit log stay. This cannot be undone.
    </ConfirmDialog>
  );
}
