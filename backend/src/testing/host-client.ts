/** A user the test host created and signed in. */
export interface TestUser {
  readonly id: string;
  readonly username: string;
  readonly roles: readonly string[];
}

/**
 * A browser tab of the web app, signed in or not, talking to the in-process host. Paths are the
 * plugin's own (`/items` is `/api/v1/plugins/<id>/items`); a path that starts with `/api/` or
 * `/plugin-assets/` is taken as it is. Every method answers the host's real `Response`, whatever
 * its status: assert on `status` and read the body with `json()` or `text()`.
 */
export interface TestHostClient {
  /** Who this client is signed in as; null for an anonymous client. */
  readonly user: TestUser | null;
  /**
   * A request as `fetch` takes it: the session cookie, and the CSRF token on a method other than
   * GET, HEAD or OPTIONS, are added unless `init.headers` already sets them.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  get(path: string, init?: RequestInit): Promise<Response>;
  delete(path: string, init?: RequestInit): Promise<Response>;
  /**
   * `body` is sent as JSON, unless it is a string, `FormData`, `URLSearchParams`, `Blob`, bytes or
   * a stream: those are sent as they are, as `fetch` would.
   */
  post(path: string, body?: unknown, init?: RequestInit): Promise<Response>;
  put(path: string, body?: unknown, init?: RequestInit): Promise<Response>;
  patch(path: string, body?: unknown, init?: RequestInit): Promise<Response>;
}

export interface HostClientOptions {
  /** Where the request goes: the app's `request()`, which opens no port. */
  request: (path: string, init: RequestInit) => Promise<Response>;
  pluginId: string;
  /** The session's cookie token and CSRF token; null for an anonymous client. */
  session: { token: string; csrfToken: string } | null;
  user: TestUser | null;
}

export const SESSION_COOKIE = 'polyphony_session';
const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The URL path of a client path: relative to the plugin's API unless it names a host path. */
export function resolvePath(pluginId: string, path: string): string {
  if (/^https?:\/\//.test(path) || path.startsWith('/api/') || path.startsWith('/plugin-assets/')) {
    return path;
  }
  const base = `/api/v1/plugins/${pluginId}`;
  if (path === '' || path === '/') return base;
  return path.startsWith('/') || path.startsWith('?') ? `${base}${path}` : `${base}/${path}`;
}

type RawBody = NonNullable<RequestInit['body']>;

function isRawBody(body: unknown): body is RawBody {
  return (
    typeof body === 'string' ||
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof ReadableStream
  );
}

export function createHostClient(options: HostClientOptions): TestHostClient {
  const { session } = options;

  const send = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    if (session !== null) {
      if (!headers.has('cookie')) headers.set('cookie', `${SESSION_COOKIE}=${session.token}`);
      if (!SAFE_METHODS.has(method) && !headers.has(CSRF_HEADER)) {
        headers.set(CSRF_HEADER, session.csrfToken);
      }
    }
    const request: RequestInit & { duplex?: 'half' } = { ...init, method, headers };
    // A streamed body needs half duplex, as with fetch.
    if (init.body instanceof ReadableStream) request.duplex = 'half';
    return options.request(resolvePath(options.pluginId, path), request);
  };

  const withBody =
    (method: string) =>
    (path: string, body?: unknown, init: RequestInit = {}): Promise<Response> => {
      if (body === undefined) return send(path, { ...init, method });
      if (isRawBody(body)) return send(path, { ...init, method, body });
      const headers = new Headers(init.headers);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      return send(path, { ...init, method, headers, body: JSON.stringify(body) });
    };

  return {
    user: options.user,
    fetch: send,
    get: (path, init = {}) => send(path, { ...init, method: 'GET' }),
    delete: (path, init = {}) => send(path, { ...init, method: 'DELETE' }),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
  };
}
