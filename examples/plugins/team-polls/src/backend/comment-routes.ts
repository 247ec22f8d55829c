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
import type { PollComment } from '../shared/api-types.ts';
import { commentIssues } from '../shared/poll-rules.ts';
import { caller, EVERYONE, pollNotFound, readBody } from './http.ts';
import { findPollRow } from './poll-queries.ts';
import { COMMENTS, type CommentRow, type PollsDatabase } from './tables.ts';

const commentBody = z.object({ body: z.string() });

/** Comments under a poll: new in 1.1.0, with migration 002-comments. */
export function commentRoutes(router: PluginRouter, ctx: PluginContext<PollsDatabase>): void {
  const db = ctx.db;
  const everyone = requireRole(...EVERYONE);

  const describe = async (
    rows: CommentRow[],
    user: { id: string; roles: readonly string[] },
  ): Promise<PollComment[]> => {
    const authors = await ctx.users.list([...new Set(rows.map((row) => row.user_id))]);
    const usernames = new Map(authors.map((author) => [author.id, author.username]));
    return rows.map((row) => ({
      id: row.id,
      pollId: row.poll_id,
      author: usernames.get(row.user_id) ?? null,
      canDelete: row.user_id === user.id || hasRole(user, 'admin'),
      body: row.body,
      createdAt: row.created_at,
    }));
  };

  router.get('/polls/:pollId/comments', everyone, async (c) => {
    const pollId = c.req.param('pollId');
    if ((await findPollRow(db, pollId)) === undefined) throw pollNotFound();
    const rows = await db
      .selectFrom(COMMENTS)
      .selectAll()
      .where('poll_id', '=', pollId)
      .orderBy('created_at')
      .limit(500)
      .execute();
    return c.json({ comments: await describe(rows, caller(c)) });
  });

  router.post('/polls/:pollId/comments', everyone, async (c) => {
    const user = caller(c);
    const pollId = c.req.param('pollId');
    const { body } = await readBody(c, commentBody);
    const issues = commentIssues(body);
    if (issues.length > 0) throw validationFailed(issues);
    if ((await findPollRow(db, pollId)) === undefined) throw pollNotFound();
    const row: CommentRow = {
      id: randomUUID(),
      poll_id: pollId,
      user_id: user.id,
      body: body.trim(),
      created_at: new Date().toISOString(),
    };
    await db.insertInto(COMMENTS).values(row).execute();
    const [comment] = await describe([row], user);
    return c.json({ comment }, 201);
  });

  router.delete('/polls/:pollId/comments/:commentId', everyone, async (c) => {
    const user = caller(c);
    const row = await db
      .selectFrom(COMMENTS)
      .selectAll()
      .where('id', '=', c.req.param('commentId'))
      .where('poll_id', '=', c.req.param('pollId'))
      .executeTakeFirst();
    if (row === undefined) throw new PluginError(404, 'NOT_FOUND', 'No comment has that id.');
    if (row.user_id !== user.id && !hasRole(user, 'admin')) {
      throw new PluginError(403, 'FORBIDDEN', 'Only its author or an admin may delete a comment.');
    }
    await db.deleteFrom(COMMENTS).where('id', '=', row.id).execute();
    return c.body(null, 204);
  });
}
