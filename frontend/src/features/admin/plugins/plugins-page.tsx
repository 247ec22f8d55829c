import { Button, Paper, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryErrorAlert } from '../../../components/query-error-alert.tsx';
import type { Plugin } from '../../../lib/api-types.ts';
import { usePlugins } from './plugin-queries.ts';
import { PluginUpload } from './plugin-upload.tsx';
import { PluginsTable } from './plugins-table.tsx';
import { UninstallPluginDialog } from './uninstall-plugin-dialog.tsx';
import { usePluginSwitch } from './use-plugin-switch.ts';

export function PluginsPage() {
  useDocumentTitle('Plugins · Administration · Polyphony');
  const plugins = usePlugins();
  const pluginSwitch = usePluginSwitch();
  const [uninstalling, setUninstalling] = useState<Plugin | null>(null);

  return (
    <Stack gap="md">
      <PageHeader
        order={2}
        title="Plugins"
        description="Features added to Polyphony from ZIP archives: their pages, links, tables and settings. Install only plugins whose authors you trust: they run with the server's rights."
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} aria-hidden />}
            loading={plugins.isFetching && !plugins.isPending}
            onClick={() => void plugins.refetch()}
          >
            Refresh
          </Button>
        }
      />

      <PluginUpload />

      {plugins.isError && (
        <QueryErrorAlert
          title="Could not load the plugins"
          error={plugins.error}
          onRetry={() => void plugins.refetch()}
          retrying={plugins.isFetching}
        />
      )}
      {!(plugins.isError && plugins.data === undefined) && (
        <Paper withBorder radius="lg" style={{ overflow: 'hidden' }}>
          <PluginsTable
            plugins={plugins.data}
            loading={plugins.isPending}
            pending={pluginSwitch.pending}
            onSwitch={pluginSwitch.run}
            onUninstall={setUninstalling}
          />
        </Paper>
      )}

      {uninstalling !== null && (
        <UninstallPluginDialog
          plugin={uninstalling}
          onClose={() => {
            setUninstalling(null);
          }}
        />
      )}
    </Stack>
  );
}
