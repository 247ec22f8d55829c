import pino from 'pino';
import { createApp } from '../src/app.ts';
import { createPasswordHasher } from '../src/auth/password.ts';
import type { DatabaseHandle, DialectName } from '../src/db/database.ts';
import { createCoreServices, type CoreServices } from '../src/services.ts';
import { createTestDatabase } from './databases.ts';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  services: CoreServices;
  database: DatabaseHandle;
  /** Moves the clock the services see. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** The real app on a fresh database, with a cheap password hash and a clock the test controls. */
export async function createTestApp(
  dialect: DialectName,
  options: { webRoot?: string } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  let offset = 0;
  const services = createCoreServices({
    ...database,
    session: { idleHours: 24, maxHours: 24 * 7 },
    passwords: createPasswordHasher({ N: 1024, r: 8, p: 1 }),
    now: () => new Date(Date.now() + offset),
  });
  const app = createApp({
    services,
    logger: pino({ level: 'silent' }),
    config: { trustProxy: false, webRoot: options.webRoot ?? null },
  });
  return {
    app,
    services,
    database,
    advance: (ms) => {
      offset += ms;
    },
    close: () => database.destroy(),
  };
}

export interface ClientResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A cookie-keeping client over `app.request()`: it behaves like a browser tab of our web app,
 * sending the session cookie and, once known, the CSRF token.
 */
export class TestClient {
  cookie: string | null = null;
  csrfToken: string | null = null;
  sendCsrf = true;

  constructor(private app: TestApp['app']) {}

  /** Points this client (its cookie and token) at another app: the same server after a restart. */
  useApp(app: TestApp['app']): void {
    this.app = app;
  }

  /** A request with a raw body (FormData, a stream, bytes): no JSON encoding. */
  send<T = Record<string, unknown>>(
    method: string,
    path: string,
    body: NonNullable<RequestInit['body']>,
    headers: Record<string, string> = {},
  ) {
    return this.request<T>(method, path, undefined, headers, body);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    rawBody?: RequestInit['body'],
  ): Promise<ClientResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    const h = init.headers as Record<string, string>;
    if (rawBody !== undefined) {
      init.body = rawBody;
      if (rawBody instanceof ReadableStream) (init as { duplex?: string }).duplex = 'half';
    } else if (body !== undefined) {
      h['content-type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    if (this.cookie) h.cookie = this.cookie;
    if (this.sendCsrf && this.csrfToken && method !== 'GET') h['x-csrf-token'] = this.csrfToken;
    const response = await this.app.request(path, init);
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = /=$/.test(pair) || /Max-Age=0/i.test(setCookie) ? null : pair;
    }
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('application/json') ?? false;
    const parsed: unknown = text && json ? JSON.parse(text) : text || null;
    const token = (parsed as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof token === 'string') this.csrfToken = token;
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  patch<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = Record<string, unknown>>(path: string) {
    return this.request<T>('DELETE', path);
  }

  async login(username: string, password: string) {
    return this.post('/api/v1/auth/login', { username, password });
  }
}

export const ADMIN = { username: 'ada', password: 'ada-password-1' };

/** A test app with a first admin created through setup, and a signed-in admin client. */
export async function createTestAppWithAdmin(dialect: DialectName) {
  const testApp = await createTestApp(dialect);
  const admin = new TestClient(testApp.app);
  const setup = await admin.post('/api/v1/setup', ADMIN);
  if (setup.status !== 201) throw new Error(`setup failed: ${JSON.stringify(setup.body)}`);
  const makeUser = async (username: string, roles: string[], password = `${username}-password`) => {
    const created = await admin.post<{ user: { id: string } }>('/api/v1/admin/users', {
      username,
      password,
      roles,
    });
    if (created.status !== 201)
      throw new Error(`user creation failed: ${JSON.stringify(created.body)}`);
    const client = new TestClient(testApp.app);
    const login = await client.login(username, password);
    if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
    return { id: created.body.user.id, client, password };
  };
  return { ...testApp, admin, makeUser };
}
