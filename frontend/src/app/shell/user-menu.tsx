import { Avatar, Badge, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconKey, IconLogout } from '@tabler/icons-react';
import { useState } from 'react';
import { useSignOut } from '../../features/auth/auth-mutations.ts';
import { ChangePasswordModal } from '../../features/auth/change-password-modal.tsx';
import { useSignedInSession } from '../../features/auth/session-context.tsx';

export function UserMenu() {
  const { user } = useSignedInSession();
  const signOut = useSignOut();
  const [changingPassword, setChangingPassword] = useState(false);

  return (
    <>
      <Menu position="bottom-end" width={260} shadow="md" withinPortal>
        <Menu.Target>
          <UnstyledButton
            aria-label="Account menu"
            px={6}
            py={4}
            style={{ borderRadius: 'var(--mantine-radius-xl)' }}
          >
            <Group gap={8} wrap="nowrap">
              <Avatar name={user.username} color="initials" size={32} radius="xl" />
              <Text size="sm" fw={500} visibleFrom="sm" maw={160} truncate>
                {user.username}
              </Text>
              <IconChevronDown size={14} aria-hidden />
            </Group>
          </UnstyledButton>
        </Menu.Target>

        <Menu.Dropdown>
          <Box px="sm" pt="xs" pb="sm">
            <Text size="xs" c="dimmed">
              Signed in as
            </Text>
            <Text fw={600} truncate>
              {user.username}
            </Text>
            <Group gap={4} mt={6}>
              {user.roles.map((role) => (
                <Badge key={role} size="sm" variant="light" color="gray" tt="none">
                  {role}
                </Badge>
              ))}
            </Group>
          </Box>
          <Menu.Divider />
          <Menu.Item
            leftSection={<IconKey size={16} aria-hidden />}
            onClick={() => {
              setChangingPassword(true);
            }}
          >
            Change password
          </Menu.Item>
          <Menu.Item
            color="red"
            leftSection={<IconLogout size={16} aria-hidden />}
            onClick={() => {
              signOut.mutate();
            }}
            disabled={signOut.isPending}
          >
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {changingPassword && (
        <ChangePasswordModal
          username={user.username}
          onClose={() => {
            setChangingPassword(false);
          }}
        />
      )}
    </>
  );
}
