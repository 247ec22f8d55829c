import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import type { NavItem } from '../../lib/api-types.ts';

export const navigationQueryKey = ['navigation'] as const;

export const navigationQuery = queryOptions({
  queryKey: navigationQueryKey,
  queryFn: async ({ signal }) => {
    const body = (await api.get('/navigation', { signal })) as { items: NavItem[] };
    return body.items;
  },
});

/** The top-bar items this user may see; the server decides, plugins included. */
export function useNavigation() {
  return useQuery(navigationQuery);
}
