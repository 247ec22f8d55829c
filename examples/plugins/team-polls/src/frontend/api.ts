import { useCallback, useEffect, useState } from 'react';
import { isApiError, usePlugin } from '@polyphony/plugin-sdk/web';
import type { FieldIssue } from '../shared/poll-rules.ts';

export type Loaded<T> =
  { state: 'loading' } | { state: 'failed'; error: string } | { state: 'loaded'; value: T };

/**
 * GETs one of the plugin's routes. `reload()` asks again and keeps showing what was there, so a
 * list does not flash empty after each vote.
 */
export function useApiGet<T>(path: string): [Loaded<T>, () => void] {
  const { api } = usePlugin();
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    api.get(path).then(
      (body) => {
        if (current) setResult({ state: 'loaded', value: body as T });
      },
      (error: unknown) => {
        if (current) setResult({ state: 'failed', error: errorMessage(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [api, path, version]);
  const reload = useCallback(() => {
    setVersion((v) => v + 1);
  }, []);
  return [result, reload];
}

/** The server's message, by its code, rather than a stack trace. */
export function errorMessage(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Try again.';
  if (error.code === 'NETWORK_ERROR') return 'The server could not be reached. Try again.';
  return error.message;
}

/** The per-field issues of a 400 VALIDATION_FAILED, by path; null for any other error. */
export function fieldIssuesOf(error: unknown): Record<string, string> | null {
  if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return null;
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return null;
  return issuesByPath(
    issues.filter(
      (issue): issue is FieldIssue =>
        typeof (issue as FieldIssue).path === 'string' &&
        typeof (issue as FieldIssue).message === 'string',
    ),
  );
}

/** The first message for each field. */
export function issuesByPath(issues: readonly FieldIssue[]): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const issue of issues) byPath[issue.path] ??= issue.message;
  return byPath;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string): string {
  return dateTime.format(new Date(iso));
}
