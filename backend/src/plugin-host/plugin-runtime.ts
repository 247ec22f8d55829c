import path from 'node:path';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { AppError, isAppError } from '../errors/app-error.ts';
import type { AppEnv } from '../http/app-env.ts';
import { errorResponse } from '../http/error-handler.ts';
import type { NavEntry, NavSource } from '../navigation/navigation.ts';
import {
  isPluginError,
  type PluginBackend,
  type PluginContext,
  type PluginEnv,
  type PluginError,
  type PluginUser,
} from '@polyphony/plugin-sdk';
import type { Manifest, ResolvedEntries } from '@polyphony/plugin-format';
import { reasonOf, withTimeout } from './with-timeout.ts';

/** A plugin version ready to serve: validated, files in place, code imported. */
export interface LoadedPlugin {
  manifest: Manifest;
  sha256: string;
  entries: ResolvedEntries;
  /** This version's own copy of the plugin folder: code is imported and assets served from it. */
  folder: string;
  backend: PluginBackend | null;
  ctx: PluginContext;
  logger: Logger;
}

/** What the host needs of a plugin's router: something that answers requests. */
export interface PluginApp {
  fetch(request: Request, env: HostBindings): Response | Promise<Response>;
}

export interface MountedPlugin extends LoadedPlugin {
  app: PluginApp | null;
}

/** Where a version's frontend files are served: the hash pins the version. */
export function assetBase(id: string, sha256: string): string {
  return `/plugin-assets/${id}/${sha256.slice(0, 12)}`;
}

/** The URL of a loaded version's frontend entry, or null for a backend-only plugin. */
export function frontendEntryUrl(plugin: LoadedPlugin): string | null {
  const { frontend, frontendDir } = plugin.entries;
  if (frontend === null || frontendDir === null) return null;
  return `${assetBase(plugin.manifest.id, plugin.sha256)}/${path.posix.relative(frontendDir, frontend)}`;
}

interface HostBindings {
  polyphony: { user: PluginUser | null };
}

/**
 * The plugins serving in this process: a map from id to a per-plugin Hono app behind
 * `/api/v1/plugins/:id/*`, so routes come and go at run time without touching the host's router.
 */
export interface PluginRuntime {
  /** Activates a version and makes it serve; replaces the version serving now, if any. */
  mount(plugin: LoadedPlugin): Promise<void>;
  /** Stops serving at once, lets requests in flight finish, then runs the deactivate hook. */
  unmount(id: string): Promise<void>;
  get(id: string): MountedPlugin | undefined;
  list(): MountedPlugin[];
  /** The handler for `/api/v1/plugins/:id/*`. */
  dispatch(c: Context<AppEnv>): Promise<Response>;
  navigation: NavSource;
  unmountAll(): Promise<void>;
}

export interface PluginRuntimeOptions {
  hookTimeoutMs: number;
  /**
   * Asked when a plugin answers with a server error: is this version still the one the registry
   * wants served? Another process (the CLI) may have deactivated or uninstalled it a moment ago,
   * dropping its tables before this server's next sync; the caller then gets 404, not a 500.
   */
  isCurrent?: (id: string, sha256: string) => Promise<boolean>;
  /** How long an unmount waits for requests in flight before running the deactivate hook. */
  drainTimeoutMs?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A plugin's own error (`PluginError` from the SDK, matched by shape: the plugin bundles its own
 * copy) in the host's error shape. Null when it cannot be sent: details that are not JSON.
 */
function pluginErrorResponse(c: Context<PluginEnv>, error: PluginError): Response | null {
  const { code, message, details } = error;
  // Clients read details only when it is an object (the SDK's type says so too).
  const body = { error: isRecord(details) ? { code, message, details } : { code, message } };
  try {
    JSON.stringify(body);
  } catch {
    return null;
  }
  return c.json(body, error.status as ContentfulStatusCode);
}

/** Turns whatever a plugin handler threw into a response, logged against the plugin. */
function pluginErrorHandler(logger: Logger) {
  return (error: unknown, c: Context<PluginEnv>): Response => {
    if (isAppError(error)) return errorResponse(c, error);
    if (error instanceof HTTPException) return error.getResponse();
    // isPluginError refuses a status outside 400-599 or a code that is not SCREAMING_SNAKE:
    // those fall through to the 500 below, logged, like any other fault.
    if (isPluginError(error)) {
      const response = pluginErrorResponse(c, error);
      if (response !== null) {
        if (error.status >= 500) {
          logger.error(
            { err: error, method: c.req.method, path: c.req.path },
            'plugin route answered with a server error',
          );
        }
        return response;
      }
    }
    logger.error({ err: error, method: c.req.method, path: c.req.path }, 'plugin route failed');
    return errorResponse(
      c,
      new AppError(
        'INTERNAL_ERROR',
        'The plugin failed to handle this request. The server log has the details.',
      ),
    );
  };
}

