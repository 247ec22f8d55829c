import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  definePlugin,
  PluginError,
  requireRole,
  validationFailed,
  type PluginBackend,
  type PluginContext,
  type PluginRouter,
} from '@polyphony/plugin-sdk';
import type { AuthUser } from '../auth/session-store.ts';
import type { AppEnv } from '../http/app-env.ts';
import { createPluginRuntime, type LoadedPlugin } from './plugin-runtime.ts';

/** What another bundle's copy of the SDK looks like to the host: a class of its own, same shape. */
class CopiedPluginError extends Error {
  override readonly name = 'PluginError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface LogLine {
  level: number;
  msg: string;
  err?: { message?: string };
  path?: string;
}

const ada: AuthUser = { id: 'u1', username: 'ada', roles: ['viewer'] };

/** The runtime serving one plugin behind a host router, with the plugin's log lines captured. */
async function serve(routes: (router: PluginRouter) => void, user: AuthUser | null = ada) {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  );
  const backend: PluginBackend = definePlugin({ publicRoutes: routes });
  const plugin = {
    manifest: { id: 'faults', name: 'Faults', version: '1.0.0', navigation: [] },
    sha256: '0'.repeat(64),
    entries: { backend: 'backend/main.js', frontend: null, frontendDir: null },
    folder: '/nowhere',
    backend,
    ctx: {} as PluginContext,
    logger,
  } as unknown as LoadedPlugin;
  const runtime = createPluginRuntime({ hookTimeoutMs: 1000 });
  await runtime.mount(plugin);
  const host = new Hono<AppEnv>();
  host.use('*', async (c, next) => {
    c.set('user', user);
    await next();
  });
  host.all('/api/v1/plugins/:id/*', (c) => runtime.dispatch(c));
  const call = async (path: string) => {
    const response = await host.request(`/api/v1/plugins/faults${path}`);
    return { status: response.status, body: await response.json() };
  };
  return { call, lines };
}

const internalError = {
  error: {
    code: 'INTERNAL_ERROR',
    message: 'The plugin failed to handle this request. The server log has the details.',
  },
};

