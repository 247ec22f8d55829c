import { useId, useState, type SubmitEvent } from 'react';
import { PluginLink, usePlugin, useSettings } from '@polyphony/plugin-sdk/web';
import type { Poll, PollResponse } from '../shared/api-types.ts';
import { readPollSettings, type ResultsVisibility } from '../shared/poll-rules.ts';
import { errorMessage, formatTime } from './api.ts';
import { Alert, Badge, Button } from './ui.tsx';

interface PollCardProps {
  poll: Poll;
  /** Called with the poll as the server returns it after a vote. */
  onChange: (poll: Poll) => void;
  /** On the poll's own page the question is the page's title, not a link to it. */
  standalone?: boolean;
}

/** One poll: the question, a vote form while it is open, and the results when the caller may see them. */
export function PollCard({ poll, onChange, standalone = false }: PollCardProps) {
  const settings = readPollSettings(useSettings());
  const titleId = useId();
  const Title = standalone ? 'h1' : 'h2';
  const mayVote = poll.open && (poll.myVote === null || settings.allowVoteChange);
  const myOption = poll.options.find((option) => option.id === poll.myVote);

  return (
    <article className="tp-card" aria-labelledby={titleId} data-testid="poll-card">
      <div className="tp-row">
        <Badge open={poll.open} />
        <Title id={titleId}>
          {standalone ? (
            poll.question
          ) : (
            <PluginLink className="tp-link" to={`/polls/${poll.id}`}>
              {poll.question}
            </PluginLink>
          )}
        </Title>
      </div>
      <p className="tp-muted">{describeTimes(poll)}</p>
      {mayVote && <VoteForm poll={poll} onVoted={onChange} />}
      {!mayVote && myOption !== undefined && (
        <p data-testid="poll-my-vote">
          You voted for <strong>{myOption.label}</strong>.
        </p>
      )}
      {poll.totalVotes === null ? (
        <p className="tp-muted">{hiddenResultsNote(settings.resultsVisibility, poll)}</p>
      ) : (
        <Results poll={poll} headingLevel={standalone ? 2 : 3} />
      )}
    </article>
  );
}

function describeTimes(poll: Poll): string {
  const by = poll.createdBy === null ? '' : ` by ${poll.createdBy}`;
  const created = `Asked ${formatTime(poll.createdAt)}${by}.`;
  if (poll.closedAt !== null) return `${created} Closed ${formatTime(poll.closedAt)}.`;
  if (poll.closesAt === null) return created;
  return `${created} ${poll.open ? 'Closes' : 'Closed'} ${formatTime(poll.closesAt)}.`;
}

function hiddenResultsNote(visibility: ResultsVisibility, poll: Poll): string {
  if (visibility === 'after-vote' && poll.myVote === null)
    return 'Results are shown once you vote.';
  return 'Results are shown when the poll closes.';
}

function VoteForm({ poll, onVoted }: { poll: Poll; onVoted: (poll: Poll) => void }) {
  const { api } = usePlugin();
  const [choice, setChoice] = useState(poll.myVote);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = useId();

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (choice === null) {
      setError('Pick an option first.');
      return;
    }
    setSending(true);
    setError(null);
    api.put(`/polls/${poll.id}/vote`, { optionId: choice }).then(
      (body) => {
        setSending(false);
        onVoted((body as PollResponse).poll);
      },
      (failure: unknown) => {
        setSending(false);
        setError(errorMessage(failure));
      },
    );
  };

  const changing = poll.myVote !== null;
  return (
    <form className="tp-form" onSubmit={submit} aria-label={`Vote: ${poll.question}`}>
      <fieldset className="tp-options">
        <legend className="tp-visually-hidden">Your answer</legend>
        {poll.options.map((option) => (
          <label key={option.id} className="tp-choice">
            <input
              type="radio"
              name={name}
              value={option.id}
              checked={choice === option.id}
              onChange={() => {
                setChoice(option.id);
              }}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      {error !== null && <Alert>{error}</Alert>}
      <div className="tp-row">
        <Button type="submit" disabled={sending || (changing && choice === poll.myVote)}>
          {changing ? 'Change vote' : 'Vote'}
        </Button>
      </div>
    </form>
  );
}

function Results({ poll, headingLevel }: { poll: Poll; headingLevel: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const total = poll.totalVotes ?? 0;
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="tp-section" data-testid="poll-results">
      <Heading id={headingId}>
        Results <span className="tp-muted">({total === 1 ? '1 vote' : `${total} votes`})</span>
      </Heading>
      <ul className="tp-results">
        {poll.options.map((option) => {
          const votes = option.votes ?? 0;
          const percent = total === 0 ? 0 : Math.round((votes / total) * 100);
          return (
            <li key={option.id} data-testid="poll-result">
              <div className="tp-result-label">
                <span>
                  {option.label}
                  {option.id === poll.myVote && <strong> (your vote)</strong>}
                </span>
                <span>
                  {votes === 1 ? '1 vote' : `${votes} votes`} · {percent}%
                </span>
              </div>
              <div className="tp-bar" aria-hidden="true">
                <span style={{ width: `${percent}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
