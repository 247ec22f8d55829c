import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../http/app-env.ts';
import { cspNonce } from '../http/security-headers.ts';

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Polyphony</title>
<p>The web app is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds first).</p>`;

/**
 * The import map that shares React with plugin bundles is the page's one inline script; the
 * Content-Security-Policy admits it by this response's nonce, so no other inline script runs.
 */
export function withNonce(html: string, nonce: string): string {
  return html.replaceAll('<script type="importmap">', `<script type="importmap" nonce="${nonce}">`);
}

/**
 * Serves the built single-page app: hashed assets cached for good, every other GET answered with
 * index.html so that client-side routes survive a reload.
 */
export function mountWebApp(app: Hono<AppEnv>, webRoot: string, logger: Logger): void {
  const indexFile = path.join(webRoot, 'index.html');
  if (!existsSync(indexFile)) {
    logger.warn({ webRoot }, 'the web app is not built: run `npm run build`');
  }
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200)
      c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('/assets/*', serveStatic({ root: webRoot }));
  // A missing hashed asset is a 404, never index.html: a browser would try to run HTML as a script.
  app.get('/assets/*', (c) => c.text('Not found', 404));
  // index.html always comes from here, never from the static files, so it is never cached and
  // every client-side route (a reload on /admin/users) gets the app.
  const serveIndex = async (c: Context<AppEnv>) => {
    c.header('Cache-Control', 'no-cache');
    try {
      return c.html(withNonce(await readFile(indexFile, 'utf8'), cspNonce(c)));
    } catch {
      return c.html(NOT_BUILT, 503);
    }
  };
  app.get('/', serveIndex);
  app.get('/index.html', serveIndex);
  app.use('*', serveStatic({ root: webRoot }));
  app.get('*', serveIndex);
}
