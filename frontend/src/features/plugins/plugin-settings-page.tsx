import { Paper, Stack, Text, Title } from '@mantine/core';
import { BundleLoadFailure, PluginErrorBoundary } from './plugin-error-boundary.tsx';
import { usePluginFrontends, type PluginFrontend } from './plugin-frontends.ts';
import { PluginLoading } from './plugin-panels.tsx';
import { PluginScope } from './plugin-scope.tsx';
import { usePluginBundle } from './use-plugin-bundle.ts';

/**
 * The settings page a plugin's bundle may declare (`settingsPage`), for Admin → Plugins. Only an
 * active plugin's frontend is served, so nothing shows for a deactivated one.
 */
export function PluginOwnSettingsPage({ pluginId }: { pluginId: string }) {
  const frontends = usePluginFrontends();
  const plugin = frontends.data?.find((candidate) => candidate.id === pluginId);
  if (plugin === undefined) return null;
  return (
    <PluginErrorBoundary key={plugin.frontend.entry} plugin={plugin} resetKey={plugin.id}>
      <LoadedSettingsPage plugin={plugin} />
    </PluginErrorBoundary>
  );
}

function LoadedSettingsPage({ plugin }: { plugin: PluginFrontend }) {
  const bundle = usePluginBundle(plugin.frontend.entry);
  if (bundle.data === undefined) {
    if (!bundle.isError) return <PluginLoading name={plugin.name} />;
    return (
      <BundleLoadFailure plugin={plugin} bundle={bundle}>
        Its own settings page cannot be shown right now. The form above still works.
      </BundleLoadFailure>
    );
  }
  const SettingsPage = bundle.data.settingsPage;
  if (SettingsPage === undefined) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={`${plugin.name} page`}>
      <Stack gap="sm">
        <div>
          <Title order={3} fz="h4">
            More from {plugin.name}
          </Title>
          <Text size="sm" c="dimmed">
            Provided by the plugin itself.
          </Text>
        </div>
        <PluginScope plugin={plugin}>
          <SettingsPage />
        </PluginScope>
      </Stack>
    </Paper>
  );
}
