// The plugin's routes, called for real: createTestHost boots Polyphony in this process (SQLite in
// memory) and installs build/ as an admin would install the ZIP. `npm test` builds first.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@polyphony/plugin-kit/testing';

const plugin = new URL('..', import.meta.url);

describe('{{name}}', () => {
  let host: TestHost;

  beforeEach(async () => {
    host = await createTestHost({ plugin });
  });

  afterEach(async () => {
    await host.close();
  });

  it('installs, runs its migration and serves', async () => {
    const info = await host.info();
    expect(info.state).toBe('active');
    expect(info.tables).toEqual(['{{tablePrefix}}greetings']);
  });

  it('keeps the greetings users post', async () => {
    const viewer = await host.signIn({ roles: ['viewer'] });
    const posted = await viewer.post('/greetings', { message: '  Hello, team  ' });
    expect(posted.status).toBe(201);

    const listed = await viewer.get('/greetings');
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({
      greetings: [{ from: viewer.user?.username, message: 'Hello, team' }],
    });
    expect(await host.data()).toEqual({ '{{tablePrefix}}greetings': 1 });
  });

  it('refuses an empty message, naming the field', async () => {
    const viewer = await host.signIn({ roles: ['viewer'] });
    const response = await viewer.post('/greetings', { message: ' ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'message' }] } },
    });
  });

  it('answers 401 to someone not signed in', async () => {
    const response = await host.anonymous().get('/greetings');
    expect(response.status).toBe(401);
  });

  it('lets only admins delete a greeting', async () => {
    const viewer = await host.signIn({ roles: ['viewer'] });
    const posted = (await (await viewer.post('/greetings', { message: 'Hi' })).json()) as {
      greeting: { id: string };
    };
    const path = `/greetings/${posted.greeting.id}`;

    expect((await viewer.delete(path)).status).toBe(403);
    expect((await host.admin.delete(path)).status).toBe(204);
    expect((await host.admin.delete(path)).status).toBe(404);
  });
});
