// An admin (or any user) of a running host, over HTTP as the web app talks to it.
import { ADMIN } from './servers.ts';

export interface Call {
  status: number;
  body: unknown;
  /** Milliseconds from sending the request to the end of the response body. */
  ms: number;
}

export interface Session {
  /** `Cookie` header value of the session. */
  readonly cookie: string;
  call(method: string, route: string, body?: FormData | object): Promise<Call>;
  /** Uploads a plugin archive (Admin → Plugins → Install); fails unless it is installed. */
  install(archive: Buffer, options?: { replace?: boolean }): Promise<Call>;
  activate(id: string): Promise<Call>;
  deactivate(id: string): Promise<Call>;
  uninstall(id: string): Promise<Call>;
}

/** Signs in (the bench's admin by default) and answers a session with its CSRF token. */
export async function signIn(url: string, user = ADMIN): Promise<Session> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (login.status !== 200)
    throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };

  const call = async (method: string, route: string, body?: FormData | object): Promise<Call> => {
    const headers: Record<string, string> = { cookie, 'x-csrf-token': csrfToken };
    let payload: FormData | string | null = null;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const started = performance.now();
    const response = await fetch(`${url}${route}`, { method, headers, body: payload });
    const text = await response.text();
    const ms = performance.now() - started;
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null, ms };
  };
  const expect = (wanted: number[], what: string) => (result: Call) => {
    if (!wanted.includes(result.status)) {
      throw new Error(`${what}: HTTP ${result.status} ${JSON.stringify(result.body)}`);
    }
    return result;
  };
  return {
    cookie,
    call,
    install(archive, { replace = false } = {}) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(archive)]), 'plugin.zip');
      return call('POST', `/api/v1/admin/plugins${replace ? '?replace=true' : ''}`, form).then(
        expect([200, 201], 'install'),
      );
    },
    activate: (id) =>
      call('POST', `/api/v1/admin/plugins/${id}/activate`).then(expect([200], 'activate')),
    deactivate: (id) =>
      call('POST', `/api/v1/admin/plugins/${id}/deactivate`).then(expect([200], 'deactivate')),
    uninstall: (id) =>
      call('DELETE', `/api/v1/admin/plugins/${id}`).then(expect([204], 'uninstall')),
  };
}
