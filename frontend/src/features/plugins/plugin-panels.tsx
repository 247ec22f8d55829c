import { Button, EmptyState, Group, Loader, Text } from '@mantine/core';
import { IconLock, IconMapSearch, IconPlugOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { ReactNode } from 'react';

function HomeButton() {
  return (
    <Button component={Link} to="/" variant="light">
      Go to the home page
    </Button>
  );
}

export function PluginLoading({ name }: { name: string }) {
  return (
    <Group gap="sm" mt="xl" justify="center" role="status" aria-live="polite">
      <Loader size="sm" />
      <Text c="dimmed">Loading {name}…</Text>
    </Group>
  );
}

/** No active plugin has this id: never installed, deactivated, or uninstalled. */
export function PluginUnavailable({ pluginId }: { pluginId: string }) {
  return (
    <EmptyState mt={48} variant="light" icon={<IconPlugOff aria-hidden />}>
      <EmptyState.Title order={1}>This plugin is not available</EmptyState.Title>
      <EmptyState.Description>
        No active plugin is called <strong>{pluginId}</strong>. It may have been deactivated or
        removed by an administrator.
      </EmptyState.Description>
      <EmptyState.Actions>
        <HomeButton />
      </EmptyState.Actions>
    </EmptyState>
  );
}

export function PluginPageNotFound({ name, path }: { name: string; path: string }) {
  return (
    <EmptyState mt={48} variant="light" icon={<IconMapSearch aria-hidden />}>
      <EmptyState.Title order={1}>Page not found</EmptyState.Title>
      <EmptyState.Description>
        {name} has no page at <strong>{path}</strong>.
      </EmptyState.Description>
      <EmptyState.Actions>
        <HomeButton />
      </EmptyState.Actions>
    </EmptyState>
  );
}

/** The user lacks every role the page needs; the plugin's API refuses them as well. */
export function PluginNotAllowed({
  name,
  roles,
}: {
  name: string;
  roles: readonly string[];
}): ReactNode {
  return (
    <EmptyState mt={48} variant="light" color="orange" icon={<IconLock aria-hidden />}>
      <EmptyState.Title order={1}>You are not allowed to open this page</EmptyState.Title>
      <EmptyState.Description>
        This page of {name} is for people with the {roles.length === 1 ? 'role' : 'roles'}{' '}
        <strong>{roles.join(', ')}</strong>. If you need it, ask an administrator.
      </EmptyState.Description>
      <EmptyState.Actions>
        <HomeButton />
      </EmptyState.Actions>
    </EmptyState>
  );
}
