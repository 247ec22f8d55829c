// A plugin that bundles the SDK, as the kit builds one, throws its own copy of PluginError: the
// host answers in its error shape without sharing the class (no instanceof across the boundary).
import path from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import { createPluginTestApp, FIXTURES, packPlugin, type PluginTestApp } from '../plugin-app.ts';

let archive: Buffer;

beforeAll(async () => {
  const result = await build({
    entryPoints: [path.join(FIXTURES, 'refusals/src/main.js')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  // The plugin carries its own copy of the class, not the host's.
  expect(code).toMatch(/PluginError = class extends Error|class PluginError extends Error/);
  archive = await packPlugin('refusals', { 'backend/main.js': code, 'src/main.js': null });
});

describe.each(dialects)('errors a plugin throws with the SDK (%s)', (dialect) => {
  let t: PluginTestApp;
  beforeEach(async () => {
    t = await createPluginTestApp(dialect);
    expect((await t.upload(archive)).status).toBe(201);
  });
  afterEach(async () => {
    await t.close();
  });

  it("a PluginError from the plugin's bundled SDK: its status and body", async () => {
    const response = await t.admin.get('/api/v1/plugins/refusals/polls/closed');
    expect(response.status).toBe(409);
    expect(response.body).toEqual({
      error: { code: 'POLL_CLOSED', message: 'This poll is closed.', details: { pollId: 'p1' } },
    });
    expect((await t.admin.get('/api/v1/plugins/refusals/sdk')).body).toEqual({ version: '0.1.0' });
  });

  it("validationFailed lists every problem in the host's VALIDATION_FAILED shape", async () => {
    const response = await t.admin.post('/api/v1/plugins/refusals/polls', { options: ['a', 2] });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Some fields are not valid.',
        details: {
          issues: [
            { path: 'question', message: 'Required' },
            { path: 'options.1', message: 'Not text' },
          ],
        },
      },
    });
    // The host's own VALIDATION_FAILED, for comparison: the same shape.
    const host = await t.admin.post('/api/v1/admin/users', { username: 42 });
    expect(host.status).toBe(400);
    const { error } = host.body as {
      error: { code: string; details: { issues: Record<string, unknown>[] } };
    };
    expect(error.code).toBe('VALIDATION_FAILED');
    const issue = error.details.issues.find((candidate) => candidate.path === 'username');
    expect(Object.keys(issue ?? {}).sort()).toEqual(['message', 'path']);
    expect(typeof issue?.message).toBe('string');
  });

  it('a class of its own with the same shape, and a plain object, are recognised too', async () => {
    const copied = await t.admin.get('/api/v1/plugins/refusals/polls/copied');
    expect(copied.status).toBe(410);
    expect(copied.body).toEqual({
      error: { code: 'POLL_GONE', message: 'This poll was deleted.' },
    });
    const plain = await t.admin.get('/api/v1/plugins/refusals/polls/plain');
    expect(plain.status).toBe(429);
    expect(plain.body).toEqual({ error: { code: 'SLOW_DOWN', message: 'Vote less often.' } });
  });

  it('a status or code the host cannot send is a 500 whose message stays in the log', async () => {
    const response = await t.admin.get('/api/v1/plugins/refusals/polls/nonsense');
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
    expect(JSON.stringify(response.body)).not.toContain('secret');
    expect((await t.admin.get('/api/v1/plugins/refusals/sdk')).status).toBe(200);
  });

  it("the SDK's requireRole, bundled, guards like ctx.requireRole", async () => {
    expect((await t.admin.get('/api/v1/plugins/refusals/admin')).body).toEqual({ admin: true });
    const viewer = await t.userWith('vera', ['viewer']);
    const refused = await viewer.get('/api/v1/plugins/refusals/admin');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: { code: 'FORBIDDEN', message: 'This needs one of the roles: admin.' },
    });
    const anonymous = await t.anonymous().get('/api/v1/plugins/refusals/public/editors');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' },
    });
    const editor = await t.userWith('eddie', ['editor']);
    expect((await editor.get('/api/v1/plugins/refusals/public/editors')).body).toEqual({
      editor: true,
    });
  });
});
