/**
 * Receives a plugin archive from a multipart/form-data request straight into a temp file. The
 * body is streamed and capped as it arrives, never held in memory, so an oversized or endless
 * upload costs at most the cap in disk and nothing in RAM.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { AppError, isAppError } from '../../errors/app-error.ts';
import { asError, toStorageError } from '@polyphony/plugin-format';

export interface ReceivedUpload {
  /** The temp file holding the uploaded bytes; the caller owns it from now on. */
  path: string;
  size: number;
  /** As the client named it: for display only, never for building a path. */
  filename: string | null;
}

export interface ReceiveUploadOptions {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Where the temp file goes; created when missing. */
  directory: string;
  /** The form field carrying the file; 'file' by default. */
  field?: string;
}

interface ReceivedFile {
  size: number;
  filename: string | null;
}

const MIB = 1024 * 1024;
// Room for boundaries, part headers and a few small fields around a file of exactly maxBytes.
const ENVELOPE_BYTES = 64 * 1024;
// Only the file matters; other fields are tolerated but kept too small to cost anything.
const FORM_LIMITS = {
  fields: 8,
  fieldSize: 1024,
  fieldNameSize: 100,
  parts: 10,
  headerPairs: 20,
  files: 1,
};

function megabytes(bytes: number): string {
  return `${Math.round((bytes / MIB) * 10) / 10} MB`;
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `The upload is larger than the limit of ${megabytes(maxBytes)}.`,
    { details: { limit: maxBytes } },
  );
}

function invalidUpload(message: string, cause?: unknown): AppError {
  return new AppError('UPLOAD_INVALID', message, { cause });
}

/** Busboy and the body stream report a broken upload as bare errors; a disk error has a syscall. */
function asUploadError(error: unknown): Error {
  if (isAppError(error)) return error;
  if (typeof error === 'object' && error !== null && 'syscall' in error) return asError(error);
  return invalidUpload('The upload is not a valid multipart/form-data body.', error);
}

function checkDeclaredLength(headers: Headers, maxBytes: number): void {
  const declared = headers.get('content-length')?.trim();
  if (declared === undefined || !/^\d+$/.test(declared)) return;
  if (Number(declared) > maxBytes + ENVELOPE_BYTES) throw tooLarge(maxBytes);
}

function multipartType(headers: Headers, field: string): string {
  const type = headers.get('content-type');
  if (type === null || !/^multipart\/form-data\s*;/i.test(type)) {
    throw invalidUpload(
      `Send the plugin archive as a multipart/form-data upload in the "${field}" field.`,
    );
  }
  return type;
}

function createParser(contentType: string, maxBytes: number): busboy.Busboy {
  try {
    // busboy reports "limit" on reaching fileSize, so one byte of headroom lets exactly
    // maxBytes through.
    return busboy({
      headers: { 'content-type': contentType },
      limits: { ...FORM_LIMITS, fileSize: maxBytes + 1 },
    });
  } catch (error) {
    throw invalidUpload('The upload is not a valid multipart/form-data body.', error);
  }
}

/** Counts raw body bytes so an endless preamble or epilogue cannot stream forever. */
function bodyCap(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes + ENVELOPE_BYTES) callback(tooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
}

async function writeFully(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset);
    offset += bytesWritten;
  }
}

async function saveFile(stream: Readable, handle: FileHandle, maxBytes: number): Promise<number> {
  stream.once('limit', () => stream.destroy(tooLarge(maxBytes)));
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    try {
      await writeFully(handle, chunk as Buffer);
    } catch (error) {
      throw toStorageError(error);
    }
  }
  return size;
}

async function settled(promise: Promise<unknown> | undefined): Promise<void> {
  await promise?.then(
    () => undefined,
    () => undefined,
  );
}

async function receiveInto(
  handle: FileHandle,
  body: ReadableStream<Uint8Array>,
  contentType: string,
  options: ReceiveUploadOptions & { field: string },
): Promise<ReceivedFile> {
  const { field, maxBytes } = options;
  const parser = createParser(contentType, maxBytes);
  let failure: Error | undefined;
  let saving: Promise<number> | undefined;
  let filename: string | null = null;
  const abort = (error: unknown): void => {
    failure ??= asError(error);
    parser.destroy(failure);
  };
  const oneFile = `Send exactly one file, in the "${field}" field.`;
  parser.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
    if (name !== field) {
      // Aborting destroys this stream with the same error; it is reported once, below.
      stream.on('error', () => undefined);
      abort(invalidUpload(`The upload has a file in the unexpected field "${name}". ${oneFile}`));
      return;
    }
    filename = info.filename ?? null;
    saving = saveFile(stream, handle, maxBytes);
    void saving.catch((error: unknown) => {
      abort(asUploadError(error));
    });
  });
  parser.on('filesLimit', () => {
    abort(invalidUpload(`The upload holds more than one file. ${oneFile}`));
  });
  const tooManyFields = (): void => {
    abort(invalidUpload('The upload has too many form fields.'));
  };
  parser.on('partsLimit', tooManyFields);
  parser.on('fieldsLimit', tooManyFields);

  try {
    await pipeline(Readable.fromWeb(body), bodyCap(maxBytes), parser);
  } catch (error) {
    // The file write must be over before the caller deletes the file under it.
    await settled(saving);
    throw failure ?? asUploadError(error);
  }
  if (saving === undefined) throw invalidUpload(`The upload has no file in the "${field}" field.`);
  const size = await saving.catch((error: unknown) => {
    throw failure ?? asUploadError(error);
  });
  if (size === 0) throw invalidUpload('The uploaded file is empty.');
  return { size, filename };
}

async function createTempFile(
  directory: string,
): Promise<{ filePath: string; handle: FileHandle }> {
  const filePath = path.join(directory, `upload-${randomBytes(16).toString('hex')}.part`);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return { filePath, handle: await open(filePath, 'wx', 0o600) };
  } catch (error) {
    throw toStorageError(error);
  }
}

/**
 * Streams the one file of a multipart/form-data request into a new temp file in
 * `options.directory`. On any failure the temp file is gone again before the error is thrown.
 */
export async function receiveUpload(
  request: Request,
  options: ReceiveUploadOptions,
): Promise<ReceivedUpload> {
  const field = options.field ?? 'file';
  checkDeclaredLength(request.headers, options.maxBytes);
  const contentType = multipartType(request.headers, field);
  const body = request.body;
  if (body === null) {
    throw invalidUpload(`The upload is empty. Send the plugin archive in the "${field}" field.`);
  }
  const { filePath, handle } = await createTempFile(options.directory);
  try {
    let received: ReceivedFile;
    try {
      received = await receiveInto(handle, body, contentType, { ...options, field });
    } finally {
      await handle.close();
    }
    return { path: filePath, ...received };
  } catch (error) {
    await rm(filePath, { force: true });
    throw error;
  }
}
