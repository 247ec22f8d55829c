import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import {
  hasRole,
  PluginError,
  requireRole,
  validationFailed,
  type PluginContext,
  type PluginRouter,
} from '@polyphony/plugin-sdk';
import type { VoteRecord } from '../shared/api-types.ts';
import { pollDraftIssues, readPollSettings } from '../shared/poll-rules.ts';
import { AUTHORS, caller, EVERYONE, pollNotFound, readBody } from './http.ts';
import {
  findPollRow,
  isOpen,
  listPolls,
  loadPoll,
  type PollState,
  type Viewer,
} from './poll-queries.ts';
import { OPTIONS, POLLS, VOTES, type PollsDatabase } from './tables.ts';

// Only the shape is checked here; the rules (lengths, counts, duplicates, a future closing time)
// are the shared ones the form applies too, checked below with the current settings.
const newPollBody = z.object({
  question: z.string(),
  options: z.array(z.string()).check(z.maxLength(100)),
  closesAt: z.optional(z.nullable(z.string())),
});
const voteBody = z.object({ optionId: z.string() });
const stateQuery = z.catch(z.enum(['open', 'closed', 'all']), 'open');

/** Polls, votes and their management: everything of 1.0.0. */
export function pollRoutes(router: PluginRouter, ctx: PluginContext<PollsDatabase>): void {
  const db = ctx.db;
  const everyone = requireRole(...EVERYONE);
  const authors = requireRole(...AUTHORS);
  const admins = requireRole('admin');

  const viewerOf = (user: { id: string; roles: readonly string[] }): Viewer => ({
    id: user.id,
    isAdmin: hasRole(user, 'admin'),
  });
  const settings = async () => readPollSettings(await ctx.settings.get());
  const now = () => new Date().toISOString();

  /** One poll as the caller sees it, or 404. */
  const pollFor = async (user: { id: string; roles: readonly string[] }, id: string) => {
    const poll = await loadPoll(db, ctx.users, id, {
      viewer: viewerOf(user),
      settings: await settings(),
      now: now(),
    });
    if (poll === undefined) throw pollNotFound();
    return poll;
  };

  router.get('/polls', everyone, async (c) => {
    const state: PollState = stateQuery.parse(c.req.query('state'));
    const polls = await listPolls(db, ctx.users, {
      state,
      viewer: viewerOf(caller(c)),
      settings: await settings(),
      now: now(),
    });
    return c.json({ polls });
  });

  router.get('/polls/:pollId', everyone, async (c) =>
    c.json({ poll: await pollFor(caller(c), c.req.param('pollId')) }),
  );

  router.post('/polls', authors, async (c) => {
    const user = caller(c);
    const body = await readBody(c, newPollBody);
    const { maxOptions } = await settings();
    const draft = {
      question: body.question,
      options: body.options,
      closesAt: body.closesAt ?? null,
    };
    const issues = pollDraftIssues(draft, { maxOptions, now: new Date() });
    if (issues.length > 0) throw validationFailed(issues);

    const id = randomUUID();
    const createdAt = now();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto(POLLS)
        .values({
          id,
          question: draft.question.trim(),
          created_by: user.id,
          created_at: createdAt,
          // One spelling of instants (toISOString) keeps text comparisons in time order.
          closes_at: draft.closesAt === null ? null : new Date(draft.closesAt).toISOString(),
          closed_at: null,
        })
        .execute();
      await trx
        .insertInto(OPTIONS)
        .values(
          draft.options.map((label, position) => ({
            id: randomUUID(),
            poll_id: id,
            position,
            label: label.trim(),
          })),
        )
        .execute();
    });
    ctx.logger.info('poll created', { pollId: id, options: draft.options.length });
    return c.json({ poll: await pollFor(user, id) }, 201);
  });

  // PUT: voting twice for the same option is the same as voting once, so a retry is harmless.
  router.put('/polls/:pollId/vote', everyone, async (c) => {
    const user = caller(c);
    const pollId = c.req.param('pollId');
    const { optionId } = await readBody(c, voteBody);
    const poll = await findPollRow(db, pollId);
    if (poll === undefined) throw pollNotFound();
    const votedAt = now();
    if (!isOpen(poll, votedAt)) throw new PluginError(409, 'POLL_CLOSED', 'This poll is closed.');
    const option = await db
      .selectFrom(OPTIONS)
      .select('id')
      .where('id', '=', optionId)
      .where('poll_id', '=', pollId)
      .executeTakeFirst();
    if (option === undefined) {
      throw validationFailed([{ path: 'optionId', message: "Pick one of the poll's options." }]);
    }

    const vote = { poll_id: pollId, user_id: user.id, option_id: optionId, voted_at: votedAt };
    const { allowVoteChange } = await settings();
    // The primary key (poll, user) keeps one vote per person even when two requests race.
    await db
      .insertInto(VOTES)
      .values(vote)
      .onConflict((conflict) => {
        const target = conflict.columns(['poll_id', 'user_id']);
        return allowVoteChange
          ? target.doUpdateSet({ option_id: optionId, voted_at: votedAt })
          : target.doNothing();
      })
      .execute();
    if (!allowVoteChange) {
      const kept = await db
        .selectFrom(VOTES)
        .select('option_id')
        .where('poll_id', '=', pollId)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      if (kept !== undefined && kept.option_id !== optionId) {
        throw new PluginError(409, 'VOTE_LOCKED', 'Votes cannot be changed in this team.');
      }
    }
    return c.json({ poll: await pollFor(user, pollId) });
  });

  // Managing polls: admins only.

  router.post('/polls/:pollId/close', admins, async (c) => {
    const pollId = c.req.param('pollId');
    if ((await findPollRow(db, pollId)) === undefined) throw pollNotFound();
    await db
      .updateTable(POLLS)
      .set({ closed_at: now() })
      .where('id', '=', pollId)
      .where('closed_at', 'is', null)
      .execute();
    ctx.logger.info('poll closed', { pollId });
    return c.json({ poll: await pollFor(caller(c), pollId) });
  });

  router.post('/polls/:pollId/reopen', admins, async (c) => {
    const pollId = c.req.param('pollId');
    const poll = await findPollRow(db, pollId);
    if (poll === undefined) throw pollNotFound();
    const at = now();
    // A closing time already past would close it again at once: reopening drops it.
    const closesAt = poll.closes_at !== null && poll.closes_at <= at ? null : poll.closes_at;
    await db
      .updateTable(POLLS)
      .set({ closed_at: null, closes_at: closesAt })
      .where('id', '=', pollId)
      .execute();
    ctx.logger.info('poll reopened', { pollId });
    return c.json({ poll: await pollFor(caller(c), pollId) });
  });

  router.delete('/polls/:pollId', admins, async (c) => {
    const pollId = c.req.param('pollId');
    // Options, votes and comments go with it (ON DELETE CASCADE).
    const result = await db.deleteFrom(POLLS).where('id', '=', pollId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw pollNotFound();
    ctx.logger.info('poll deleted', { pollId });
    return c.body(null, 204);
  });

  router.get('/polls/:pollId/votes', admins, async (c) => {
    const pollId = c.req.param('pollId');
    if ((await findPollRow(db, pollId)) === undefined) throw pollNotFound();
    const rows = await db
      .selectFrom(VOTES)
      .innerJoin(OPTIONS, `${OPTIONS}.id`, `${VOTES}.option_id`)
      .select([
        `${VOTES}.user_id as userId`,
        `${VOTES}.option_id as optionId`,
        `${OPTIONS}.label as option`,
        `${VOTES}.voted_at as votedAt`,
      ])
      .where(`${VOTES}.poll_id`, '=', pollId)
      .orderBy(`${VOTES}.voted_at`)
      .execute();
    const users = await ctx.users.list([...new Set(rows.map((row) => row.userId))]);
    const usernames = new Map(users.map((user) => [user.id, user.username]));
    const votes: VoteRecord[] = rows.map((row) => ({
      username: usernames.get(row.userId) ?? null,
      optionId: row.optionId,
      option: row.option,
      votedAt: row.votedAt,
    }));
    return c.json({ votes });
  });
}
