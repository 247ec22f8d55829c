import { KitError } from '../kit-error.ts';

/**
 * The part of Polyphony's HTTP API that `dev` uses: sign in as an admin, then upload an archive
 * the way Admin → Plugins does, allowing the same version again (`?replace=true`).
 */
export const LOGIN_PATH = '/api/v1/auth/login';
export const UPLOAD_PATH = '/api/v1/admin/plugins';
const CSRF_HEADER = 'X-CSRF-Token';

export interface UploadClientOptions {
  /** Polyphony's address, such as http://localhost:8000. */
  url: string;
  username: string;
  password: string;
  /** For tests; the global fetch by default. */
  fetch?: typeof fetch;
}

export interface UploadSuccess {
  ok: true;
  /**
   * `replaced`: the same version was uploaded again and took the installed one's place;
   * `unchanged`: the upload was byte for byte the installed archive, so the host did nothing.
   */
  action: 'installed' | 'upgraded' | 'replaced' | 'unchanged';
  id: string;
  version: string;
  /** The version that was installed before, or null for a first install. */
  from: string | null;
  /** The plugin's state once installed: `active`, or `failed` when it did not start. */
  state: string;
  /** Why it failed to start, when it did. */
  error: string | null;
}

export interface UploadRefusal {
  ok: false;
  status: number;
  /** The host's error code: MANIFEST_INVALID, PLUGIN_MIGRATIONS_MISMATCH, ... */
  code: string;
  message: string;
  details: unknown;
}

export type UploadOutcome = UploadSuccess | UploadRefusal;

export interface UploadClient {
  /** Signs in; throws KIT_LOGIN_FAILED or KIT_HOST_UNREACHABLE. */
  login(): Promise<void>;
  /** Uploads a ZIP, signing in first or again (after a 401) as needed. */
  upload(zip: Uint8Array, fileName: string): Promise<UploadOutcome>;
}

interface Session {
  cookie: string;
  csrfToken: string;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

async function errorOf(response: Response): Promise<UploadRefusal> {
  const text = await response.text();
  let body: ErrorBody = {};
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // Not Polyphony's JSON (a proxy, another server): say what came back.
  }
  const error = body.error ?? {};
  return {
    ok: false,
    status: response.status,
    code: typeof error.code === 'string' ? error.code : 'UNEXPECTED_RESPONSE',
    message:
      typeof error.message === 'string'
        ? error.message
        : `HTTP ${response.status} ${response.statusText}: ${text.slice(0, 200)}`.trim(),
    details: error.details,
  };
}

/** The `name=value` pairs of the Set-Cookie headers, as a Cookie header sends them back. */
function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';', 1)[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='))
    .join('; ');
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export function createUploadClient(options: UploadClientOptions): UploadClient {
  const base = options.url.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? fetch;
  let session: Session | null = null;

  const send = async (path: string, init: RequestInit): Promise<Response> => {
    try {
      return await fetchImpl(`${base}${path}`, { ...init, redirect: 'manual' });
    } catch (error) {
      throw new KitError(
        'KIT_HOST_UNREACHABLE',
        `Cannot reach Polyphony at ${base} (${describeNetworkError(error)}). ` +
          'Is it running? Give its address with --url.',
        { cause: error },
      );
    }
  };

  const signIn = async (): Promise<Session> => {
    session = null;
    const response = await send(LOGIN_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: options.username, password: options.password }),
    });
    if (!response.ok) {
      const refusal = await errorOf(response);
      throw new KitError(
        'KIT_LOGIN_FAILED',
        `Signing in to ${base} as "${options.username}" failed: ${refusal.message} (${refusal.code}).`,
      );
    }
    const body = (await response.json()) as { csrfToken?: unknown };
    const cookie = cookieHeader(response);
    if (typeof body.csrfToken !== 'string' || cookie === '') {
      throw new KitError(
        'KIT_LOGIN_FAILED',
        `${base} answered the sign-in without a session: is it Polyphony?`,
      );
    }
    session = { cookie, csrfToken: body.csrfToken };
    return session;
  };

  const post = async (zip: Uint8Array, fileName: string, current: Session) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), fileName);
    return send(`${UPLOAD_PATH}?replace=true`, {
      method: 'POST',
      headers: {
        Cookie: current.cookie,
        [CSRF_HEADER]: current.csrfToken,
        Accept: 'application/json',
      },
      body: form,
    });
  };

  const upload = async (zip: Uint8Array, fileName: string): Promise<UploadOutcome> => {
    let response = await post(zip, fileName, session ?? (await signIn()));
    if (response.status === 401 || response.status === 403) {
      const refusal = await errorOf(response.clone());
      // The session expired or was revoked (a server restart with another database): sign in again.
      if (refusal.code === 'UNAUTHENTICATED' || refusal.code === 'CSRF_TOKEN_INVALID') {
        response = await post(zip, fileName, await signIn());
      }
    }
    if (!response.ok) return errorOf(response);
    const body = (await response.json()) as {
      plugin: { id: string; version: string; state: string; error: string | null };
      upgradedFrom: string | null;
      replaced?: boolean;
      unchanged?: boolean;
    };
    const from = body.upgradedFrom;
    return {
      ok: true,
      action:
        body.unchanged === true
          ? 'unchanged'
          : from === null
            ? 'installed'
            : body.replaced === true || from === body.plugin.version
              ? 'replaced'
              : 'upgraded',
      id: body.plugin.id,
      version: body.plugin.version,
      from,
      state: body.plugin.state,
      error: body.plugin.error,
    };
  };

  return {
    login: async () => {
      await signIn();
    },
    upload,
  };
}
