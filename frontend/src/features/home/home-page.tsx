import {
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconHistory, IconPlug, IconShieldLock, IconUsers } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useIsAdmin, useSignedInSession } from '../auth/session-context.tsx';

export function HomePage() {
  useDocumentTitle('Home · Polyphony');
  const { user } = useSignedInSession();
  const isAdmin = useIsAdmin();

  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={1}>Welcome, {user.username}</Title>
        <Group gap={6}>
          <Text size="sm" c="dimmed" component="span">
            Your roles:
          </Text>
          {user.roles.map((role) => (
            <Badge key={role} variant="light" tt="none">
              {role}
            </Badge>
          ))}
        </Group>
      </Stack>

      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }}>
        <Stack gap="sm">
          <Title order={2} fz="h3">
            What is Polyphony?
          </Title>
          <Text>
            Polyphony is a self-hosted home for your team's web applications. It takes care of the
            parts every app needs — accounts, roles, sign-in and an audit trail — and administrators
            extend it while it runs by installing plugins. Each plugin adds its own pages, and
            everyone sees the ones their roles allow.
          </Text>
        </Stack>
      </Paper>

      {isAdmin ? <AdminHints /> : <MemberHint />}
    </Stack>
  );
}

function AdminHints() {
  return (
    <Stack gap="md">
      <Paper
        withBorder
        radius="lg"
        p={{ base: 'lg', sm: 'xl' }}
        bg="indigo.0"
        bd="1px solid indigo.2"
      >
        <Group gap="md" align="flex-start" wrap="nowrap">
          <ThemeIcon size={40} radius="md" variant="light" aria-hidden>
            <IconPlug size={22} />
          </ThemeIcon>
          <Stack gap={4}>
            <Title order={2} fz="h4">
              Plugins will appear in the top bar
            </Title>
            <Text size="sm">
              You are an administrator. When you install a plugin, its pages show up as new items in
              the top bar for everyone whose roles allow them — no restart or reload needed.
            </Text>
          </Stack>
        </Group>
      </Paper>

      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <ShortcutCard
          to="/admin/users"
          icon={<IconUsers size={20} />}
          title="People"
          text="Add accounts, change roles, reset passwords."
          action="Manage users"
        />
        <ShortcutCard
          to="/admin/roles"
          icon={<IconShieldLock size={20} />}
          title="Roles"
          text="Decide who may see which parts of Polyphony."
          action="Manage roles"
        />
        <ShortcutCard
          to="/admin/audit"
          icon={<IconHistory size={20} />}
          title="Audit log"
          text="See who changed what, and which attempts failed."
          action="View audit log"
        />
      </SimpleGrid>
    </Stack>
  );
}

interface ShortcutCardProps {
  to: string;
  icon: React.ReactNode;
  title: string;
  text: string;
  action: string;
}

function ShortcutCard({ to, icon, title, text, action }: ShortcutCardProps) {
  return (
    <Paper withBorder radius="lg" p="lg">
      <Stack gap="sm" h="100%" justify="space-between">
        <Stack gap={6}>
          <Group gap="xs">
            <ThemeIcon variant="light" color="gray" radius="md" aria-hidden>
              {icon}
            </ThemeIcon>
            <Title order={3} fz="md">
              {title}
            </Title>
          </Group>
          <Text size="sm" c="dimmed">
            {text}
          </Text>
        </Stack>
        <Button component={Link} to={to} variant="light" size="xs" w="fit-content">
          {action}
        </Button>
      </Stack>
    </Paper>
  );
}

function MemberHint() {
  return (
    <Text size="sm" c="dimmed">
      The pages you can use are in the top bar. If you need access to something else, ask an
      administrator to give you another role.
    </Text>
  );
}
