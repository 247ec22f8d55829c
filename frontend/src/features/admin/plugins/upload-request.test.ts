import { describe, expect, it } from 'vitest';
import { isApiError } from '../../../lib/api-client.ts';
import { uploadAnswer } from './upload-request.ts';

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isApiError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('uploadAnswer', () => {
  const result = { plugin: { id: 'notes', version: '1.1.0' }, upgradedFrom: '1.0.0' };

  it('gives the install or upgrade result', () => {
    expect(uploadAnswer(200, 'OK', JSON.stringify(result))).toEqual(result);
    expect(uploadAnswer(201, 'Created', JSON.stringify({ ...result, upgradedFrom: null }))).toEqual(
      {
        ...result,
        upgradedFrom: null,
      },
    );
  });

  it("turns the API's error body into an ApiError with its code, message and details", () => {
    const error = refusal(() =>
      uploadAnswer(
        400,
        'Bad Request',
        JSON.stringify({
          error: {
            code: 'MANIFEST_INVALID',
            message: 'plugin.json is invalid: id is reserved.',
            details: { issues: [{ path: 'id', message: 'is reserved' }] },
          },
        }),
      ),
    );
    expect(error).toMatchObject({
      status: 400,
      code: 'MANIFEST_INVALID',
      message: 'plugin.json is invalid: id is reserved.',
      details: { issues: [{ path: 'id', message: 'is reserved' }] },
    });
  });

  it("reads a proxy's page for a too-large body as PAYLOAD_TOO_LARGE", () => {
    const error = refusal(() =>
      uploadAnswer(413, 'Request Entity Too Large', '<html>nginx</html>'),
    );
    expect(error).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(error.message).toBe(
      'The server answered 413 Request Entity Too Large without an explanation.',
    );
  });

  it('refuses answers that are not the API shape', () => {
    expect(refusal(() => uploadAnswer(502, 'Bad Gateway', '')).code).toBe('UNEXPECTED_RESPONSE');
    expect(refusal(() => uploadAnswer(200, 'OK', '<html>')).code).toBe('UNEXPECTED_RESPONSE');
    expect(refusal(() => uploadAnswer(500, '', '{"error":{"code":""}}')).code).toBe(
      'UNEXPECTED_RESPONSE',
    );
  });
});
