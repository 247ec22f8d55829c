import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { buildPlugin } from './build/build.ts';
import { createPlugin } from './create/create.ts';
import { DEFAULT_URL, runDev } from './dev/dev.ts';
import { KitError, isKitError } from './kit-error.ts';
import { packPlugin } from './pack/pack.ts';
import { formatProblem, validatePlugin } from './validate/validate.ts';

/**
 * Whether Node would find the kit from `dir` already, as in a folder inside a Polyphony checkout:
 * then `npm install` is not needed (and would look for the private packages on the registry).
 */
function kitResolvesFrom(dir: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'node_modules/@polyphony/plugin-kit'))) return true;
    if (path.dirname(at) === at) return false;
  }
}

/** Where the CLI writes and what it reads from its process; replaced in tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Colours in esbuild's messages. */
  color: boolean;
  /** Ends `dev`; by default Ctrl-C (SIGINT) or SIGTERM does. */
  signal?: AbortSignal;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  summary: string;
  usage: string;
  help: string;
  options: Options;
  run(values: Values, positionals: string[], io: CliIo): Promise<number>;
}

const PROGRAM = 'polyphony-plugin';

function kitVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function shown(io: CliIo, file: string): string {
  const relative = path.relative(io.cwd, file);
  return relative === '' ? '.' : relative.startsWith('..') ? file : relative;
}

function size(bytes: number): string {
  return bytes < 1000 ? `${bytes} B` : `${(bytes / 1000).toFixed(1)} kB`;
}

function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function only(values: Values, name: string): boolean {
  return values[name] === true;
}

function directory(positionals: string[], io: CliIo): string {
  return path.resolve(io.cwd, positionals[0] ?? '.');
}

