import { createApiClient } from '@polyphony/plugin-sdk/web/api-client';
import { PageParamsContext, PluginContext } from '@polyphony/plugin-sdk/web/host';
import type { PluginWebContext } from '@polyphony/plugin-sdk/web/host';
import { useMemo, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../lib/api-client.ts';
import { useSignedInSession } from '../auth/session-context.tsx';
import { pluginHref } from './page-match.ts';
import type { PluginFrontend } from './plugin-frontends.ts';

const EMPTY_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Gives a plugin's components their scoped capabilities (`usePlugin()` in the SDK): the user, an
 * API client bound to the plugin's own routes, its browser settings and navigation. Nothing else
 * of the host is reachable from here.
 */
export function PluginScope({
  plugin,
  params = EMPTY_PARAMS,
  children,
}: {
  plugin: PluginFrontend;
  params?: Readonly<Record<string, string>>;
  children: ReactNode;
}) {
  const { user } = useSignedInSession();
  const navigate = useNavigate();
  const { id, name, version, settings } = plugin;

  const client = useMemo(
    // Reads the host's token on every call, so it follows sign-out and sign-in.
    () =>
      createApiClient({ baseUrl: `/api/v1/plugins/${id}`, csrfToken: () => api.getCsrfToken() }),
    [id],
  );

  const context = useMemo<PluginWebContext>(() => {
    const roles = Object.freeze([...user.roles]);
    return Object.freeze({
      id,
      name,
      version,
      basePath: pluginHref(id, '/'),
      user: Object.freeze({ id: user.id, username: user.username, roles }),
      hasRole: (...wanted: string[]) => wanted.some((role) => roles.includes(role)),
      settings: Object.freeze({ ...settings }),
      api: client,
      href: (path: string) => pluginHref(id, path),
      navigate: (path: string, options?: { replace?: boolean }) => {
        void navigate(pluginHref(id, path), { replace: options?.replace ?? false });
      },
      navigateApp: (path: string, options?: { replace?: boolean }) => {
        void navigate(path, { replace: options?.replace ?? false });
      },
    });
  }, [id, name, version, settings, user, client, navigate]);

  return (
    <PluginContext value={context}>
      <PageParamsContext value={params}>{children}</PageParamsContext>
    </PluginContext>
  );
}
