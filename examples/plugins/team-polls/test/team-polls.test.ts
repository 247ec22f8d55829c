// team-polls' own tests: the plugin built by the kit, installed in a real Polyphony host running
// in this process, called through its HTTP API as the pages call it. They run on SQLite in memory,
// and again on PostgreSQL when one is at hand (see findTestPostgres in docs/plugins/testing.md).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin } from '@polyphony/plugin-kit';
import {
  createTestHost,
  findTestPostgres,
  type TestDatabase,
  type TestHost,
  type TestHostClient,
} from '@polyphony/plugin-kit/testing';
import type {
  CommentResponse,
  CommentsResponse,
  Poll,
  PollResponse,
  PollsResponse,
  VotesResponse,
} from '../src/shared/api-types.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const v100 = path.join(root, 'versions/1.0.0');

interface ErrorBody {
  error: { code: string; message: string; details?: { issues?: { path: string }[] } };
}

async function body<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

async function refusal(response: Response, status: number, code: string): Promise<ErrorBody> {
  const error = await body<ErrorBody>(response, status);
  expect(error.error.code).toBe(code);
  return error;
}

const issuePaths = (error: ErrorBody) => (error.error.details?.issues ?? []).map((i) => i.path);

const lunch = { question: 'Where do we eat on Friday?', options: ['Pizza', 'Sushi', 'Tacos'] };

async function createPoll(editor: TestHostClient, draft: object = lunch): Promise<Poll> {
  return (await body<PollResponse>(await editor.post('/polls', draft), 201)).poll;
}

async function vote(user: TestHostClient, poll: Poll, index: number): Promise<Response> {
  return user.put(`/polls/${poll.id}/vote`, { optionId: poll.options[index]!.id });
}

let host: TestHost | null = null;

beforeAll(async () => {
  // What `polyphony-plugin build` does: build/ is then the archive tree the host installs.
  await buildPlugin(root);
});

afterEach(async () => {
  await host?.close();
  host = null;
});

// Every test below, on both databases: SQL that works on one and not the other shows up here.
const postgres = await findTestPostgres();

