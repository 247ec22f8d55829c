import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export const setupStatusQueryKey = ['setup'] as const;

export interface SetupStatus {
  setupRequired: boolean;
}

export const setupStatusQuery = queryOptions({
  queryKey: setupStatusQueryKey,
  queryFn: async ({ signal }) => (await api.get('/setup', { signal })) as SetupStatus,
});

export function useSetupStatus() {
  return useQuery(setupStatusQuery);
}
