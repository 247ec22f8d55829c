#!/usr/bin/env node
// The one test command (`npm test`): static checks, unit and HTTP tests (Vitest, on SQLite and
// PostgreSQL), the production build, and browser tests (Playwright on Debian's Chromium).
// Every step runs even when an earlier one fails; the last line sums them all up:
// "N passed, N failed". Static checks and the build count as one test each.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });

const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(command, args, env = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1', ...env },
  });
  return result.status === 0;
}

function count(name, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(
    `${name.padEnd(12)} ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
}

function check(name, command, args) {
  const ok = run(command, args);
  count(name, ok ? 1 : 0, ok ? 0 : 1);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const wanted = (step) => only.length === 0 || only.includes(step);
const npx = 'npx';

if (wanted('typecheck')) {
  for (const project of [
    'backend',
    'frontend',
    'packages/plugin-sdk',
    'packages/plugin-format',
    'packages/plugin-kit',
    'examples/plugins/hello',
    'examples/plugins/team-polls',
    'examples/plugins/team-polls/test',
    'bench',
    'e2e',
  ]) {
    check(`tsc ${project}`, npx, ['tsc', '-p', project, '--noEmit']);
  }
}
if (wanted('lint')) {
  check('eslint', npx, ['eslint', '.', '--max-warnings', '0']);
  check('prettier', npx, ['prettier', '--check', '.']);
}

if (wanted('unit')) {
  const file = path.join(results, 'vitest.json');
  rmSync(file, { force: true });
  const ok = run(npx, [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  const report = readJson(file);
  if (report) {
    count(
      'vitest',
      report.numPassedTests,
      report.numFailedTests,
      report.numPendingTests + report.numTodoTests,
    );
    if (!ok && report.numFailedTests === 0) count('vitest run', 0, 1); // failed outside a test
  } else {
    count('vitest', 0, 1);
  }
}

let built = true;
if (wanted('build') || wanted('e2e')) built = check('build', 'npm', ['run', 'build']);

if (wanted('e2e')) {
  const file = path.join(results, 'playwright.json');
  rmSync(file, { force: true });
  if (!built) {
    count('playwright', 0, 1);
  } else {
    const ok = run(npx, ['playwright', 'test', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: file,
    });
    const report = readJson(file);
    if (report?.stats) {
      const { expected, unexpected, flaky, skipped } = report.stats;
      count('playwright', expected + flaky, unexpected, skipped);
      if (!ok && unexpected === 0) count('playwright run', 0, 1);
    } else {
      count('playwright', 0, 1);
    }
  }
}

console.log('\nSummary');
for (const line of lines) console.log(`  ${line}`);
if (totals.skipped > 0) console.log(`  (${totals.skipped} skipped: see the suites above)`);
// The last line is exactly "N passed, N failed": CI reads it.
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
