import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client.ts';
import { describeError, formErrorsFrom, validationIssuesOf } from './error-messages.ts';

function apiError(status: number, code: string, details?: Record<string, unknown>) {
  return new ApiError({ status, code, message: `server says ${code}`, details });
}

describe('describeError', () => {
  it("explains known codes in the app's words", () => {
    expect(describeError(apiError(409, 'LAST_ADMIN'))).toMatch(/without an active administrator/);
  });

  it("falls back to the server's message for codes it does not know", () => {
    expect(describeError(apiError(409, 'PLUGIN_SPECIFIC'))).toBe('server says PLUGIN_SPECIFIC');
  });

  it('says how long to wait when rate limited', () => {
    expect(describeError(apiError(429, 'RATE_LIMITED', { retryAfterSeconds: 30 }))).toBe(
      'Too many failed sign-ins. Try again in 30 seconds.',
    );
    expect(describeError(apiError(429, 'RATE_LIMITED', { retryAfterSeconds: 600 }))).toBe(
      'Too many failed sign-ins. Try again in 10 minutes.',
    );
    expect(describeError(apiError(429, 'RATE_LIMITED'))).toMatch(/Wait a little/);
  });

  it('names the unknown roles', () => {
    expect(describeError(apiError(400, 'UNKNOWN_ROLE', { roles: ['ghost'] }))).toBe(
      'The role ghost no longer exists. Reload and try again.',
    );
  });

  it("prefers a screen's override", () => {
    expect(describeError(apiError(404, 'USER_NOT_FOUND'), { USER_NOT_FOUND: 'Gone.' })).toBe(
      'Gone.',
    );
  });

  it('has a generic message for things that are not API errors', () => {
    expect(describeError(new Error('boom'))).toBe('Something went wrong. Please try again.');
  });
});

describe('validationIssuesOf', () => {
  it('ignores malformed issues and other codes', () => {
    const error = apiError(400, 'VALIDATION_FAILED', {
      issues: [{ path: 'username', message: 'Too short' }, { nope: true }, 'text'],
    });
    expect(validationIssuesOf(error)).toEqual([{ path: 'username', message: 'Too short' }]);
    expect(validationIssuesOf(apiError(409, 'USERNAME_TAKEN'))).toEqual([]);
  });
});

describe('formErrorsFrom', () => {
  const fields = ['username', 'password', 'roles'] as const;

  it('puts validation issues under the field their path starts with', () => {
    const error = apiError(400, 'VALIDATION_FAILED', {
      issues: [
        { path: 'roles.0', message: 'Unknown role name' },
        { path: 'password', message: 'At least 8 characters' },
        { path: 'password', message: 'A second complaint' },
        { path: 'extra', message: 'Not allowed' },
      ],
    });

    expect(formErrorsFrom(error, fields)).toEqual({
      fields: { roles: 'Unknown role name', password: 'At least 8 characters' },
      form: 'extra: Not allowed',
    });
  });

  it('places a code under its field when asked to', () => {
    const result = formErrorsFrom(apiError(409, 'USERNAME_TAKEN'), fields, {
      fieldForCode: { USERNAME_TAKEN: 'username' },
    });
    expect(result).toEqual({ fields: { username: 'That username is already taken.' }, form: null });
  });

  it('keeps other errors at the form level', () => {
    expect(formErrorsFrom(apiError(503, 'DATABASE_UNAVAILABLE'), fields)).toEqual({
      fields: {},
      form: 'The database is not answering. Try again in a moment.',
    });
  });
});
