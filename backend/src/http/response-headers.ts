/** What of a Hono context this needs: its response, and the way to replace it with a header set. */
export interface ResponseHolder {
  res: Response;
  header(name: string, value: string): void;
}

/**
 * Sets a header on the response a handler already made. In place when its headers can change
 * (every response the app builds): `c.header()` after the handler copies the whole response,
 * which costs a small request more than its handler (bench/RESULTS.md). A response with
 * immutable headers (one a plugin passed on from `fetch`) is copied, as `c.header()` would.
 */
export function setHeader(c: ResponseHolder, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}