describe("a plugin's own errors become answers in the host's shape", () => {
  it('a PluginError: its status, code, message and details; nothing logged', async () => {
    const { call, lines } = await serve((router) => {
      router.get('/closed', () => {
        throw new PluginError(409, 'POLL_CLOSED', 'This poll is closed.', {
          details: { pollId: 'p1' },
        });
      });
      router.get('/gone', () =>
        Promise.reject(new PluginError(410, 'POLL_GONE', 'This poll was deleted.')),
      );
    });
    expect(await call('/closed')).toEqual({
      status: 409,
      body: {
        error: { code: 'POLL_CLOSED', message: 'This poll is closed.', details: { pollId: 'p1' } },
      },
    });
    expect(await call('/gone')).toEqual({
      status: 410,
      body: { error: { code: 'POLL_GONE', message: 'This poll was deleted.' } },
    });
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
  });

  it("validationFailed: 400 VALIDATION_FAILED with the host's issues", async () => {
    const { call } = await serve((router) => {
      router.get('/vote', () => {
        throw validationFailed([{ path: ['choices', 1], message: 'Unknown option' }]);
      });
    });
    expect(await call('/vote')).toEqual({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Some fields are not valid.',
          details: { issues: [{ path: 'choices.1', message: 'Unknown option' }] },
        },
      },
    });
  });

  it('another copy of the class, and a plain object of the same shape, thrown or rejected', async () => {
    const plain = { name: 'PluginError', status: 429, code: 'SLOW_DOWN', message: 'Vote less.' };
    const { call } = await serve((router) => {
      router.get('/copied', () => {
        throw new CopiedPluginError(403, 'NOT_YOUR_POLL', 'Only its author may close it.', {
          pollId: 'p2',
        });
      });
      router.get('/plain', () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a foreign bundle may throw
        throw plain;
      });
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the same, rejected
      router.get('/plain-rejected', () => Promise.reject(plain));
    });
    expect(await call('/copied')).toEqual({
      status: 403,
      body: {
        error: {
          code: 'NOT_YOUR_POLL',
          message: 'Only its author may close it.',
          details: { pollId: 'p2' },
        },
      },
    });
    for (const path of ['/plain', '/plain-rejected']) {
      expect(await call(path)).toEqual({
        status: 429,
        body: { error: { code: 'SLOW_DOWN', message: 'Vote less.' } },
      });
    }
  });

  it('a server error of its own is sent as it is, and logged', async () => {
    const { call, lines } = await serve((router) => {
      router.get('/calendar', () => {
        throw new PluginError(503, 'CALENDAR_UNAVAILABLE', 'The calendar does not answer.');
      });
    });
    expect(await call('/calendar')).toEqual({
      status: 503,
      body: { error: { code: 'CALENDAR_UNAVAILABLE', message: 'The calendar does not answer.' } },
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'plugin route answered with a server error',
        path: '/api/v1/plugins/faults/calendar',
      }),
    );
  });

  it('details that are not an object are left out', async () => {
    const { call } = await serve((router) => {
      router.get('/list', () => {
        throw new CopiedPluginError(409, 'TAKEN', 'Taken.', ['a', 'b']);
      });
    });
    expect(await call('/list')).toEqual({
      status: 409,
      body: { error: { code: 'TAKEN', message: 'Taken.' } },
    });
  });

  it("requireRole from the SDK answers in the host's shape", async () => {
    const guarded = (router: PluginRouter) => {
      router.get('/admin', requireRole('admin'), (c) => c.json({ ok: true }));
    };
    expect(await (await serve(guarded)).call('/admin')).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: 'This needs one of the roles: admin.' } },
    });
    expect(await (await serve(guarded, null)).call('/admin')).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } },
    });
    const admin = { ...ada, roles: ['admin'] };
    expect(await (await serve(guarded, admin)).call('/admin')).toEqual({
      status: 200,
      body: { ok: true },
    });
  });
});

describe('nonsense is refused safely: 500 INTERNAL_ERROR, logged, nothing of it sent', () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  const cases: [string, () => unknown][] = [
    ['a success status', () => new CopiedPluginError(200, 'FINE', 'leaked 1')],
    ['a redirect status', () => new CopiedPluginError(302, 'ELSEWHERE', 'leaked 2')],
    ['a status above 599', () => new CopiedPluginError(700, 'WEIRD', 'leaked 3')],
    ['a status that is not an integer', () => new CopiedPluginError(404.5, 'HALF', 'leaked 4')],
    ['a status given as text', () => new CopiedPluginError('404' as never, 'TEXT', 'leaked 5')],
    [
      'a code that is not SCREAMING_SNAKE',
      () => new CopiedPluginError(409, 'poll closed', 'leaked 6'),
    ],
    ['an empty code', () => new CopiedPluginError(409, '', 'leaked 7')],
    ['details that cannot be JSON', () => new CopiedPluginError(409, 'CYCLE', 'leaked 8', cycle)],
    ['details holding a BigInt', () => new CopiedPluginError(409, 'BIG', 'leaked 9', { n: 1n })],
    ['a string', () => 'leaked 10'],
    ['null', () => null],
    ['a PluginError the SDK refused to make', () => new PluginError(200, 'OK', 'leaked 11')],
  ];

  it.each(cases)('%s', async (_what, make) => {
    const { call, lines } = await serve((router) => {
      router.get('/thrown', () => {
        throw make();
      });
    });
    const answer = await call('/thrown');
    expect(answer).toEqual({ status: 500, body: internalError });
    expect(JSON.stringify(answer.body)).not.toContain('leaked');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'plugin route failed',
        path: '/api/v1/plugins/faults/thrown',
      }),
    );
  });
});
