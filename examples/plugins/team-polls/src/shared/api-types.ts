/**
 * What the plugin's API answers, shared by the routes that build these objects and the pages that
 * show them. Times are ISO 8601 text, ids are UUIDs.
 */

export interface PollOption {
  id: string;
  label: string;
  /** Null when the caller may not see results yet (the `resultsVisibility` setting). */
  votes: number | null;
}

export interface Poll {
  id: string;
  question: string;
  options: PollOption[];
  /** The username of whoever created it; null once that account is gone. */
  createdBy: string | null;
  createdAt: string;
  closesAt: string | null;
  /** When an admin closed it by hand. */
  closedAt: string | null;
  /** Not closed by hand and not past its closing time. */
  open: boolean;
  /** The option the caller voted for. */
  myVote: string | null;
  /** Null while results are hidden from the caller. */
  totalVotes: number | null;
}

export interface PollsResponse {
  polls: Poll[];
}

export interface PollResponse {
  poll: Poll;
}

export interface VoteRecord {
  username: string | null;
  optionId: string;
  option: string;
  votedAt: string;
}

export interface VotesResponse {
  votes: VoteRecord[];
}

export interface PollComment {
  id: string;
  pollId: string;
  author: string | null;
  /** Whether the caller may delete it: their own comment, or any comment for an admin. */
  canDelete: boolean;
  body: string;
  createdAt: string;
}

export interface CommentsResponse {
  comments: PollComment[];
}

export interface CommentResponse {
  comment: PollComment;
}
