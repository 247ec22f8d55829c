import { ActionIcon, Badge, Group, Menu, Table, Text } from '@mantine/core';
import {
  IconDots,
  IconKey,
  IconShieldCog,
  IconTrash,
  IconUserCheck,
  IconUserOff,
} from '@tabler/icons-react';
import { AdminTable } from '../../../components/admin-table.tsx';
import { RoleBadges } from '../../../components/role-badges.tsx';
import { TimeText } from '../../../components/time-text.tsx';
import type { AdminUser } from '../../../lib/api-types.ts';

export type UserAction = 'roles' | 'password' | 'disable' | 'enable' | 'delete';

export interface UsersTableProps {
  users: AdminUser[] | undefined;
  loading: boolean;
  currentUserId: string;
  onAction: (action: UserAction, user: AdminUser) => void;
}

const COLUMNS = ['Username', 'Roles', 'Status', 'Created', 'Last sign-in', 'Actions'] as const;
/** Left out on phones, where the table has to fit 390px without scrolling sideways. */
const WIDE_ONLY_COLUMNS: ReadonlySet<string> = new Set(['Created', 'Last sign-in']);

export function UsersTable({ users, loading, currentUserId, onAction }: UsersTableProps) {
  return (
    <AdminTable
      columns={COLUMNS}
      wideOnlyColumns={WIDE_ONLY_COLUMNS}
      minWidth={720}
      loading={loading}
      emptyText={users?.length === 0 ? 'No users yet.' : null}
    >
      {({ wide }) =>
        users?.map((user) => (
          <UserRow
            key={user.id}
            user={user}
            isCurrentUser={user.id === currentUserId}
            onAction={onAction}
            withDates={wide}
          />
        ))
      }
    </AdminTable>
  );
}

interface UserRowProps {
  user: AdminUser;
  isCurrentUser: boolean;
  onAction: UsersTableProps['onAction'];
}

function UserRow({
  user,
  isCurrentUser,
  onAction,
  withDates,
}: UserRowProps & { withDates: boolean }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text fw={600} size="sm">
            {user.username}
          </Text>
          {/* Hidden from assistive tech so the cell's name stays the bare username (the account
              menu already says who is signed in). */}
          {isCurrentUser && (
            <Badge size="xs" variant="outline" color="gray" tt="none" aria-hidden>
              you
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <RoleBadges roles={user.roles} />
      </Table.Td>
      <Table.Td>
        {user.disabled ? (
          <Badge color="gray" variant="filled" tt="none">
            Disabled
          </Badge>
        ) : (
          <Badge color="green" variant="light" tt="none">
            Active
          </Badge>
        )}
      </Table.Td>
      {withDates && (
        <>
          <Table.Td>
            <TimeText iso={user.createdAt} dateStyle="date" />
          </Table.Td>
          <Table.Td>
            {user.lastLoginAt === null ? (
              <Text size="sm" c="dimmed">
                Never
              </Text>
            ) : (
              <TimeText iso={user.lastLoginAt} />
            )}
          </Table.Td>
        </>
      )}
      <Table.Td ta="right">
        <UserActionsMenu user={user} isCurrentUser={isCurrentUser} onAction={onAction} />
      </Table.Td>
    </Table.Tr>
  );
}

function UserActionsMenu({ user, isCurrentUser, onAction }: UserRowProps) {
  return (
    <Menu position="bottom-end" shadow="md" width={220} withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${user.username}`}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item
          leftSection={<IconShieldCog size={16} aria-hidden />}
          onClick={() => {
            onAction('roles', user);
          }}
        >
          Change roles
        </Menu.Item>
        <Menu.Item
          leftSection={<IconKey size={16} aria-hidden />}
          onClick={() => {
            onAction('password', user);
          }}
        >
          Reset password
        </Menu.Item>
        {user.disabled ? (
          <Menu.Item
            leftSection={<IconUserCheck size={16} aria-hidden />}
            onClick={() => {
              onAction('enable', user);
            }}
          >
            Enable
          </Menu.Item>
        ) : (
          <Menu.Item
            leftSection={<IconUserOff size={16} aria-hidden />}
            onClick={() => {
              onAction('disable', user);
            }}
          >
            Disable
          </Menu.Item>
        )}
        <Menu.Divider />
        {/* The server refuses self-deletion; saying so here saves a round trip and a surprise. */}
        <Menu.Item
          color="red"
          leftSection={<IconTrash size={16} aria-hidden />}
          disabled={isCurrentUser}
          title={isCurrentUser ? 'You cannot delete your own account' : undefined}
          onClick={() => {
            onAction('delete', user);
          }}
        >
          Delete
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
