import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../http/app-env.ts';
import { createErrorHandler } from '../../http/error-handler.ts';
import { assetSegments, contentTypeOf, isInside, servePluginAsset } from './plugin-assets.ts';

const INDEX_JS = 'export const answer = 42;\n';
const OUTSIDE = 'OUTSIDE-THE-ROOT';
const EVIL = 'IN-THE-SIBLING-FOLDER';
const SECRET = 'DOTFILE-SECRET';

let base: string;
let root: string;

/**
 * base/
 *   outside.txt                   a file next to root
 *   frontend-evil/x.js            a sibling whose name starts like root's
 *   frontend-link -> frontend     root reached through a symlink
 *   frontend/                     the root
 *     index.js, style.css, nested/chunk.js, empty.txt, data.bin, .secret, .git/config
 *     %41.txt, A.txt              tell single from double decoding apart
 *     back\slash.js, a:b.js, ctl\x01.js   names that are legal on Linux but never served
 *     link.js -> ../outside.txt   a symlink out
 *     alias.js -> index.js        a symlink that stays inside
 *     linkdir -> ../frontend-evil a symlinked folder out
 */
function buildTree(): void {
  base = mkdtempSync(path.join(tmpdir(), 'polyphony-assets-'));
  root = path.join(base, 'frontend');
  mkdirSync(path.join(root, 'nested'), { recursive: true });
  mkdirSync(path.join(root, '.git'));
  mkdirSync(path.join(base, 'frontend-evil'));
  const write = (relative: string, content: string) => {
    writeFileSync(path.join(base, relative), content);
  };
  write('outside.txt', OUTSIDE);
  write('frontend-evil/x.js', EVIL);
  write('frontend/index.js', INDEX_JS);
  write('frontend/style.css', 'body { color: red }');
  write('frontend/nested/chunk.js', 'export default 1;');
  write('frontend/empty.txt', '');
  write('frontend/data.bin', 'binary');
  write('frontend/.secret', SECRET);
  write('frontend/.git/config', SECRET);
  write('frontend/%41.txt', 'decoded once');
  write('frontend/A.txt', 'decoded twice');
  write('frontend/back\\slash.js', SECRET);
  write('frontend/a:b.js', SECRET);
  write('frontend/ctl\u0001.js', SECRET);
  symlinkSync('../outside.txt', path.join(root, 'link.js'));
  symlinkSync('index.js', path.join(root, 'alias.js'));
  symlinkSync('../frontend-evil', path.join(root, 'linkdir'));
  symlinkSync('frontend', path.join(base, 'frontend-link'));
}

function createTestApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(createErrorHandler(pino({ level: 'silent' })));
  // The raw path, as a real mount must take it: c.req.path is already partly decoded by Hono.
  const rest = (url: string, prefix: string) => new URL(url).pathname.slice(prefix.length);
  app.get('/a/*', (c) => servePluginAsset(c, root, rest(c.req.url, '/a/'), { immutable: false }));
  app.get('/i/*', (c) => servePluginAsset(c, root, rest(c.req.url, '/i/'), { immutable: true }));
  app.get('/via-link/*', (c) =>
    servePluginAsset(c, path.join(base, 'frontend-link'), rest(c.req.url, '/via-link/'), {
      immutable: false,
    }),
  );
  app.get('/missing-root/*', (c) =>
    servePluginAsset(c, path.join(base, 'nope'), rest(c.req.url, '/missing-root/'), {
      immutable: false,
    }),
  );
  // Hands the handler any raw path, including forms the URL parser would normalize away first.
  app.get('/raw', (c) => servePluginAsset(c, root, c.req.query('p') ?? '', { immutable: false }));
  return app;
}

