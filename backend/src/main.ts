import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { bootstrapAdmin } from './bootstrap/bootstrap-admin.ts';
import { ConfigError, loadConfig, type Config } from './config/config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { createPluginSystem } from './plugin-host/plugin-system.ts';
import { createCoreServices } from './services.ts';

const SESSION_PURGE_INTERVAL_MS = 60 * 60 * 1000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * For the crash tests only: POLYPHONY_TEST_CRASH_AT=<step> kills the server with SIGKILL when a
 * plugin operation reaches that step (see PluginManagerOptions.checkpoint).
 */
function crashCheckpoint(): ((step: string) => void) | undefined {
  const at = process.env.POLYPHONY_TEST_CRASH_AT;
  if (!at) return undefined;
  return (step) => {
    if (step === at) process.kill(process.pid, 'SIGKILL');
  };
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const database = openDatabase(config.database);
  const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
  try {
    await migrateToLatest(database.db, database.dialect);
  } catch (error) {
    logger.fatal({ err: error, database: where }, 'could not bring the database schema up to date');
    await database.destroy();
    process.exit(1);
  }
  const services = createCoreServices({ ...database, session: config.session });
  await bootstrapAdmin(services, config.admin, logger);

  // Plugin code runs in this process: a stray rejection or throw in a plugin's timer must not end it.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (most likely in plugin code)');
  });
  process.on('uncaughtException', (error) => {
    logger.error({ err: error }, 'uncaught exception (most likely in plugin code); still serving');
  });

  const plugins = createPluginSystem({
    services,
    logger,
    pluginsDir: config.pluginsDir,
    config: config.plugins,
    serve: true,
    checkpoint: crashCheckpoint(),
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
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info(
      { port: info.port, database: where, dialect: database.dialect },
      `Polyphony is listening on http://localhost:${info.port}`,
    );
  });
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'the HTTP server failed');
    process.exit(1);
  });

  const purge = setInterval(() => {
    services.sessions.purgeExpired().catch((error: unknown) => {
      logger.warn({ err: error }, 'could not purge expired sessions');
    });
  }, SESSION_PURGE_INTERVAL_MS);
  purge.unref();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    clearInterval(purge);
    server.close(() => {
      void plugins.manager
        .stop()
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'a plugin did not stop cleanly');
        })
        .then(() => database.destroy())
        .finally(() => process.exit(0));
    });
    // Keep-alive connections could hold close() open; do not hang a deploy on them.
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
