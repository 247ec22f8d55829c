import type { Kysely } from 'kysely';

/**
 * The plugin's tables. Every name starts with `plugin_team_polls_` (the host refuses anything
 * else); ids are text UUIDs and times ISO 8601 text, which both SQLite and PostgreSQL store,
 * sort and compare alike.
 */
export const POLLS = 'plugin_team_polls_polls';
export const OPTIONS = 'plugin_team_polls_options';
export const VOTES = 'plugin_team_polls_votes';
export const COMMENTS = 'plugin_team_polls_comments';

export interface PollRow {
  id: string;
  question: string;
  created_by: string;
  created_at: string;
  closes_at: string | null;
  closed_at: string | null;
}

export interface OptionRow {
  id: string;
  poll_id: string;
  position: number;
  label: string;
}

export interface VoteRow {
  poll_id: string;
  user_id: string;
  option_id: string;
  voted_at: string;
}

export interface CommentRow {
  id: string;
  poll_id: string;
  user_id: string;
  body: string;
  created_at: string;
}

/** The tables as Kysely sees them; the comments table exists from migration 002 (1.1.0) on. */
export interface PollsDatabase {
  [POLLS]: PollRow;
  [OPTIONS]: OptionRow;
  [VOTES]: VoteRow;
  [COMMENTS]: CommentRow;
}

export type PollsDb = Kysely<PollsDatabase>;
