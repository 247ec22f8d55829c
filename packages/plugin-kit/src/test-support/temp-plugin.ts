// Plugin projects in temporary folders, for the kit's own tests.
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPlugin, type CreatePluginOptions } from '../create/create.ts';

/** The Polyphony checkout the kit is part of. */
export const WORKSPACE_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../..',
);

export interface TempFolder {
  dir: string;
  remove(): Promise<void>;
}

export async function tempFolder(prefix = 'polyphony-kit-'): Promise<TempFolder> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A generated plugin outside the workspace cannot resolve @polyphony/* or React's types: a
 * `node_modules` link beside it, to the workspace's, stands in for `npm install`. Beside it and
 * not inside, so the plugin's own folder holds only what `create` wrote.
 */
export async function linkWorkspaceModules(parent: string): Promise<void> {
  await symlink(
    path.join(WORKSPACE_ROOT, 'node_modules'),
    path.join(parent, 'node_modules'),
    'dir',
  );
}

export interface TempPlugin extends TempFolder {
  /** The plugin's folder, `<dir>/<name>`. */
  plugin: string;
}

/** `polyphony-plugin create` into a fresh temporary folder, with the workspace's packages. */
export async function createTempPlugin(
  name = 'my-plugin',
  options: CreatePluginOptions = {},
): Promise<TempPlugin> {
  const folder = await tempFolder();
  await linkWorkspaceModules(folder.dir);
  const plugin = path.join(folder.dir, name);
  await createPlugin(plugin, { author: 'Ada Example', ...options });
  return { ...folder, plugin };
}
