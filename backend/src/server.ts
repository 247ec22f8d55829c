import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { bootstrapAdmin } from './bootstrap/bootstrap-admin.ts';
import type { Config } from './config/config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { AppEnv } from './http/app-env.ts';
import { createPluginSystem, type PluginSystem } from './plugin-host/plugin-system.ts';
import { createCoreServices, type CoreServices } from './services.ts';

const SESSION_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export interface ServerOptions {
  config: Config;
  logger: Logger;
  /** Called between the steps of plugin operations (the crash tests kill the process there). */
  checkpoint?: (step: string) => void;
  /**
   * Extra routes under `/api/v1`, behind every middleware of the core's own routes. The
   * benchmarks mount their handler here to measure it as a core route (bench/).
   */
  apiRoutes?: (api: Hono<AppEnv>, services: CoreServices) => void;
}

export interface RunningServer {
  readonly port: number;
  readonly services: CoreServices;
  readonly plugins: PluginSystem;
  /** Stops accepting connections, stops the plugins, closes the database. */
  stop(): Promise<void>;
}

export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
}

/**
 * Opens the database and brings its schema up to date, creates the first admin if configured,
 * starts the plugins and listens: everything `npm start` does but the process's signal handling.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const database: DatabaseHandle = openDatabase(config.database);
  const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
  try {
    await migrateToLatest(database.db, database.dialect);
  } catch (error) {
    logger.fatal({ err: error, database: where }, 'could not bring the database schema up to date');
    await database.destroy();
    throw new ServerStartError('could not bring the database schema up to date', { cause: error });
  }
  const services = createCoreServices({ ...database, session: config.session });
  await bootstrapAdmin(services, config.admin, logger);

  const plugins = createPluginSystem({
    services,
    logger,
    pluginsDir: config.pluginsDir,
    config: config.plugins,
    serve: true,
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  });
  try {
    await plugins.manager.start();
  } catch (error) {
    logger.error({ err: error }, 'could not start the plugins; serving without them');
  }

  const app = createApp({
    services,
    logger,
    config,
    ...(plugins.http ? { plugins: plugins.http } : {}),
    ...(options.apiRoutes ? { apiRoutes: (api) => options.apiRoutes?.(api, services) } : {}),
  });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const listening = serve(
      { fetch: app.fetch, port: config.port, hostname: config.host },
      (info) => {
        logger.info(
          { port: info.port, database: where, dialect: database.dialect },
          `Polyphony is listening on http://localhost:${info.port}`,
        );
        listening.off('error', reject);
        resolve(listening);
      },
    );
    listening.once('error', reject);
  }).catch(async (error: unknown) => {
    logger.fatal({ err: error }, 'the HTTP server failed');
    await plugins.manager.stop().catch(() => undefined);
    await database.destroy();
    throw new ServerStartError('the HTTP server could not listen', { cause: error });
  });
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'the HTTP server failed');
    process.exit(1);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;

  const purge = setInterval(() => {
    services.sessions.purgeExpired().catch((error: unknown) => {
      logger.warn({ err: error }, 'could not purge expired sessions');
    });
  }, SESSION_PURGE_INTERVAL_MS);
  purge.unref();

  return {
    port,
    services,
    plugins,
    async stop() {
      clearInterval(purge);
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      await plugins.manager.stop().catch((error: unknown) => {
        logger.warn({ err: error }, 'a plugin did not stop cleanly');
      });
      await database.destroy();
    },
  };
}
