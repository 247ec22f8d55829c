/**
 * A small fetch wrapper for the Polyphony HTTP API (docs/api.md).
 *
 * Every failure becomes an `ApiError` carrying the server's `code`, so callers branch on codes and
 * never on messages or status lines. Plugins will receive errors from this client too, possibly
 * from another bundle, so errors are recognised by shape (`isApiError`) rather than `instanceof`.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Codes this client produces itself, for failures that never reached a well-formed API answer. */
export const CLIENT_ERROR_CODES = {
  /** The request never got an answer: offline, DNS, server down, CORS. */
  networkError: 'NETWORK_ERROR',
  /** The server answered, but not in the API's JSON shape (a proxy's HTML error page, say). */
  unexpectedResponse: 'UNEXPECTED_RESPONSE',
} as const;

export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
  }
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof ApiError, unknown>>;
  return (
    candidate.name === 'ApiError' &&
    typeof candidate.code === 'string' &&
    typeof candidate.status === 'number' &&
    typeof candidate.message === 'string'
  );
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: HttpMethod;
  /** Serialised as JSON. */
  body?: unknown;
  /** Appended to the URL; `null` and `undefined` values are left out. */
  query?: Record<string, QueryValue>;
  signal?: AbortSignal | undefined;
}

export interface ApiClientOptions {
  /** Prefix for every path. @default '/api/v1' */
  baseUrl?: string;
  /**
   * Where the CSRF token comes from. By default the client keeps its own (`setCsrfToken`); a
   * plugin's client reads the host's, so it stays right across sign-out and sign-in.
   */
  csrfToken?: () => string | null;
}

export interface ApiClient {
  /** Resolves to the parsed JSON body, or `undefined` for an empty answer (204). */
  request(path: string, options?: RequestOptions): Promise<unknown>;
  get(path: string, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<unknown>;
  post(
    path: string,
    body?: unknown,
    options?: Omit<RequestOptions, 'method' | 'body'>,
  ): Promise<unknown>;
  put(
    path: string,
    body?: unknown,
    options?: Omit<RequestOptions, 'method' | 'body'>,
  ): Promise<unknown>;
  patch(
    path: string,
    body?: unknown,
    options?: Omit<RequestOptions, 'method' | 'body'>,
  ): Promise<unknown>;
  delete(path: string, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<unknown>;
  /** The session's CSRF token, sent on every state-changing request; `null` when signed out. */
  setCsrfToken(token: string | null): void;
  getCsrfToken(): string | null;
}

const STATE_CHANGING_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = (options.baseUrl ?? '/api/v1').replace(/\/+$/, '');
  let ownToken: string | null = null;
  const currentToken = options.csrfToken ?? (() => ownToken);

  async function request(path: string, requestOptions: RequestOptions = {}): Promise<unknown> {
    const method = requestOptions.method ?? 'GET';
    const headers: Record<string, string> = { Accept: 'application/json' };
    const hasBody = requestOptions.body !== undefined;
    if (hasBody) headers['Content-Type'] = 'application/json';
    const csrfToken = currentToken();
    if (csrfToken !== null && STATE_CHANGING_METHODS.has(method)) {
      headers['X-CSRF-Token'] = csrfToken;
    }

    let response: Response;
    try {
      // Looked up on every call (not captured at creation) so tests and plugins can wrap it.
      response = await globalThis.fetch(buildUrl(baseUrl, path, requestOptions.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: hasBody ? JSON.stringify(requestOptions.body) : null,
        signal: requestOptions.signal ?? null,
      });
    } catch (error) {
      // Cancellation is not a failure: TanStack Query needs to see the AbortError as it is.
      if (requestOptions.signal?.aborted) throw error;
      throw new ApiError({
        status: 0,
        code: CLIENT_ERROR_CODES.networkError,
        message: 'Could not reach the server. Check your connection and try again.',
        cause: error,
      });
    }

    const text = await response.text();
    if (!response.ok) throw errorFromResponse(response, text);
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ApiError({
        status: response.status,
        code: CLIENT_ERROR_CODES.unexpectedResponse,
        message: 'The server sent an answer this app does not understand.',
        details: { body: text.slice(0, 200) },
        cause: error,
      });
    }
  }

  return {
    request,
    get: (path, opts) => request(path, { ...opts, method: 'GET' }),
    post: (path, body, opts) => request(path, { ...opts, method: 'POST', body }),
    put: (path, body, opts) => request(path, { ...opts, method: 'PUT', body }),
    patch: (path, body, opts) => request(path, { ...opts, method: 'PATCH', body }),
    delete: (path, opts) => request(path, { ...opts, method: 'DELETE' }),
    setCsrfToken(token) {
      ownToken = token;
    },
    getCsrfToken: currentToken,
  };
}

function buildUrl(baseUrl: string, path: string, query: Record<string, QueryValue> | undefined) {
  const url = `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
  if (query === undefined) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined) params.append(key, String(value));
  }
  const search = params.toString();
  return search === '' ? url : `${url}?${search}`;
}

function errorFromResponse(response: Response, text: string): ApiError {
  const body = parseErrorBody(text);
  if (body !== null) {
    return new ApiError({ status: response.status, ...body });
  }
  const statusLine = `${response.status} ${response.statusText}`.trim();
  return new ApiError({
    status: response.status,
    code: CLIENT_ERROR_CODES.unexpectedResponse,
    message: `The server answered ${statusLine} without an explanation.`,
    details: text === '' ? undefined : { body: text.slice(0, 200) },
  });
}

type ParsedErrorBody = Pick<ApiErrorInit, 'code' | 'message' | 'details'>;

function parseErrorBody(text: string): ParsedErrorBody | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || !isRecord(parsed.error)) return null;
  const { code, message, details } = parsed.error;
  if (typeof code !== 'string' || code === '') return null;
  return {
    code,
    message: typeof message === 'string' && message !== '' ? message : code,
    details: isRecord(details) ? details : undefined,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
