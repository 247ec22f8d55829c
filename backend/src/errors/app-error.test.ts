import { describe, expect, it } from 'vitest';
import { AppError, isAppError, statusOf } from './app-error.ts';

describe('AppError', () => {
  it('is recognised by its name and code, not by its class', () => {
    const foreign = { name: 'AppError', code: 'USER_NOT_FOUND', message: 'x' };
    expect(isAppError(foreign)).toBe(true);
    expect(isAppError(new AppError('LAST_ADMIN', 'no'))).toBe(true);
  });

  it('rejects plain errors and unknown codes', () => {
    expect(isAppError(new Error('boom'))).toBe(false);
    expect(isAppError({ name: 'AppError', code: 'MADE_UP' })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });

  it('maps codes to HTTP statuses in one table', () => {
    expect(statusOf('UNAUTHENTICATED')).toBe(401);
    expect(statusOf('CSRF_TOKEN_INVALID')).toBe(403);
    expect(statusOf('RATE_LIMITED')).toBe(429);
  });
});
