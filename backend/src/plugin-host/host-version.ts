import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/config.ts';

/** The Polyphony version plugins declare compatibility with: the root package's version. */
export const hostVersion: string = (
  JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;
