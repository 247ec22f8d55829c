/**
 * The rules of a poll, in one place for both sides: the form checks a draft with them before it
 * sends it, and the server checks every request with them again (a browser can be bypassed).
 * Plain TypeScript without dependencies, so it costs the frontend bundle next to nothing.
 */

export const QUESTION_MIN = 5;
export const QUESTION_MAX = 200;
export const OPTION_MAX = 100;
export const COMMENT_MAX = 500;

/** The defaults of the settings schema in plugin.json, for a value that is missing. */
export const DEFAULT_SETTINGS: PollSettings = {
  maxOptions: 6,
  allowVoteChange: true,
  resultsVisibility: 'after-vote',
};

export const RESULTS_VISIBILITY = ['always', 'after-vote', 'after-close'] as const;
export type ResultsVisibility = (typeof RESULTS_VISIBILITY)[number];

export interface PollSettings {
  maxOptions: number;
  allowVoteChange: boolean;
  resultsVisibility: ResultsVisibility;
}

/** One problem with one field, in the host's `details.issues` shape: `options.2`, `question`. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface PollDraft {
  question: string;
  options: readonly string[];
  /** An ISO 8601 instant, or null for a poll that stays open until an admin closes it. */
  closesAt: string | null;
}

/**
 * Lengths in code points, as the host counts the lengths of settings: 🍕 is one character, not
 * the two UTF-16 units of `.length`.
 */
function length(text: string): number {
  return Array.from(text).length;
}

/**
 * Settings as the host hands them over (`ctx.settings.get()` on the server, `useSettings()` in the
 * browser): untyped records. A value of the wrong type falls back to the default.
 */
export function readPollSettings(raw: Readonly<Record<string, unknown>>): PollSettings {
  const { maxOptions, allowVoteChange, resultsVisibility } = raw;
  return {
    maxOptions:
      typeof maxOptions === 'number' && Number.isInteger(maxOptions) && maxOptions >= 2
        ? maxOptions
        : DEFAULT_SETTINGS.maxOptions,
    allowVoteChange:
      typeof allowVoteChange === 'boolean' ? allowVoteChange : DEFAULT_SETTINGS.allowVoteChange,
    resultsVisibility:
      RESULTS_VISIBILITY.find((v) => v === resultsVisibility) ?? DEFAULT_SETTINGS.resultsVisibility,
  };
}

/** Every problem of a draft at once, so a form can mark every wrong field in one go. */
export function pollDraftIssues(
  draft: PollDraft,
  { maxOptions, now }: { maxOptions: number; now: Date },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const question = length(draft.question.trim());
  if (question < QUESTION_MIN || question > QUESTION_MAX) {
    issues.push({
      path: 'question',
      message: `Write a question of ${QUESTION_MIN} to ${QUESTION_MAX} characters.`,
    });
  }

  const options = draft.options.map((option) => option.trim());
  if (options.length < 2 || options.length > maxOptions) {
    issues.push({ path: 'options', message: `Give 2 to ${maxOptions} options.` });
  }
  const seen = new Set<string>();
  options.forEach((option, index) => {
    const key = option.toLocaleLowerCase();
    if (option.length === 0) {
      issues.push({ path: `options.${index}`, message: 'Write the option, or remove it.' });
    } else if (length(option) > OPTION_MAX) {
      issues.push({ path: `options.${index}`, message: `At most ${OPTION_MAX} characters.` });
    } else if (seen.has(key)) {
      issues.push({ path: `options.${index}`, message: 'This option is already in the list.' });
    }
    seen.add(key);
  });

  if (draft.closesAt !== null) {
    const closes = Date.parse(draft.closesAt);
    if (Number.isNaN(closes)) {
      issues.push({ path: 'closesAt', message: 'Give a date and time, or leave it empty.' });
    } else if (closes <= now.getTime()) {
      issues.push({ path: 'closesAt', message: 'The closing time must be in the future.' });
    }
  }
  return issues;
}

/** A comment's text, trimmed, or the reason it cannot be posted. */
export function commentIssues(body: string): FieldIssue[] {
  const text = length(body.trim());
  if (text === 0 || text > COMMENT_MAX) {
    return [{ path: 'body', message: `Write 1 to ${COMMENT_MAX} characters.` }];
  }
  return [];
}

/** Whether a user sees the counts of a poll, by the `resultsVisibility` setting. */
export function resultsVisible(
  visibility: ResultsVisibility,
  { open, voted, isAdmin }: { open: boolean; voted: boolean; isAdmin: boolean },
): boolean {
  // Admins see who voted what on the Manage page anyway: hiding counts from them hides nothing.
  if (isAdmin) return true;
  switch (visibility) {
    case 'always':
      return true;
    case 'after-vote':
      return voted || !open;
    case 'after-close':
      return !open;
  }
}
