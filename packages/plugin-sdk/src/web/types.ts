import type { ComponentType } from 'react';
import type { ApiClient } from './api-client.ts';

/** The signed-in user, as a plugin page sees them. */
export interface PluginUser {
  readonly id: string;
  readonly username: string;
  readonly roles: readonly string[];
}

/** A setting's value; only the settings the manifest marks `"browser": true` reach the page. */
export type PluginSettingValue = string | number | boolean;
export type PluginSettings = Readonly<Record<string, PluginSettingValue>>;

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one. */
  replace?: boolean;
}

/**
 * What the host gives every page of a plugin (`usePlugin()`): who is signed in, the plugin's own
 * API, its settings meant for the browser, and a way to move between its pages.
 */
export interface PluginWebContext {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** Where the plugin's pages live in the app: `/plugins/{id}`. */
  readonly basePath: string;
  readonly user: PluginUser;
  /** Whether the user holds at least one of these roles. */
  hasRole(...roles: string[]): boolean;
  readonly settings: PluginSettings;
  /**
   * A client bound to `/api/v1/plugins/{id}/`: `api.get('/notes')` calls
   * `/api/v1/plugins/{id}/notes`. It sends the CSRF token and throws an `ApiError` (with the
   * server's `code`) for every failure.
   */
  readonly api: ApiClient;
  /** The app URL of a path inside the plugin: `href('/notes/1')` is `/plugins/{id}/notes/1`. */
  href(path: string): string;
  /** Goes to a path inside the plugin, without reloading the page. */
  navigate(path: string, options?: NavigateOptions): void;
  /** Goes to a path of the app outside the plugin (`/`, `/admin`), without reloading the page. */
  navigateApp(path: string, options?: NavigateOptions): void;
}

/** One page of a plugin. */
export interface PluginPageDefinition {
  /**
   * Relative to the plugin's base: `/` is `/plugins/{id}`, `/notes/:noteId` matches
   * `/plugins/{id}/notes/42` and gives `usePageParams().noteId === '42'`; a trailing `/*`
   * matches everything below.
   */
  path: string;
  component: ComponentType;
  /** Shown in the browser's tab. */
  title?: string;
  /**
   * Who may open the page: users holding any of these roles. When left out, the page takes the
   * roles of the manifest's navigation entry with the same path, and otherwise is open to every
   * signed-in user. The plugin's API must check roles too: hiding a page is not a security
   * boundary.
   */
  roles?: readonly string[];
}

/** The default export of a plugin's frontend bundle. */
export interface PluginFrontendDefinition {
  pages?: readonly PluginPageDefinition[];
  /** Rendered in Admin → Plugins → Settings, below the settings form the host generates. */
  settingsPage?: ComponentType;
}
