import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { zipArchiveTree } from '@polyphony/plugin-format';
import {
  context,
  formatMessages,
  type BuildContext,
  type BuildOptions,
  type Message,
  type Plugin,
} from 'esbuild';
import { checkBuildable, checkedFrontend, writeBuild, type SideOutput } from '../build/build.ts';
import { backendBuildOptions, frontendBuildOptions } from '../build/esbuild-options.ts';
import { isKitError } from '../kit-error.ts';
import { zipTimestamp } from '../pack/zip.ts';
import {
  MANIFEST_FILE,
  PUBLIC_DIR,
  archiveIdentity,
  findProject,
  readManifestJson,
} from '../project.ts';
import { createUploadClient, type UploadOutcome } from './upload-client.ts';

/** The port an unconfigured Polyphony listens on (PORT, backend/src/config/config.ts). */
export const DEFAULT_URL = 'http://localhost:8000';
const DEFAULT_DEBOUNCE_MS = 200;

export interface DevOptions {
  url: string;
  username: string;
  password: string;
  /** Stops watching when aborted (Ctrl-C); `runDev` then resolves. */
  signal: AbortSignal;
  /** One line of progress (an upload, a rebuild). */
  log: (line: string) => void;
  /** A problem: a compile error, a refused upload. */
  logError: (text: string) => void;
  /** How long to wait after a change for more before rebuilding. */
  debounceMs?: number;
  color?: boolean;
  fetch?: typeof fetch;
}

type Side = 'backend' | 'frontend';

