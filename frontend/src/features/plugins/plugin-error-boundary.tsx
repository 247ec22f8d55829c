import { Alert, Button, Code, Collapse, Group, Stack, Text } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { Component, useState, type CSSProperties, type ErrorInfo, type ReactNode } from 'react';
import { isPluginBundleError, type BundleFailureKind } from './bundle-loader.ts';

const WRAP: CSSProperties = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' };

interface PluginErrorBoundaryProps {
  plugin: { id: string; name: string; version: string };
  /** When this changes (another page, another version), a failed page gets a fresh start. */
  resetKey: string;
  children: ReactNode;
}

interface State {
  error: unknown;
  failedAt: string | null;
}

/**
 * Around every plugin page: whatever the plugin throws while rendering stops here, named after
 * the plugin, and the shell, the navigation and other plugins carry on.
 */
export class PluginErrorBoundary extends Component<PluginErrorBoundaryProps, State> {
  override state: State = { error: null, failedAt: null };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error ?? new Error('The plugin threw a value that is not an Error.') };
  }

  static getDerivedStateFromProps(props: PluginErrorBoundaryProps, state: State): Partial<State> {
    // Moving elsewhere clears the failure; the page that failed is tried again on return.
    if (state.failedAt !== null && state.failedAt !== props.resetKey) {
      return { error: null, failedAt: null };
    }
    return {};
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.setState({ failedAt: this.props.resetKey });
    const { id, version } = this.props.plugin;
    console.error(`Plugin ${id} ${version} failed while rendering`, error, info.componentStack);
  }

  private readonly retry = () => {
    this.setState({ error: null, failedAt: null });
  };

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <PluginFailurePanel
        title={`${this.props.plugin.name} stopped working on this page`}
        plugin={this.props.plugin}
        error={this.state.error}
        onRetry={this.retry}
      >
        The plugin hit an error while showing this page. The rest of Polyphony is not affected.
      </PluginFailurePanel>
    );
  }
}

/** The panel both a crashed page and a bundle that failed to load show. */
export function PluginFailurePanel({
  title,
  plugin,
  error,
  onRetry,
  retrying = false,
  children,
}: {
  title: string;
  plugin: { id: string; name: string; version: string };
  error: unknown;
  onRetry: () => void;
  retrying?: boolean;
  children: ReactNode;
}) {
  const [showDetails, setShowDetails] = useState(false);
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? null) : null;
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      title={title}
      icon={<IconPlugConnectedX aria-hidden />}
      data-testid="plugin-failure"
    >
      <Stack gap="xs">
        <Text size="sm">{children}</Text>
        <Text size="sm">
          Plugin: <strong>{plugin.name}</strong> ({plugin.id} {plugin.version})
        </Text>
        <Code block style={WRAP}>
          {message}
        </Code>
        {isPluginBundleError(error) && (
          <Text size="xs" c="dimmed" style={WRAP}>
            Bundle: {error.url}
          </Text>
        )}
        {stack !== null && (
          <Collapse expanded={showDetails} keepMounted={false}>
            <Code block fz="xs" style={WRAP}>
              {stack}
            </Code>
          </Collapse>
        )}
        <Group gap="xs">
          <Button size="xs" onClick={onRetry} loading={retrying}>
            Retry
          </Button>
          {stack !== null && (
            <Button
              size="xs"
              variant="subtle"
              color="gray"
              onClick={() => {
                setShowDetails((shown) => !shown);
              }}
            >
              {showDetails ? 'Hide details' : 'Show details'}
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          If this keeps happening, tell an administrator: they can see the plugin in Admin →
          Plugins.
        </Text>
      </Stack>
    </Alert>
  );
}

const LOAD_FAILURE_TITLES: Record<BundleFailureKind, string> = {
  network: 'could not be downloaded',
  'not-found': 'was not found on the server',
  http: 'could not be downloaded',
  'invalid-module': 'is not a valid plugin module',
  'unresolved-import': 'imports a module Polyphony does not provide',
  evaluation: 'failed while starting',
};

/** A plugin bundle that could not be loaded: what failed, in a title of its own, and Retry. */
export function BundleLoadFailure({
  plugin,
  bundle,
  children,
}: {
  plugin: { id: string; name: string; version: string };
  bundle: { error: unknown; retry: () => void; isFetching: boolean };
  children: ReactNode;
}) {
  const kind = isPluginBundleError(bundle.error) ? bundle.error.kind : 'evaluation';
  return (
    <PluginFailurePanel
      title={`The code of ${plugin.name} ${LOAD_FAILURE_TITLES[kind]}`}
      plugin={plugin}
      error={bundle.error}
      onRetry={bundle.retry}
      retrying={bundle.isFetching}
    >
      {children}
    </PluginFailurePanel>
  );
}
