import { ConfigError, loadConfig } from '../config/config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import { createPluginSystem } from '../plugin-host/plugin-system.ts';
import { createCoreServices } from '../services.ts';
import { runCommand, USAGE, UsageError, type CliIo } from './commands.ts';
import { askHidden, readStdin } from './prompt.ts';

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const config = loadConfig();
  const database = openDatabase(config.database, { poolSize: 2 });
  try {
    await migrateToLatest(database.db, database.dialect);
    if (argv[0] === 'migrate') {
      console.log('The database schema is up to date.');
      return 0;
    }
    const services = createCoreServices({ ...database, session: config.session });
    const io: CliIo = {
      out: (line) => {
        console.log(line);
      },
      async readPassword() {
        if (argv.includes('--password-stdin')) return readStdin();
        if (!process.stdin.isTTY) {
          throw new UsageError(
            'No terminal to ask for the password: pass it with --password-stdin.',
          );
        }
        const first = await askHidden('New password: ');
        const second = await askHidden('Repeat it: ');
        if (first !== second) throw new UsageError('The passwords differ.');
        return first;
      },
    };
    const plugins = createPluginSystem({
      services,
      // Plugin code may log while the CLI loads it (migrations); keep that off the command's output.
      logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 2),
      pluginsDir: config.pluginsDir,
      config: config.plugins,
      serve: false,
    });
    return await runCommand(argv, services, io, plugins.manager);
  } finally {
    await database.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    console.error(error);
    process.exitCode = 1;
  },
);
