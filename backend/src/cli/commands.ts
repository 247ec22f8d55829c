import { parseArgs } from 'node:util';
import { CLI_CONTEXT } from '../audit/audit-log.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import type { CoreServices } from '../services.ts';
import { passwordSchema, usernameSchema } from '../users/user-rules.ts';

export const USAGE = `Usage: polyphony <command>

Commands:
  users list                               List users, their roles and status
  users create <username> [--role R]...    Create a user (default role: viewer)
  users reset-password <username>          Set a new password and end the user's sessions
  migrate                                  Bring the database schema up to date and exit

Passwords are asked on the terminal, or read from standard input with --password-stdin.
The CLI uses the same environment as the server (DATABASE_URL, POLYPHONY_DATA_DIR, ...) and is
safe to run while the server runs.`;

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
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      role: { type: 'string', multiple: true },
      'password-stdin': { type: 'boolean' },
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
