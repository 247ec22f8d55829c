/**
 * Every error the host means to show to a client is an AppError with a stable `code`.
 * Callers match on `code` (see `isAppError`), never on `instanceof`: errors cross package and
 * plugin boundaries where two copies of this class may exist.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNKNOWN_ROLE: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_TOKEN_INVALID: 403,
  ACCOUNT_DISABLED: 403,
  NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  ROLE_NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  ROLE_EXISTS: 409,
  LAST_ADMIN: 409,
  CANNOT_DELETE_SELF: 409,
  ROLE_BUILTIN: 409,
  ROLE_IN_USE: 409,
  SETUP_ALREADY_DONE: 409,
  PLUGIN_NOT_FOUND: 404,
  UPLOAD_INVALID: 400,
  ARCHIVE_INVALID: 400,
  ARCHIVE_UNSAFE_PATH: 400,
  ARCHIVE_UNSUPPORTED_ENTRY: 400,
  MANIFEST_MISSING: 400,
  MANIFEST_INVALID: 400,
  PLUGIN_INCOMPATIBLE: 400,
  PLUGIN_VERSION_EXISTS: 409,
  PLUGIN_DOWNGRADE: 409,
  PLUGIN_BUSY: 409,
  PLUGIN_NAMESPACE_TAKEN: 409,
  PLUGIN_LOAD_FAILED: 422,
  PLUGIN_MIGRATION_FAILED: 422,
  PLUGIN_MIGRATIONS_MISMATCH: 422,
  PLUGIN_NAMESPACE_VIOLATION: 422,
  PLUGIN_ACTIVATION_FAILED: 422,
  PAYLOAD_TOO_LARGE: 413,
  ARCHIVE_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  DATABASE_UNAVAILABLE: 503,
  PLUGIN_STORAGE_FAILED: 507,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface AppErrorOptions {
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

/**
 * Errors that carry the host's codes without being AppErrors: @polyphony/plugin-format's (the
 * archive, manifest and settings checks, shared with the plugin kit) use the same codes.
 */
const APP_ERROR_NAMES: ReadonlySet<unknown> = new Set(['AppError', 'PluginFormatError']);

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    APP_ERROR_NAMES.has((value as { name?: unknown }).name) &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in errorStatus
  );
}

export function statusOf(code: ErrorCode): number {
  return errorStatus[code];
}
