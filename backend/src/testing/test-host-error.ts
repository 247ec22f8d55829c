/**
 * What a test host throws when Polyphony refuses something (an install, a setting, a user) or when
 * the plugin to install cannot be read. `code` is the host's own error code (`MANIFEST_INVALID`,
 * `PLUGIN_MIGRATION_FAILED`, `VALIDATION_FAILED`, ...), so a test can assert the exact refusal an
 * admin would see. Match it by `name` and `code` (`isTestHostError`), not `instanceof`.
 */
export class TestHostError extends Error {
  override readonly name = 'TestHostError';
  /**
   * The host's error code, or one of this helper's own: `PLUGIN_SOURCE_NOT_FOUND`,
   * `PLUGIN_NOT_BUILT`, `UNEXPECTED_RESPONSE`, `POSTGRES_UNAVAILABLE`, `SERVER_START_FAILED`.
   */
  readonly code: string;
  /** The HTTP status the host answered with; null when the host was not asked. */
  readonly status: number | null;
  /** The `details` of the host's error body, as sent (for example `{ issues: [{ path, message }] }`). */
  readonly details: unknown;

  constructor(
    code: string,
    message: string,
    options: { status?: number | null; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? null;
    this.details = options.details;
  }
}

/** Whether `value` is a TestHostError, by shape: safe when two copies of this module are loaded. */
export function isTestHostError(value: unknown): value is TestHostError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'TestHostError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

interface Issue {
  path?: unknown;
  message: unknown;
}

/** The host's `{ issues: [{ path, message }] }` list of problems, when the details are one. */
function issuesOf(details: unknown): Issue[] | null {
  if (typeof details !== 'object' || details === null || !('issues' in details)) return null;
  const { issues } = details;
  if (!Array.isArray(issues)) return null;
  const valid = issues.every(
    (issue) => typeof issue === 'object' && issue !== null && 'message' in issue,
  );
  return valid ? (issues as Issue[]) : null;
}

/** One line per issue, or the details as JSON. */
function describeDetails(details: unknown): string {
  if (details === undefined) return '';
  const issues = issuesOf(details);
  if (issues === null) {
    return `\n  details: ${JSON.stringify(details, null, 2).replace(/\n/g, '\n  ')}`;
  }
  return issues
    .map((issue) => {
      const where = typeof issue.path === 'string' ? issue.path : JSON.stringify(issue.path);
      return `\n  - ${where}: ${String(issue.message)}`;
    })
    .join('');
}

/**
 * Turns a host response that is not a success into a TestHostError whose message names what was
 * attempted, the code, the status, the host's message and every detail.
 */
export async function errorFromResponse(
  action: string,
  response: Response,
): Promise<TestHostError> {
  const text = await response.text();
  let body: ErrorBody | null = null;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // Not JSON: reported below as an unexpected response.
  }
  const error = body?.error;
  if (typeof error?.code !== 'string') {
    return new TestHostError(
      'UNEXPECTED_RESPONSE',
      `${action}: the host answered ${response.status} ${text.slice(0, 500)}`,
      { status: response.status },
    );
  }
  const message = typeof error.message === 'string' ? error.message : '';
  return new TestHostError(
    error.code,
    `${action}: ${error.code} (${response.status}) ${message}${describeDetails(error.details)}`,
    { status: response.status, details: error.details },
  );
}

/** The response itself when it is a success; otherwise the host's refusal, thrown. */
export async function expectOk(action: string, response: Response): Promise<Response> {
  if (response.ok) return response;
  throw await errorFromResponse(action, response);
}
