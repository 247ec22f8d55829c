import { Badge, Group } from '@mantine/core';

/** A list of role names as badges; `admin` stands out. */
export function RoleBadges({ roles }: { roles: readonly string[] }) {
  return (
    <Group gap={4}>
      {roles.map((role) => (
        <Badge key={role} variant="light" color={role === 'admin' ? 'indigo' : 'gray'} tt="none">
          {role}
        </Badge>
      ))}
    </Group>
  );
}
