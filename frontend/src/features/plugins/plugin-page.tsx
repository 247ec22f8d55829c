import { useDocumentTitle } from '@mantine/hooks';
import type { PluginFrontendDefinition } from '@polyphony/plugin-sdk/web';
import { useLocation, useParams } from 'react-router';
import { QueryErrorAlert } from '../../components/query-error-alert.tsx';
import { useSignedInSession } from '../auth/session-context.tsx';
import { matchPage, mayOpen, pageRoles, pathInsidePlugin } from './page-match.ts';
import { BundleLoadFailure, PluginErrorBoundary } from './plugin-error-boundary.tsx';
import { usePluginFrontends, type PluginFrontend } from './plugin-frontends.ts';
import {
  PluginLoading,
  PluginNotAllowed,
  PluginPageNotFound,
  PluginUnavailable,
} from './plugin-panels.tsx';
import { PluginScope } from './plugin-scope.tsx';
import { usePluginBundle } from './use-plugin-bundle.ts';

/** `/plugins/:pluginId/*`: a page of an active plugin, loaded from its bundle at run time. */
export function PluginPageRoute() {
  const { pluginId = '' } = useParams();
  const frontends = usePluginFrontends();
  const { pathname } = useLocation();

  if (frontends.data === undefined) {
    if (frontends.isError) {
      return (
        <QueryErrorAlert
          title="Could not load the plugins"
          error={frontends.error}
          onRetry={() => void frontends.refetch()}
          retrying={frontends.isFetching}
        />
      );
    }
    return <PluginLoading name="the plugin" />;
  }
  const plugin = frontends.data.find((candidate) => candidate.id === pluginId);
  if (plugin === undefined) {
    // The list is asked again on every navigation: a plugin installed a moment ago may be in it.
    if (frontends.isFetching) return <PluginLoading name="the plugin" />;
    return <UnavailableTitled pluginId={pluginId} />;
  }
  return (
    // A new version (new entry URL) starts from a clean slate.
    <PluginErrorBoundary key={plugin.frontend.entry} plugin={plugin} resetKey={pathname}>
      <PluginBundlePage plugin={plugin} path={pathInsidePlugin(pathname, plugin.id)} />
    </PluginErrorBoundary>
  );
}

function UnavailableTitled({ pluginId }: { pluginId: string }) {
  useDocumentTitle('Plugin not available · Polyphony');
  return <PluginUnavailable pluginId={pluginId} />;
}

function PluginBundlePage({ plugin, path }: { plugin: PluginFrontend; path: string }) {
  const bundle = usePluginBundle(plugin.frontend.entry);
  // Until a page is matched; the matched page sets its own title.
  useDocumentTitle(bundle.data === undefined ? `${plugin.name} · Polyphony` : '');
  if (bundle.data === undefined) {
    if (!bundle.isError) return <PluginLoading name={plugin.name} />;
    return (
      <BundleLoadFailure plugin={plugin} bundle={bundle}>
        Its pages cannot be shown right now. The rest of Polyphony is not affected.
      </BundleLoadFailure>
    );
  }
  return <MatchedPluginPage plugin={plugin} definition={bundle.data} path={path} />;
}

function MatchedPluginPage({
  plugin,
  definition,
  path,
}: {
  plugin: PluginFrontend;
  definition: PluginFrontendDefinition;
  path: string;
}) {
  const { user } = useSignedInSession();
  const matched = matchPage(definition.pages ?? [], path);
  const title = matched?.page.title;
  useDocumentTitle(
    title === undefined ? `${plugin.name} · Polyphony` : `${title} · ${plugin.name} · Polyphony`,
  );
  if (matched === null) return <PluginPageNotFound name={plugin.name} path={path} />;
  const required = pageRoles(matched.page, plugin.navigation);
  if (!mayOpen(required, user.roles)) {
    return <PluginNotAllowed name={plugin.name} roles={required} />;
  }
  const Page = matched.page.component;
  return (
    <PluginScope plugin={plugin} params={matched.params}>
      <div data-plugin={plugin.id}>
        <Page />
      </div>
    </PluginScope>
  );
}
