import type { Context, MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';
import { setHeader } from './response-headers.ts';

/** Below this many bytes (when the length is known) a body is sent as it is. */
const THRESHOLD = 1024;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/** The encoding the client accepts, gzip first: `null` when it takes neither gzip nor deflate. */
export function acceptedEncoding(header: string | undefined): 'gzip' | 'deflate' | null {
  if (header === undefined) return null;
  let deflate = false;
  let wildcard = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    if (name === 'gzip') return 'gzip';
    if (name === 'deflate') deflate = true;
    if (name === '*') wildcard = true;
  }
  return deflate ? 'deflate' : wildcard ? 'gzip' : null;
}

/** Whether a response of a compressible type may be compressed, whatever its size. */
function compressible(c: Context): boolean {
  const { res } = c;
  if (res.status === 206 || res.status === 204 || c.req.method === 'HEAD') return false;
  const headers = res.headers;
  if (headers.has('Content-Encoding') || headers.has('Transfer-Encoding')) return false;
  return !NO_TRANSFORM.test(headers.get('Cache-Control') ?? '');
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The body to compress, or null when it is too small to gain from it. A body of unknown length
 * (JSON from a handler, a plugin's stream) is read up to the threshold first: a small one is sent
 * as the bytes read, a larger one is streamed on from where the reading stopped.
 */
async function bodyToCompress(c: Context): Promise<ReadableStream<Uint8Array> | null> {
  const body: ReadableStream<Uint8Array> | null = c.res.body;
  if (body === null) return null;
  const length = c.res.headers.get('Content-Length');
  if (length !== null) return Number(length) < THRESHOLD ? null : body;
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  while (size < THRESHOLD) {
    const chunk = await reader.read();
    if (chunk.done) {
      c.res = new Response(concat(head, size), c.res);
      return null;
    }
    head.push(chunk.value);
    size += chunk.value.byteLength;
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
    },
    async pull(controller) {
      const chunk = await reader.read();
      if (chunk.done) controller.close();
      else controller.enqueue(chunk.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * Compresses responses for clients that accept gzip or deflate. Unlike hono/compress, it reads
 * Accept-Encoding before the handler runs and leaves the response alone for clients that accept
 * neither (API clients, health checks, load balancers), sets Vary in place, and sends small bodies
 * as they are: a compression stream for a 30-byte JSON answer cost more than ten times the
 * request itself (bench/RESULTS.md).
 */
export function compression(): MiddlewareHandler {
  return async (c, next) => {
    const encoding = acceptedEncoding(c.req.header('Accept-Encoding'));
    await next();
    const type = c.res.headers.get('Content-Type');
    if (type === null || !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type)) return;
    // The answer depends on Accept-Encoding for every client, compressed or not.
    const vary = c.res.headers.get('Vary');
    if (vary !== '*' && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary ?? '')) {
      setHeader(c, 'Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    }
    if (encoding === null || !compressible(c)) return;
    const body = await bodyToCompress(c);
    if (body === null) return;
    c.res = new Response(
      body.pipeThrough(new CompressionStream(encoding)) as ReadableStream,
      c.res,
    );
    c.res.headers.delete('Content-Length');
    c.res.headers.set('Content-Encoding', encoding);
    const etag = c.res.headers.get('ETag');
    if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`);
  };
}
