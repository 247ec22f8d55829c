import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './app-env.ts';
import { cspNonce, securityHeaders } from './security-headers.ts';

function app() {
  const app = new Hono<AppEnv>();
  app.use('*', securityHeaders());
  app.get('/api/v1/thing', (c) => c.json({ ok: true }));
  app.get('/file.css', (c) => c.body('p {}', 200, { 'Content-Type': 'text/css' }));
  app.get('/page', (c) => c.html(`<script nonce="${cspNonce(c)}"></script>`));
  app.get('/twice', (c) => c.text(cspNonce(c) === cspNonce(c) ? 'same' : 'different'));
  // A response whose headers cannot change, as a plugin passing on a fetch() answer has.
  app.get('/redirect', () => Response.redirect('http://localhost/elsewhere', 302));
  app.get('/powered', (c) => {
    c.header('X-Powered-By', 'Express');
    return c.text('hi');
  });
  return app;
}

describe('securityHeaders', () => {
  it('gives an API answer the short set for APIs: nothing may load, frame or sniff it', async () => {
    const response = await app().request('/api/v1/thing');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.has('cross-origin-opener-policy')).toBe(false);
  });

  it('gives pages and files the full policy without a nonce and the hardening headers', async () => {
    const response = await app().request('/file.css');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it("admits a page's inline script by a fresh nonce per response", async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const response = await app().request('/page');
      const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '');
      expect(nonce).not.toBeNull();
      expect(await response.text()).toBe(`<script nonce="${nonce?.[1]}"></script>`);
      nonces.push(nonce?.[1]);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('makes one nonce per response however often it is asked for', async () => {
    expect(await (await app().request('/twice')).text()).toBe('same');
  });

  it('sets the headers on a response whose headers are immutable', async () => {
    const response = await app().request('/redirect');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost/elsewhere');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('removes X-Powered-By', async () => {
    expect((await app().request('/powered')).headers.has('x-powered-by')).toBe(false);
  });
});
