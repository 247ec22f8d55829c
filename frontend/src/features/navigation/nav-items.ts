/**
 * Whether a nav item's path is the page being shown. "/" only matches itself; other items also
 * match the pages below them ("/admin" for "/admin/users"), but not mere prefixes ("/adminx").
 */
export function isNavItemActive(itemPath: string, currentPathname: string): boolean {
  const item = trimTrailingSlash(stripQueryAndHash(itemPath));
  const current = trimTrailingSlash(currentPathname);
  if (item === '/') return current === '/';
  return current === item || current.startsWith(`${item}/`);
}

/**
 * The one item to highlight: of those whose path covers the page, the most specific, so that on
 * `/plugins/notes/admin` "Notes admin" is lit rather than "Notes" (`/plugins/notes`).
 */
export function activeNavPath(
  itemPaths: readonly string[],
  currentPathname: string,
): string | null {
  let best: string | null = null;
  for (const path of itemPaths) {
    if (!isNavItemActive(path, currentPathname)) continue;
    if (best === null || stripQueryAndHash(path).length > stripQueryAndHash(best).length)
      best = path;
  }
  return best;
}

/** Paths inside this app go through the router; anything else is an ordinary link. */
export function isInAppPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//');
}

/**
 * Tabler names arrive as "home", "IconHome" or "user_plus" depending on who wrote the plugin;
 * all of them become the kebab-case key the icon map uses ("home", "user-plus").
 */
export function normalizeIconName(name: string): string {
  return name
    .trim()
    .replace(/^Icon(?=[A-Z0-9])/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[\s_]+/g, '-')
    .toLowerCase();
}

function stripQueryAndHash(path: string): string {
  return path.split(/[?#]/, 1)[0] ?? path;
}

function trimTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