describe.each<TestDatabase>(['sqlite', 'postgres'])('team-polls on %s', (database) => {
  if (database === 'postgres' && postgres.url === null) {
    it.skip(`skipped: ${postgres.reason}`, () => undefined);
    return;
  }

  async function start(settings?: Record<string, unknown>): Promise<TestHost> {
    host = await createTestHost({ plugin: root, database, ...(settings ? { settings } : {}) });
    return host;
  }

  it('lets editors and admins create polls, checking every rule on the server', async () => {
    const h = await start();
    const viewer = await h.signIn({ roles: ['viewer'] });
    const editor = await h.signIn({ roles: ['editor'], username: 'edith' });

    await refusal(await viewer.post('/polls', lunch), 403, 'FORBIDDEN');

    const wrong = await refusal(
      await editor.post('/polls', {
        question: 'Hi?',
        options: ['Pizza', 'Sushi', 'pizza'],
        closesAt: '2000-01-01T00:00:00.000Z',
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(wrong)).toEqual(['question', 'options.2', 'closesAt']);
    const shape = await refusal(
      await editor.post('/polls', { question: lunch.question, options: 'Pizza' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(shape)).toEqual(['options']);
    await refusal(await editor.post('/polls', 'not json'), 400, 'INVALID_JSON');

    const poll = await createPoll(editor, { ...lunch, question: `  ${lunch.question}  ` });
    expect(poll).toMatchObject({
      question: lunch.question,
      createdBy: 'edith',
      open: true,
      closesAt: null,
      myVote: null,
      // The default resultsVisibility is after-vote: the editor has not voted.
      totalVotes: null,
    });
    expect(poll.options.map((o) => o.label)).toEqual(lunch.options);

    // The limit is a setting, read on each request.
    await h.updateSettings({ maxOptions: 2 });
    const tooMany = await refusal(await editor.post('/polls', lunch), 400, 'VALIDATION_FAILED');
    expect(tooMany.error.details?.issues).toEqual([
      { path: 'options', message: 'Give 2 to 2 options.' },
    ]);
  });

  it('takes one vote per person, changeable unless the settings say otherwise', async () => {
    const h = await start();
    const editor = await h.signIn({ roles: ['editor'] });
    const vera = await h.signIn({ roles: ['viewer'] });
    const otto = await h.signIn({ roles: ['viewer'] });
    const poll = await createPoll(editor);

    const first = (await body<PollResponse>(await vote(vera, poll, 0), 200)).poll;
    expect(first).toMatchObject({ myVote: poll.options[0]!.id, totalVotes: 1 });
    const changed = (await body<PollResponse>(await vote(vera, poll, 1), 200)).poll;
    expect(changed.totalVotes).toBe(1);
    expect(changed.options.map((o) => o.votes)).toEqual([0, 1, 0]);

    // Otto has not voted: results stay hidden from him (after-vote).
    const seen = await body<PollsResponse>(await otto.get('/polls'), 200);
    expect(seen.polls[0]).toMatchObject({ id: poll.id, totalVotes: null, myVote: null });
    expect(seen.polls[0]!.options.every((o) => o.votes === null)).toBe(true);

    await h.updateSettings({ allowVoteChange: false });
    await refusal(await vote(vera, poll, 2), 409, 'VOTE_LOCKED');
    // The same vote again is no change: a retried request succeeds.
    await body<PollResponse>(await vote(vera, poll, 1), 200);

    const other = await createPoll(editor, {
      question: 'Which day works?',
      options: ['Mon', 'Tue'],
    });
    const foreign = await refusal(
      await vera.put(`/polls/${poll.id}/vote`, { optionId: other.options[0]!.id }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(foreign)).toEqual(['optionId']);
    await refusal(await vera.put('/polls/nope/vote', { optionId: 'x' }), 404, 'NOT_FOUND');

    expect((await h.data()).plugin_team_polls_votes).toBe(1);
  });

  it('lets only admins close, reopen and delete polls and see who voted what', async () => {
    const h = await start({ resultsVisibility: 'after-close' });
    const editor = await h.signIn({ roles: ['editor'] });
    const vera = await h.signIn({ roles: ['viewer'], username: 'vera' });
    const otto = await h.signIn({ roles: ['viewer'] });
    const poll = await createPoll(editor);
    const voted = (await body<PollResponse>(await vote(vera, poll, 2), 200)).poll;
    expect(voted.totalVotes).toBeNull(); // after-close: not even after voting

    for (const path of [`/polls/${poll.id}/close`, `/polls/${poll.id}/reopen`]) {
      await refusal(await editor.post(path), 403, 'FORBIDDEN');
    }
    await refusal(await vera.get(`/polls/${poll.id}/votes`), 403, 'FORBIDDEN');
    await refusal(await editor.delete(`/polls/${poll.id}`), 403, 'FORBIDDEN');

    const closed = (await body<PollResponse>(await h.admin.post(`/polls/${poll.id}/close`), 200))
      .poll;
    expect(closed.open).toBe(false);
    await refusal(await vote(otto, poll, 0), 409, 'POLL_CLOSED');
    // Closed: everyone sees the results now, voters or not.
    const ottoSees = await body<PollResponse>(await otto.get(`/polls/${poll.id}`), 200);
    expect(ottoSees.poll.options.map((o) => o.votes)).toEqual([0, 0, 1]);
    const open = await body<PollsResponse>(await otto.get('/polls?state=open'), 200);
    const closedList = await body<PollsResponse>(await otto.get('/polls?state=closed'), 200);
    expect(open.polls).toEqual([]);
    expect(closedList.polls.map((p) => p.id)).toEqual([poll.id]);

    const votes = await body<VotesResponse>(await h.admin.get(`/polls/${poll.id}/votes`), 200);
    expect(votes.votes).toEqual([
      expect.objectContaining({
        username: 'vera',
        option: 'Tacos',
        optionId: poll.options[2]!.id,
      }),
    ]);

    const reopened = await body<PollResponse>(await h.admin.post(`/polls/${poll.id}/reopen`), 200);
    expect(reopened.poll.open).toBe(true);
    await body<PollResponse>(await vote(otto, poll, 0), 200);

    expect((await h.admin.delete(`/polls/${poll.id}`)).status).toBe(204);
    await refusal(await otto.get(`/polls/${poll.id}`), 404, 'NOT_FOUND');
    // Its options and votes went with it.
    expect(await h.data()).toEqual({
      plugin_team_polls_comments: 0,
      plugin_team_polls_options: 0,
      plugin_team_polls_polls: 0,
      plugin_team_polls_votes: 0,
    });
  });

  it('keeps anonymous callers and roles it does not know out of every route', async () => {
    const h = await start();
    const poll = await createPoll(h.admin);
    const guest = await h.signIn({ roles: ['guest'] });
    for (const client of [h.anonymous(), guest]) {
      const expected = client.user === null ? 401 : 403;
      expect((await client.get('/polls')).status).toBe(expected);
      expect((await vote(client, poll, 0)).status).toBe(expected);
      expect((await client.get(`/polls/${poll.id}/comments`)).status).toBe(expected);
    }
  });

  it('has comments under a poll (1.1.0): checked, listed, deleted by their author or an admin', async () => {
    const h = await start();
    const poll = await createPoll(h.admin);
    const vera = await h.signIn({ roles: ['viewer'], username: 'vera' });
    const otto = await h.signIn({ roles: ['viewer'], username: 'otto' });

    const empty = await refusal(
      await vera.post(`/polls/${poll.id}/comments`, { body: '   ' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(empty)).toEqual(['body']);
    const posted = await body<CommentResponse>(
      await vera.post(`/polls/${poll.id}/comments`, { body: ' Tacos, obviously. ' }),
      201,
    );
    expect(posted.comment).toMatchObject({ author: 'vera', body: 'Tacos, obviously.' });
    await body<CommentResponse>(
      await otto.post(`/polls/${poll.id}/comments`, { body: 'Sushi!' }),
      201,
    );

    const listed = await body<CommentsResponse>(await otto.get(`/polls/${poll.id}/comments`), 200);
    expect(listed.comments.map((c) => [c.author, c.body, c.canDelete])).toEqual([
      ['vera', 'Tacos, obviously.', false],
      ['otto', 'Sushi!', true],
    ]);
    const veraComment = `/polls/${poll.id}/comments/${posted.comment.id}`;
    await refusal(await otto.delete(veraComment), 403, 'FORBIDDEN');
    expect((await h.admin.delete(veraComment)).status).toBe(204);
    await refusal(await vera.delete(veraComment), 404, 'NOT_FOUND');
    await refusal(await vera.get('/polls/nope/comments'), 404, 'NOT_FOUND');
  });

  it('upgrades from 1.0.0: only 002-comments runs, and polls and votes stay', async () => {
    await buildPlugin(v100);
    const h = (host = await createTestHost({ plugin: v100, database }));
    const poll = await createPoll(h.admin);
    const vera = await h.signIn({ roles: ['viewer'] });
    await body<PollResponse>(await vote(vera, poll, 1), 200);
    expect((await h.info()).tables).not.toContain('plugin_team_polls_comments');
    // 1.0.0 has no comments: its routes answer 404.
    expect((await vera.get(`/polls/${poll.id}/comments`)).status).toBe(404);

    const upgraded = await h.upgrade(root);
    expect(upgraded).toMatchObject({ version: '1.1.0', state: 'active' });
    expect(upgraded.tables).toContain('plugin_team_polls_comments');
    const kept = await body<PollResponse>(await vera.get(`/polls/${poll.id}`), 200);
    expect(kept.poll).toMatchObject({ myVote: poll.options[1]!.id, totalVotes: 1 });
    await body<CommentResponse>(
      await vera.post(`/polls/${poll.id}/comments`, { body: 'Now with comments.' }),
      201,
    );
  });
});
