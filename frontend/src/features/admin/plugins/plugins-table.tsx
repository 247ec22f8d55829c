import { ActionIcon, Anchor, Button, Menu, Stack, Table, Text } from '@mantine/core';
import {
  IconDots,
  IconPlayerPause,
  IconPlayerPlay,
  IconSettings,
  IconTrash,
} from '@tabler/icons-react';
import { Link } from 'react-router';
import { AdminTable } from '../../../components/admin-table.tsx';
import { TimeText } from '../../../components/time-text.tsx';
import type { Plugin } from '../../../lib/api-types.ts';
import { PluginStateBadge } from './plugin-state-badge.tsx';
import type { PluginSwitchAction } from './use-plugin-switch.ts';

export interface PluginsTableProps {
  plugins: Plugin[] | undefined;
  loading: boolean;
  /** The switch under way, so its button shows it is working. */
  pending: { action: PluginSwitchAction; id: string | undefined } | null;
  onSwitch: (action: PluginSwitchAction, plugin: Plugin) => void;
  onUninstall: (plugin: Plugin) => void;
}

const COLUMNS = [
  'Plugin',
  'Id',
  'Version',
  'Author',
  'State',
  'Installed',
  'Updated',
  'Actions',
] as const;
/** Left out on phones, where the table has to fit 390px without scrolling sideways. */
const WIDE_ONLY_COLUMNS: ReadonlySet<string> = new Set(['Id', 'Author', 'Installed', 'Updated']);

export const pluginPagePath = (id: string) => `/admin/plugins/${encodeURIComponent(id)}`;

export function PluginsTable({
  plugins,
  loading,
  pending,
  onSwitch,
  onUninstall,
}: PluginsTableProps) {
  return (
    <AdminTable
      columns={COLUMNS}
      wideOnlyColumns={WIDE_ONLY_COLUMNS}
      minWidth={960}
      loading={loading}
      skeletonRows={3}
      emptyText={
        plugins?.length === 0
          ? 'No plugins installed yet. Upload a plugin archive above to add one.'
          : null
      }
    >
      {({ wide }) =>
        plugins?.map((plugin) => (
          <PluginRow
            key={plugin.id}
            plugin={plugin}
            wide={wide}
            pendingAction={pending?.id === plugin.id ? pending.action : null}
            onSwitch={onSwitch}
            onUninstall={onUninstall}
          />
        ))
      }
    </AdminTable>
  );
}

interface PluginRowProps {
  plugin: Plugin;
  wide: boolean;
  pendingAction: PluginSwitchAction | null;
  onSwitch: PluginsTableProps['onSwitch'];
  onUninstall: PluginsTableProps['onUninstall'];
}

function PluginRow({ plugin, wide, pendingAction, onSwitch, onUninstall }: PluginRowProps) {
  return (
    <Table.Tr>
      <Table.Td maw={360}>
        <Stack gap={2}>
          {/* A shade darker than the default link colour: it must stay legible on a hovered row. */}
          <Anchor
            component={Link}
            to={pluginPagePath(plugin.id)}
            fw={600}
            size="sm"
            c="var(--mantine-primary-color-8)"
          >
            {plugin.name}
          </Anchor>
          {plugin.description !== '' && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {plugin.description}
            </Text>
          )}
        </Stack>
      </Table.Td>
      {wide && (
        <Table.Td>
          <Text size="sm" ff="monospace">
            {plugin.id}
          </Text>
        </Table.Td>
      )}
      <Table.Td>
        <Text size="sm" ff="monospace">
          {plugin.version}
        </Text>
      </Table.Td>
      {wide && (
        <Table.Td>
          <Text size="sm">{plugin.author}</Text>
        </Table.Td>
      )}
      <Table.Td maw={280}>
        <Stack gap={4} align="flex-start">
          <PluginStateBadge state={plugin.state} />
          {plugin.error !== null && (
            <Text size="xs" c="var(--mantine-color-error)" lineClamp={3} title={plugin.error}>
              {plugin.error}
            </Text>
          )}
        </Stack>
      </Table.Td>
      {wide && (
        <>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            <TimeText iso={plugin.installedAt} dateStyle="date" />
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            <TimeText iso={plugin.updatedAt} />
          </Table.Td>
        </>
      )}
      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
        <PluginSwitchButton plugin={plugin} pendingAction={pendingAction} onSwitch={onSwitch} />
        <PluginActionsMenu plugin={plugin} onSwitch={onSwitch} onUninstall={onUninstall} />
      </Table.Td>
    </Table.Tr>
  );
}

interface PluginSwitchButtonProps {
  plugin: Plugin;
  pendingAction: PluginSwitchAction | null;
  onSwitch: PluginsTableProps['onSwitch'];
  size?: 'xs' | 'sm';
}

/** The one-click switch: Deactivate while active; Activate (try again, for a failed one) otherwise. */
export function PluginSwitchButton({
  plugin,
  pendingAction,
  onSwitch,
  size = 'xs',
}: PluginSwitchButtonProps) {
  const action: PluginSwitchAction = plugin.state === 'active' ? 'deactivate' : 'activate';
  const label = action === 'activate' ? 'Activate' : 'Deactivate';
  return (
    <Button
      size={size}
      variant={action === 'activate' ? 'light' : 'default'}
      leftSection={
        action === 'activate' ? (
          <IconPlayerPlay size={14} aria-hidden />
        ) : (
          <IconPlayerPause size={14} aria-hidden />
        )
      }
      loading={pendingAction !== null}
      disabled={pendingAction !== null}
      aria-label={`${label} ${plugin.name}`}
      onClick={() => {
        onSwitch(action, plugin);
      }}
    >
      {label}
    </Button>
  );
}

interface PluginActionsMenuProps {
  plugin: Plugin;
  onSwitch: PluginsTableProps['onSwitch'];
  onUninstall: PluginsTableProps['onUninstall'];
}

function PluginActionsMenu({ plugin, onSwitch, onUninstall }: PluginActionsMenuProps) {
  return (
    <Menu position="bottom-end" shadow="md" width={220} withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          ml={6}
          aria-label={`More actions for ${plugin.name}`}
        >
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item
          component={Link}
          to={pluginPagePath(plugin.id)}
          leftSection={<IconSettings size={16} aria-hidden />}
        >
          {plugin.hasSettings ? 'Details and settings' : 'Details'}
        </Menu.Item>
        {/* A failed plugin can also be told to stop trying. */}
        {plugin.state === 'failed' && (
          <Menu.Item
            leftSection={<IconPlayerPause size={16} aria-hidden />}
            onClick={() => {
              onSwitch('deactivate', plugin);
            }}
          >
            Deactivate
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconTrash size={16} aria-hidden />}
          onClick={() => {
            onUninstall(plugin);
          }}
        >
          Uninstall…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
