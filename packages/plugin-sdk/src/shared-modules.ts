/**
 * `@polyphony/plugin-sdk/shared-modules`: the modules the Polyphony host shares with plugin
 * bundles through the page's import map. A plugin's frontend bundle marks exactly these external
 * and bundles everything else. The host's build and the plugin kit both read this one list.
 *
 * The list is API: adding to it is cheap, removing from it breaks every plugin that relied on it.
 * This module imports nothing, so build tools can load it anywhere.
 */

/** The bare specifiers the host provides to plugin bundles, the host's own instances. */
export const SHARED_MODULES = [
  'react',
  'react/jsx-runtime',
  'react-dom',
  'react-dom/client',
  '@polyphony/plugin-sdk/web',
] as const;

/** One of {@link SHARED_MODULES}. */
export type SharedModule = (typeof SHARED_MODULES)[number];

/** Whether a bare import specifier is one the host provides (and a bundle must leave external). */
export function isSharedModule(specifier: string): specifier is SharedModule {
  return (SHARED_MODULES as readonly string[]).includes(specifier);
}
