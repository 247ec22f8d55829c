import { useRef, useState, type SubmitEvent } from 'react';
import { PluginLink, usePlugin, useSettings } from '@polyphony/plugin-sdk/web';
import type { PollResponse } from '../shared/api-types.ts';
import {
  pollDraftIssues,
  QUESTION_MAX,
  QUESTION_MIN,
  readPollSettings,
  type PollDraft,
} from '../shared/poll-rules.ts';
import { errorMessage, fieldIssuesOf, issuesByPath } from './api.ts';
import { Alert, Button, describedBy, FieldMessages, TextField } from './ui.tsx';

interface OptionDraft {
  /** A React key that stays with the option when one above it is removed. */
  key: number;
  text: string;
}

/** `/new`: editors and admins ask a question. */
export function NewPollPage() {
  const plugin = usePlugin();
  const { maxOptions } = readPollSettings(useSettings());
  const [question, setQuestion] = useState('');
  const nextKey = useRef(2);
  const [options, setOptions] = useState<OptionDraft[]>([
    { key: 0, text: '' },
    { key: 1, text: '' },
  ]);
  const [closesAt, setClosesAt] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  /** Shows the problems on their fields and moves the focus to the first one. */
  const showIssues = (byPath: Record<string, string>) => {
    setIssues(byPath);
    requestAnimationFrame(() => {
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    });
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    const draft: PollDraft = {
      question,
      options: options.map((option) => option.text),
      // datetime-local gives the browser's local time; the server gets an instant.
      closesAt: closesAt === '' ? null : localToIso(closesAt),
    };
    // The rules the server applies too: most mistakes never need a round trip.
    const found = pollDraftIssues(draft, { maxOptions, now: new Date() });
    if (found.length > 0) {
      showIssues(issuesByPath(found));
      return;
    }
    setIssues({});
    setSending(true);
    plugin.api.post('/polls', draft).then(
      (body) => {
        plugin.navigate(`/polls/${(body as PollResponse).poll.id}`);
      },
      (error: unknown) => {
        setSending(false);
        // The server may still refuse (an admin changed the settings since the page loaded):
        // its issues land on the fields too.
        const byPath = fieldIssuesOf(error);
        if (byPath === null) setFailure(errorMessage(error));
        else showIssues(byPath);
      },
    );
  };

  const setOption = (key: number, text: string) => {
    setOptions((all) => all.map((option) => (option.key === key ? { key, text } : option)));
  };
  const removeOption = (key: number) => {
    setOptions((all) => all.filter((option) => option.key !== key));
    // Option issues are named by position: after a removal they would point at the wrong ones.
    setIssues((all) =>
      Object.fromEntries(Object.entries(all).filter(([path]) => !path.startsWith('options'))),
    );
  };
  const addOption = () => {
    const key = nextKey.current++;
    setOptions((all) => [...all, { key, text: '' }]);
  };

  return (
    <div className="tp-page">
      <div className="tp-header">
        <h1>New poll</h1>
        <PluginLink to="/" className="tp-link">
          Back to polls
        </PluginLink>
      </div>
      <form
        ref={form}
        className="tp-form tp-card"
        onSubmit={submit}
        noValidate
        aria-label="New poll"
      >
        <TextField
          id="team-polls-question"
          label="Question"
          value={question}
          onChange={(event) => {
            setQuestion(event.target.value);
          }}
          hint={`${QUESTION_MIN} to ${QUESTION_MAX} characters.`}
          error={issues.question}
        />
        <fieldset
          className="tp-options"
          aria-describedby={describedBy('team-polls-options', issues.options !== undefined, true)}
        >
          <legend className="tp-label">Options</legend>
          <FieldMessages
            id="team-polls-options"
            error={issues.options}
            hint={`2 to ${maxOptions} different answers.`}
          />
          {options.map((option, index) => (
            <div key={option.key} className="tp-option-row">
              <TextField
                id={`team-polls-option-${index}`}
                label={`Option ${index + 1}`}
                hideLabel
                placeholder={`Option ${index + 1}`}
                value={option.text}
                onChange={(event) => {
                  setOption(option.key, event.target.value);
                }}
                error={issues[`options.${index}`]}
              />
              <Button
                variant="default"
                onClick={() => {
                  removeOption(option.key);
                }}
                disabled={options.length <= 2}
              >
                Remove<span className="tp-visually-hidden"> option {index + 1}</span>
              </Button>
            </div>
          ))}
          <div className="tp-row">
            <Button variant="default" onClick={addOption} disabled={options.length >= maxOptions}>
              Add option
            </Button>
          </div>
        </fieldset>
        <TextField
          id="team-polls-closes-at"
          label="Closes at (optional)"
          type="datetime-local"
          value={closesAt}
          onChange={(event) => {
            setClosesAt(event.target.value);
          }}
          hint="Leave it empty to keep the poll open until an admin closes it."
          error={issues.closesAt}
        />
        {failure !== null && <Alert>{failure}</Alert>}
        <div className="tp-row">
          <Button type="submit" disabled={sending}>
            {sending ? 'Creating…' : 'Create poll'}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** `2030-05-01T14:00` (local time, from datetime-local) as an ISO instant; as typed if not a date. */
function localToIso(value: string): string {
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : time.toISOString();
}
