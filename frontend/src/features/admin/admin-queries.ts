import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import type { AdminUser, AuditOutcome, AuditPage, Role } from '../../lib/api-types.ts';
import { sessionQueryKey } from '../auth/session.ts';
import { navigationQueryKey } from '../navigation/navigation-query.ts';

export interface AuditFilters {
  page: number;
  pageSize: number;
  outcome: AuditOutcome | null;
  action: string | null;
}

export const adminKeys = {
  all: ['admin'] as const,
  users: ['admin', 'users'] as const,
  roles: ['admin', 'roles'] as const,
  audit: (filters: AuditFilters) => ['admin', 'audit', filters] as const,
};

export const usersQuery = queryOptions({
  queryKey: adminKeys.users,
  queryFn: async ({ signal }) =>
    ((await api.get('/admin/users', { signal })) as { users: AdminUser[] }).users,
});

export const rolesQuery = queryOptions({
  queryKey: adminKeys.roles,
  queryFn: async ({ signal }) =>
    ((await api.get('/admin/roles', { signal })) as { roles: Role[] }).roles,
});

export function useUsers() {
  return useQuery(usersQuery);
}

export function useRoles() {
  return useQuery(rolesQuery);
}

export function useAuditLog(filters: AuditFilters) {
  return useQuery({
    queryKey: adminKeys.audit(filters),
    queryFn: async ({ signal }) =>
      (await api.get('/admin/audit', { signal, query: { ...filters } })) as AuditPage,
    // Keep the current page on screen while the next one loads, so the table does not flash empty.
    placeholderData: keepPreviousData,
  });
}

/**
 * Any admin change can touch more than its own list: user counts on roles, the audit log, and —
 * when admins edit themselves — their own roles and therefore the navigation they may see.
 * Refused changes are audited too, so this runs after failures as well.
 */
function refreshAfterAdminChange(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: adminKeys.all }),
    queryClient.invalidateQueries({ queryKey: navigationQueryKey }),
    queryClient.invalidateQueries({ queryKey: sessionQueryKey }),
  ]);
}

function useAdminMutation<Variables, Result>(
  mutationFn: (variables: Variables) => Promise<Result>,
) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSettled: () => refreshAfterAdminChange(queryClient) });
}

export interface NewUser {
  username: string;
  password: string;
  roles: string[];
}

export interface UserChanges {
  roles?: string[];
  disabled?: boolean;
  password?: string;
}

const userPath = (id: string) => `/admin/users/${encodeURIComponent(id)}`;
const rolePath = (name: string) => `/admin/roles/${encodeURIComponent(name)}`;

export function useCreateUser() {
  return useAdminMutation(
    async (user: NewUser) => ((await api.post('/admin/users', user)) as { user: AdminUser }).user,
  );
}

export function useUpdateUser() {
  return useAdminMutation(
    async ({ id, changes }: { id: string; changes: UserChanges }) =>
      ((await api.patch(userPath(id), changes)) as { user: AdminUser }).user,
  );
}

export function useDeleteUser() {
  return useAdminMutation(async (id: string) => {
    await api.delete(userPath(id));
  });
}

export interface NewRole {
  name: string;
  description?: string;
}

export function useCreateRole() {
  return useAdminMutation(
    async (role: NewRole) => ((await api.post('/admin/roles', role)) as { role: Role }).role,
  );
}

export function useDeleteRole() {
  return useAdminMutation(async (name: string) => {
    await api.delete(rolePath(name));
  });
}
