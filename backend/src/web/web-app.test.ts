import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../http/app-env.ts';
import { mountWebApp, withNonce } from './web-app.ts';

describe('the web app', () => {
  let root: string;
  let app: Hono<AppEnv>;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'polyphony-web-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Polyphony</title>');
    writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
    app = new Hono<AppEnv>();
    mountWebApp(app, root, pino({ level: 'silent' }));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('caches hashed assets for good', async () => {
    const response = await app.request('/assets/index-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('answers a missing asset with 404, not the app', async () => {
    const response = await app.request('/assets/index-old999.js');
    expect(response.status).toBe(404);
  });

  it('answers client-side routes with index.html, never cached', async () => {
    for (const route of ['/', '/admin/users', '/login?next=%2Fadmin']) {
      const response = await app.request(route);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>Polyphony</title>');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves other static files and never leaves the web root', async () => {
    expect((await app.request('/favicon.svg')).status).toBe(200);
    for (const attempt of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
    ]) {
      const text = await (await app.request(attempt)).text();
      expect(text).not.toContain('"name"');
    }
  });
});

describe('withNonce', () => {
  it('gives the inline import map the nonce, and touches no other script', () => {
    const html =
      '<head><script type="importmap">{"imports":{}}</script><script type="module" src="/assets/a.js"></script></head>';
    expect(withNonce(html, 'abc+/=')).toBe(
      '<head><script type="importmap" nonce="abc+/=">{"imports":{}}</script><script type="module" src="/assets/a.js"></script></head>',
    );
  });
});
