import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  build as esbuild,
  formatMessages,
  type BuildOptions,
  type Message,
  type Metafile,
  type OutputFile,
} from 'esbuild';
import { listFiles } from '@polyphony/plugin-format';
import { KitError, isKitError } from '../kit-error.ts';
import {
  MANIFEST_FILE,
  checkEntryFields,
  findProject,
  readManifestJson,
  type PluginProject,
} from '../project.ts';
import { checkFrontendBundle } from './check-bundle.ts';
import { backendBuildOptions, frontendBuildOptions, type SideOptions } from './esbuild-options.ts';

export interface BuildPluginOptions extends SideOptions {
  /** Colours in esbuild's messages (for a terminal). */
  color?: boolean;
}

export interface BuildResult {
  project: PluginProject;
  /** Every file written under build/, relative to it, `/`-separated, sorted. */
  files: string[];
  /** esbuild's warnings and the bundle check's, formatted for a terminal. */
  warnings: string[];
}

/** What one side's esbuild run produced, kept in memory until both sides have succeeded. */
export interface SideOutput {
  outputFiles: OutputFile[];
  metafile: Metafile;
  warnings: string[];
}

/**
 * Builds a plugin project into build/, the archive tree: build/plugin.json, the backend bundle
 * (build/backend/main.js) and the frontend bundle with its chunks and public files
 * (build/frontend/index.js). build/ is emptied first, so it never holds a stale file.
 */
export async function buildPlugin(
  dir: string,
  options: BuildPluginOptions = {},
): Promise<BuildResult> {
  const project = await findProject(dir);
  await checkBuildable(project);
  const [backend, frontend] = await Promise.allSettled([
    project.backendEntry === null ? null : runSide(backendBuildOptions(project), options),
    project.frontendEntry === null
      ? null
      : runSide(frontendBuildOptions(project, options), options).then((side) =>
          checkedFrontend(project, side),
        ),
  ]);
  const failures = [backend, frontend].flatMap((r) =>
    r.status === 'rejected' ? [r.reason as unknown] : [],
  );
  if (failures.length > 0) throw combinedFailure(failures);
  const sides = [backend, frontend].flatMap((r) =>
    r.status === 'fulfilled' && r.value !== null ? [r.value] : [],
  );
  const files = await writeBuild(project, sides);
  return { project, files, warnings: sides.flatMap((side) => side.warnings) };
}

/** Refuses what no build can fix: no entry at all, or a manifest pointing elsewhere. */
export async function checkBuildable(project: PluginProject): Promise<void> {
  if (project.backendEntry === null && project.frontendEntry === null) {
    throw new KitError(
      'KIT_NOT_A_PLUGIN',
      `${project.root} has nothing to build: a plugin has src/backend/index.ts, ` +
        'src/frontend/index.tsx, or both.',
    );
  }
  const manifest = await readManifestJson(project);
  if (manifest !== null) checkEntryFields(manifest);
}

function isBuildFailure(error: unknown): error is { errors: Message[]; warnings: Message[] } {
  return (
    typeof error === 'object' &&
    error !== null &&
    Array.isArray((error as { errors?: unknown }).errors) &&
    Array.isArray((error as { warnings?: unknown }).warnings)
  );
}

async function formatted(messages: Message[], kind: 'error' | 'warning', color: boolean) {
  if (messages.length === 0) return [];
  return (await formatMessages(messages, { kind, color })).map((text) => text.trimEnd());
}

/** Runs esbuild for one side; a compile error becomes a KitError with esbuild's file:line text. */
export async function runSide(
  buildOptions: BuildOptions,
  { color = false }: BuildPluginOptions,
): Promise<SideOutput> {
  try {
    const result = await esbuild({ ...buildOptions, write: false, metafile: true });
    return {
      outputFiles: result.outputFiles,
      metafile: result.metafile,
      warnings: await formatted(result.warnings, 'warning', color),
    };
  } catch (error) {
    if (!isBuildFailure(error)) throw error;
    const text = [
      ...(await formatted(error.errors, 'error', color)),
      ...(await formatted(error.warnings, 'warning', color)),
    ].join('\n\n');
    throw new KitError('KIT_BUILD_FAILED', text, { cause: error });
  }
}

/** Applies the frontend bundle check to a side's output: errors fail the build. */
export function checkedFrontend(project: PluginProject, side: SideOutput): SideOutput {
  const texts = new Map(
    side.outputFiles.map((file) => [toPosix(path.relative(project.root, file.path)), file.text]),
  );
  const { errors, warnings } = checkFrontendBundle(side.metafile, (output) => texts.get(output));
  if (errors.length > 0) {
    throw new KitError(
      'KIT_BUNDLE_REFUSED',
      `The frontend bundle would not load in Polyphony:\n${errors.map((e) => `  - ${e}`).join('\n')}`,
    );
  }
  return { ...side, warnings: [...side.warnings, ...warnings.map((w) => `warning: ${w}`)] };
}

function combinedFailure(failures: unknown[]): unknown {
  const kitErrors = failures.filter(isKitError);
  // A bug (not a KitError) wins: it must surface with its stack.
  if (kitErrors.length !== failures.length) return failures.find((f) => !isKitError(f));
  if (kitErrors.length === 1) return kitErrors[0];
  return new KitError(
    kitErrors[0]?.code ?? 'KIT_BUILD_FAILED',
    kitErrors.map((e) => e.message).join('\n\n'),
  );
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** Every regular file under `dir`, relative to it, `/`-separated (the archive writer's listing). */
export { listFiles };

/**
 * Writes build/ afresh: both sides' outputs, plugin.json, and src/frontend/public/. Files whose
 * name starts with a dot (.DS_Store, .gitkeep) are left out of public/: the host never serves them.
 */
export async function writeBuild(project: PluginProject, sides: SideOutput[]): Promise<string[]> {
  const { buildDir } = project;
  const written = new Map<string, string>();
  const claim = (relative: string, source: string) => {
    const previous = written.get(relative);
    if (previous !== undefined) {
      throw new KitError(
        'KIT_BUILD_FAILED',
        `build/${relative} would come from both ${previous} and ${source}: rename one of them.`,
      );
    }
    written.set(relative, source);
  };
  const bundles = sides.flatMap((side) => side.outputFiles);
  for (const file of bundles) {
    const relative = toPosix(path.relative(buildDir, file.path));
    if (relative.startsWith('../') || path.isAbsolute(relative)) {
      throw new Error(`esbuild wrote outside build/: ${file.path}`);
    }
    claim(relative, 'the bundle');
  }
  claim(MANIFEST_FILE, MANIFEST_FILE);
  const publicFiles =
    project.publicDir === null
      ? []
      : (await listFiles(path.join(project.root, project.publicDir))).filter(
          (relative) => !relative.split('/').some((segment) => segment.startsWith('.')),
        );
  for (const relative of publicFiles)
    claim(`frontend/${relative}`, `${project.publicDir}/${relative}`);

  await rm(buildDir, { recursive: true, force: true });
  for (const file of bundles) {
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeFile(file.path, file.contents);
  }
  await mkdir(buildDir, { recursive: true });
  await copyFile(path.join(project.root, MANIFEST_FILE), path.join(buildDir, MANIFEST_FILE));
  for (const relative of publicFiles) {
    const target = path.join(buildDir, 'frontend', relative);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(project.root, project.publicDir ?? '', relative), target);
  }
  return [...written.keys()].sort(compareNames);
}

/** Byte order of the UTF-8 names: the same on every machine and locale. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
