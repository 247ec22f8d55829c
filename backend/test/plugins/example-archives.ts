// The example plugins (examples/plugins) as the kit packs them: the fixtures of the host's tests
// and of the browser tests. Built in a temporary copy, never in the source tree, so tests running
// side by side (or a developer's own `polyphony-plugin build`) never see a half-written build/.
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packPlugin } from '@polyphony/plugin-kit';
import { projectRoot } from '../../src/config/config.ts';

export const EXAMPLES_DIR = path.join(projectRoot, 'examples/plugins');

export interface ExampleArchives {
  hello: Buffer;
  /** hello with its version raised to 1.0.1 and nothing else changed: an upgrade without migrations. */
  hello101: Buffer;
  /** team-polls 1.0.0, from examples/plugins/team-polls/versions/1.0.0. */
  teamPolls100: Buffer;
  /** team-polls 1.1.0: 1.0.0 plus migration 002-comments and the comments feature. */
  teamPolls110: Buffer;
}

/** What a build writes, and what a copy must not carry over. */
const OUTPUTS = new Set(['build', 'dist', 'node_modules']);

/** Packs every example with the kit; takes a few seconds. */
export async function packExamples(): Promise<ExampleArchives> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'polyphony-examples-'));
  try {
    // The copies resolve @polyphony/plugin-sdk, react and zod as the sources do: from the
    // workspace's node_modules, found by walking up from each file.
    await symlink(path.join(projectRoot, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
    const copy = async (name: string) => {
      const target = path.join(tmp, name);
      await cp(path.join(EXAMPLES_DIR, name), target, {
        recursive: true,
        filter: (source) => !OUTPUTS.has(path.basename(source)),
      });
      return target;
    };
    const pack = async (dir: string) => readFile((await packPlugin(dir)).file);
    const hello = await copy('hello');
    const teamPolls = await copy('team-polls');
    const helloArchive = await pack(hello);
    const manifestFile = path.join(hello, 'plugin.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
    await writeFile(manifestFile, JSON.stringify({ ...manifest, version: '1.0.1' }));
    return {
      hello: helloArchive,
      hello101: await pack(hello),
      // 1.0.0's sources import the shared modules from ../../src: the whole folder is copied.
      teamPolls100: await pack(path.join(teamPolls, 'versions/1.0.0')),
      teamPolls110: await pack(teamPolls),
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
