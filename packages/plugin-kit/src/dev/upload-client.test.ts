// The upload client against a small stand-in for Polyphony's HTTP API (node:http, no framework):
// what it sends, and how it reads each kind of answer. dev.test.ts runs it against the real server.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isKitError } from '../kit-error.ts';
import { createUploadClient } from './upload-client.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Answer {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string | string[]>;
}

interface Stub {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function stub(answer: (request: Received) => Answer): Promise<Stub> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(request);
      const { status, json, text, headers = {} } = answer(request);
      res.writeHead(status, {
        'content-type': json === undefined ? 'text/plain' : 'application/json',
        ...headers,
      });
      res.end(json === undefined ? (text ?? '') : JSON.stringify(json));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

/** Polyphony's sign-in: one session per login, the CSRF token in the body, the token in a cookie. */
function polyphony(upload: (request: Received, session: number) => Answer) {
  let sessions = 0;
  const live = new Set<number>();
  return {
    revokeAll: () => {
      live.clear();
    },
    logins: () => sessions,
    answer(request: Received): Answer {
      if (request.url === '/api/v1/auth/login') {
        const { password } = JSON.parse(request.body.toString()) as { password: string };
        if (password !== PASSWORD) {
          return {
            status: 401,
            json: {
              error: { code: 'INVALID_CREDENTIALS', message: 'The username or password is wrong.' },
            },
          };
        }
        sessions += 1;
        live.add(sessions);
        return {
          status: 200,
          json: { user: { id: 'u1' }, csrfToken: `csrf-${sessions}` },
          headers: {
            'set-cookie': [
              `polyphony_session=token-${sessions}; Path=/; HttpOnly; SameSite=Lax`,
              'other=1; Path=/',
            ],
          },
        };
      }
      const session = Number(
        /polyphony_session=token-(\d+)/.exec(request.headers.cookie ?? '')?.[1],
      );
      if (!live.has(session)) {
        return {
          status: 401,
          json: { error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } },
        };
      }
      if (request.headers['x-csrf-token'] !== `csrf-${session}`) {
        return {
          status: 403,
          json: { error: { code: 'CSRF_TOKEN_INVALID', message: 'No token.' } },
        };
      }
      return upload(request, session);
    },
  };
}

const PASSWORD = 'right password';
const ZIP = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
const installed = (version: string, extra: Record<string, unknown> = {}): Answer => ({
  status: 201,
  json: {
    plugin: { id: 'my-plugin', version, state: 'active', error: null },
    upgradedFrom: null,
    ...extra,
  },
});

/** The stand-in Polyphony, answering uploads with `upload`, and a client pointed at it. */
async function hostAndClient(
  upload: (request: Received, session: number) => Answer,
  { password = PASSWORD, url = (base: string) => base } = {},
) {
  const host = polyphony(upload);
  const server = await stub((request) => host.answer(request));
  const client = createUploadClient({ url: url(server.url), username: 'admin', password });
  return { host, server, client };
}

