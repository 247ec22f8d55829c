/**
 * A problem the person running the kit can fix (a wrong option, a broken source file, a folder
 * that is not empty). The CLI prints its message alone, without a stack trace; anything else that
 * is thrown is a bug in the kit and is printed in full.
 */
export class KitError extends Error {
  override readonly name = 'KitError';

  constructor(
    readonly code: KitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type KitErrorCode =
  | 'KIT_USAGE'
  | 'KIT_NOT_A_PLUGIN'
  | 'KIT_TARGET_NOT_EMPTY'
  | 'KIT_INVALID_OPTION'
  | 'KIT_MANIFEST_UNREADABLE'
  | 'KIT_BUILD_FAILED'
  | 'KIT_BUNDLE_REFUSED'
  | 'KIT_NOT_FOUND'
  | 'KIT_HOST_UNREACHABLE'
  | 'KIT_LOGIN_FAILED';

/** Recognises a KitError by shape, so two copies of the kit (or a bundled one) agree. */
export function isKitError(error: unknown): error is KitError {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  return name === 'KitError' && typeof code === 'string' && typeof message === 'string';
}
