#!/usr/bin/env node
import { register } from 'tsx/esm/api';

// `npx create-polyphony-plugin my-plugin` is `polyphony-plugin create my-plugin`.
register({ tsconfig: false });
const { main } = await import('../src/cli.ts');
process.exitCode = await main(['create', ...process.argv.slice(2)]);
