import {
  Alert,
  Anchor,
  Button,
  Code,
  DataList,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowLeft, IconExternalLink, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryErrorAlert } from '../../../components/query-error-alert.tsx';
import { RoleBadges } from '../../../components/role-badges.tsx';
import { TimeText } from '../../../components/time-text.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import type { Plugin } from '../../../lib/api-types.ts';
import { pluginHref } from '../../plugins/page-match.ts';
import { PluginOwnSettingsPage } from '../../plugins/plugin-settings-page.tsx';
import { useAdminPlugin } from './plugin-queries.ts';
import { PluginSettingsForm } from './plugin-settings-form.tsx';
import { PluginStateBadge } from './plugin-state-badge.tsx';
import { PluginSwitchButton } from './plugins-table.tsx';
import { UninstallPluginDialog } from './uninstall-plugin-dialog.tsx';
import { usePluginSwitch } from './use-plugin-switch.ts';

/** `/admin/plugins/:id`: everything the server knows about one plugin, and its settings. */
export function PluginPage() {
  const { id = '' } = useParams();
  const plugin = useAdminPlugin(id);
  useDocumentTitle(`${plugin.data?.name ?? id} · Plugins · Administration · Polyphony`);

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/admin/plugins" size="sm" w="fit-content">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          All plugins
        </Group>
      </Anchor>
      {plugin.isPending && <PluginPageSkeleton />}
      {plugin.isError &&
        (isApiError(plugin.error) && plugin.error.code === 'PLUGIN_NOT_FOUND' ? (
          <Alert color="gray" variant="light" title="No such plugin">
            No plugin with the id <Code>{id}</Code> is installed. It may have been uninstalled.
          </Alert>
        ) : (
          <QueryErrorAlert
            title="Could not load the plugin"
            error={plugin.error}
            onRetry={() => void plugin.refetch()}
            retrying={plugin.isFetching}
          />
        ))}
      {plugin.data !== undefined && <PluginDetails plugin={plugin.data} />}
    </Stack>
  );
}

function PluginPageSkeleton() {
  return (
    <Stack gap="sm" aria-hidden>
      <Skeleton height={28} width="40%" />
      <Skeleton height={14} width="70%" />
      <Skeleton height={180} />
    </Stack>
  );
}

function PluginDetails({ plugin }: { plugin: Plugin }) {
  const navigate = useNavigate();
  const pluginSwitch = usePluginSwitch();
  const [uninstalling, setUninstalling] = useState(false);

  return (
    <Stack gap="lg">
      <PageHeader
        order={2}
        title={plugin.name}
        description={plugin.description === '' ? undefined : plugin.description}
        actions={
          <>
            <PluginSwitchButton
              plugin={plugin}
              size="sm"
              pendingAction={
                pluginSwitch.pending?.id === plugin.id ? pluginSwitch.pending.action : null
              }
              onSwitch={pluginSwitch.run}
            />
            <Button
              color="red"
              variant="light"
              leftSection={<IconTrash size={16} aria-hidden />}
              onClick={() => {
                setUninstalling(true);
              }}
            >
              Uninstall…
            </Button>
          </>
        }
      />

      {plugin.state === 'failed' && (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertTriangle />}
          title={`${plugin.name} could not start`}
        >
          <Text size="sm">{plugin.error ?? 'No reason was recorded.'}</Text>
          <Text size="sm" mt="xs">
            Activate it to try again, deactivate it to stop trying, or upload a fixed version.
          </Text>
        </Alert>
      )}

      <Paper withBorder radius="lg" p="lg">
        <Stack gap="md">
          <Title order={3}>Details</Title>
          <PluginFacts plugin={plugin} />
        </Stack>
      </Paper>

      <Paper withBorder radius="lg" p="lg">
        <Stack gap="md">
          <Title order={3}>Navigation links</Title>
          <NavigationLinks plugin={plugin} />
        </Stack>
      </Paper>

      <Paper withBorder radius="lg" p="lg">
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={3}>Settings</Title>
            <Text size="sm" c="dimmed">
              Saved at once and used by the plugin from then on, whether it is active or not.
            </Text>
          </Stack>
          <PluginSettingsForm plugin={plugin} />
        </Stack>
      </Paper>

      {plugin.state === 'active' && plugin.frontend !== null && (
        <PluginOwnSettingsPage pluginId={plugin.id} />
      )}

      {uninstalling && (
        <UninstallPluginDialog
          plugin={plugin}
          onClose={() => {
            setUninstalling(false);
          }}
          onUninstalled={() => void navigate('/admin/plugins')}
        />
      )}
    </Stack>
  );
}

