import { isApiError, isRecord } from './api-client.ts';

/**
 * Plain-words explanations for the API's error codes. The server's own `message` is written for a
 * person too, but these say what to do next in the words of this app; unknown codes (plugins may
 * add some) fall back to the server's message.
 */
const MESSAGES_BY_CODE: Record<string, string> = {
  NETWORK_ERROR: 'Could not reach the server. Check your connection and try again.',
  UNEXPECTED_RESPONSE: 'The server sent an answer this app does not understand. Try again later.',
  VALIDATION_FAILED: 'Some fields need attention.',
  INVALID_JSON: 'The request could not be read by the server. Reload the page and try again.',
  PAYLOAD_TOO_LARGE: 'That is too much data to send at once.',
  UNAUTHENTICATED: 'Your session has ended. Sign in again.',
  INVALID_CREDENTIALS: 'Wrong username or password.',
  FORBIDDEN: "You don't have permission to do that.",
  CSRF_TOKEN_INVALID: "Your session's security token was out of date. Please try again.",
  ACCOUNT_DISABLED: 'This account is disabled. Ask an administrator to enable it.',
  NOT_FOUND: 'The server does not know this request. The app may be out of date; reload the page.',
  USER_NOT_FOUND: 'That user no longer exists. Someone may have deleted it.',
  ROLE_NOT_FOUND: 'That role no longer exists. Someone may have deleted it.',
  USERNAME_TAKEN: 'That username is already taken.',
  ROLE_EXISTS: 'A role with that name already exists.',
  LAST_ADMIN:
    'This would leave Polyphony without an active administrator. Give another account the admin role first.',
  CANNOT_DELETE_SELF: "You can't delete your own account. Another administrator has to do it.",
  ROLE_BUILTIN: "Built-in roles can't be deleted.",
  ROLE_IN_USE: 'Some users still have this role. Remove it from them first.',
  SETUP_ALREADY_DONE: 'Polyphony is already set up. Sign in instead.',
  INTERNAL_ERROR: 'The server ran into a problem. The server log has the details.',
  DATABASE_UNAVAILABLE: 'The database is not answering. Try again in a moment.',
};

const FALLBACK_MESSAGE = 'Something went wrong. Please try again.';

/** Overrides for one screen, where a code deserves more specific words. */
export type MessageOverrides = Partial<Record<string, string>>;

export function describeError(error: unknown, overrides: MessageOverrides = {}): string {
  if (!isApiError(error)) return FALLBACK_MESSAGE;
  const override = overrides[error.code];
  if (override !== undefined) return override;

  if (error.code === 'RATE_LIMITED') return rateLimitMessage(error.details);
  if (error.code === 'UNKNOWN_ROLE') return unknownRoleMessage(error.details);
  return MESSAGES_BY_CODE[error.code] ?? (error.message === '' ? FALLBACK_MESSAGE : error.message);
}

function rateLimitMessage(details: Record<string, unknown> | undefined): string {
  const seconds = details?.retryAfterSeconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    return 'Too many failed sign-ins. Wait a little, then try again.';
  }
  const wait =
    seconds >= 90
      ? `${Math.ceil(seconds / 60)} minutes`
      : `${Math.max(1, Math.ceil(seconds))} second${Math.ceil(seconds) === 1 ? '' : 's'}`;
  return `Too many failed sign-ins. Try again in ${wait}.`;
}

function unknownRoleMessage(details: Record<string, unknown> | undefined): string {
  const roles = Array.isArray(details?.roles)
    ? details.roles.filter((role): role is string => typeof role === 'string')
    : [];
  if (roles.length === 0) return 'One of the chosen roles no longer exists. Reload and try again.';
  const list = roles.join(', ');
  return roles.length === 1
    ? `The role ${list} no longer exists. Reload and try again.`
    : `The roles ${list} no longer exist. Reload and try again.`;
}

export interface ValidationIssue {
  path: string;
  message: string;
}

/** The `details.issues` of a `VALIDATION_FAILED` error; empty for any other error. */
export function validationIssuesOf(error: unknown): ValidationIssue[] {
  if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return [];
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((issue: unknown) =>
    isRecord(issue) && typeof issue.message === 'string'
      ? [{ path: typeof issue.path === 'string' ? issue.path : '', message: issue.message }]
      : [],
  );
}

export interface FormErrors<Field extends string> {
  /** One message per field, to show under that field. */
  fields: Partial<Record<Field, string>>;
  /** What could not be tied to a field, to show above the form; `null` when everything was. */
  form: string | null;
}

/**
 * Splits a server error between the form's fields and the form as a whole. Validation issues go to
 * the field their path starts with ("roles.0" → roles); `fieldForCode` places other codes, such as
 * USERNAME_TAKEN, under the field they are about.
 */
export function formErrorsFrom<Field extends string>(
  error: unknown,
  fieldNames: readonly Field[],
  options: { fieldForCode?: Partial<Record<string, Field>>; overrides?: MessageOverrides } = {},
): FormErrors<Field> {
  const fields: Partial<Record<Field, string>> = {};
  const isField = (name: string): name is Field => (fieldNames as readonly string[]).includes(name);

  const issues = validationIssuesOf(error);
  if (issues.length > 0) {
    const leftOver: string[] = [];
    for (const issue of issues) {
      const field = issue.path.split('.')[0] ?? '';
      if (isField(field)) fields[field] ??= issue.message;
      else leftOver.push(issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`);
    }
    return { fields, form: leftOver.length > 0 ? leftOver.join(' ') : null };
  }

  const message = describeError(error, options.overrides);
  const field = isApiError(error) ? options.fieldForCode?.[error.code] : undefined;
  if (field !== undefined) {
    fields[field] = message;
    return { fields, form: null };
  }
  return { fields, form: message };
}
