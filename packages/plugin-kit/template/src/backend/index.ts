// The plugin's backend: a migration that creates its table, and the routes its page calls. The
// host loads build/backend/main.js, which `polyphony-plugin build` bundles from this file and
// everything it imports. The contract: docs/plugins/backend.md in Polyphony's repository.
import {
  defineMigration,
  definePlugin,
  PluginError,
  requireRole,
  validationFailed,
} from '@polyphony/plugin-sdk';

/**
 * Every table (index, view...) of the plugin starts with `plugin_`, its id with hyphens turned into
 * underscores, and `_`: the host refuses any other name.
 */
const GREETINGS = '{{tablePrefix}}greetings';
const MAX_MESSAGE = 200;

/** The plugin's tables, so `ctx.db` is typed. Ids and times are text on SQLite and PostgreSQL alike. */
interface Tables {
  [GREETINGS]: { id: string; user_id: string; message: string; created_at: string };
}

/** Migrations run once each, in order, at install and upgrade: append new ones, never edit these. */
const createGreetings = defineMigration({
  name: '001-greetings',
  async up(db) {
    await db.schema
      .createTable(GREETINGS)
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('message', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('{{tablePrefix}}greetings_created_idx')
      .on(GREETINGS)
      .column('created_at')
      .execute();
  },
});

/** The message of a POST body, or a 400 VALIDATION_FAILED naming the field. */
function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message !== 'string' || message.trim() === '') {
    throw validationFailed([{ path: 'message', message: 'Write a message.' }]);
  }
  if (message.trim().length > MAX_MESSAGE) {
    throw validationFailed([
      { path: 'message', message: `At most ${MAX_MESSAGE} characters, please.` },
    ]);
  }
  return message.trim();
}

export default definePlugin<Tables>({
  migrations: [createGreetings],

  // Signed-in routes, under /api/v1/plugins/{{id}}/. Anonymous callers get 401.
  routes(router, ctx) {
    router.get('/greetings', async (c) => {
      const rows = await ctx.db
        .selectFrom(GREETINGS)
        .selectAll()
        .orderBy('created_at', 'desc')
        .limit(20)
        .execute();
      // Store user ids, look names up when answering: usernames can change.
      const users = await ctx.users.list([...new Set(rows.map((row) => row.user_id))]);
      const names = new Map(users.map((user) => [user.id, user.username]));
      return c.json({
        greetings: rows.map((row) => ({
          id: row.id,
          from: names.get(row.user_id) ?? null,
          message: row.message,
          createdAt: row.created_at,
        })),
      });
    });

    router.post('/greetings', async (c) => {
      const user = c.get('user');
      if (user === null) throw new PluginError(401, 'UNAUTHENTICATED', 'Sign in first.');
      const message = messageOf(await c.req.json().catch(() => null));
      const greeting = {
        id: crypto.randomUUID(),
        user_id: user.id,
        message,
        created_at: new Date().toISOString(),
      };
      await ctx.db.insertInto(GREETINGS).values(greeting).execute();
      ctx.logger.info('greeting posted', { id: greeting.id });
      return c.json(
        {
          greeting: {
            id: greeting.id,
            from: user.username,
            message,
            createdAt: greeting.created_at,
          },
        },
        201,
      );
    });

    // Pages only hide what a user may not do: the API checks roles itself.
    router.delete('/greetings/:id', requireRole('admin'), async (c) => {
      const result = await ctx.db
        .deleteFrom(GREETINGS)
        .where('id', '=', c.req.param('id'))
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) {
        throw new PluginError(404, 'NOT_FOUND', 'There is no such greeting.');
      }
      return c.body(null, 204);
    });
  },
});