function timestamp(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** One line per upload: what the admin page would show. */
export function describeOutcome(outcome: UploadOutcome): string {
  if (!outcome.ok) {
    const issues = (outcome.details as { issues?: { path?: unknown; message?: unknown }[] } | null)
      ?.issues;
    const lines = Array.isArray(issues)
      ? issues.map((issue) => `\n  ${String(issue.path)}: ${String(issue.message)}`).join('')
      : '';
    return `refused: ${outcome.message} (${outcome.code})${lines}`;
  }
  const what = {
    installed: `installed ${outcome.id} ${outcome.version}`,
    replaced: `upgraded ${outcome.id} ${outcome.version} (replaced)`,
    unchanged: `unchanged ${outcome.id} ${outcome.version} (the installed archive is the same)`,
    upgraded: `upgraded ${outcome.id} ${outcome.from ?? '?'} → ${outcome.version}`,
  }[outcome.action];
  return outcome.state === 'failed'
    ? `${what}, but it failed to start: ${outcome.error ?? 'no reason given'}`
    : what;
}

/**
 * Watches a plugin project and, after each change that builds, uploads it to a running Polyphony
 * as a new version (the same version replaces the installed one). Compile errors and refusals are
 * printed and the watch goes on; only a wrong sign-in stops it. Resolves once `signal` aborts.
 */
export async function runDev(dir: string, options: DevOptions): Promise<void> {
  const project = await findProject(dir);
  await checkBuildable(project);
  const mtime = zipTimestamp(process.env.SOURCE_DATE_EPOCH);
  const client = createUploadClient({
    url: options.url,
    username: options.username,
    password: options.password,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  try {
    await client.login();
  } catch (error) {
    // A wrong password will not fix itself; a server that is not up yet may.
    if (!isKitError(error) || error.code !== 'KIT_HOST_UNREACHABLE') throw error;
    options.logError(`${error.message} Uploads will be tried after each change.`);
  }

  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const building = new Set<Side>();
  const outputs = new Map<Side, SideOutput>();
  const failed = new Set<Side>();
  // Held in an object: the callbacks below change them, which TypeScript's narrowing cannot see.
  const state: {
    timer: NodeJS.Timeout | null;
    running: Promise<void> | null;
    again: boolean;
    lastUploaded: string | null;
  } = { timer: null, running: null, again: false, lastUploaded: null };
  const color = options.color ?? false;

  const schedule = () => {
    if (options.signal.aborted) return;
    if (state.timer !== null) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = null;
      if (state.running !== null) {
        state.again = true;
        return;
      }
      state.running = cycle().finally(() => {
        state.running = null;
        if (state.again) {
          state.again = false;
          schedule();
        }
      });
    }, debounceMs);
  };

  const cycle = async () => {
    if (building.size > 0 || failed.size > 0) return;
    try {
      const sides = [...outputs.entries()].map(([side, output]) =>
        side === 'frontend' ? checkedFrontend(project, output) : output,
      );
      await writeBuild(project, sides);
      const { bytes } = await zipArchiveTree(project.buildDir, { mtime });
      const hash = createHash('sha256').update(bytes).digest('hex');
      if (hash === state.lastUploaded) return;
      let fileName = 'plugin.zip';
      try {
        const { id, version } = archiveIdentity(await readManifestJson(project));
        fileName = `${id}-${version}.zip`;
      } catch {
        // The host names the manifest's problems in its answer.
      }
      const outcome = await client.upload(bytes, fileName);
      const line = `[${timestamp()}] ${describeOutcome(outcome)}`;
      if (outcome.ok) {
        state.lastUploaded = hash;
        options.log(line);
      } else {
        options.logError(line);
      }
    } catch (error) {
      // Whatever went wrong, the next save gets another try; a bug in the kit shows its stack.
      const text = isKitError(error)
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
      options.logError(`[${timestamp()}] ${text}`);
    }
  };

  const reporter = (side: Side): Plugin => ({
    name: 'polyphony-dev-reporter',
    setup(build) {
      build.onStart(() => {
        building.add(side);
      });
      build.onEnd(async (result) => {
        building.delete(side);
        if (result.errors.length > 0) {
          failed.add(side);
          outputs.delete(side);
          options.logError(
            `[${timestamp()}] the ${side} does not build:\n` +
              (await formatted(result.errors, color)).join('\n'),
          );
          return;
        }
        failed.delete(side);
        outputs.set(side, {
          outputFiles: result.outputFiles ?? [],
          metafile: result.metafile ?? { inputs: {}, outputs: {} },
          warnings: [],
        });
        schedule();
      });
    },
  });

  const sides: [Side, BuildOptions][] = [];
  if (project.backendEntry !== null) sides.push(['backend', backendBuildOptions(project)]);
  if (project.frontendEntry !== null) {
    sides.push(['frontend', frontendBuildOptions(project, { dev: true })]);
  }
  const contexts: BuildContext[] = [];
  const watchers: FSWatcher[] = [];
  try {
    for (const [side, buildOptions] of sides) {
      contexts.push(
        await context({
          ...buildOptions,
          write: false,
          metafile: true,
          plugins: [...(buildOptions.plugins ?? []), reporter(side)],
        }),
      );
    }
    watchers.push(...(await watchExtraFiles(project.root, schedule)));
    options.log(
      `Watching ${project.root}: each change that builds is uploaded to ${options.url} as ` +
        `"${options.username}". Ctrl-C stops.`,
    );
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    await new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve();
      else
        options.signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
    });
  } finally {
    if (state.timer !== null) clearTimeout(state.timer);
    for (const watcher of watchers) watcher.close();
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
    await state.running;
  }
}

async function formatted(messages: Message[], color: boolean): Promise<string[]> {
  return (await formatMessages(messages, { kind: 'error', color })).map((text) => text.trimEnd());
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * esbuild watches what the bundles import; plugin.json and the public files are copied, not
 * imported, so they are watched here. The folders rather than the files: editors often save by
 * replacing a file, which ends a watch on the file itself.
 */
async function watchExtraFiles(root: string, onChange: () => void): Promise<FSWatcher[]> {
  const watchers = [
    watch(root, (_event, file) => {
      if (file === MANIFEST_FILE) onChange();
    }),
  ];
  const src = path.join(root, 'src');
  if (await isDirectory(src)) {
    const publicPrefix = path.relative('src', PUBLIC_DIR) + path.sep;
    watchers.push(
      watch(src, { recursive: true }, (_event, file) => {
        if (file !== null && `${file}${path.sep}`.startsWith(publicPrefix)) onChange();
      }),
    );
  }
  return watchers;
}
