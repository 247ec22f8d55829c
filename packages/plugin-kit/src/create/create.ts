import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPluginFormatError, parseManifest } from '@polyphony/plugin-format';
import { SDK_VERSION } from '@polyphony/plugin-sdk';
import { compareNames, listFiles } from '../build/build.ts';
import { defaultHostRange } from '../host-version.ts';
import { KitError } from '../kit-error.ts';
import { MANIFEST_FILE } from '../project.ts';

export interface CreatePluginOptions {
  /** The plugin's id; derived from the folder's name when left out. */
  id?: string;
  /** The name admins see; derived from the id when left out. */
  name?: string;
  /** The manifest's author; the account's user name when left out. */
  author?: string;
  description?: string;
}

export interface CreatedPlugin {
  /** Absolute path of the new plugin's folder. */
  dir: string;
  id: string;
  name: string;
  /** The files written, relative to `dir`, sorted. */
  files: string[];
}

export const TEMPLATE_DIR = fileURLToPath(new URL('../../template/', import.meta.url));
/** npm leaves `.gitignore` files out of published packages, so the template names it this way. */
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore' };
const MAX_ID_LENGTH = 40;
const MAX_LABEL_LENGTH = 40;

/** `My Plugin!` → `my-plugin`: lowercase words joined by single hyphens, as ids are. */
export function idFromFolderName(folderName: string): string {
  return folderName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_ID_LENGTH)
    .replace(/-+$/, '');
}

/** `team-polls` → `Team polls`. */
export function nameFromId(id: string): string {
  const words = id.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The first `max` UTF-16 units (what the manifest's limits count), never half a character. */
function truncate(text: string, max: number): string {
  const cut = text.slice(0, max);
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut).trim();
}

function defaultAuthor(): string {
  try {
    const name = userInfo().username.trim();
    if (name !== '') return name;
  } catch {
    // No account name in some containers: fall through.
  }
  return 'Unknown author';
}

/** The text each placeholder stands for, before escaping for the file it lands in. */
export function placeholderValues(
  id: string,
  options: CreatePluginOptions,
  kitVersion: string,
): Record<string, string> {
  const name = options.name?.trim() ?? nameFromId(id);
  return {
    id,
    name,
    author: options.author?.trim() ?? defaultAuthor(),
    description: options.description?.trim() ?? `${name}: a Polyphony plugin.`,
    polyphony: defaultHostRange(),
    navigationLabel: truncate(name, MAX_LABEL_LENGTH),
    tablePrefix: `plugin_${id.replaceAll('-', '_')}_`,
    kitVersion,
    sdkVersion: SDK_VERSION,
  };
}

/** Escapes a value for where it lands: a JSON string, a single-quoted TS string, or prose. */
function escapeFor(file: string, value: string): string {
  const inJson = JSON.stringify(value).slice(1, -1);
  if (file.endsWith('.json')) return inJson;
  if (/\.[cm]?[jt]sx?$/.test(file)) return inJson.replaceAll("'", "\\'");
  return value;
}

export function renderTemplate(file: string, text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${file} uses an unknown placeholder {{${key}}}`);
    return escapeFor(file, value);
  });
}

async function kitVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** The option that sets a manifest field, to name in an error. */
function optionFor(field: string): string {
  if (field === 'id') return '--id';
  if (field === 'name' || field.startsWith('navigation')) return '--name';
  if (field === 'author') return '--author';
  if (field === 'description') return '--description';
  return field;
}

/** Refuses, with every reason, a plugin the host would refuse; writes nothing. */
function checkManifest(text: string, idWasDerived: boolean, folderName: string): void {
  try {
    parseManifest(text);
  } catch (error) {
    if (!isPluginFormatError(error)) throw error;
    const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)
      ?.issues ?? [{ path: '(root)', message: error.message }];
    const lines = issues.map((issue) => `  ${optionFor(issue.path)}: ${issue.message}`);
    const hint =
      idWasDerived && issues.some((issue) => issue.path === 'id')
        ? `\nThe id was derived from the folder name "${folderName}"; choose one with --id ` +
          '(lowercase words joined by hyphens, like team-polls).'
        : '';
    throw new KitError(
      'KIT_INVALID_OPTION',
      `Polyphony would refuse this plugin:\n${lines.join('\n')}${hint}`,
    );
  }
}

async function assertEmptyFolder(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    return; // created below
  }
  if (!info.isDirectory()) throw new KitError('KIT_TARGET_NOT_EMPTY', `${dir} is a file.`);
  if ((await readdir(dir)).length > 0) {
    throw new KitError(
      'KIT_TARGET_NOT_EMPTY',
      `${dir} is not empty. Create the plugin in a new folder, or empty this one.`,
    );
  }
}

/**
 * Creates a TypeScript plugin in `dir` (new or empty) from the kit's template: a manifest, a
 * backend with a migration and routes, a React page, a setting, a test and a README. It builds,
 * packs, validates and installs as it is.
 */
export async function createPlugin(
  dir: string,
  options: CreatePluginOptions = {},
): Promise<CreatedPlugin> {
  const root = path.resolve(dir);
  const folderName = path.basename(root);
  const id = options.id ?? idFromFolderName(folderName);
  const values = placeholderValues(id, options, await kitVersion());
  const templateFiles = (await listFiles(TEMPLATE_DIR)).sort(compareNames);
  const rendered = await Promise.all(
    templateFiles.map(async (file) => ({
      file: RENAMED[file] ?? file,
      text: renderTemplate(file, await readFile(path.join(TEMPLATE_DIR, file), 'utf8'), values),
    })),
  );
  const manifest = rendered.find((entry) => entry.file === MANIFEST_FILE);
  if (manifest === undefined) throw new Error(`the template has no ${MANIFEST_FILE}`);
  checkManifest(manifest.text, options.id === undefined, folderName);

  await assertEmptyFolder(root);
  for (const { file, text } of rendered) {
    const target = path.join(root, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text, { flag: 'wx' });
  }
  return {
    dir: root,
    id,
    name: values.name ?? id,
    files: rendered.map((entry) => entry.file).sort(compareNames),
  };
}
