import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient, isApiError } from './api-client.ts';
import type { ApiError } from './api-client.ts';

type FetchArgs = [input: string, init: RequestInit];

let fetchMock: ReturnType<typeof vi.fn<(...args: FetchArgs) => Promise<Response>>>;

function answer(status: number, body: string, headers: Record<string, string> = {}) {
  fetchMock.mockResolvedValueOnce(new Response(status === 204 ? null : body, { status, headers }));
}

function answerJson(status: number, body: unknown) {
  answer(status, JSON.stringify(body), { 'Content-Type': 'application/json' });
}

function lastCall(): { url: string; init: RequestInit; headers: Headers } {
  const call = fetchMock.mock.calls.at(-1);
  if (call === undefined) throw new Error('fetch was not called');
  const [url, init] = call;
  return { url, init, headers: new Headers(init.headers) };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

beforeEach(() => {
  fetchMock = vi.fn<(...args: FetchArgs) => Promise<Response>>();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('successful requests', () => {
  it('prefixes /api/v1, sends same-origin credentials and parses JSON', async () => {
    const client = createApiClient();
    answerJson(200, { setupRequired: true });

    await expect(client.get('/setup')).resolves.toEqual({ setupRequired: true });

    const { url, init, headers } = lastCall();
    expect(url).toBe('/api/v1/setup');
    expect(init.method).toBe('GET');
    expect(init.credentials).toBe('same-origin');
    expect(headers.get('Accept')).toBe('application/json');
  });

  it('serialises the body as JSON', async () => {
    const client = createApiClient();
    answerJson(200, { user: { id: '1', username: 'ada', roles: ['admin'] }, csrfToken: 't' });

    await client.post('/auth/login', { username: 'ada', password: 'correct horse' });

    const { init, headers } = lastCall();
    expect(init.method).toBe('POST');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(init.body).toBe(JSON.stringify({ username: 'ada', password: 'correct horse' }));
  });

  it('resolves to undefined for 204 No Content', async () => {
    const client = createApiClient();
    answer(204, '');

    await expect(client.delete('/admin/users/42')).resolves.toBeUndefined();
  });

  it('builds the query string and leaves out empty values', async () => {
    const client = createApiClient();
    answerJson(200, { entries: [], page: 2, pageSize: 25, total: 0 });

    await client.get('/admin/audit', {
      query: { page: 2, pageSize: 25, outcome: 'failure', action: undefined, other: null },
    });

    expect(lastCall().url).toBe('/api/v1/admin/audit?page=2&pageSize=25&outcome=failure');
  });
});

describe('CSRF token', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)(
    'is sent on %s once known',
    async (method) => {
      const client = createApiClient();
      client.setCsrfToken('token-123');
      answer(204, '');

      await client.request('/admin/users/1', {
        method,
        body: method === 'DELETE' ? undefined : {},
      });

      expect(lastCall().headers.get('X-CSRF-Token')).toBe('token-123');
    },
  );

  it('is not sent on GET', async () => {
    const client = createApiClient();
    client.setCsrfToken('token-123');
    answerJson(200, { items: [] });

    await client.get('/navigation');

    expect(lastCall().headers.has('X-CSRF-Token')).toBe(false);
  });

  it('is not sent before a token is known, nor after it is cleared', async () => {
    const client = createApiClient();
    answerJson(200, {});
    await client.post('/auth/login', { username: 'ada', password: 'x' });
    expect(lastCall().headers.has('X-CSRF-Token')).toBe(false);

    client.setCsrfToken('token-123');
    client.setCsrfToken(null);
    answer(204, '');
    await client.post('/auth/logout');
    expect(lastCall().headers.has('X-CSRF-Token')).toBe(false);
  });

  it("can read another client's token: a plugin's client follows the host's session", async () => {
    const host = createApiClient();
    const plugin = createApiClient({
      baseUrl: '/api/v1/plugins/kudos/',
      csrfToken: () => host.getCsrfToken(),
    });
    host.setCsrfToken('first');
    answer(204, '');
    await plugin.post('/kudos', {});
    expect(lastCall().url).toBe('/api/v1/plugins/kudos/kudos');
    expect(lastCall().headers.get('X-CSRF-Token')).toBe('first');

    host.setCsrfToken('second');
    answer(204, '');
    await plugin.delete('kudos/1');
    expect(lastCall().url).toBe('/api/v1/plugins/kudos/kudos/1');
    expect(lastCall().headers.get('X-CSRF-Token')).toBe('second');
  });
});

describe('errors', () => {
  it('turns the API error body into an ApiError with status, code, message and details', async () => {
    const client = createApiClient();
    answerJson(400, {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The body is not valid.',
        details: { issues: [{ path: 'roles.0', message: 'Unknown' }] },
      },
    });

    const error = await failureOf(client.post('/admin/users', {}));

    expect(isApiError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'ApiError',
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'The body is not valid.',
      details: { issues: [{ path: 'roles.0', message: 'Unknown' }] },
    });
  });

  it('leaves details undefined when the server sends none', async () => {
    const client = createApiClient();
    answerJson(409, { error: { code: 'LAST_ADMIN', message: 'Keep one admin.' } });

    const error = await failureOf(client.delete('/admin/users/1'));

    expect(error).toMatchObject({ status: 409, code: 'LAST_ADMIN', details: undefined });
  });

  it('reports a non-JSON error body (a proxy page) as UNEXPECTED_RESPONSE with the status', async () => {
    const client = createApiClient();
    fetchMock.mockResolvedValueOnce(
      new Response('<html><body>Bad gateway</body></html>', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'Content-Type': 'text/html' },
      }),
    );

    const error = await failureOf(client.get('/auth/me'));

    expect(isApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 502, code: 'UNEXPECTED_RESPONSE' });
    expect((error as ApiError).message).toContain('502');
  });

  it('reports JSON that is not the error shape as UNEXPECTED_RESPONSE', async () => {
    const client = createApiClient();
    answerJson(500, { message: 'oops' });

    const error = await failureOf(client.get('/health'));

    expect(error).toMatchObject({ status: 500, code: 'UNEXPECTED_RESPONSE' });
  });

  it('reports an empty error body as UNEXPECTED_RESPONSE', async () => {
    const client = createApiClient();
    answer(503, '');

    const error = await failureOf(client.get('/health'));

    expect(error).toMatchObject({ status: 503, code: 'UNEXPECTED_RESPONSE', details: undefined });
  });

  it('reports a successful answer that is not JSON as UNEXPECTED_RESPONSE', async () => {
    const client = createApiClient();
    answer(200, '<!doctype html><html></html>', { 'Content-Type': 'text/html' });

    const error = await failureOf(client.get('/navigation'));

    expect(error).toMatchObject({ status: 200, code: 'UNEXPECTED_RESPONSE' });
  });

  it('reports a failed fetch as NETWORK_ERROR with status 0', async () => {
    const client = createApiClient();
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));

    const error = await failureOf(client.get('/auth/me'));

    expect(error).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    expect((error as ApiError).cause).toBeInstanceOf(TypeError);
  });

  it('lets an aborted request reject with the original abort error', async () => {
    const client = createApiClient();
    const controller = new AbortController();
    controller.abort();
    const abortError = new DOMException('Aborted', 'AbortError');
    fetchMock.mockRejectedValueOnce(abortError);

    const error = await failureOf(client.get('/auth/me', { signal: controller.signal }));

    expect(error).toBe(abortError);
  });
});

describe('isApiError', () => {
  it('recognises errors by shape, so copies from another bundle still match', () => {
    const foreign = { name: 'ApiError', status: 409, code: 'ROLE_IN_USE', message: 'In use' };
    expect(isApiError(foreign)).toBe(true);
  });

  it('rejects other values', () => {
    expect(isApiError(new Error('plain'))).toBe(false);
    expect(isApiError({ name: 'ApiError', code: 'X' })).toBe(false);
    expect(isApiError(null)).toBe(false);
    expect(isApiError('ApiError')).toBe(false);
  });
});