const commands: Record<string, Command> = {
  create: {
    summary: 'create a TypeScript plugin in a new folder',
    usage: 'create <dir> [--id <id>] [--name <name>] [--author <author>] [--description <text>]',
    help: [
      'Writes a plugin that builds, packs and installs as it is: plugin.json, a backend with a',
      'migration and routes, a React page, a setting, a test and a README. The folder must be new',
      'or empty. The id defaults to the folder name (lowercase words joined by hyphens), the name',
      'to the id, the author to your account name.',
    ].join('\n'),
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      author: { type: 'string' },
      description: { type: 'string' },
    },
    async run(values, positionals, io) {
      const target = positionals[0];
      if (target === undefined) {
        throw new KitError('KIT_USAGE', 'Say where to create the plugin: create <dir>.');
      }
      const created = await createPlugin(path.resolve(io.cwd, target), {
        ...optional('id', text(values, 'id')),
        ...optional('name', text(values, 'name')),
        ...optional('author', text(values, 'author')),
        ...optional('description', text(values, 'description')),
      });
      const where = shown(io, created.dir);
      io.stdout(
        [
          `Created the plugin "${created.name}" (${created.id}) in ${where}:`,
          ...created.files.map((file) => `  ${file}`),
          '',
          'Next:',
          `  cd ${where}`,
          ...(kitResolvesFrom(created.dir)
            ? []
            : ['  npm install       # the kit and the SDK (from tarballs: see the kit README)']),
          '  npm test          # build, then test the routes in an in-process Polyphony',
          '  npm run pack      # dist/<id>-<version>.zip, to install in Admin → Plugins',
          '  npm run dev       # upload each change to a running Polyphony',
          '',
        ].join('\n'),
      );
      return 0;
    },
  },

  build: {
    summary: 'bundle src/ into build/, the archive tree',
    usage: 'build [dir] [--dev]',
    help: [
      'src/backend/index.ts → build/backend/main.js (Node, every npm package bundled);',
      'src/frontend/index.tsx → build/frontend/index.js (browser, React and',
      '@polyphony/plugin-sdk/web left to the host); src/frontend/public/ and plugin.json copied.',
      'Both with source maps. --dev skips minification.',
    ].join('\n'),
    options: { dev: { type: 'boolean' } },
    async run(values, positionals, io) {
      const result = await buildPlugin(directory(positionals, io), {
        dev: only(values, 'dev'),
        color: io.color,
      });
      for (const warning of result.warnings) io.stderr(`${warning}\n`);
      io.stdout(`Built ${shown(io, result.project.buildDir)}/:\n`);
      for (const file of result.files) io.stdout(`  ${file}\n`);
      return 0;
    },
  },

  pack: {
    summary: 'build, then zip build/ into dist/<id>-<version>.zip',
    usage: 'pack [dir] [--no-build] [--dev]',
    help: [
      'The same sources give the same bytes: entries in a fixed order, one timestamp',
      '(SOURCE_DATE_EPOCH, or 1980-01-01), fixed permissions and compression.',
      '--no-build zips build/ as it is.',
    ].join('\n'),
    options: { 'no-build': { type: 'boolean' }, dev: { type: 'boolean' } },
    async run(values, positionals, io) {
      const result = await packPlugin(directory(positionals, io), {
        build: !only(values, 'no-build'),
        dev: only(values, 'dev'),
        color: io.color,
      });
      for (const warning of result.build?.warnings ?? []) io.stderr(`${warning}\n`);
      io.stdout(
        [
          shown(io, result.file),
          `  files   ${result.entries.length}`,
          `  size    ${size(result.size)} (${result.size} bytes)`,
          `  sha256  ${result.sha256}`,
          '',
        ].join('\n'),
      );
      return 0;
    },
  },

  validate: {
    summary: "check a plugin folder or ZIP with the host's own checks",
    usage: 'validate [dir-or-zip] [--host <version>] [--json] [--no-build]',
    help: [
      'A folder is built and packed to a temporary ZIP first; a .zip is checked as it is. Every',
      'problem is listed, one per line, as `<where>: <message> (<code>)`, where <where> is the',
      "manifest field or the archive entry. --host also checks the plugin's polyphony range",
      'against that Polyphony version. Exit code 1 when there is any problem.',
    ].join('\n'),
    options: {
      host: { type: 'string' },
      json: { type: 'boolean' },
      'no-build': { type: 'boolean' },
    },
    async run(values, positionals, io) {
      const host = text(values, 'host');
      const result = await validatePlugin(directory(positionals, io), {
        build: !only(values, 'no-build'),
        color: io.color,
        ...optional('hostVersion', host),
      });
      const ok = result.problems.length === 0;
      if (only(values, 'json')) {
        io.stdout(`${JSON.stringify({ ok, ...result }, null, 2)}\n`);
        return ok ? 0 : 1;
      }
      if (ok) {
        const manifest = result.manifest;
        io.stdout(
          `ok: ${manifest ? `${manifest.id} ${manifest.version}` : shown(io, result.target)}, ` +
            `${result.files.length} files: Polyphony${host ? ` ${host}` : ''} would accept it.\n`,
        );
        return 0;
      }
      for (const problem of result.problems) io.stdout(`${formatProblem(problem)}\n`);
      const count = result.problems.length;
      io.stderr(`${count} problem${count === 1 ? '' : 's'}: Polyphony would refuse this plugin.\n`);
      return 1;
    },
  },

  dev: {
    summary: 'rebuild on save and upgrade the plugin in a running Polyphony',
    usage: 'dev [dir] [--url <url>] [--username <name>]',
    help: [
      `Watches the sources; after each change that builds, uploads the plugin to Polyphony (by`,
      `default ${DEFAULT_URL}) as an admin, replacing the installed copy even when the version`,
      'is the same. The admin is --username or POLYPHONY_USERNAME, with the password in',
      'POLYPHONY_PASSWORD. Compile errors and refusals are printed and the watch goes on.',
      'Ctrl-C stops.',
    ].join('\n'),
    options: { url: { type: 'string' }, username: { type: 'string' } },
    async run(values, positionals, io) {
      const username = text(values, 'username') ?? io.env.POLYPHONY_USERNAME;
      const password = io.env.POLYPHONY_PASSWORD;
      if (username === undefined || username === '' || password === undefined || password === '') {
        throw new KitError(
          'KIT_USAGE',
          'dev signs in to Polyphony as an admin: set POLYPHONY_USERNAME (or --username) and ' +
            'POLYPHONY_PASSWORD.',
        );
      }
      const url = text(values, 'url') ?? DEFAULT_URL;
      if (!/^https?:\/\/[^/]+/.test(url)) {
        throw new KitError('KIT_USAGE', `--url must be an http(s) address, not "${url}".`);
      }
      const stop = new AbortController();
      const onSignal = () => {
        stop.abort();
      };
      if (io.signal === undefined) {
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      } else {
        io.signal.addEventListener('abort', onSignal, { once: true });
      }
      try {
        await runDev(directory(positionals, io), {
          url,
          username,
          password,
          signal: stop.signal,
          color: io.color,
          log: (line) => {
            io.stdout(`${line}\n`);
          },
          logError: (line) => {
            io.stderr(`${line}\n`);
          },
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      io.stdout('Stopped.\n');
      return 0;
    },
  },
};

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function overview(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...Object.entries(commands).map(
      ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
    ),
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's options. The folder defaults to the`,
    'current one.',
    '',
  ].join('\n');
}

function commandHelp(name: string, command: Command): string {
  return `Usage: ${PROGRAM} ${command.usage}\n\n${command.help}\n`;
}

/** Node's parseArgs refusals (an unknown option, a missing value), recognised by their code. */
function isParseArgsError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function defaultIo(): CliIo {
  return {
    stdout: (chunk) => process.stdout.write(chunk),
    stderr: (chunk) => process.stderr.write(chunk),
    cwd: process.cwd(),
    env: process.env,
    color: process.stderr.isTTY && process.env.NO_COLOR === undefined,
  };
}

/** Runs one command line (without the program name); resolves with the exit code. */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const streams: CliIo = { ...defaultIo(), ...io };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    streams.stdout(overview());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    streams.stdout(`${kitVersion()}\n`);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    streams.stderr(`${PROGRAM}: unknown command "${name}".\n\n${overview()}`);
    return 1;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...command.options, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      if (!isParseArgsError(error)) throw error;
      throw new KitError('KIT_USAGE', `${error.message}\n\n${commandHelp(name, command)}`);
    }
    const values = parsed.values as Values;
    if (values.help === true) {
      streams.stdout(commandHelp(name, command));
      return 0;
    }
    // Every command takes at most one folder (or file).
    if (parsed.positionals.length > 1) {
      throw new KitError(
        'KIT_USAGE',
        `Too many arguments: ${parsed.positionals.slice(1).join(' ')}\n\n` +
          commandHelp(name, command),
      );
    }
    return await command.run(values, parsed.positionals, streams);
  } catch (error) {
    if (isKitError(error)) {
      const message = error.message.trimEnd();
      // esbuild's messages span lines, with the file:line and the code: keep them as they are.
      streams.stderr(
        message.includes('\n')
          ? `${PROGRAM} ${name} failed:\n${message}\n`
          : `${PROGRAM} ${name}: ${message}\n`,
      );
      return 1;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    streams.stderr(`${PROGRAM} ${name}: unexpected error (a bug in the kit):\n${detail}\n`);
    return 1;
  }
}
