import { describe, expect, it } from 'vitest';
import { PLUGIN_FORMAT_ERROR_CODES, PluginFormatError } from '@polyphony/plugin-format';
import { AppError, isAppError, statusOf } from './app-error.ts';

describe('AppError', () => {
  it('is recognised by its name and code, not by its class', () => {
    const foreign = { name: 'AppError', code: 'USER_NOT_FOUND', message: 'x' };
    expect(isAppError(foreign)).toBe(true);
    expect(isAppError(new AppError('LAST_ADMIN', 'no'))).toBe(true);
  });

  it('takes the errors of @polyphony/plugin-format as its own: same codes, same answers', () => {
    const error = new PluginFormatError('MANIFEST_INVALID', 'plugin.json is invalid.', {
      details: { issues: [] },
    });
    expect(isAppError(error)).toBe(true);
    expect(isAppError({ name: 'PluginFormatError', code: 'MADE_UP' })).toBe(false);
    // Every code the package may throw has a status here, or it would answer 500.
    for (const code of PLUGIN_FORMAT_ERROR_CODES)
      expect(statusOf(code)).toBeGreaterThanOrEqual(400);
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