describe('createUploadClient', () => {
  it('signs in, then uploads the ZIP as multipart "file" with the cookie and CSRF token', async () => {
    const { server, client } = await hostAndClient(() => installed('0.1.0'), {
      url: (base) => `${base}/`,
    });

    expect(await client.upload(ZIP, 'my-plugin-0.1.0.zip')).toEqual({
      ok: true,
      action: 'installed',
      id: 'my-plugin',
      version: '0.1.0',
      from: null,
      state: 'active',
      error: null,
    });
    const [login, upload] = server.received;
    expect(login).toMatchObject({ method: 'POST', url: '/api/v1/auth/login' });
    expect(JSON.parse(login!.body.toString())).toEqual({ username: 'admin', password: PASSWORD });
    expect(upload).toMatchObject({ method: 'POST', url: '/api/v1/admin/plugins?replace=true' });
    expect(upload!.headers.cookie).toBe('polyphony_session=token-1; other=1');
    expect(upload!.headers['x-csrf-token']).toBe('csrf-1');
    expect(upload!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const body = upload!.body.toString('latin1');
    expect(body).toContain('name="file"; filename="my-plugin-0.1.0.zip"');
    expect(upload!.body.includes(Buffer.from(ZIP))).toBe(true);
  });

  it('tells an upgrade, a replacement and an unchanged archive apart', async () => {
    const answers: Answer[] = [
      {
        status: 200,
        json: {
          plugin: { id: 'p', version: '0.2.0', state: 'active', error: null },
          upgradedFrom: '0.1.0',
        },
      },
      {
        status: 200,
        json: {
          plugin: { id: 'p', version: '0.2.0', state: 'active', error: null },
          upgradedFrom: '0.2.0',
          replaced: true,
          unchanged: false,
        },
      },
      {
        status: 200,
        json: {
          plugin: { id: 'p', version: '0.2.0', state: 'failed', error: 'boom' },
          upgradedFrom: '0.2.0',
          unchanged: true,
        },
      },
    ];
    const { host, client } = await hostAndClient(() => answers.shift()!);
    expect(await client.upload(ZIP, 'p.zip')).toMatchObject({ action: 'upgraded', from: '0.1.0' });
    expect(await client.upload(ZIP, 'p.zip')).toMatchObject({ action: 'replaced' });
    expect(await client.upload(ZIP, 'p.zip')).toMatchObject({
      action: 'unchanged',
      state: 'failed',
      error: 'boom',
    });
    expect(host.logins()).toBe(1);
  });

  it('signs in again when the session has ended, and retries once', async () => {
    const { host, server, client } = await hostAndClient(() => installed('0.1.0'));
    await client.upload(ZIP, 'p.zip');
    host.revokeAll();
    expect(await client.upload(ZIP, 'p.zip')).toMatchObject({ ok: true });
    expect(host.logins()).toBe(2);
    expect(server.received.map((r) => r.url)).toEqual([
      '/api/v1/auth/login',
      '/api/v1/admin/plugins?replace=true',
      '/api/v1/admin/plugins?replace=true',
      '/api/v1/auth/login',
      '/api/v1/admin/plugins?replace=true',
    ]);
  });

  it("answers the host's refusal with its status, code, message and details", async () => {
    const details = { issues: [{ path: 'version', message: 'must be a semantic version' }] };
    const { client } = await hostAndClient(() => ({
      status: 400,
      json: { error: { code: 'MANIFEST_INVALID', message: 'plugin.json is not valid.', details } },
    }));
    expect(await client.upload(ZIP, 'p.zip')).toEqual({
      ok: false,
      status: 400,
      code: 'MANIFEST_INVALID',
      message: 'plugin.json is not valid.',
      details,
    });
  });

  it("says what came back when the answer is not Polyphony's", async () => {
    const { client } = await hostAndClient(() => ({
      status: 502,
      text: 'Bad gateway',
    }));
    expect(await client.upload(ZIP, 'p.zip')).toMatchObject({
      ok: false,
      status: 502,
      code: 'UNEXPECTED_RESPONSE',
      message: expect.stringContaining('Bad gateway') as unknown,
    });
  });

  it("refuses a wrong password with the host's reason", async () => {
    const { client } = await hostAndClient(() => installed('0.1.0'), {
      password: 'wrong',
    });
    const error: unknown = await client.login().catch((e: unknown) => e);
    expect(isKitError(error) && error.code).toBe('KIT_LOGIN_FAILED');
    expect((error as Error).message).toContain(
      'The username or password is wrong. (INVALID_CREDENTIALS)',
    );
  });

  it('says when nothing answers at the address', async () => {
    const server = await stub(() => ({ status: 200 }));
    await server.close();
    const client = createUploadClient({ url: server.url, username: 'admin', password: 'x' });
    const error: unknown = await client.upload(ZIP, 'p.zip').catch((e: unknown) => e);
    expect(isKitError(error) && error.code).toBe('KIT_HOST_UNREACHABLE');
    expect((error as Error).message).toContain(
      `Cannot reach Polyphony at ${server.url} (ECONNREFUSED)`,
    );
  });
});