async function buildApp(plugin: LoadedPlugin): Promise<PluginApp | null> {
  const { backend, ctx, manifest } = plugin;
  if (!backend?.routes && !backend?.publicRoutes) return null;
  const app = new Hono<PluginEnv>().basePath(`/api/v1/plugins/${manifest.id}`);
  const handleError = pluginErrorHandler(plugin.logger);
  app.onError(handleError);
  // Hono hands only Error instances to onError. Anything else a plugin throws (a plain object
  // shaped like a PluginError, a string) would escape the plugin: it is answered here instead.
  const barrier: MiddlewareHandler<PluginEnv> = async (c, next) => {
    try {
      await next();
    } catch (thrown) {
      return handleError(thrown, c);
    }
  };
  app.use('*', barrier);
  app.notFound((c) =>
    errorResponse(c, new AppError('NOT_FOUND', `No API at ${c.req.method} ${c.req.path}.`)),
  );
  // The identity comes from the host's session lookup, passed beside the request: no header sets it.
  app.use('*', async (c, next) => {
    c.set('user', (c.env as HostBindings).polyphony.user);
    await next();
  });
  if (backend.publicRoutes) {
    const open = new Hono<PluginEnv>();
    await backend.publicRoutes(open, ctx);
    app.route('/', open);
  }
  if (backend.routes) {
    const guarded = new Hono<PluginEnv>();
    guarded.use('*', async (c, next) => {
      if (!c.get('user')) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
      await next();
    });
    await backend.routes(guarded, ctx);
    app.route('/', guarded);
  }
  return { fetch: (request, env) => app.fetch(request, env) };
}

export function createPluginRuntime(options: PluginRuntimeOptions): PluginRuntime {
  const mounted = new Map<string, MountedPlugin>();
  const inFlight = new Map<MountedPlugin, number>();
  const drainWaiters = new Map<MountedPlugin, (() => void)[]>();
  const drainTimeoutMs = options.drainTimeoutMs ?? 5000;

  const hook = async (plugin: LoadedPlugin, name: 'activate' | 'deactivate') => {
    const backend = plugin.backend;
    if (!backend?.[name]) return;
    await withTimeout(
      Promise.resolve().then(() => backend[name]?.(plugin.ctx)),
      options.hookTimeoutMs,
      `The ${name} hook`,
    );
  };

  const drained = (plugin: MountedPlugin) =>
    new Promise<void>((resolve) => {
      if ((inFlight.get(plugin) ?? 0) === 0) {
        resolve();
        return;
      }
      const timer = setTimeout(resolve, drainTimeoutMs);
      drainWaiters.set(plugin, [
        ...(drainWaiters.get(plugin) ?? []),
        () => {
          clearTimeout(timer);
          resolve();
        },
      ]);
    });

  const retire = async (plugin: MountedPlugin) => {
    await drained(plugin);
    try {
      await hook(plugin, 'deactivate');
    } catch (error) {
      plugin.logger.warn(
        { err: error },
        'the deactivate hook failed; the plugin is stopped anyway',
      );
    }
  };

  const runtime: PluginRuntime = {
    async mount(plugin) {
      let next: MountedPlugin;
      try {
        next = {
          ...plugin,
          app: await withTimeout(buildApp(plugin), options.hookTimeoutMs, 'Registering routes'),
        };
        await hook(plugin, 'activate');
      } catch (error) {
        throw new AppError(
          'PLUGIN_ACTIVATION_FAILED',
          `${plugin.manifest.name} ${plugin.manifest.version} failed to start: ${reasonOf(error)}`,
          { cause: error, details: { reason: reasonOf(error) } },
        );
      }
      const previous = mounted.get(plugin.manifest.id);
      mounted.set(plugin.manifest.id, next);
      if (previous) await retire(previous);
    },

    async unmount(id) {
      const current = mounted.get(id);
      if (!current) return;
      mounted.delete(id);
      await retire(current);
    },

    get: (id) => mounted.get(id),
    list: () => [...mounted.values()],

    async dispatch(c) {
      const id = c.req.param('id') ?? '';
      const plugin = mounted.get(id);
      const gone = () =>
        errorResponse(
          c,
          new AppError('NOT_FOUND', `No active plugin "${id}" serves ${c.req.path}.`),
        );
      if (!plugin?.app) return gone();
      inFlight.set(plugin, (inFlight.get(plugin) ?? 0) + 1);
      try {
        const bindings: HostBindings = { polyphony: { user: c.get('user') } };
        const response = await plugin.app.fetch(c.req.raw, bindings);
        // Unmounted (deactivated, uninstalled or replaced) while this request ran: its answer no longer stands.
        if (mounted.get(id) !== plugin) return gone();
        if (response.status >= 500 && options.isCurrent) {
          const current = await options.isCurrent(id, plugin.sha256).catch(() => true);
          if (!current) return gone();
        }
        return response;
      } finally {
        const left = (inFlight.get(plugin) ?? 1) - 1;
        inFlight.set(plugin, left);
        if (left === 0) {
          inFlight.delete(plugin);
          for (const wake of drainWaiters.get(plugin) ?? []) wake();
          drainWaiters.delete(plugin);
        }
      }
    },

    navigation: () =>
      [...mounted.values()].flatMap((plugin): NavEntry[] =>
        (plugin.manifest.navigation ?? []).map((entry, index) => ({
          id: `plugin.${plugin.manifest.id}.${index}`,
          label: entry.label,
          path: `/plugins/${plugin.manifest.id}${entry.path === '/' ? '' : entry.path}`,
          icon: entry.icon ?? null,
          source: 'plugin',
          roles: entry.roles,
        })),
      ),

    async unmountAll() {
      await Promise.all([...mounted.keys()].map((id) => runtime.unmount(id)));
    },
  };
  return runtime;
}
