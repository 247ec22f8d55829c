import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/databases.ts';
import { createTestApp, TestClient, type TestApp } from '../../test/test-app.ts';
import { bootstrapAdmin } from './bootstrap-admin.ts';

const logger = pino({ level: 'silent' });

describe.each(dialects)('bootstrap admin from the environment (%s)', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates the admin when no user exists, and never again', async () => {
    await bootstrapAdmin(t.services, { username: 'Boss', password: 'boss-password' }, logger);
    expect((await new TestClient(t.app).login('boss', 'boss-password')).body).toMatchObject({
      user: { roles: ['admin'] },
    });
    await bootstrapAdmin(t.services, { username: 'other', password: 'other-password' }, logger);
    expect((await t.services.users.list()).map((u) => u.username)).toEqual(['boss']);
  });

  it('refuses invalid values with a clear message', async () => {
    await expect(
      bootstrapAdmin(t.services, { username: 'x', password: 'short' }, logger),
    ).rejects.toThrow(/username: .*password: /);
  });
});
