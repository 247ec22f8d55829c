import { describe, expect, it } from 'vitest';
import { createHostClient, resolvePath } from './host-client.ts';

describe('resolvePath', () => {
  it("resolves plugin paths under the plugin's API and leaves host paths alone", () => {
    expect(resolvePath('notes', '/items')).toBe('/api/v1/plugins/notes/items');
    expect(resolvePath('notes', 'items?page=2')).toBe('/api/v1/plugins/notes/items?page=2');
    expect(resolvePath('notes', '')).toBe('/api/v1/plugins/notes');
    expect(resolvePath('notes', '/')).toBe('/api/v1/plugins/notes');
    expect(resolvePath('notes', '?q=1')).toBe('/api/v1/plugins/notes?q=1');
    expect(resolvePath('notes', '/api/v1/navigation')).toBe('/api/v1/navigation');
    expect(resolvePath('notes', '/plugin-assets/notes/abc/index.js')).toBe(
      '/plugin-assets/notes/abc/index.js',
    );
  });
});

describe('createHostClient', () => {
  const sent: { path: string; headers: Headers; body: unknown }[] = [];
  const request = (path: string, init: RequestInit) => {
    sent.push({ path, headers: new Headers(init.headers), body: init.body });
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  const session = { token: 'cookie-token', csrfToken: 'csrf-token' };

  it('sends the session cookie always and the CSRF token on writes only', async () => {
    sent.length = 0;
    const client = createHostClient({ request, pluginId: 'notes', session, user: null });
    await client.get('/a');
    await client.post('/b', { x: 1 });
    await client.delete('/c');
    expect(sent.map((s) => s.headers.get('cookie'))).toEqual([
      'polyphony_session=cookie-token',
      'polyphony_session=cookie-token',
      'polyphony_session=cookie-token',
    ]);
    expect(sent.map((s) => s.headers.get('x-csrf-token'))).toEqual([
      null,
      'csrf-token',
      'csrf-token',
    ]);
  });

  it('encodes plain values as JSON and sends strings and forms as they are', async () => {
    sent.length = 0;
    const client = createHostClient({ request, pluginId: 'notes', session: null, user: null });
    const form = new FormData();
    await client.post('/json', { text: 'hi' });
    await client.put('/text', 'raw text');
    await client.patch('/form', form);
    expect(sent.map((s) => [s.path, s.headers.get('content-type'), s.body])).toEqual([
      ['/api/v1/plugins/notes/json', 'application/json', '{"text":"hi"}'],
      ['/api/v1/plugins/notes/text', null, 'raw text'],
      ['/api/v1/plugins/notes/form', null, form],
    ]);
    expect(sent.every((s) => !s.headers.has('cookie'))).toBe(true);
  });
});
