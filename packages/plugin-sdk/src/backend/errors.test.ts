import { describe, expect, it } from 'vitest';
import { isPluginError, PluginError, validationFailed } from './errors.ts';

describe('PluginError', () => {
  it('carries status, code, message, details and cause, named PluginError', () => {
    const cause = new Error('row locked');
    const error = new PluginError(409, 'POLL_CLOSED', 'This poll is closed.', {
      details: { pollId: 'p1' },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'PluginError',
      status: 409,
      code: 'POLL_CLOSED',
      message: 'This poll is closed.',
      details: { pollId: 'p1' },
    });
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('PluginError: This poll is closed.');
  });

  it('leaves details and cause undefined when not given', () => {
    const error = new PluginError(404, 'NOT_FOUND', 'No such poll.');
    expect(error.details).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });

  it.each([200, 302, 399, 600, 404.5, Number.NaN])('refuses the status %s', (status) => {
    expect(() => new PluginError(status, 'BAD', 'x')).toThrow(RangeError);
    expect(() => new PluginError(status, 'BAD', 'x')).toThrow(/400 to 599/);
  });

  it.each([
    '',
    'poll_closed',
    'Poll Closed',
    '_LEADING',
    'TRAILING_',
    'DOUBLE__UNDERSCORE',
    '1ST',
    'A'.repeat(101),
  ])('refuses the code %j', (code) => {
    expect(() => new PluginError(400, code, 'x')).toThrow(/SCREAMING_SNAKE/);
  });

  it('accepts the edges of the range and codes with digits', () => {
    expect(new PluginError(400, 'A', 'x').status).toBe(400);
    expect(new PluginError(599, 'HTTP_2_GONE', 'x').code).toBe('HTTP_2_GONE');
  });
});

describe('isPluginError', () => {
  it('recognises the class', () => {
    expect(isPluginError(new PluginError(422, 'TOO_MANY_OPTIONS', 'At most 10.'))).toBe(true);
  });

  it('recognises a copy of the class from another bundle, and a plain object of the same shape', () => {
    class ForeignPluginError extends Error {
      override readonly name = 'PluginError';
      constructor(
        readonly status: number,
        readonly code: string,
        message: string,
      ) {
        super(message);
      }
    }
    expect(isPluginError(new ForeignPluginError(409, 'TAKEN', 'Taken.'))).toBe(true);
    expect(isPluginError({ name: 'PluginError', status: 403, code: 'NOPE', message: '' })).toBe(
      true,
    );
  });

  it('rejects other errors and values that only look close', () => {
    expect(isPluginError(new Error('plain'))).toBe(false);
    expect(isPluginError({ name: 'ApiError', status: 409, code: 'X', message: 'm' })).toBe(false);
    expect(isPluginError({ name: 'PluginError', status: '409', code: 'X', message: 'm' })).toBe(
      false,
    );
    expect(isPluginError({ name: 'PluginError', status: 409, message: 'm' })).toBe(false);
    expect(isPluginError({ name: 'PluginError', status: 409, code: 'X' })).toBe(false);
    expect(isPluginError(null)).toBe(false);
    expect(isPluginError('PluginError')).toBe(false);
  });

  it('rejects a status or code the host could not send', () => {
    const shape = { name: 'PluginError', message: 'm' };
    expect(isPluginError({ ...shape, status: 200, code: 'OK' })).toBe(false);
    expect(isPluginError({ ...shape, status: 700, code: 'X' })).toBe(false);
    expect(isPluginError({ ...shape, status: 409, code: 'not snake' })).toBe(false);
  });
});

describe('validationFailed', () => {
  it("is a 400 VALIDATION_FAILED in the host's details shape", () => {
    const error = validationFailed([
      { path: 'question', message: 'Required' },
      { path: ['options', 0], message: 'Too long' },
      { path: [], message: 'Give at least two options.' },
    ]);
    expect(isPluginError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'Some fields are not valid.',
      details: {
        issues: [
          { path: 'question', message: 'Required' },
          { path: 'options.0', message: 'Too long' },
          { path: '', message: 'Give at least two options.' },
        ],
      },
    });
  });

  it('takes zod-like issues as they are, keeping only path and message', () => {
    const zodIssue = {
      code: 'too_small',
      minimum: 1,
      path: ['votes', 2, 'choice'],
      message: 'Pick one',
    };
    expect(validationFailed([zodIssue], 'The vote is not valid.')).toMatchObject({
      message: 'The vote is not valid.',
      details: { issues: [{ path: 'votes.2.choice', message: 'Pick one' }] },
    });
    expect(validationFailed([zodIssue]).details).toEqual({
      issues: [{ path: 'votes.2.choice', message: 'Pick one' }],
    });
  });
});
