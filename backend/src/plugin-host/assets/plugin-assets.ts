import { constants } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { AppError } from '../../errors/app-error.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(fileName: string): string {
  const extension = path.extname(fileName).toLowerCase();
  return Object.hasOwn(CONTENT_TYPES, extension)
    ? (CONTENT_TYPES[extension] as string)
    : 'application/octet-stream';
}

function notFound(): AppError {
  // One answer for every refusal: a client learns nothing about what exists around the folder.
  return new AppError('NOT_FOUND', 'No such file.');
}

/**
 * The path segments of a raw, still percent-encoded request path, or null when it must not be
 * served. Each segment is decoded exactly once, after splitting, so an encoded slash or dot
 * can never turn into path syntax, and `%252e` stays the literal name `%2e`.
 */
export function assetSegments(requestPath: string): string[] | null {
  const segments: string[] = [];
  for (const raw of requestPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (!isServableSegment(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

function isServableSegment(segment: string): boolean {
  if (segment === '') return false; // `a//b`, a leading or trailing slash, an empty path
  if (segment.startsWith('.')) return false; // `.`, `..`, dotfiles, `.git`
  if (segment.includes('/') || segment.includes('\\')) return false; // encoded separators
  if (segment.includes(':')) return false; // `C:`, NTFS streams
  // NUL would reach the file system as a truncated name; no control character belongs in a URL.
  // eslint-disable-next-line no-control-regex -- exactly what is searched for
  return !/[\u0000-\u001f\u007f]/.test(segment);
}

/** Whether `candidate` lies strictly inside `folder` (both absolute); `folder-evil/x` does not. */
export function isInside(folder: string, candidate: string): boolean {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return candidate.startsWith(prefix) && candidate.length > prefix.length;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EISDIR']);

/** Turns "the file is not there" into undefined; any other failure is a real error (a 500). */
async function unlessMissing<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (error) {
    if (MISSING.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/**
 * Opens the file that `segments` name under `root`, refusing anything that is not a regular file
 * really inside `root`: a symlink (even one pointing inside), a folder, or a path whose real
 * location, after resolving symlinked folders on the way, lies outside.
 */
async function openInside(
  root: string,
  segments: string[],
): Promise<{ handle: FileHandle; stats: Stats } | undefined> {
  const folder = path.resolve(root);
  const file = path.resolve(folder, ...segments);
  if (!isInside(folder, file)) return undefined;

  const link = await unlessMissing(lstat(file));
  if (!link?.isFile()) return undefined;

  const [realFolder, realFile] = await Promise.all([
    unlessMissing(realpath(folder)),
    unlessMissing(realpath(file)),
  ]);
  if (realFolder === undefined || realFile === undefined || !isInside(realFolder, realFile))
    return undefined;

  // Should the file be swapped between the checks above and this open: O_NOFOLLOW fails on a
  // symlink, O_NONBLOCK keeps a FIFO from hanging the open, and fstat below refuses anything but
  // a regular file. Both flags are no-ops on a regular file (and absent on Windows).
  const flags =
    constants.O_RDONLY |
    ((constants.O_NOFOLLOW as number | undefined) ?? 0) |
    ((constants.O_NONBLOCK as number | undefined) ?? 0);
  const handle = await unlessMissing(open(realFile, flags));
  if (handle === undefined) return undefined;
  try {
    const stats = await handle.stat();
    if (stats.isFile()) return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return undefined;
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || weak(tag) === weak(etag));
}

/** Serves one file of a plugin's frontend folder, or answers 404. `requestPath` is the raw, still percent-encoded rest of the URL after the plugin's asset prefix. */
export async function servePluginAsset(
  c: Context,
  root: string,
  requestPath: string,
  options: { immutable: boolean },
): Promise<Response> {
  const segments = assetSegments(requestPath);
  if (segments === null) throw notFound();
  const opened = await openInside(root, segments);
  if (opened === undefined) throw notFound();
  const { handle, stats } = opened;

  let streaming = false;
  try {
    const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    c.header('ETag', etag);
    c.header(
      'Cache-Control',
      options.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    c.header('X-Content-Type-Options', 'nosniff');
    if (matchesEtag(c.req.header('If-None-Match'), etag)) return c.body(null, 304);

    c.header('Content-Type', contentTypeOf(segments[segments.length - 1] ?? ''));
    c.header('Content-Length', String(stats.size));
    if (c.req.method === 'HEAD' || stats.size === 0) return c.body(null, 200);

    // Never more bytes than Content-Length promised, even if the file grows meanwhile.
    const stream = handle.createReadStream({ start: 0, end: stats.size - 1 });
    streaming = true;
    return c.body(Readable.toWeb(stream) as unknown as ReadableStream, 200);
  } finally {
    // Once streaming, the stream closes the handle when it ends or the client goes away.
    if (!streaming) await handle.close();
  }
}