let app: Hono<AppEnv>;
beforeAll(() => {
  buildTree();
  app = createTestApp();
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

/** Asks the handler for a raw request path, bypassing the URL parser. */
function raw(requestPath: string, init?: RequestInit) {
  return app.request(`http://x/raw?p=${encodeURIComponent(requestPath)}`, init);
}

async function expectNotFound(response: Response): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(404);
  expect(JSON.parse(text)).toEqual({ error: { code: 'NOT_FOUND', message: 'No such file.' } });
  for (const leaked of [OUTSIDE, EVIL, SECRET, INDEX_JS]) expect(text).not.toContain(leaked);
}

describe('serving a plugin asset', () => {
  it('serves a file with its type, length, validator and nosniff', async () => {
    const response = await app.request('http://x/a/index.js');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX_JS);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(INDEX_JS)));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('etag')).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
  });

  it('serves nested files and stylesheets', async () => {
    const chunk = await app.request('http://x/a/nested/chunk.js');
    expect(await chunk.text()).toBe('export default 1;');
    const css = await app.request('http://x/a/style.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('caches for good only when asked to', async () => {
    const response = await app.request('http://x/i/index.js');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers 304 to a matching If-None-Match, and 200 once the file changes', async () => {
    const file = path.join(root, 'nested', 'chunk.js');
    const first = await app.request('http://x/a/nested/chunk.js');
    const etag = first.headers.get('etag')!;
    for (const header of [etag, `"other", ${etag}`, etag.replace(/^W\//, ''), '*']) {
      const again = await app.request('http://x/a/nested/chunk.js', {
        headers: { 'If-None-Match': header },
      });
      expect(again.status, header).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const stale = await app.request('http://x/a/nested/chunk.js', {
      headers: { 'If-None-Match': '"something-else"' },
    });
    expect(stale.status).toBe(200);

    utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    const changed = await app.request('http://x/a/nested/chunk.js', {
      headers: { 'If-None-Match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await app.request('http://x/a/index.js', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(INDEX_JS)));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  it('serves empty files and files of unknown type', async () => {
    const empty = await app.request('http://x/a/empty.txt');
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-length')).toBe('0');
    expect(await empty.text()).toBe('');
    const unknown = await app.request('http://x/a/data.bin');
    expect(unknown.headers.get('content-type')).toBe('application/octet-stream');
    expect(unknown.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves through a root that is itself reached by a symlink', async () => {
    const response = await app.request('http://x/via-link/index.js');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX_JS);
  });
});

describe('refusing what must not be served', () => {
  it('answers missing files, folders and empty paths with a JSON 404', async () => {
    for (const url of ['/a/nope.js', '/a/nested', '/a/nested/', '/a/', '/missing-root/index.js']) {
      await expectNotFound(await app.request(`http://x${url}`));
    }
  });

  it('never serves dotfiles or anything under a dot folder', async () => {
    for (const url of ['/a/.secret', '/a/%2esecret', '/a/%2Esecret', '/a/.git/config']) {
      await expectNotFound(await app.request(`http://x${url}`));
    }
  });

  it('refuses encoded traversal arriving through a URL', async () => {
    for (const url of [
      '/a/..%2foutside.txt',
      '/a/..%2Foutside.txt',
      '/a/%2e%2e%2foutside.txt',
      '/a/nested/..%2f..%2foutside.txt',
      '/a/..%2ffrontend-evil%2fx.js',
      '/a/%2e%2e%5coutside.txt',
      '/a/..%5coutside.txt',
      '/a/nested%2fchunk.js',
    ]) {
      await expectNotFound(await app.request(`http://x${url}`));
    }
  });

  it('refuses traversal in every form the handler itself may receive', async () => {
    // The URL parser already folds `../` and `%2e%2e/`; the handler must not rely on that.
    for (const requestPath of [
      '../outside.txt',
      '%2e%2e/outside.txt',
      '%2E%2E/outside.txt',
      '.%2e/outside.txt',
      '%2e%2e/frontend-evil/x.js',
      '..',
      '.',
      'nested/../index.js',
      'nested/%2e%2e/index.js',
      './index.js',
    ]) {
      await expectNotFound(await raw(requestPath));
    }
  });

  it('refuses absolute forms', async () => {
    for (const requestPath of [
      '/etc/hostname',
      '%2fetc%2fhostname',
      encodeURIComponent(path.join(base, 'outside.txt')),
      'C:%5coutside.txt',
      'C:/outside.txt',
      '%5c%5chost%5cshare',
    ]) {
      await expectNotFound(await raw(requestPath));
    }
  });

  it('refuses NUL and other control characters', async () => {
    for (const requestPath of ['index.js%00', 'index.js%00.png', '%00', 'ctl%01.js']) {
      await expectNotFound(await raw(requestPath));
    }
  });

  it('refuses a backslash even where it is an ordinary character in a file name', async () => {
    await expectNotFound(await app.request('http://x/a/back%5cslash.js'));
    await expectNotFound(await raw('back\\slash.js'));
  });

  it('refuses a colon (drive letters, alternate data streams)', async () => {
    await expectNotFound(await app.request('http://x/a/a:b.js'));
    await expectNotFound(await app.request('http://x/a/a%3ab.js'));
  });

  it('refuses empty segments rather than collapsing them', async () => {
    for (const url of ['/a/nested//chunk.js', '/a//index.js', '/a/index.js/']) {
      await expectNotFound(await app.request(`http://x${url}`));
    }
  });

  it('decodes exactly once', async () => {
    const once = await app.request('http://x/a/%2541.txt');
    expect(once.status).toBe(200);
    expect(await once.text()).toBe('decoded once');
    for (const url of ['/a/%252e%252e%252foutside.txt', '/a/%252e%252e/outside.txt']) {
      await expectNotFound(await app.request(`http://x${url}`));
    }
  });

  it('answers a path that does not percent-decode with 404, not 500', async () => {
    for (const url of ['/a/%zz.js', '/a/%E0%A4%A.js', '/a/%', '/a/%C0%AF']) {
      await expectNotFound(await app.request(`http://x${url}`));
    }
  });

  it('refuses a symlink out of the folder', async () => {
    await expectNotFound(await app.request('http://x/a/link.js'));
  });

  it('refuses a symlink even when it points inside the folder', async () => {
    await expectNotFound(await app.request('http://x/a/alias.js'));
  });

  it('refuses a regular file reached through a symlinked folder that leads out', async () => {
    await expectNotFound(await app.request('http://x/a/linkdir/x.js'));
  });
});

describe('assetSegments', () => {
  it('decodes each segment once, after splitting', () => {
    expect(assetSegments('nested/chunk.js')).toEqual(['nested', 'chunk.js']);
    expect(assetSegments('a%20b/%2541.txt')).toEqual(['a b', '%41.txt']);
  });

  it('refuses every unsafe form', () => {
    for (const requestPath of [
      '',
      '/x',
      'a//b',
      'a/',
      '..',
      '%2e%2e',
      'a/.git/config',
      '.env',
      '..%2fx',
      'a%2fb',
      'a%5cb',
      'a\\b',
      'C:',
      'x%00',
      '%zz',
    ]) {
      expect(assetSegments(requestPath), requestPath).toBeNull();
    }
  });
});

describe('isInside', () => {
  it('compares against the folder with a trailing separator', () => {
    const folder = path.resolve('/srv/plugins/kudos/frontend');
    expect(isInside(folder, path.join(folder, 'index.js'))).toBe(true);
    expect(isInside(folder, `${folder}-evil${path.sep}x.js`)).toBe(false);
    expect(isInside(folder, `${folder}.js`)).toBe(false);
    expect(isInside(folder, folder)).toBe(false);
    expect(isInside(folder, path.dirname(folder))).toBe(false);
  });
});

describe('contentTypeOf', () => {
  it('knows the types a built frontend ships', () => {
    const expected: Record<string, string> = {
      'a.js': 'text/javascript; charset=utf-8',
      'a.mjs': 'text/javascript; charset=utf-8',
      'a.css': 'text/css; charset=utf-8',
      'a.json': 'application/json',
      'a.js.map': 'application/json',
      'a.html': 'text/html; charset=utf-8',
      'a.svg': 'image/svg+xml',
      'a.png': 'image/png',
      'a.jpg': 'image/jpeg',
      'a.JPEG': 'image/jpeg',
      'a.gif': 'image/gif',
      'a.webp': 'image/webp',
      'a.avif': 'image/avif',
      'a.ico': 'image/x-icon',
      'a.woff': 'font/woff',
      'a.woff2': 'font/woff2',
      'a.ttf': 'font/ttf',
      'a.otf': 'font/otf',
      'a.txt': 'text/plain; charset=utf-8',
      'a.wasm': 'application/wasm',
      'a.exe': 'application/octet-stream',
      README: 'application/octet-stream',
      'a.constructor': 'application/octet-stream',
      'a.toString': 'application/octet-stream',
    };
    for (const [name, type] of Object.entries(expected))
      expect(contentTypeOf(name), name).toBe(type);
  });
});
