import { describe, expect, it } from 'vitest';
import { isPluginFormatError, PluginFormatError } from './errors.ts';

describe('PluginFormatError', () => {
  it('carries a code, details and cause, and is recognised by name and code alone', () => {
    const cause = new Error('disk');
    const error = new PluginFormatError('ARCHIVE_TOO_LARGE', 'Too big.', {
      details: { limit: 'entries', max: 3 },
      cause,
    });
    expect(error).toMatchObject({
      name: 'PluginFormatError',
      code: 'ARCHIVE_TOO_LARGE',
      message: 'Too big.',
      details: { limit: 'entries', max: 3 },
      cause,
    });
    expect(isPluginFormatError(error)).toBe(true);
    // Another copy of this package throws objects of another class: the shape is what counts.
    expect(isPluginFormatError({ name: 'PluginFormatError', code: 'MANIFEST_INVALID' })).toBe(true);
  });

  it('refuses other errors and codes it does not own', () => {
    expect(isPluginFormatError(new Error('x'))).toBe(false);
    expect(isPluginFormatError({ name: 'PluginFormatError', code: 'LAST_ADMIN' })).toBe(false);
    expect(isPluginFormatError({ name: 'AppError', code: 'MANIFEST_INVALID' })).toBe(false);
    expect(isPluginFormatError(null)).toBe(false);
  });
});
