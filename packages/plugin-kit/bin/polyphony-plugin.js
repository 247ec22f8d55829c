#!/usr/bin/env node
import { register } from 'tsx/esm/api';

// The kit is TypeScript run by tsx. `tsconfig: false`: the plugin's own tsconfig.json, in the
// folder the command runs in, must not change how the kit itself is compiled.
register({ tsconfig: false });
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
