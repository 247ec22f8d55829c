import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  extractArchive,
  PLUGIN_ID_PATTERN,
  toStorageError,
  type ArchiveLimits,
} from '@polyphony/plugin-format';

/**
 * The plugins folder: `<id>/` per installed plugin (the product's documented location), plus
 * three working folders that start with a dot so no plugin id can name them:
 * - `.staging/`: uploads and archives being extracted; emptied at every start.
 * - `.trash/`: folders being deleted; renamed here first so a removal is atomic.
 * - `.runtime/<id>@<hash>/`: the copy of a version that the server imports. Node caches ES
 *   modules by URL for the life of the process, so each version gets its own URL and an upgrade
 *   runs all of the new code, never a stale sibling module of the old one.
 *
 * The folder is a cache of the registry: each plugin folder carries a marker with the archive's
 * hash, and any folder that disagrees with the database is rebuilt from the stored archive.
 */
export interface PluginFiles {
  readonly root: string;
  readonly stagingRoot: string;
  pluginDir(id: string): string;
  /** A fresh path inside staging (not created). */
  newStagingPath(suffix?: string): string;
  /** The archive hash recorded in an installed folder, or null if absent or unreadable. */
  installedHash(id: string): Promise<string | null>;
  /** Marks a staged folder and renames it into place, replacing any previous version atomically. */
  place(id: string, stagedDir: string, sha256: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Rebuilds a plugin folder from its archive bytes (after a crash, or on another machine). */
  materialize(id: string, archive: Buffer, sha256: string, limits: ArchiveLimits): Promise<void>;
  /** A content-addressed copy of a plugin folder to import code from. */
  runtimeCopy(id: string, sourceDir: string, sha256: string): Promise<string>;
  /** Removes the runtime copy of one version (after a failed install of it). */
  discardRuntimeCopy(id: string, sha256: string): Promise<void>;
  /** Empties staging and trash, removes folders of plugins no longer registered and stale runtime copies. */
  cleanUp(registered: ReadonlyMap<string, string>): Promise<string[]>;
}

const MARKER = '.polyphony-install.json';
const RECENT_MS = 10 * 60 * 1000;

/** Whether a process of this host still runs (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(target: string): Promise<boolean> {
  try {
    await fs.lstat(target);
    return true;
  } catch {
    return false;
  }
}

export function createPluginFiles(root: string): PluginFiles {
  const stagingRoot = path.join(root, '.staging');
  const trashRoot = path.join(root, '.trash');
  const runtimeRoot = path.join(root, '.runtime');
  const unique = () => randomBytes(8).toString('hex');

  const pluginDir = (id: string) => {
    // Every id reaching the file system was validated; this guards against a future caller that forgot.
    if (!PLUGIN_ID_PATTERN.test(id)) throw new Error(`Not a plugin id: ${id}`);
    return path.join(root, id);
  };

  const discard = async (target: string) => {
    if (!(await exists(target))) return;
    await fs.mkdir(trashRoot, { recursive: true });
    const trashed = path.join(trashRoot, `${path.basename(target)}-${unique()}`);
    await fs.rename(target, trashed);
    await fs.rm(trashed, { recursive: true, force: true });
  };

  const files: PluginFiles = {
    root,
    stagingRoot,
    pluginDir,
    // Tagged with the process id: a server starting up clears only what dead processes left.
    newStagingPath: (suffix = '') => path.join(stagingRoot, `${process.pid}-${unique()}${suffix}`),

    async installedHash(id) {
      try {
        const marker = JSON.parse(await fs.readFile(path.join(pluginDir(id), MARKER), 'utf8')) as {
          sha256?: unknown;
        };
        return typeof marker.sha256 === 'string' ? marker.sha256 : null;
      } catch {
        return null;
      }
    },

    async place(id, stagedDir, sha256) {
      try {
        await fs.writeFile(
          path.join(stagedDir, MARKER),
          JSON.stringify({ id, sha256, placedAt: new Date().toISOString() }),
        );
        const target = pluginDir(id);
        if (await exists(target)) {
          await fs.mkdir(trashRoot, { recursive: true });
          const trashed = path.join(trashRoot, `${id}-${unique()}`);
          await fs.rename(target, trashed);
          await fs.rename(stagedDir, target);
          await fs.rm(trashed, { recursive: true, force: true });
        } else {
          await fs.rename(stagedDir, target);
        }
      } catch (error) {
        throw toStorageError(error);
      }
    },

    async remove(id) {
      await discard(pluginDir(id));
      for (const entry of await fs.readdir(runtimeRoot).catch(() => [])) {
        if (entry.startsWith(`${id}@`)) await discard(path.join(runtimeRoot, entry));
      }
    },

    async materialize(id, archive, sha256, limits) {
      await fs.mkdir(stagingRoot, { recursive: true });
      const zip = files.newStagingPath('.zip');
      const staged = files.newStagingPath();
      try {
        await fs.writeFile(zip, archive);
        await extractArchive(zip, staged, limits);
        await files.place(id, staged, sha256);
      } finally {
        await fs.rm(zip, { force: true });
        await fs.rm(staged, { recursive: true, force: true });
      }
    },

    async runtimeCopy(id, sourceDir, sha256) {
      const target = path.join(runtimeRoot, `${id}@${sha256.slice(0, 16)}`);
      if (await exists(path.join(target, MARKER))) return target;
      await fs.mkdir(runtimeRoot, { recursive: true });
      const temporary = path.join(runtimeRoot, `.${id}-${unique()}`);
      try {
        await fs.cp(sourceDir, temporary, { recursive: true, verbatimSymlinks: true });
        await fs.writeFile(path.join(temporary, MARKER), JSON.stringify({ id, sha256 }));
        // Plugin modules are ES modules wherever the plugins folder is (outside any package of ours).
        // A package.json the plugin ships in its own folders still wins for the files below it.
        if (!(await exists(path.join(temporary, 'package.json')))) {
          await fs.writeFile(path.join(temporary, 'package.json'), '{ "type": "module" }\n');
        }
        await discard(target);
        await fs.rename(temporary, target);
      } catch (error) {
        await fs.rm(temporary, { recursive: true, force: true });
        throw toStorageError(error);
      }
      return target;
    },

    async discardRuntimeCopy(id, sha256) {
      await discard(path.join(runtimeRoot, `${id}@${sha256.slice(0, 16)}`));
    },

    async cleanUp(registered) {
      const removed: string[] = [];
      await fs.mkdir(root, { recursive: true });
      await fs.rm(trashRoot, { recursive: true, force: true });
      for (const entry of await fs.readdir(stagingRoot).catch(() => [])) {
        const pid = Number(entry.split('-')[0]);
        if (pid !== process.pid && Number.isInteger(pid) && processAlive(pid)) continue;
        await fs.rm(path.join(stagingRoot, entry), { recursive: true, force: true });
      }
      for (const entry of await fs.readdir(root, { withFileTypes: true })) {
        if (!entry.isDirectory() || !PLUGIN_ID_PATTERN.test(entry.name)) continue;
        // Only folders we placed carry the marker: never delete something an operator put here.
        if (registered.has(entry.name) || !(await exists(path.join(root, entry.name, MARKER))))
          continue;
        await discard(path.join(root, entry.name));
        removed.push(entry.name);
      }
      for (const entry of await fs.readdir(runtimeRoot).catch(() => [])) {
        const [id, hash] = entry.split('@');
        const current = id === undefined ? undefined : registered.get(id);
        if (current !== undefined && hash !== undefined && current.startsWith(hash)) continue;
        // A copy made in the last minutes may belong to an install still running in another process.
        const { mtimeMs } = await fs.stat(path.join(runtimeRoot, entry));
        if (Date.now() - mtimeMs < RECENT_MS) continue;
        await fs.rm(path.join(runtimeRoot, entry), { recursive: true, force: true });
      }
      return removed;
    },
  };
  return files;
}
