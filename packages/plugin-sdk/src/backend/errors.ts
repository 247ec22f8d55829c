/**
 * Errors a plugin's route handler throws to answer with a client error, in the host's shape
 * `{ "error": { "code", "message", "details" } }`. The host recognises them by shape
 * (`isPluginError`), never with `instanceof`: a plugin bundles its own copy of this class, and a
 * plugin's tests may load yet another.
 */

/** Error codes are SCREAMING_SNAKE: `POLL_CLOSED`, `VALIDATION_FAILED`. */
const CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const MAX_CODE_LENGTH = 100;

/** What a `PluginError` may carry besides its status, code and message. */
export interface PluginErrorOptions {
  /** Sent to the client as `error.details`: a JSON object (clients ignore anything else). */
  details?: Record<string, unknown> | undefined;
  /** The underlying error, for your logs; never sent to the client. */
  cause?: unknown;
}

function isValidStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
}

function isValidCode(code: unknown): code is string {
  return typeof code === 'string' && code.length <= MAX_CODE_LENGTH && CODE_PATTERN.test(code);
}

/**
 * Thrown from a route handler, becomes the response
 * `status` + `{ "error": { "code", "message", "details" } }`. Anything else a handler throws is
 * a `500 INTERNAL_ERROR` whose message the client never sees.
 *
 * @example
 * ```ts
 * if (poll.closedAt !== null) {
 *   throw new PluginError(409, 'POLL_CLOSED', 'This poll is closed.', { details: { pollId: poll.id } });
 * }
 * ```
 */
export class PluginError extends Error {
  /** Always `'PluginError'`: how the host (and `isPluginError`) recognises it. */
  override readonly name = 'PluginError';
  /** The HTTP status, 400 to 599. */
  readonly status: number;
  /** Stable and SCREAMING_SNAKE: clients branch on it, never on the message. */
  readonly code: string;
  /** Sent to the client as `error.details` when set. */
  readonly details: Record<string, unknown> | undefined;

  /**
   * @param status - an HTTP error status, 400 to 599.
   * @param code - SCREAMING_SNAKE, at most 100 characters: `POLL_CLOSED`. Reuse a host code where
   *   it fits (`VALIDATION_FAILED`, `NOT_FOUND`, `FORBIDDEN`).
   * @param message - for people: shown to the user by most clients.
   * @throws RangeError when the status is not 400–599 or the code not SCREAMING_SNAKE, so the
   *   mistake shows where it is made rather than as a 500.
   */
  constructor(status: number, code: string, message: string, options: PluginErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!isValidStatus(status)) {
      throw new RangeError(
        `A PluginError's status must be an integer from 400 to 599, not ${String(status)}.`,
      );
    }
    if (!isValidCode(code)) {
      throw new RangeError(
        `A PluginError's code must be SCREAMING_SNAKE (like POLL_CLOSED), at most ${MAX_CODE_LENGTH} characters, not ${JSON.stringify(code)}.`,
      );
    }
    this.status = status;
    this.code = code;
    this.details = options.details;
  }
}

/**
 * Whether a value is a `PluginError` the host can send, recognised by shape so that a copy of the
 * class from another bundle, or a plain object, matches too: `name` is `'PluginError'`, `status`
 * an integer from 400 to 599, `code` SCREAMING_SNAKE and `message` a string. A value with a
 * status or code out of those bounds is not one (the host answers it with a 500 and logs it).
 */
export function isPluginError(value: unknown): value is PluginError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'name' | 'status' | 'code' | 'message', unknown>>;
  return (
    candidate.name === 'PluginError' &&
    isValidStatus(candidate.status) &&
    isValidCode(candidate.code) &&
    typeof candidate.message === 'string'
  );
}

/** One problem with a request, as the host reports them: the field's path and what is wrong. */
export interface ValidationIssue {
  /**
   * Where the problem is: a dot-joined path (`'options.0'`) or its segments (`['options', 0]`,
   * the shape zod's issues have), joined with dots in the response. Empty for the whole body.
   */
  path: string | readonly PropertyKey[];
  /** What is wrong, for people. */
  message: string;
}

/** The `details` of a `VALIDATION_FAILED` answer: the host's own shape, for the host's and yours. */
export interface ValidationFailedDetails {
  [key: string]: unknown;
  issues: { path: string; message: string }[];
}

/**
 * A `400 VALIDATION_FAILED` error listing every problem, in the shape the host uses for its own
 * `VALIDATION_FAILED`: `details: { issues: [{ path: 'options.0', message: '...' }] }`.
 * Throw it from a handler. zod's issues can be passed as they are.
 *
 * @example
 * ```ts
 * const parsed = pollSchema.safeParse(await c.req.json());
 * if (!parsed.success) throw validationFailed(parsed.error.issues);
 * if (body.options.length < 2) throw validationFailed([{ path: 'options', message: 'Give at least two options.' }]);
 * ```
 */
export function validationFailed(
  issues: readonly ValidationIssue[],
  message = 'Some fields are not valid.',
): PluginError {
  const details: ValidationFailedDetails = {
    issues: issues.map((issue) => ({
      path: typeof issue.path === 'string' ? issue.path : issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
  return new PluginError(400, 'VALIDATION_FAILED', message, { details });
}
