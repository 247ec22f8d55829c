import { ConfigError, loadConfig, type Config } from './config/config.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';

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

  // Plugin code runs in this process: a stray rejection or throw in a plugin's timer must not end it.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (most likely in plugin code)');
  });
  process.on('uncaughtException', (error) => {
    logger.error({ err: error }, 'uncaught exception (most likely in plugin code); still serving');
  });

  const checkpoint = crashCheckpoint();
  const server = await startServer({ config, logger, ...(checkpoint ? { checkpoint } : {}) });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void server.stop().finally(() => process.exit(0));
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
  // startServer has logged its own failures; anything else is printed as it is.
  if ((error as Error | null)?.name !== 'ServerStartError') console.error(error);
  process.exit(1);
});
