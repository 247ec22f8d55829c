/**
 * The one error this package throws. Its codes are the host's own (the host maps each to an HTTP
 * status), so the host can answer with it as it is. It is recognised by `name` and `code`, never
 * by `instanceof`: the host, the kit and a plugin's tests may each load their own copy.
 */
export const PLUGIN_FORMAT_ERROR_CODES = [
  'ARCHIVE_INVALID',
  'ARCHIVE_UNSAFE_PATH',
  'ARCHIVE_UNSUPPORTED_ENTRY',
  'ARCHIVE_TOO_LARGE',
  'MANIFEST_MISSING',
  'MANIFEST_INVALID',
  'PLUGIN_INCOMPATIBLE',
  'PLUGIN_STORAGE_FAILED',
  'VALIDATION_FAILED',
] as const;

export type PluginFormatErrorCode = (typeof PLUGIN_FORMAT_ERROR_CODES)[number];

export interface PluginFormatErrorOptions {
  details?: unknown;
  cause?: unknown;
}

export class PluginFormatError extends Error {
  override readonly name = 'PluginFormatError';
  readonly code: PluginFormatErrorCode;
  readonly details: unknown;

  constructor(
    code: PluginFormatErrorCode,
    message: string,
    options: PluginFormatErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set(PLUGIN_FORMAT_ERROR_CODES);

export function isPluginFormatError(value: unknown): value is PluginFormatError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'PluginFormatError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    KNOWN_CODES.has((value as { code: string }).code)
  );
}
