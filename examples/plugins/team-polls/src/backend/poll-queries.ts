import type { Poll } from '../shared/api-types.ts';
import { resultsVisible, type PollSettings } from '../shared/poll-rules.ts';
import { OPTIONS, POLLS, VOTES, type PollRow, type PollsDb } from './tables.ts';
import type { PluginContext } from '@polyphony/plugin-sdk';

export type PollState = 'open' | 'closed' | 'all';

export interface Viewer {
  id: string;
  isAdmin: boolean;
}

/** Open means: not closed by an admin, and not past its closing time. */
export function isOpen(poll: Pick<PollRow, 'closed_at' | 'closes_at'>, now: string): boolean {
  return poll.closed_at === null && (poll.closes_at === null || poll.closes_at > now);
}

export async function findPollRow(db: PollsDb, id: string): Promise<PollRow | undefined> {
  return db.selectFrom(POLLS).selectAll().where('id', '=', id).executeTakeFirst();
}

/** Polls in a state, newest first, as the API shows them to one user. */
export async function listPolls(
  db: PollsDb,
  users: PluginContext['users'],
  options: { state: PollState; viewer: Viewer; settings: PollSettings; now: string },
): Promise<Poll[]> {
  const { state, now } = options;
  let query = db.selectFrom(POLLS).selectAll().orderBy('created_at', 'desc').limit(200);
  // ISO 8601 text compares in time order on both databases, so "past its closing time" is SQL.
  if (state === 'open') {
    query = query
      .where('closed_at', 'is', null)
      .where((eb) => eb.or([eb('closes_at', 'is', null), eb('closes_at', '>', now)]));
  } else if (state === 'closed') {
    query = query.where((eb) =>
      eb.or([eb('closed_at', 'is not', null), eb('closes_at', '<=', now)]),
    );
  }
  return describePolls(db, users, await query.execute(), options);
}

export async function loadPoll(
  db: PollsDb,
  users: PluginContext['users'],
  id: string,
  options: { viewer: Viewer; settings: PollSettings; now: string },
): Promise<Poll | undefined> {
  const row = await findPollRow(db, id);
  if (row === undefined) return undefined;
  const [poll] = await describePolls(db, users, [row], options);
  return poll;
}

/** Rows to API objects: options in order, counts, the viewer's vote, creators' usernames. */
async function describePolls(
  db: PollsDb,
  users: PluginContext['users'],
  rows: PollRow[],
  { viewer, settings, now }: { viewer: Viewer; settings: PollSettings; now: string },
): Promise<Poll[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [options, counts, mine, creators] = await Promise.all([
    db
      .selectFrom(OPTIONS)
      .selectAll()
      .where('poll_id', 'in', ids)
      .orderBy('poll_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom(VOTES)
      .select(['option_id', (eb) => eb.fn.countAll<number | string>().as('votes')])
      .where('poll_id', 'in', ids)
      .groupBy('option_id')
      .execute(),
    db
      .selectFrom(VOTES)
      .select(['poll_id', 'option_id'])
      .where('poll_id', 'in', ids)
      .where('user_id', '=', viewer.id)
      .execute(),
    users.list([...new Set(rows.map((row) => row.created_by))]),
  ]);
  // PostgreSQL answers count(*) as a string (a bigint): Number() for both.
  const votesOf = new Map(counts.map((count) => [count.option_id, Number(count.votes)]));
  const myVotes = new Map(mine.map((vote) => [vote.poll_id, vote.option_id]));
  const usernames = new Map(creators.map((user) => [user.id, user.username]));

  return rows.map((row) => {
    const open = isOpen(row, now);
    const myVote = myVotes.get(row.id) ?? null;
    const visible = resultsVisible(settings.resultsVisibility, {
      open,
      voted: myVote !== null,
      isAdmin: viewer.isAdmin,
    });
    const own = options.filter((option) => option.poll_id === row.id);
    return {
      id: row.id,
      question: row.question,
      options: own.map((option) => ({
        id: option.id,
        label: option.label,
        votes: visible ? (votesOf.get(option.id) ?? 0) : null,
      })),
      createdBy: usernames.get(row.created_by) ?? null,
      createdAt: row.created_at,
      closesAt: row.closes_at,
      closedAt: row.closed_at,
      open,
      myVote,
      totalVotes: visible
        ? own.reduce((sum, option) => sum + (votesOf.get(option.id) ?? 0), 0)
        : null,
    };
  });
}
