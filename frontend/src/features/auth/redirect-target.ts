/** Where the sign-in page sends someone afterwards, carried in the router's location state. */
export interface RedirectState {
  from: string;
}

const AUTH_PAGES = ['/login', '/setup'];

export function redirectStateFor(location: {
  pathname: string;
  search: string;
  hash: string;
}): RedirectState {
  return { from: `${location.pathname}${location.search}${location.hash}` };
}

/**
 * The page to return to after sign-in, or `/`. Only same-app paths are accepted: the state could
 * have been put there by any script on the page's history, and `//host` would leave the app.
 */
export function redirectTargetFrom(state: unknown): string {
  if (typeof state !== 'object' || state === null || !('from' in state)) return '/';
  const { from } = state;
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//')) return '/';
  const pathname = from.split(/[?#]/, 1)[0] ?? '';
  return AUTH_PAGES.includes(pathname) ? '/' : from;
}
