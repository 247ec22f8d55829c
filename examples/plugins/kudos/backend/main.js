// The Kudos plugin's backend: a plain ES module whose default export follows docs/plugins/backend.md.
import { randomUUID } from 'node:crypto';

const TABLE = 'plugin_kudos_kudos';
const MAX_MESSAGE = 280;

function badRequest(c, message) {
  return c.json({ error: { code: 'VALIDATION_FAILED', message } }, 400);
}

export default {
  migrations: [
    {
      name: '001-kudos',
      async up(db) {
        await db.schema
          .createTable(TABLE)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('from_id', 'text', (c) => c.notNull())
          .addColumn('to_id', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('plugin_kudos_kudos_created_idx')
          .on(TABLE)
          .column('created_at')
          .execute();
      },
    },
  ],

  routes(router, ctx) {
    const withNames = async (rows) => {
      const users = await ctx.users.list([...new Set(rows.flatMap((r) => [r.from_id, r.to_id]))]);
      const names = new Map(users.map((u) => [u.id, u.username]));
      return rows.map((r) => ({
        id: r.id,
        from: names.get(r.from_id) ?? null,
        to: names.get(r.to_id) ?? null,
        message: r.message,
        createdAt: r.created_at,
      }));
    };

    router.get('/kudos', async (c) => {
      const rows = await ctx.db
        .selectFrom(TABLE)
        .selectAll()
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      return c.json({ kudos: await withNames(rows) });
    });

    router.get('/leaderboard', async (c) => {
      const rows = await ctx.db
        .selectFrom(TABLE)
        .select(['to_id', (eb) => eb.fn.countAll().as('count')])
        .groupBy('to_id')
        .orderBy('count', 'desc')
        .limit(10)
        .execute();
      const users = await ctx.users.list(rows.map((r) => r.to_id));
      const names = new Map(users.map((u) => [u.id, u.username]));
      return c.json({
        leaders: rows.map((r) => ({ user: names.get(r.to_id) ?? null, count: Number(r.count) })),
      });
    });

    router.post('/kudos', async (c) => {
      const me = c.get('user');
      let body;
      try {
        body = await c.req.json();
      } catch {
        return badRequest(c, 'Send JSON: { "to": "<username>", "message": "..." }');
      }
      const message = typeof body.message === 'string' ? body.message.trim() : '';
      if (message.length === 0 || message.length > MAX_MESSAGE) {
        return badRequest(c, `message: 1 to ${MAX_MESSAGE} characters`);
      }
      const to = typeof body.to === 'string' ? await ctx.users.findByUsername(body.to) : null;
      if (!to) return badRequest(c, 'to: no such user');
      if (to.id === me.id) return badRequest(c, 'to: kudos go to someone else');

      const { maxPerDay } = await ctx.settings.get();
      const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
      const { count } = await ctx.db
        .selectFrom(TABLE)
        .select((eb) => eb.fn.countAll().as('count'))
        .where('from_id', '=', me.id)
        .where('created_at', '>', since)
        .executeTakeFirstOrThrow();
      if (Number(count) >= maxPerDay) {
        return c.json(
          { error: { code: 'KUDOS_LIMIT', message: `You can give ${maxPerDay} kudos a day.` } },
          429,
        );
      }

      const row = {
        id: randomUUID(),
        from_id: me.id,
        to_id: to.id,
        message,
        created_at: new Date().toISOString(),
      };
      await ctx.db.insertInto(TABLE).values(row).execute();
      ctx.logger.info('kudos given', { to: to.username });
      return c.json({ kudos: (await withNames([row]))[0] }, 201);
    });

    router.delete('/kudos/:id', ctx.requireRole('admin'), async (c) => {
      await ctx.db.deleteFrom(TABLE).where('id', '=', c.req.param('id')).execute();
      return c.body(null, 204);
    });
  },

  activate(ctx) {
    ctx.logger.info('kudos is active');
  },
};
