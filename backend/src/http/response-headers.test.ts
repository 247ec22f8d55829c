import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { setHeader } from './response-headers.ts';

describe('setHeader', () => {
  it("sets a header on the handler's response, and on one with immutable headers", async () => {
    const app = new Hono();
    app.use('*', async (c, next) => {
      await next();
      setHeader(c, 'Cache-Control', 'no-store');
    });
    app.get('/json', (c) => c.json({ ok: true }, 201));
    app.get('/redirect', () => Response.redirect('http://localhost/x', 301));

    const json = await app.request('/json');
    expect(json.status).toBe(201);
    expect(json.headers.get('cache-control')).toBe('no-store');
    expect(await json.json()).toEqual({ ok: true });
    const redirect = await app.request('/redirect');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('http://localhost/x');
    expect(redirect.headers.get('cache-control')).toBe('no-store');
  });
});
