import type { AuthUser } from '../auth/session-store.ts';

export interface NavItem {
  id: string;
  label: string;
  path: string;
  icon: string | null;
  source: 'core' | 'plugin';
}

export interface NavEntry extends NavItem {
  /** Shown to users holding any of these roles; empty means everyone signed in. */
  roles: readonly string[];
}

/**
 * Where top-bar items come from. The core contributes its own; the plugin system will register
 * another source for active plugins' links.
 */
export type NavSource = () => Promise<readonly NavEntry[]> | readonly NavEntry[];

export const coreNavigation: NavSource = () => [
  { id: 'core.home', label: 'Home', path: '/', icon: 'home', source: 'core', roles: [] },
  {
    id: 'core.admin',
    label: 'Admin',
    path: '/admin',
    icon: 'shield',
    source: 'core',
    roles: ['admin'],
  },
];

export async function navigationFor(
  user: AuthUser,
  sources: readonly NavSource[],
): Promise<NavItem[]> {
  const entries = (await Promise.all(sources.map(async (source) => source()))).flat();
  return entries
    .filter((entry) => entry.roles.length === 0 || entry.roles.some((r) => user.roles.includes(r)))
    .map(({ id, label, path, icon, source }) => ({ id, label, path, icon, source }));
}
