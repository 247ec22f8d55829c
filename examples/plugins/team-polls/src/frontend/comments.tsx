import { useId, useState, type SubmitEvent } from 'react';
import { usePlugin } from '@polyphony/plugin-sdk/web';
import type { CommentsResponse, Poll, PollComment } from '../shared/api-types.ts';
import { COMMENT_MAX, commentIssues } from '../shared/poll-rules.ts';
import { errorMessage, fieldIssuesOf, formatTime, useApiGet } from './api.ts';
import { Alert, Button, TextArea } from './ui.tsx';

/** 1.1.0: the discussion under a poll, on its own page. */
export function PollComments({ poll }: { poll: Poll }) {
  const [loaded, reload] = useApiGet<CommentsResponse>(`/polls/${poll.id}/comments`);
  const headingId = useId();
  return (
    <section className="tp-card" aria-labelledby={headingId}>
      <h2 id={headingId}>Comments</h2>
      {loaded.state === 'loading' && <p className="tp-muted">Loading comments…</p>}
      {loaded.state === 'failed' && <Alert>{loaded.error}</Alert>}
      {loaded.state === 'loaded' &&
        (loaded.value.comments.length === 0 ? (
          <p className="tp-muted">No comments yet.</p>
        ) : (
          <ul className="tp-list" aria-label="Comments">
            {loaded.value.comments.map((comment) => (
              <Comment key={comment.id} comment={comment} onDeleted={reload} />
            ))}
          </ul>
        ))}
      <CommentForm pollId={poll.id} onPosted={reload} />
    </section>
  );
}

function Comment({ comment, onDeleted }: { comment: PollComment; onDeleted: () => void }) {
  const { api } = usePlugin();
  const [error, setError] = useState<string | null>(null);
  const remove = () => {
    api
      .delete(`/polls/${comment.pollId}/comments/${comment.id}`)
      .then(onDeleted, (failure: unknown) => {
        setError(errorMessage(failure));
      });
  };
  return (
    <li className="tp-comment" data-testid="poll-comment">
      <p className="tp-muted">
        {comment.author ?? 'A deleted user'} · {formatTime(comment.createdAt)}
      </p>
      <p className="tp-comment-body">{comment.body}</p>
      {comment.canDelete && (
        <Button variant="default" size="sm" onClick={remove}>
          Delete<span className="tp-visually-hidden"> the comment by {comment.author}</span>
        </Button>
      )}
      {error !== null && <Alert>{error}</Alert>}
    </li>
  );
}

function CommentForm({ pollId, onPosted }: { pollId: string; onPosted: () => void }) {
  const { api } = usePlugin();
  const [body, setBody] = useState('');
  const [issue, setIssue] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    const [found] = commentIssues(body);
    setIssue(found?.message);
    if (found !== undefined) return;
    setSending(true);
    api.post(`/polls/${pollId}/comments`, { body }).then(
      () => {
        setSending(false);
        setBody('');
        onPosted();
      },
      (error: unknown) => {
        setSending(false);
        const byPath = fieldIssuesOf(error);
        if (byPath?.body !== undefined) setIssue(byPath.body);
        else setFailure(errorMessage(error));
      },
    );
  };

  return (
    <form className="tp-form" onSubmit={submit} noValidate aria-label="Add a comment">
      <TextArea
        id="team-polls-comment"
        label="Your comment"
        value={body}
        onChange={(event) => {
          setBody(event.target.value);
        }}
        hint={`At most ${COMMENT_MAX} characters.`}
        error={issue}
      />
      {failure !== null && <Alert>{failure}</Alert>}
      <div className="tp-row">
        <Button type="submit" disabled={sending}>
          Post comment
        </Button>
      </div>
    </form>
  );
}
