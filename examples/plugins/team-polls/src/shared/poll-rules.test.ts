import { describe, expect, it } from 'vitest';
import {
  commentIssues,
  DEFAULT_SETTINGS,
  pollDraftIssues,
  readPollSettings,
  resultsVisible,
  type PollDraft,
} from './poll-rules.ts';

const now = new Date('2030-01-01T12:00:00.000Z');
const check = (draft: Partial<PollDraft>, maxOptions = 6) =>
  pollDraftIssues(
    { question: 'Where do we eat?', options: ['Pizza', 'Sushi'], closesAt: null, ...draft },
    { maxOptions, now },
  );

describe('pollDraftIssues', () => {
  it('accepts a good draft, trimmed, with a closing time in the future', () => {
    expect(check({ question: '  Lunch?!  ', closesAt: '2030-01-02T00:00:00.000Z' })).toEqual([]);
  });

  it('names each wrong field, all at once', () => {
    expect(
      check({ question: 'Hi?', options: ['Pizza', ' ', 'pizza'], closesAt: 'tomorrow' }),
    ).toEqual([
      { path: 'question', message: 'Write a question of 5 to 200 characters.' },
      { path: 'options.1', message: 'Write the option, or remove it.' },
      { path: 'options.2', message: 'This option is already in the list.' },
      { path: 'closesAt', message: 'Give a date and time, or leave it empty.' },
    ]);
  });

  it('counts characters as people do: five emoji are a five-character question', () => {
    expect(check({ question: '🍕🍣🌮🥗🍜' })).toEqual([]);
    expect(check({ question: '🍕🍣🌮🥗' })).toHaveLength(1);
    expect(check({ question: 'x'.repeat(201) })[0]?.path).toBe('question');
  });

  it('holds the number of options between 2 and maxOptions', () => {
    expect(check({ options: ['Only one'] })).toEqual([
      { path: 'options', message: 'Give 2 to 6 options.' },
    ]);
    expect(check({ options: ['a', 'b', 'c', 'd'] }, 3)).toEqual([
      { path: 'options', message: 'Give 2 to 3 options.' },
    ]);
    expect(check({ options: ['a', 'b', 'c'] }, 3)).toEqual([]);
    expect(check({ options: ['a', 'x'.repeat(101)] })[0]?.path).toBe('options.1');
  });

  it('refuses a closing time that is not in the future', () => {
    expect(check({ closesAt: now.toISOString() })).toEqual([
      { path: 'closesAt', message: 'The closing time must be in the future.' },
    ]);
  });
});

describe('commentIssues', () => {
  it('takes 1 to 500 characters after trimming', () => {
    expect(commentIssues(' Good idea ')).toEqual([]);
    expect(commentIssues('   ')).toHaveLength(1);
    expect(commentIssues('x'.repeat(501))).toEqual([
      { path: 'body', message: 'Write 1 to 500 characters.' },
    ]);
  });
});

describe('readPollSettings', () => {
  it('reads the host values and falls back to the defaults for anything missing or odd', () => {
    expect(readPollSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(
      readPollSettings({ maxOptions: 3, allowVoteChange: false, resultsVisibility: 'after-close' }),
    ).toEqual({ maxOptions: 3, allowVoteChange: false, resultsVisibility: 'after-close' });
    expect(
      readPollSettings({ maxOptions: 2.5, allowVoteChange: 'no', resultsVisibility: 'never' }),
    ).toEqual(DEFAULT_SETTINGS);
  });
});

describe('resultsVisible', () => {
  const cases = [
    ['always', { open: true, voted: false, isAdmin: false }, true],
    ['after-vote', { open: true, voted: false, isAdmin: false }, false],
    ['after-vote', { open: true, voted: true, isAdmin: false }, true],
    ['after-vote', { open: false, voted: false, isAdmin: false }, true],
    ['after-close', { open: true, voted: true, isAdmin: false }, false],
    ['after-close', { open: false, voted: false, isAdmin: false }, true],
    ['after-close', { open: true, voted: false, isAdmin: true }, true],
  ] as const;
  it.each(cases)('%s, %o → %s', (visibility, who, expected) => {
    expect(resultsVisible(visibility, who)).toBe(expected);
  });
});
