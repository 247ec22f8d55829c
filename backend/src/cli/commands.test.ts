import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/databases.ts';
import { createTestApp, TestClient, type TestApp } from '../../test/test-app.ts';
import { runCommand, type CliIo } from './commands.ts';

describe.each(dialects)('operator CLI commands (%s)', (dialect) => {
  let t: TestApp;
  let output: string[];
  let io: CliIo;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    output = [];
    io = {
      out: (line) => output.push(line),
      readPassword: () => Promise.resolve('cli-password-1'),
    };
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates an admin who can sign in, audited as the CLI', async () => {
    const code = await runCommand(
      ['users', 'create', 'Root', '--role', 'admin', '--role', 'editor'],
      t.services,
      io,
    );
    expect(code).toBe(0);
    expect(output).toEqual(['Created root with roles admin, editor.']);
    const login = await new TestClient(t.app).login('root', 'cli-password-1');
    expect(login.body).toMatchObject({ user: { roles: ['admin', 'editor'] } });
    const audit = await t.services.audit.list({ page: 1, pageSize: 10, action: 'user.created' });
    expect(audit.entries[0]).toMatchObject({
      action: 'user.created',
      actor: { id: null, username: 'cli' },
    });
  });

  it('resets a password and ends the sessions of that user', async () => {
    await runCommand(['users', 'create', 'bob'], t.services, io);
    const bob = new TestClient(t.app);
    await bob.login('bob', 'cli-password-1');
    io.readPassword = () => Promise.resolve('another-password');
    expect(await runCommand(['users', 'reset-password', 'bob'], t.services, io)).toBe(0);
    expect((await bob.get('/api/v1/auth/me')).status).toBe(401);
    expect((await new TestClient(t.app).login('bob', 'another-password')).status).toBe(200);
  });

  it('lists users and reports domain errors with their code', async () => {
    await runCommand(['users', 'create', 'bob'], t.services, io);
    expect(await runCommand(['users', 'create', 'bob'], t.services, io)).toBe(1);
    expect(output.at(-1)).toMatch(/^Error USERNAME_TAKEN/);
    expect(await runCommand(['users', 'reset-password', 'nobody'], t.services, io)).toBe(1);
    expect(output.at(-1)).toMatch(/^Error USER_NOT_FOUND/);
    output.length = 0;
    await runCommand(['users', 'list'], t.services, io);
    expect(output).toEqual(['bob\tviewer\tactive']);
  });

  it('refuses weak passwords and unknown commands', async () => {
    io.readPassword = () => Promise.resolve('short');
    await expect(runCommand(['users', 'create', 'bob'], t.services, io)).rejects.toThrow(
      /Password/,
    );
    await expect(runCommand(['users', 'frobnicate'], t.services, io)).rejects.toThrow(
      /Unknown command/,
    );
    expect(await t.services.users.count()).toBe(0);
  });
});
