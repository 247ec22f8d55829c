import { Hono, type Context } from 'hono';
import { except } from 'hono/combine';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { createAdminAuditRoutes } from './audit/admin-audit-routes.ts';
import { createAuthRoutes, createSetupRoutes } from './auth/auth-routes.ts';
import type { Config } from './config/config.ts';
import { AppError } from './errors/app-error.ts';
import { createHealthRoutes } from './health/health-routes.ts';
import type { AppEnv } from './http/app-env.ts';
import { compression } from './http/compression.ts';
import { createErrorHandler, errorResponse } from './http/error-handler.ts';
import { csrfProtection, requestContext, requireRole, sessionLoader } from './http/middleware.ts';
import { setHeader } from './http/response-headers.ts';
import { securityHeaders } from './http/security-headers.ts';
import { coreNavigation, type NavSource } from './navigation/navigation.ts';
import { createNavigationRoutes } from './navigation/navigation-routes.ts';
import {
  createAdminPluginRoutes,
  createPluginApiRoutes,
  mountPluginAssets,
  PLUGIN_UPLOAD_PATH,
  type PluginHttp,
} from './plugin-host/plugin-routes.ts';
import { createAdminRoleRoutes } from './roles/admin-role-routes.ts';
import type { CoreServices } from './services.ts';
import { createAdminUserRoutes } from './users/admin-user-routes.ts';
import { ADMIN_ROLE } from './users/user-rules.ts';
import { mountWebApp } from './web/web-app.ts';

export interface AppDeps {
  services: CoreServices;
  logger: Logger;
  config: Pick<Config, 'trustProxy'> & { webRoot: string | null };
  navigation?: readonly NavSource[];
  /** The plugin system; absent in tests of the core alone. */
  plugins?: PluginHttp;
  /** Extra routes under `/api/v1`, behind the same middleware as the core's (benchmarks). */
  apiRoutes?: (api: Hono<AppEnv>) => void;
}

const JSON_BODY_LIMIT = 1024 * 1024;
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Builds the HTTP application. Pure wiring: no I/O happens until a request arrives. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { services, logger, config } = deps;
  const app = new Hono<AppEnv>();
  app.onError(createErrorHandler(logger));
  const apiNotFound = (c: Context) =>
    errorResponse(c, new AppError('NOT_FOUND', `No API at ${c.req.method} ${c.req.path}.`));
  app.notFound((c) => (c.req.path.startsWith('/api/') ? apiNotFound(c) : c.text('Not found', 404)));

  app.use('*', requestContext(logger, config.trustProxy));
  app.use('*', compression());
  // The import map in index.html is admitted by a nonce (web/web-app.ts), nothing else inline.
  app.use('*', securityHeaders());

  const { plugins } = deps;
  const api = new Hono<AppEnv>();
  const jsonBodyLimit = bodyLimit({
    maxSize: JSON_BODY_LIMIT,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', 'The request body is over 1 MiB.');
    },
  });
  // Plugin archives stream to disk under their own, larger cap (see receiveUpload). Requests that
  // carry no body skip the check: looking for one makes @hono/node-server build a full Request.
  api.use(
    '*',
    except(
      (c) =>
        BODYLESS_METHODS.has(c.req.method) ||
        (c.req.method === 'POST' && c.req.path === PLUGIN_UPLOAD_PATH),
      jsonBodyLimit,
    ),
  );
  api.use('*', sessionLoader(services.sessions));
  api.use('*', csrfProtection(['/api/v1/auth/login', '/api/v1/setup']));
  api.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) setHeader(c, 'Cache-Control', 'no-store');
  });

  api.route('/health', createHealthRoutes(services.db));
  api.route('/setup', createSetupRoutes(services, config));
  api.route('/auth', createAuthRoutes(services, config));
  const navigation = deps.navigation ?? [
    coreNavigation,
    ...(plugins ? [plugins.runtime.navigation] : []),
  ];
  api.route('/navigation', createNavigationRoutes(navigation));
  if (plugins) api.route('/plugins', createPluginApiRoutes(plugins));
  deps.apiRoutes?.(api);

  const admin = new Hono<AppEnv>();
  admin.use('*', requireRole(ADMIN_ROLE));
  admin.route('/users', createAdminUserRoutes(services));
  admin.route('/roles', createAdminRoleRoutes(services));
  admin.route('/audit', createAdminAuditRoutes(services));
  if (plugins) admin.route('/plugins', createAdminPluginRoutes(plugins));
  api.route('/admin', admin);

  app.route('/api/v1', api);
  // Before the web app's catch-all, so an unknown API path never gets index.html.
  app.all('/api/*', apiNotFound);

  if (plugins) mountPluginAssets(app, plugins);
  if (config.webRoot !== null) mountWebApp(app, config.webRoot, logger);
  return app;
}
