/**
 * `@polyphony/plugin-sdk/web`: what a plugin's pages import. The host provides this module, with
 * React, through the page's import map: a plugin bundle marks it external and never bundles it.
 */
import { createElement, useContext, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { PageParamsContext, PluginContext } from './context.ts';
import type {
  PluginFrontendDefinition,
  PluginSettings,
  PluginUser,
  PluginWebContext,
} from './types.ts';

export type {
  NavigateOptions,
  PluginFrontendDefinition,
  PluginPageDefinition,
  PluginSettingValue,
  PluginSettings,
  PluginUser,
  PluginWebContext,
} from './types.ts';
export type { ApiClient, ApiErrorInit, QueryValue, RequestOptions } from './api-client.ts';
export { ApiError, CLIENT_ERROR_CODES, isApiError } from './api-client.ts';

/** Types the default export of a plugin bundle; returns it unchanged. */
export function definePluginFrontend<T extends PluginFrontendDefinition>(definition: T): T {
  return definition;
}

/** The page's plugin context. Throws outside a plugin page, where there is none. */
export function usePlugin(): PluginWebContext {
  const context = useContext(PluginContext);
  if (context === null) {
    throw new Error('usePlugin() is only available inside a page that Polyphony renders.');
  }
  return context;
}

/** The signed-in user and their roles. */
export function useCurrentUser(): PluginUser {
  return usePlugin().user;
}

/** The plugin's settings marked `"browser": true` in its manifest. */
export function useSettings(): PluginSettings {
  return usePlugin().settings;
}

/** The route parameters of the page's `path` (`/notes/:noteId` → `{ noteId }`). */
export function usePageParams(): Readonly<Record<string, string>> {
  return useContext(PageParamsContext);
}

export interface PluginLinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  /** A path inside the plugin, like `/notes/1`. */
  to: string;
  replace?: boolean;
}

/** A link to another page of the plugin: a real `<a href>`, followed without a reload. */
export function PluginLink({ to, replace, onClick, ...rest }: PluginLinkProps) {
  const plugin = usePlugin();
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.altKey || event.ctrlKey || event.shiftKey;
    if (event.defaultPrevented || event.button !== 0 || modified) return;
    if (rest.target !== undefined && rest.target !== '_self') return;
    event.preventDefault();
    plugin.navigate(to, { replace: replace ?? false });
  };
  return createElement('a', { ...rest, href: plugin.href(to), onClick: handleClick });
}
