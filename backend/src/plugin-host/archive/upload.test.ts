import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { receiveUpload } from './upload.ts';

const KIB = 1024;
const MAX = 256 * KIB;
const URL = 'http://polyphony.test/api/v1/admin/plugins';

let root: string;
let uploads: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'upload-'));
  // Not created up front: receiveUpload makes it when missing.
  uploads = path.join(root, 'uploads');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function leftovers(): Promise<string[]> {
  return readdir(uploads).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  });
}

function formRequest(form: FormData): Request {
  return new Request(URL, { method: 'POST', body: form });
}

function fileForm(
  parts: [field: string, content: string | Uint8Array, filename?: string][],
): FormData {
  const form = new FormData();
  for (const [field, content, filename] of parts) {
    if (filename === undefined && typeof content === 'string') form.append(field, content);
    else form.append(field, new Blob([content]), filename ?? 'plugin.zip');
  }
  return form;
}

const BOUNDARY = 'polyphony-test-boundary';

function filePartHeader(field = 'file', filename = 'plugin.zip'): string {
  return (
    `--${BOUNDARY}\r\n` +
    `Content-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
    'Content-Type: application/zip\r\n\r\n'
  );
}

function streamRequest(
  body: ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Request {
  return new Request(URL, {
    method: 'POST',
    body,
    duplex: 'half',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
  });
}

/** A body that starts with `prefix` and then never ends, recording how much was pulled. */
function endlessBody(prefix: string) {
  const chunk = new Uint8Array(16 * KIB).fill(0x61);
  const stats = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(prefix));
    },
    pull(controller) {
      stats.pulled += chunk.length;
      controller.enqueue(chunk);
    },
    cancel() {
      stats.cancelled = true;
    },
  });
  return { stream, stats };
}

function bodyOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

async function rejection(request: Request, options: { maxBytes?: number; field?: string } = {}) {
  const error = await receiveUpload(request, {
    maxBytes: options.maxBytes ?? MAX,
    directory: uploads,
    ...(options.field === undefined ? {} : { field: options.field }),
  }).then(
    () => {
      throw new Error('the upload was accepted');
    },
    (reason: unknown) => reason as { code: string; message: string; details: unknown },
  );
  expect(await leftovers()).toEqual([]);
  return error;
}

describe('receiveUpload', () => {
  it('streams the file into a new temp file in the directory', async () => {
    const content = new Uint8Array(100 * KIB).map((_, i) => i % 251);
    const form = fileForm([
      ['note', 'a small text field is ignored'],
      ['file', content, 'notes-1.0.0.zip'],
    ]);
    const received = await receiveUpload(formRequest(form), { maxBytes: MAX, directory: uploads });

    expect(path.dirname(received.path)).toBe(uploads);
    expect(received.size).toBe(content.length);
    expect(received.filename).toBe('notes-1.0.0.zip');
    expect((await readFile(received.path)).equals(Buffer.from(content))).toBe(true);
    expect(await leftovers()).toEqual([path.basename(received.path)]);
  });

  it('accepts a file of exactly maxBytes, and reads another field when told to', async () => {
    const content = new Uint8Array(MAX).fill(1);
    const received = await receiveUpload(formRequest(fileForm([['archive', content]])), {
      maxBytes: MAX,
      directory: uploads,
      field: 'archive',
    });
    expect(received.size).toBe(MAX);
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const { stream, stats } = endlessBody(filePartHeader());
    const request = streamRequest(stream, { 'content-length': String(10 * MAX) });
    const error = await rejection(request);
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.details).toEqual({ limit: MAX });
    expect(error.message).toBe('The upload is larger than the limit of 0.3 MB.');
    expect(stats.pulled).toBe(0);
  });

  it('refuses a file one byte over the cap, sent without a Content-Length', async () => {
    const body = `${filePartHeader()}${'a'.repeat(MAX + 1)}\r\n--${BOUNDARY}--\r\n`;
    const error = await rejection(streamRequest(bodyOf(body)));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.details).toEqual({ limit: MAX });
  });

  it('stops reading an endless file part once it passes the cap', async () => {
    const { stream, stats } = endlessBody(filePartHeader());
    const error = await rejection(streamRequest(stream));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    await vi.waitFor(() => {
      expect(stats.cancelled).toBe(true);
    });
    expect(stats.pulled).toBeLessThan(MAX + 512 * KIB);
  });

  it('stops reading an endless body that never reaches a file part', async () => {
    const { stream, stats } = endlessBody('preamble that never ends ');
    const error = await rejection(streamRequest(stream), { maxBytes: 64 * KIB });
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    await vi.waitFor(() => {
      expect(stats.cancelled).toBe(true);
    });
    expect(stats.pulled).toBeLessThan(1024 * KIB);
  });

  it('refuses a form without the file field', async () => {
    const error = await rejection(formRequest(fileForm([['name', 'just text']])));
    expect(error).toMatchObject({
      code: 'UPLOAD_INVALID',
      message: 'The upload has no file in the "file" field.',
    });
  });

  it('refuses a file in another field', async () => {
    const error = await rejection(formRequest(fileForm([['attachment', 'PK', 'plugin.zip']])));
    expect(error.code).toBe('UPLOAD_INVALID');
    expect(error.message).toMatch(/unexpected field "attachment"/);
  });

  it('refuses two files in the same field', async () => {
    const form = fileForm([
      ['file', 'first', 'a.zip'],
      ['file', 'second', 'b.zip'],
    ]);
    const error = await rejection(formRequest(form));
    expect(error.code).toBe('UPLOAD_INVALID');
    expect(error.message).toMatch(/more than one file/);
  });

  it('refuses a second file in another field', async () => {
    const form = fileForm([
      ['file', 'first', 'a.zip'],
      ['other', 'second', 'b.zip'],
    ]);
    const error = await rejection(formRequest(form));
    expect(error.code).toBe('UPLOAD_INVALID');
  });

  it('refuses an empty file', async () => {
    const error = await rejection(formRequest(fileForm([['file', new Uint8Array(0)]])));
    expect(error).toMatchObject({ code: 'UPLOAD_INVALID', message: 'The uploaded file is empty.' });
  });

  it.each([
    ['JSON', 'application/json', '{"file":"x"}'],
    ['a urlencoded form', 'application/x-www-form-urlencoded', 'file=x'],
    ['plain bytes', 'application/zip', 'PK\u0003\u0004'],
  ])('refuses %s: only multipart/form-data is accepted', async (_label, type, body) => {
    const request = new Request(URL, { method: 'POST', body, headers: { 'content-type': type } });
    const error = await rejection(request);
    expect(error.code).toBe('UPLOAD_INVALID');
    expect(error.message).toMatch(/multipart\/form-data/);
  });

  it('refuses multipart without a boundary', async () => {
    const request = new Request(URL, {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'multipart/form-data; charset=utf-8' },
    });
    expect((await rejection(request)).code).toBe('UPLOAD_INVALID');
  });

  it('refuses a body cut off in the middle of the file', async () => {
    const error = await rejection(streamRequest(bodyOf(`${filePartHeader()}partial zip bytes`)));
    expect(error.code).toBe('UPLOAD_INVALID');
    expect(error.message).toMatch(/not a valid multipart/);
  });

  it('refuses a request without a body', async () => {
    const request = new Request(URL, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    });
    expect((await rejection(request)).code).toBe('UPLOAD_INVALID');
  });

  it('refuses a form with too many fields', async () => {
    const form = fileForm(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x'] as [string, string]));
    form.append('file', new Blob(['PK']), 'plugin.zip');
    const error = await rejection(formRequest(form));
    expect(error).toMatchObject({
      code: 'UPLOAD_INVALID',
      message: 'The upload has too many form fields.',
    });
  });
});