function PluginFacts({ plugin }: { plugin: Plugin }) {
  return (
    <DataList labelWidth={140} withDivider>
      <Fact label="State">
        <PluginStateBadge state={plugin.state} />
      </Fact>
      <Fact label="Id">
        <Code>{plugin.id}</Code>
      </Fact>
      <Fact label="Version">
        <Code>{plugin.version}</Code>
      </Fact>
      <Fact label="Author">{plugin.author}</Fact>
      <Fact label="Homepage">
        {plugin.homepage === null ? (
          <Text size="sm" c="dimmed" span>
            None given
          </Text>
        ) : (
          <Anchor href={plugin.homepage} target="_blank" rel="noopener noreferrer" size="sm">
            {plugin.homepage}
            <IconExternalLink
              size={12}
              aria-label="(opens in a new tab)"
              style={{ marginLeft: 4 }}
            />
          </Anchor>
        )}
      </Fact>
      <Fact label="License">
        {plugin.license ?? (
          <Text size="sm" c="dimmed" span>
            None given
          </Text>
        )}
      </Fact>
      <Fact label="Installed">
        <TimeText iso={plugin.installedAt} span />
      </Fact>
      <Fact label="Updated">
        <TimeText iso={plugin.updatedAt} span />
      </Fact>
      <Fact label="Backend">
        {plugin.hasBackend ? (
          <>
            Yes: its API is under <Code>{`/api/v1/plugins/${plugin.id}/`}</Code>
          </>
        ) : (
          'None'
        )}
      </Fact>
      <Fact label="Frontend">
        {plugin.frontend === null ? (
          <Text size="sm" c="dimmed" span>
            {plugin.state === 'active' ? 'None' : 'Not served while the plugin is not active'}
          </Text>
        ) : (
          <Code>{plugin.frontend.entry}</Code>
        )}
      </Fact>
      <Fact label="Tables">
        {plugin.tables.length === 0 ? (
          <Text size="sm" c="dimmed" span>
            None
          </Text>
        ) : (
          <Group gap={6}>
            {plugin.tables.map((table) => (
              <Code key={table}>{table}</Code>
            ))}
          </Group>
        )}
      </Fact>
    </DataList>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function NavigationLinks({ plugin }: { plugin: Plugin }) {
  if (plugin.navigation.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This plugin adds no links to the top navigation.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        Shown in the top navigation while the plugin is active, to users with any of the roles.
      </Text>
      <Table.ScrollContainer minWidth={480} type="native">
        <Table withTableBorder verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Label</Table.Th>
              <Table.Th>Page</Table.Th>
              <Table.Th>Roles</Table.Th>
              <Table.Th>Icon</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plugin.navigation.map((link) => (
              <Table.Tr key={`${link.path}:${link.label}`}>
                <Table.Td>{link.label}</Table.Td>
                <Table.Td>
                  <Code>{pluginHref(plugin.id, link.path)}</Code>
                </Table.Td>
                <Table.Td>
                  <RoleBadges roles={link.roles} />
                </Table.Td>
                <Table.Td>
                  {link.icon === undefined ? (
                    <Text size="sm" c="dimmed" span>
                      —
                    </Text>
                  ) : (
                    <Code>{link.icon}</Code>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** A link's target in the web app: "/" is the plugin's main page (docs/plugins/archive-format.md). */
