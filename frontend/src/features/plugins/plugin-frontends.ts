import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

/** One active plugin's frontend, as `GET /api/v1/plugins` describes it (docs/api.md). */
export interface PluginFrontend {
  id: string;
  name: string;
  version: string;
  frontend: { entry: string };
  /** The manifest's links, paths relative to the plugin, with the roles that see each. */
  navigation: { label: string; path: string; roles: string[] }[];
  /** The settings marked `"browser": true`. */
  settings: Record<string, string | number | boolean>;
}

export const pluginFrontendsQueryKey = ['plugin-frontends'] as const;

export const pluginFrontendsQuery = queryOptions({
  queryKey: pluginFrontendsQueryKey,
  queryFn: async ({ signal }) => {
    const body = (await api.get('/plugins', { signal })) as { plugins: PluginFrontend[] };
    return body.plugins;
  },
});

/** The active plugins' frontends; asked again on every route change, like the navigation. */
export function usePluginFrontends() {
  return useQuery(pluginFrontendsQuery);
}
