import { useId, useState } from 'react';
import { PluginLink, usePlugin } from '@polyphony/plugin-sdk/web';
import type { Poll, PollsResponse, VotesResponse } from '../shared/api-types.ts';
import { errorMessage, formatTime, useApiGet } from './api.ts';
import { Alert, Badge, Button } from './ui.tsx';

/** `/manage`: admins close, reopen and delete polls, and see who voted what. */
export function ManagePage() {
  const [polls, reload] = useApiGet<PollsResponse>('/polls?state=all');
  return (
    <div className="tp-page">
      <div className="tp-header">
        <h1>Manage polls</h1>
        <PluginLink to="/new" className="tp-button">
          New poll
        </PluginLink>
      </div>
      {polls.state === 'loading' && <p className="tp-muted">Loading polls…</p>}
      {polls.state === 'failed' && <Alert>The polls could not be loaded: {polls.error}</Alert>}
      {polls.state === 'loaded' &&
        (polls.value.polls.length === 0 ? (
          <p className="tp-muted">No polls yet.</p>
        ) : (
          <ul className="tp-list" aria-label="All polls">
            {polls.value.polls.map((poll) => (
              <li key={poll.id}>
                <ManagedPoll poll={poll} onChanged={reload} />
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}

function ManagedPoll({ poll, onChanged }: { poll: Poll; onChanged: () => void }) {
  const { api } = usePlugin();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [showVotes, setShowVotes] = useState(false);
  const titleId = useId();
  const votesId = useId();

  const act = (request: Promise<unknown>) => {
    setBusy(true);
    setError(null);
    request.then(
      () => {
        setBusy(false);
        setConfirmingDelete(false);
        onChanged();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(errorMessage(failure));
      },
    );
  };

  return (
    <article className="tp-card" aria-labelledby={titleId} data-testid="managed-poll">
      <div className="tp-row">
        <Badge open={poll.open} />
        <h2 id={titleId}>
          <PluginLink className="tp-link" to={`/polls/${poll.id}`}>
            {poll.question}
          </PluginLink>
        </h2>
      </div>
      <p className="tp-muted">
        {poll.totalVotes === 1 ? '1 vote' : `${poll.totalVotes ?? 0} votes`} · asked{' '}
        {formatTime(poll.createdAt)}
        {poll.createdBy === null ? '' : ` by ${poll.createdBy}`}
      </p>
      <div className="tp-row">
        {poll.open ? (
          <Button
            variant="default"
            disabled={busy}
            onClick={() => {
              act(api.post(`/polls/${poll.id}/close`));
            }}
          >
            Close<span className="tp-visually-hidden"> “{poll.question}”</span>
          </Button>
        ) : (
          <Button
            variant="default"
            disabled={busy}
            onClick={() => {
              act(api.post(`/polls/${poll.id}/reopen`));
            }}
          >
            Reopen<span className="tp-visually-hidden"> “{poll.question}”</span>
          </Button>
        )}
        <Button
          variant="default"
          aria-expanded={showVotes}
          aria-controls={votesId}
          onClick={() => {
            setShowVotes((shown) => !shown);
          }}
        >
          {showVotes ? 'Hide votes' : 'Show votes'}
          <span className="tp-visually-hidden"> of “{poll.question}”</span>
        </Button>
        {!confirmingDelete && (
          <Button
            variant="danger"
            disabled={busy}
            onClick={() => {
              setConfirmingDelete(true);
            }}
          >
            Delete…<span className="tp-visually-hidden"> “{poll.question}”</span>
          </Button>
        )}
      </div>
      {confirmingDelete && (
        <div className="tp-row" role="group" aria-label="Confirm deletion">
          <span>Delete this poll with its votes? This cannot be undone.</span>
          <Button
            variant="danger"
            disabled={busy}
            onClick={() => {
              act(api.delete(`/polls/${poll.id}`));
            }}
          >
            Delete poll
          </Button>
          <Button
            variant="default"
            onClick={() => {
              setConfirmingDelete(false);
            }}
          >
            Cancel
          </Button>
        </div>
      )}
      {error !== null && <Alert>{error}</Alert>}
      <div id={votesId} hidden={!showVotes}>
        {showVotes && <VoteList pollId={poll.id} />}
      </div>
    </article>
  );
}

/** Who voted what: for admins only, and the API checks that too. */
function VoteList({ pollId }: { pollId: string }) {
  const [votes] = useApiGet<VotesResponse>(`/polls/${pollId}/votes`);
  if (votes.state === 'loading') return <p className="tp-muted">Loading votes…</p>;
  if (votes.state === 'failed') return <Alert>{votes.error}</Alert>;
  if (votes.value.votes.length === 0) return <p className="tp-muted">Nobody has voted yet.</p>;
  return (
    <table className="tp-table" data-testid="poll-votes">
      <caption className="tp-visually-hidden">Votes</caption>
      <thead>
        <tr>
          <th scope="col">Who</th>
          <th scope="col">Voted for</th>
          <th scope="col">When</th>
        </tr>
      </thead>
      <tbody>
        {votes.value.votes.map((vote) => (
          <tr key={`${vote.username ?? '?'}-${vote.optionId}-${vote.votedAt}`}>
            <td>{vote.username ?? 'a deleted user'}</td>
            <td>{vote.option}</td>
            <td>{formatTime(vote.votedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
