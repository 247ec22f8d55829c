import { useState } from 'react';
import { PluginLink, usePlugin } from '@polyphony/plugin-sdk/web';
import type { Poll, PollsResponse } from '../shared/api-types.ts';
import { useApiGet } from './api.ts';
import { PollCard } from './poll-card.tsx';
import { Alert } from './ui.tsx';

/** `/`: for every role. Open polls to vote on, then the closed ones with their results. */
export function PollsPage() {
  const plugin = usePlugin();
  return (
    <div className="tp-page">
      <div className="tp-header">
        <h1>Polls</h1>
        {plugin.hasRole('editor', 'admin') && (
          <PluginLink to="/new" className="tp-button">
            New poll
          </PluginLink>
        )}
      </div>
      <PollList state="open" title="Open polls" empty="No open polls right now." />
      <PollList state="closed" title="Closed polls" empty="No poll has closed yet." />
    </div>
  );
}

function PollList({
  state,
  title,
  empty,
}: {
  state: 'open' | 'closed';
  title: string;
  empty: string;
}) {
  const [polls, reload] = useApiGet<PollsResponse>(`/polls?state=${state}`);
  // A vote answers with the updated poll: shown at once, before the list is asked again.
  const [updated, setUpdated] = useState<Record<string, Poll>>({});
  const headingId = `team-polls-${state}`;
  return (
    <section className="tp-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {polls.state === 'loading' && <p className="tp-muted">Loading polls…</p>}
      {polls.state === 'failed' && <Alert>The polls could not be loaded: {polls.error}</Alert>}
      {polls.state === 'loaded' &&
        (polls.value.polls.length === 0 ? (
          <p className="tp-muted">{empty}</p>
        ) : (
          polls.value.polls.map((poll) => (
            <PollCard
              key={poll.id}
              poll={updated[poll.id] ?? poll}
              onChange={(next) => {
                setUpdated((all) => ({ ...all, [next.id]: next }));
                reload();
              }}
            />
          ))
        ))}
    </section>
  );
}
