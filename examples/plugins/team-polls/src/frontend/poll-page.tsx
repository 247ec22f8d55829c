import { useState, type ComponentType } from 'react';
import { PluginLink, usePageParams } from '@polyphony/plugin-sdk/web';
import type { Poll, PollResponse } from '../shared/api-types.ts';
import { useApiGet } from './api.ts';
import { PollCard } from './poll-card.tsx';
import { Alert } from './ui.tsx';

/** What a version adds under a poll on its own page (1.1.0: the comments). */
export type PollFooter = ComponentType<{ poll: Poll }>;

/** `/polls/:pollId`: one poll, for every role, with the version's footer below it. */
export function createPollPage(Footer: PollFooter | null): ComponentType {
  return function PollPage() {
    const { pollId = '' } = usePageParams();
    const [loaded] = useApiGet<PollResponse>(`/polls/${encodeURIComponent(pollId)}`);
    const [voted, setVoted] = useState<Poll | null>(null);
    const poll = voted ?? (loaded.state === 'loaded' ? loaded.value.poll : null);
    return (
      <div className="tp-page">
        <p>
          <PluginLink to="/" className="tp-link">
            ← All polls
          </PluginLink>
        </p>
        {loaded.state === 'loading' && <p className="tp-muted">Loading the poll…</p>}
        {loaded.state === 'failed' && <Alert>{loaded.error}</Alert>}
        {poll !== null && (
          <>
            <PollCard poll={poll} onChange={setVoted} standalone />
            {Footer !== null && <Footer poll={poll} />}
          </>
        )}
      </div>
    );
  };
}
