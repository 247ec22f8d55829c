import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client.ts';
import type { Plugin } from '../../../lib/api-types.ts';
import { describeUploadFailure, uploadSucceeded } from './plugin-messages.ts';

const notes = (changes: Partial<Plugin> = {}) =>
  ({
    id: 'notes',
    name: 'Notes',
    version: '1.0.0',
    state: 'active',
    error: null,
    ...changes,
  }) as Plugin;

describe('uploadSucceeded', () => {
  it('says whether the upload installed or upgraded the plugin', () => {
    expect(uploadSucceeded({ plugin: notes(), upgradedFrom: null })).toEqual({
      title: 'Plugin installed',
      message: 'Notes 1.0.0 is installed and active.',
      color: 'green',
    });
    expect(uploadSucceeded({ plugin: notes({ version: '1.1.0' }), upgradedFrom: '1.0.0' })).toEqual(
      {
        title: 'Plugin upgraded',
        message: 'Notes was upgraded from 1.0.0 to 1.1.0; it is active.',
        color: 'green',
      },
    );
    expect(
      uploadSucceeded({
        plugin: notes({ version: '1.1.0', state: 'deactivated' }),
        upgradedFrom: '1.0.0',
      }).message,
    ).toBe('Notes was upgraded from 1.0.0 to 1.1.0; it is deactivated, as it was.');
  });

  it('warns when the new version could not start', () => {
    expect(
      uploadSucceeded({
        plugin: notes({ version: '1.1.0', state: 'failed', error: 'activate threw: boom' }),
        upgradedFrom: '1.0.0',
      }),
    ).toEqual({
      title: 'Plugin upgraded, but it could not start',
      message: 'Notes is now 1.1.0 (was 1.0.0), marked Failed: activate threw: boom',
      color: 'orange',
    });
  });
});

describe('describeUploadFailure', () => {
  it("explains the code in plain words and keeps the server's message and code", () => {
    const error = new ApiError({
      status: 400,
      code: 'MANIFEST_MISSING',
      message:
        'The archive has no plugin.json at its root. It holds notes/plugin.json: zip the contents.',
    });
    expect(describeUploadFailure(error)).toEqual({
      explanation:
        'There is no plugin.json at the root of the archive. Zip the contents of the plugin folder, not the folder itself.',
      serverMessage:
        'The archive has no plugin.json at its root. It holds notes/plugin.json: zip the contents.',
      code: 'MANIFEST_MISSING',
      issues: [],
    });
  });

  it('lists each mistake of an invalid manifest', () => {
    const error = new ApiError({
      status: 400,
      code: 'MANIFEST_INVALID',
      message: 'plugin.json is invalid: id must be lowercase.',
      details: {
        issues: [
          { path: 'id', message: 'must be lowercase' },
          { path: 'navigation.0.roles', message: 'is required' },
          { path: '', message: 'must have required property "id"' },
          { nonsense: true },
        ],
      },
    });
    expect(describeUploadFailure(error)).toMatchObject({
      code: 'MANIFEST_INVALID',
      issues: [
        { path: 'id', message: 'must be lowercase' },
        { path: 'navigation.0.roles', message: 'is required' },
        { path: 'plugin.json', message: 'must have required property "id"' },
      ],
    });
  });

  it('lists each bad entry of a refused archive, by name', () => {
    const error = new ApiError({
      status: 400,
      code: 'ARCHIVE_UNSAFE_PATH',
      message:
        'Archive entry "../escaped.js" is unsafe: it contains a "." or ".." path segment. 1 more entry has problems too.',
      details: {
        entry: '../escaped.js',
        issues: [
          {
            path: '../escaped.js',
            code: 'ARCHIVE_UNSAFE_PATH',
            message:
              'Archive entry "../escaped.js" is unsafe: it contains a "." or ".." path segment.',
          },
          {
            path: 'frontend/index.js',
            code: 'ARCHIVE_UNSUPPORTED_ENTRY',
            message:
              'Archive entry "frontend/index.js" is a symbolic link; plugins may only contain files and folders.',
          },
        ],
      },
    });
    expect(describeUploadFailure(error)).toMatchObject({
      explanation: "The archive holds a file whose name could land outside the plugin's folder.",
      code: 'ARCHIVE_UNSAFE_PATH',
      issues: [
        {
          path: '../escaped.js',
          message:
            'Archive entry "../escaped.js" is unsafe: it contains a "." or ".." path segment.',
        },
        {
          path: 'frontend/index.js',
          message:
            'Archive entry "frontend/index.js" is a symbolic link; plugins may only contain files and folders.',
        },
      ],
    });
  });

  it('lists nothing for codes whose details are not a list of mistakes', () => {
    const error = new ApiError({
      status: 409,
      code: 'PLUGIN_VERSION_EXISTS',
      message: 'Notes 1.0.0 is installed already.',
      details: { issues: [{ path: 'version', message: 'not a list of mistakes here' }] },
    });
    expect(describeUploadFailure(error).issues).toEqual([]);
  });

  it('names the versions of an incompatible plugin', () => {
    const error = new ApiError({
      status: 400,
      code: 'PLUGIN_INCOMPATIBLE',
      message: 'Notes supports Polyphony ^2.0.0; this is 0.1.0.',
      details: { supported: '^2.0.0', host: '0.1.0' },
    });
    expect(describeUploadFailure(error).explanation).toBe(
      'This plugin does not support this version of Polyphony. It supports Polyphony ^2.0.0; this server runs 0.1.0.',
    );
  });

  it("falls back to the app's words for other codes, and to a generic one for non-API errors", () => {
    const network = new ApiError({
      status: 0,
      code: 'NETWORK_ERROR',
      message: 'Could not reach the server. Check your connection and try again.',
    });
    expect(describeUploadFailure(network)).toEqual({
      explanation: 'Could not reach the server. Check your connection and try again.',
      serverMessage: null,
      code: 'NETWORK_ERROR',
      issues: [],
    });
    expect(describeUploadFailure(new Error('x'))).toEqual({
      explanation: 'Something went wrong. Please try again.',
      serverMessage: null,
      code: null,
      issues: [],
    });
  });
});
