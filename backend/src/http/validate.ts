import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

function validationError(error: z.ZodError): AppError {
  return new AppError('VALIDATION_FAILED', 'Some fields are not valid.', {
    details: {
      issues: error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    },
  });
}

/** Reads a JSON body and validates it; a missing or non-JSON body is INVALID_JSON. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('INVALID_JSON', 'The request body must be JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
