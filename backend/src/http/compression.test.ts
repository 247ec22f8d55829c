import { gunzipSync, inflateSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { acceptedEncoding, compression } from './compression.ts';

const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, title: `Item ${i}` })) };

function app() {
  const app = new Hono();
  app.use('*', compression());
  app.get('/small', (c) => c.json({ ok: true }));
  app.get('/big', (c) => c.json(big));
  app.get('/stream', () => {
    const text = 'x'.repeat(700);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
    return new Response(body, { headers: { 'Content-Type': 'text/plain' } });
  });
  app.get('/image', (c) => c.body(new Uint8Array(4096), 200, { 'Content-Type': 'image/png' }));
  app.get('/no-transform', (c) =>
    c.json(big, 200, { 'Cache-Control': 'no-transform', ETag: '"v1"' }),
  );
  app.get('/etag', (c) => c.json(big, 200, { ETag: '"v1"', Vary: 'Cookie' }));
  return app;
}

const get = (path: string, encoding?: string) =>
  app().request(path, { headers: encoding ? { 'Accept-Encoding': encoding } : {} });

describe('acceptedEncoding', () => {
  it('prefers gzip, falls back to deflate, honours q=0 and *', () => {
    expect(acceptedEncoding(undefined)).toBeNull();
    expect(acceptedEncoding('br')).toBeNull();
    expect(acceptedEncoding('gzip, deflate, br')).toBe('gzip');
    expect(acceptedEncoding('deflate, gzip;q=0')).toBe('deflate');
    expect(acceptedEncoding('*')).toBe('gzip');
    expect(acceptedEncoding('GZIP;q=0.5')).toBe('gzip');
    expect(acceptedEncoding('identity')).toBeNull();
  });
});

describe('compression', () => {
  it('compresses a large JSON body for a client that takes gzip, and says it varies', async () => {
    const response = await get('/big', 'gzip, deflate');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    const body = Buffer.from(await response.arrayBuffer());
    expect(JSON.parse(gunzipSync(body).toString())).toEqual(big);
  });

  it('uses deflate when that is all the client takes', async () => {
    const response = await get('/big', 'deflate');
    expect(response.headers.get('content-encoding')).toBe('deflate');
    const body = Buffer.from(await response.arrayBuffer());
    expect(JSON.parse(inflateSync(body).toString())).toEqual(big);
  });

  it('sends a small body as it is, whole', async () => {
    const response = await get('/small', 'gzip');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('compresses a stream of unknown length past the threshold, losing no byte', async () => {
    const response = await get('/stream', 'gzip');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const body = Buffer.from(await response.arrayBuffer());
    expect(gunzipSync(body).toString()).toBe('x'.repeat(2100));
  });

  it('leaves responses alone for clients that take no compression', async () => {
    const response = await get('/big');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(await response.json()).toEqual(big);
  });

  it('does not compress images or no-transform responses', async () => {
    const image = await get('/image', 'gzip');
    expect(image.headers.get('content-encoding')).toBeNull();
    expect(image.headers.get('vary')).toBeNull();
    expect((await image.arrayBuffer()).byteLength).toBe(4096);
    const kept = await get('/no-transform', 'gzip');
    expect(kept.headers.get('content-encoding')).toBeNull();
    expect(kept.headers.get('etag')).toBe('"v1"');
  });

  it('weakens a strong ETag and keeps an existing Vary', async () => {
    const response = await get('/etag', 'gzip');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('etag')).toBe('W/"v1"');
    expect(response.headers.get('vary')).toBe('Cookie, Accept-Encoding');
  });
});
