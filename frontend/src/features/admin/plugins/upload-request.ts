import { ApiError, CLIENT_ERROR_CODES, isRecord } from '../../../lib/api-client.ts';
import type { PluginUploadResult } from '../../../lib/api-types.ts';

export const PLUGIN_UPLOAD_URL = '/api/v1/admin/plugins';

export type UploadProgress =
  /** Bytes on their way; `fraction` is null while the browser cannot tell the total. */
  | { phase: 'uploading'; fraction: number | null }
  /** Everything sent: the server unpacks, checks, migrates and starts the plugin. */
  | { phase: 'installing' };

export interface UploadOptions {
  csrfToken: string | null;
  onProgress: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/**
 * Sends a plugin archive as `multipart/form-data` (field `file`). XMLHttpRequest rather than
 * fetch, because only XMLHttpRequest reports upload progress; being same-origin, it sends the
 * session cookie as fetch's `credentials: 'same-origin'` does. Fails with an `ApiError` carrying the
 * server's code, like every other call of the app; an abort rejects with an `AbortError`.
 */
export function uploadPluginArchive(
  file: File,
  options: UploadOptions,
): Promise<PluginUploadResult> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const abort = () => {
      request.abort();
    };
    const settle = () => {
      options.signal?.removeEventListener('abort', abort);
    };
    request.open('POST', PLUGIN_UPLOAD_URL);
    request.setRequestHeader('Accept', 'application/json');
    if (options.csrfToken !== null) request.setRequestHeader('X-CSRF-Token', options.csrfToken);
    request.upload.addEventListener('progress', (event) => {
      options.onProgress({
        phase: 'uploading',
        fraction: event.lengthComputable && event.total > 0 ? event.loaded / event.total : null,
      });
    });
    request.upload.addEventListener('load', () => {
      options.onProgress({ phase: 'installing' });
    });
    request.addEventListener('load', () => {
      settle();
      try {
        resolve(uploadAnswer(request.status, request.statusText, request.responseText));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    request.addEventListener('error', () => {
      settle();
      reject(
        new ApiError({
          status: 0,
          code: CLIENT_ERROR_CODES.networkError,
          message: 'Could not reach the server. Check your connection and try again.',
        }),
      );
    });
    request.addEventListener('abort', () => {
      settle();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    });
    if (options.signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    options.signal?.addEventListener('abort', abort);
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

/** The server's answer to an upload: the result, or an `ApiError` with its code. */
export function uploadAnswer(status: number, statusText: string, text: string): PluginUploadResult {
  const body = parseJson(text);
  if (status >= 200 && status < 300) {
    if (isRecord(body) && isRecord(body.plugin)) return body as unknown as PluginUploadResult;
    throw new ApiError({
      status,
      code: CLIENT_ERROR_CODES.unexpectedResponse,
      message: 'The server sent an answer this app does not understand.',
      details: { body: text.slice(0, 200) },
    });
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (error !== null && typeof error.code === 'string' && error.code !== '') {
    throw new ApiError({
      status,
      code: error.code,
      message:
        typeof error.message === 'string' && error.message !== '' ? error.message : error.code,
      details: isRecord(error.details) ? error.details : undefined,
    });
  }
  // A proxy in front of the server may refuse a large body with its own page, not the API's JSON.
  throw new ApiError({
    status,
    code: status === 413 ? 'PAYLOAD_TOO_LARGE' : CLIENT_ERROR_CODES.unexpectedResponse,
    message: `The server answered ${`${status} ${statusText}`.trim()} without an explanation.`,
    details: text === '' ? undefined : { body: text.slice(0, 200) },
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
