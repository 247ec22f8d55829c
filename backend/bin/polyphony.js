#!/usr/bin/env node
// The operator CLI runs the TypeScript sources directly (see docs/decisions/0001-run-typescript-with-tsx.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
