import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type {
  Plugin,
  PluginData,
  PluginSettings,
  PluginUploadResult,
  SettingValue,
} from '../../../lib/api-types.ts';
import { navigationQueryKey } from '../../navigation/navigation-query.ts';
import { uploadPluginArchive, type UploadProgress } from './upload-request.ts';

/** Under the admin keys, so any admin change's refresh reaches these too. */
export const pluginKeys = {
  all: ['admin', 'plugins'] as const,
  list: ['admin', 'plugins', 'list'] as const,
  detail: (id: string) => ['admin', 'plugins', 'detail', id] as const,
  settings: (id: string) => ['admin', 'plugins', 'settings', id] as const,
  data: (id: string) => ['admin', 'plugins', 'data', id] as const,
};

/** The active plugins' frontends (the plugin runtime's query): pages appear and go with them. */
export const pluginFrontendsQueryKey = ['plugin-frontends'] as const;
const auditQueryKey = ['admin', 'audit'] as const;

const pluginPath = (id: string) => `/admin/plugins/${encodeURIComponent(id)}`;

export const pluginsQuery = queryOptions({
  queryKey: pluginKeys.list,
  queryFn: async ({ signal }) =>
    ((await api.get('/admin/plugins', { signal })) as { plugins: Plugin[] }).plugins,
});

export function usePlugins() {
  return useQuery(pluginsQuery);
}

export function useAdminPlugin(id: string) {
  const queryClient = useQueryClient();
  return useQuery<Plugin>({
    queryKey: pluginKeys.detail(id),
    queryFn: async ({ signal }) =>
      ((await api.get(pluginPath(id), { signal })) as { plugin: Plugin }).plugin,
    // Coming from the list, the row is already known: show it while the page refreshes it.
    placeholderData: () =>
      queryClient.getQueryData<Plugin[]>(pluginKeys.list)?.find((plugin) => plugin.id === id),
  });
}

export function usePluginSettings(id: string) {
  return useQuery({
    queryKey: pluginKeys.settings(id),
    queryFn: async ({ signal }) =>
      (await api.get(`${pluginPath(id)}/settings`, { signal })) as PluginSettings,
  });
}

export function usePluginData(id: string) {
  return useQuery({
    queryKey: pluginKeys.data(id),
    queryFn: async ({ signal }) =>
      (await api.get(`${pluginPath(id)}/data`, { signal })) as PluginData,
    // Row counts change as people use the plugin: count again each time the dialog opens.
    staleTime: 0,
  });
}

/** Shows a plugin's new record at once, in the list and on its page, without a refetch. */
function writePlugin(queryClient: QueryClient, plugin: Plugin) {
  queryClient.setQueryData<Plugin[]>(pluginKeys.list, (plugins) => {
    if (plugins === undefined) return undefined;
    const known = plugins.some((p) => p.id === plugin.id);
    const next = known
      ? plugins.map((p) => (p.id === plugin.id ? plugin : p))
      : [...plugins, plugin];
    return next.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  });
  queryClient.setQueryData(pluginKeys.detail(plugin.id), plugin);
}

/**
 * A plugin change reaches beyond this panel: its links in the top bar, its pages, the audit log.
 * Refused operations are audited too, and a failed start changes the plugin's state, so this runs
 * after failures as well.
 */
function refreshAfterPluginChange(queryClient: QueryClient, options: { plugins: boolean }) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: navigationQueryKey }),
    queryClient.invalidateQueries({ queryKey: pluginFrontendsQueryKey }),
    queryClient.invalidateQueries({ queryKey: auditQueryKey }),
    options.plugins ? queryClient.invalidateQueries({ queryKey: pluginKeys.all }) : null,
  ]);
}

export interface UploadVariables {
  file: File;
  onProgress: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export function useUploadPlugin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress, signal }: UploadVariables): Promise<PluginUploadResult> =>
      uploadPluginArchive(file, {
        csrfToken: api.getCsrfToken(),
        onProgress,
        ...(signal === undefined ? {} : { signal }),
      }),
    onSuccess: ({ plugin }) => {
      writePlugin(queryClient, plugin);
    },
    // An upgrade changes the settings schema and the tables too: refresh everything of plugins.
    onSettled: () => refreshAfterPluginChange(queryClient, { plugins: true }),
  });
}

function usePluginStateChange(action: 'activate' | 'deactivate') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      ((await api.post(`${pluginPath(id)}/${action}`)) as { plugin: Plugin }).plugin,
    onSuccess: (plugin) => {
      writePlugin(queryClient, plugin);
    },
    onSettled: (_plugin, error) =>
      // After a refusal the plugin may be marked failed: fetch what the server now says.
      refreshAfterPluginChange(queryClient, { plugins: error !== null }),
  });
}

export function useActivatePlugin() {
  return usePluginStateChange('activate');
}

export function useDeactivatePlugin() {
  return usePluginStateChange('deactivate');
}

export function useUninstallPlugin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.delete(pluginPath(id));
    },
    onSuccess: (_nothing, id) => {
      queryClient.setQueryData<Plugin[]>(pluginKeys.list, (plugins) =>
        plugins?.filter((plugin) => plugin.id !== id),
      );
    },
    // Not the gone plugin's own queries: its page may still be on screen, and would fetch a 404.
    onSettled: () =>
      Promise.all([
        refreshAfterPluginChange(queryClient, { plugins: false }),
        queryClient.invalidateQueries({ queryKey: pluginKeys.list }),
      ]),
  });
}

export function useSavePluginSettings(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (values: Record<string, SettingValue | null>) =>
      (await api.put(`${pluginPath(id)}/settings`, { values })) as PluginSettings,
    onSuccess: (settings) => {
      queryClient.setQueryData(pluginKeys.settings(id), settings);
    },
    // Settings the plugin's pages see change with a save; its record's updatedAt does too.
    onSettled: () =>
      Promise.all([
        refreshAfterPluginChange(queryClient, { plugins: false }),
        queryClient.invalidateQueries({ queryKey: pluginKeys.list }),
        queryClient.invalidateQueries({ queryKey: pluginKeys.detail(id) }),
      ]),
  });
}
