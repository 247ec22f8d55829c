import type { PluginPageDefinition } from '@polyphony/plugin-sdk/web';
import { matchRoutes } from 'react-router';

export interface MatchedPage {
  page: PluginPageDefinition;
  params: Record<string, string>;
}

/** `/plugins/notes/a/b` → `/a/b`; the plugin's own root is `/`. */
export function pathInsidePlugin(pathname: string, pluginId: string): string {
  const base = `/plugins/${pluginId}`;
  if (pathname === base || pathname === `${base}/`) return '/';
  return pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : '/';
}

/** The app path of a path inside the plugin: `('notes', '/a')` → `/plugins/notes/a`. */
export function pluginHref(pluginId: string, path: string): string {
  const base = `/plugins/${pluginId}`;
  if (path === '' || path === '/') return base;
  return `${base}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * The page for a path inside the plugin, ranked the way the app's own routes are: a static
 * segment beats a parameter, which beats a splat, whatever the order of declaration.
 */
export function matchPage(
  pages: readonly PluginPageDefinition[],
  path: string,
): MatchedPage | null {
  const routes = pages.map((page, index) => ({ path: page.path, id: String(index) }));
  const matches = matchRoutes(routes, path);
  const match = matches?.at(-1);
  if (match === undefined) return null;
  const page = pages[Number(match.route.id)];
  if (page === undefined) return null;
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(match.params)) {
    if (value !== undefined) params[key] = value;
  }
  return { page, params };
}

/**
 * Who may open a page: its own `roles`, else those of the manifest's link with the same path,
 * else every signed-in user (an empty list).
 */
export function pageRoles(
  page: PluginPageDefinition,
  navigation: readonly { path: string; roles: readonly string[] }[],
): readonly string[] {
  if (page.roles !== undefined) return page.roles;
  return navigation.find((link) => link.path === page.path)?.roles ?? [];
}

export function mayOpen(required: readonly string[], userRoles: readonly string[]): boolean {
  return required.length === 0 || required.some((role) => userRoles.includes(role));
}
