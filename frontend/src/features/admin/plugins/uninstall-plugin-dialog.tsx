import {
  Alert,
  Button,
  Code,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { FormErrorAlert } from '../../../components/form-error-alert.tsx';
import { QueryErrorAlert } from '../../../components/query-error-alert.tsx';
import type { Plugin } from '../../../lib/api-types.ts';
import { describeError } from '../../../lib/error-messages.ts';
import { pluralize } from '../../../lib/format.ts';
import { usePluginData, useUninstallPlugin } from './plugin-queries.ts';

export interface UninstallPluginDialogProps {
  plugin: Plugin;
  onClose: () => void;
  onUninstalled?: () => void;
}

/**
 * Uninstalling drops the plugin's tables for good, so the dialog says exactly what goes (each
 * table and its rows, counted now) and asks for the id to be typed, as GitHub does for deleting
 * a repository: a habit of clicking "OK" must not be enough.
 */
export function UninstallPluginDialog({
  plugin,
  onClose,
  onUninstalled,
}: UninstallPluginDialogProps) {
  const data = usePluginData(plugin.id);
  const uninstall = useUninstallPlugin();
  const [typed, setTyped] = useState('');
  const confirmed = typed.trim() === plugin.id;

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!confirmed) return;
    uninstall.mutate(plugin.id, {
      onSuccess: () => {
        notifications.show({
          color: 'green',
          title: 'Plugin uninstalled',
          message: `${plugin.name} and its data are gone.`,
        });
        onClose();
        onUninstalled?.();
      },
    });
  }

  return (
    <Modal
      opened
      onClose={onClose}
      title={`Uninstall ${plugin.name}?`}
      closeOnClickOutside={!uninstall.isPending}
      size="lg"
    >
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />}>
            This removes {plugin.name} {plugin.version}, its settings, and every table it created,
            with all their rows. This cannot be undone. To keep the data, deactivate it instead.
          </Alert>
          <PluginDataSummary data={data} />
          <TextInput
            label={
              <>
                Type <Code>{plugin.id}</Code> to confirm
              </>
            }
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={typed}
            onChange={(event) => {
              setTyped(event.currentTarget.value);
            }}
            data-autofocus
          />
          <FormErrorAlert
            message={uninstall.isError ? describeError(uninstall.error) : null}
            title="The plugin was not uninstalled"
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={uninstall.isPending}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!confirmed} loading={uninstall.isPending}>
              Uninstall and delete data
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function PluginDataSummary({ data }: { data: ReturnType<typeof usePluginData> }) {
  if (data.isPending) {
    return (
      <Group gap="xs" role="status">
        <Loader size="xs" aria-hidden />
        <Text size="sm" c="dimmed">
          Counting the rows in its tables…
        </Text>
      </Group>
    );
  }
  if (data.isError) {
    return (
      <QueryErrorAlert
        title="Could not count its data"
        error={data.error}
        onRetry={() => void data.refetch()}
        retrying={data.isFetching}
      />
    );
  }
  const { tables } = data.data;
  if (tables.length === 0) {
    return <Text size="sm">It has no tables: no data of its own will be deleted.</Text>;
  }
  const total = tables.reduce((sum, table) => sum + table.rows, 0);
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {pluralize(tables.length, 'table')} and {pluralize(total, 'row')} will be deleted:
      </Text>
      <Table withTableBorder verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Table</Table.Th>
            <Table.Th ta="right">Rows</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tables.map((table) => (
            <Table.Tr key={table.name}>
              <Table.Td ff="monospace">{table.name}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {table.rows.toLocaleString()}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
