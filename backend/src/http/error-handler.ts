import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { AppError, isAppError, statusOf, type ErrorCode } from '../errors/app-error.ts';
import type { AppEnv } from './app-env.ts';

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function errorResponse(c: Context, error: AppError): Response {
  if (error.code === 'RATE_LIMITED') {
    const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (retry !== undefined) c.header('Retry-After', String(retry));
  }
  return c.json(
    errorBody(error.code, error.message, error.details),
    statusOf(error.code) as ContentfulStatusCode,
  );
}

/** The one place where errors become HTTP responses. */
export function createErrorHandler(fallbackLogger: Logger) {
  return (error: Error, c: Context<AppEnv>): Response => {
    if (isAppError(error)) return errorResponse(c, error);
    if (error instanceof HTTPException && error.status === 413) {
      return errorResponse(c, new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.'));
    }
    // The request context may not exist yet if the failure happened before it was set.
    const logger = (c.get('logger') as Logger | undefined) ?? fallbackLogger;
    logger.error(
      { err: error, requestId: c.get('requestId'), method: c.req.method, path: c.req.path },
      'request failed',
    );
    return errorResponse(
      c,
      new AppError(
        'INTERNAL_ERROR',
        'Something went wrong on our side. The server log has the details.',
      ),
    );
  };
}
