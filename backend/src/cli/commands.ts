import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI_CONTEXT } from '../audit/audit-log.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import type { PluginManager } from '../plugin-host/plugin-manager.ts';
import type { CoreServices } from '../services.ts';
import { passwordSchema, usernameSchema } from '../users/user-rules.ts';

export const USAGE = `Usage: polyphony <command>

Commands:
  users list                               List users, their roles and status
  users create <username> [--role R]...    Create a user (default role: viewer)
  users reset-password <username>          Set a new password and end the user's sessions
  migrate                                  Bring the database schema up to date and exit
  plugins list                             List installed plugins, their versions and states
  plugins install <file.zip>               Install a plugin, or upgrade it to a newer version
  plugins activate <id>                    Activate a deactivated (or failed) plugin
  plugins deactivate <id>                  Deactivate a plugin; its data is kept
  plugins uninstall <id> --yes             Uninstall a plugin and DROP ITS TABLES (irreversible)

Passwords are asked on the terminal, or read from standard input with --password-stdin.
The CLI uses the same environment as the server (DATABASE_URL, POLYPHONY_DATA_DIR, ...) and is
safe to run while the server runs: a running server picks plugin changes up within seconds.`;

export interface CliIo {
  out(line: string): void;
  readPassword(): Promise<string>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function parseUsername(value: string | undefined): string {
  if (value === undefined) throw new UsageError('Name the user.');
  const parsed = usernameSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'Invalid username');
  return parsed.data;
}

async function newPassword(io: CliIo): Promise<string> {
  const parsed = passwordSchema.safeParse(await io.readPassword());
  if (!parsed.success)
    throw new UsageError(`Password: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

async function findUserId(services: CoreServices, username: string): Promise<string> {
  const user = await services.users.findForLogin(username);
  if (!user) throw new AppError('USER_NOT_FOUND', `There is no user "${username}".`);
  return user.id;
}

/** Runs one CLI command against the services; returns the process exit code. */
export async function runCommand(
  argv: readonly string[],
  services: CoreServices,
  io: CliIo,
  plugins?: PluginManager,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      role: { type: 'string', multiple: true },
      'password-stdin': { type: 'boolean' },
      yes: { type: 'boolean' },
    },
  });
  const [group, command, ...rest] = positionals;
  try {
    if (group === 'users' && command === 'list') {
      for (const user of await services.users.list()) {
        const status = user.disabled ? 'disabled' : 'active';
        io.out(`${user.username}\t${user.roles.join(',')}\t${status}`);
      }
      return 0;
    }
    if (group === 'users' && command === 'create') {
      const username = parseUsername(rest[0]);
      const password = await newPassword(io);
      const user = await services.users.create(
        { username, password, roles: values.role ?? ['viewer'] },
        CLI_CONTEXT,
      );
      io.out(`Created ${user.username} with roles ${user.roles.join(', ')}.`);
      return 0;
    }
    if (group === 'users' && command === 'reset-password') {
      const username = parseUsername(rest[0]);
      const id = await findUserId(services, username);
      const password = await newPassword(io);
      await services.users.update(id, { password }, CLI_CONTEXT);
      io.out(`Password of ${username} reset; their sessions have ended.`);
      return 0;
    }
    if (group === 'plugins') {
      if (!plugins) throw new UsageError('The plugin commands are not available here.');
      await runPluginCommand(plugins, command, rest, values.yes === true, io);
      return 0;
    }
    throw new UsageError(
      group === undefined ? 'Name a command.' : `Unknown command: ${positionals.join(' ')}`,
    );
  } catch (error) {
    if (isAppError(error)) {
      io.out(`Error ${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

const PICKUP = 'A running server picks the change up within a few seconds.';

function pluginArgument(value: string | undefined, what: string): string {
  if (value === undefined) throw new UsageError(`Name the ${what}.`);
  return value;
}

async function runPluginCommand(
  plugins: PluginManager,
  command: string | undefined,
  rest: readonly string[],
  confirmed: boolean,
  io: CliIo,
): Promise<void> {
  if (command === 'list') {
    const all = await plugins.list();
    if (all.length === 0) io.out('No plugins are installed.');
    for (const plugin of all) {
      io.out(`${plugin.id}\t${plugin.version}\t${plugin.state}\t${plugin.name}`);
      if (plugin.error !== null) io.out(`  error: ${plugin.error}`);
    }
    return;
  }
  if (command === 'install') {
    const file = path.resolve(pluginArgument(rest[0], 'archive (a .zip file)'));
    const result = await plugins.install(async () => {
      // The manager deletes the archive it installs from: give it a copy, never the operator's file.
      const copy = plugins.files.newStagingPath('.zip');
      await fs.mkdir(path.dirname(copy), { recursive: true });
      await fs.copyFile(file, copy).catch((error: unknown) => {
        throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
      });
      return { path: copy, filename: path.basename(file) };
    }, CLI_CONTEXT);
    const { plugin, upgradedFrom } = result;
    io.out(
      upgradedFrom === null
        ? `Installed ${plugin.id} ${plugin.version} (${plugin.state}). ${PICKUP}`
        : `Upgraded ${plugin.id} from ${upgradedFrom} to ${plugin.version} (${plugin.state}). ${PICKUP}`,
    );
    return;
  }
  if (command === 'activate' || command === 'deactivate') {
    const id = pluginArgument(rest[0], 'plugin id');
    const plugin = await plugins[command](id, CLI_CONTEXT);
    io.out(`${plugin.id} ${plugin.version} is ${plugin.state}. ${PICKUP}`);
    return;
  }
  if (command === 'uninstall') {
    const id = pluginArgument(rest[0], 'plugin id');
    if (!confirmed) {
      throw new UsageError(
        `Uninstalling ${id} drops its tables and deletes its data for good. Run again with --yes to go ahead.`,
      );
    }
    await plugins.uninstall(id, CLI_CONTEXT);
    io.out(`Uninstalled ${id}: its tables and files are gone. ${PICKUP}`);
    return;
  }
  throw new UsageError(`Unknown command: plugins ${command ?? ''}`.trim());
}
