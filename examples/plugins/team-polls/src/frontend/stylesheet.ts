import './team-polls.css';

/**
 * The host does not add a plugin's CSS to the page (docs/plugins/frontend.md): the kit writes the
 * imported CSS beside the bundle as index.css, and this adds it once. The URL is relative to the
 * bundle's own, so each version gets its own file; a new version adds its link beside the old.
 */
export function loadStylesheet(bundleUrl: string): void {
  if (typeof document === 'undefined') return;
  const href = new URL('./index.css', bundleUrl).href;
  const present = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].some(
    (link) => link.href === href,
  );
  if (present) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}
