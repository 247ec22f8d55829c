import { expect } from 'vitest';
import { listTree, tablesLike, type PluginTestApp } from '../plugin-app.ts';
import type { ClientResponse } from '../test-app.ts';

/**
 * "Rejected", as PLUGIN-SAFETY.md defines it: a 4xx with a stable code and a message a person
 * understands; nothing left in the plugins folder or staging; no table, registry row, lock or
 * route; the server healthy; an audit entry recording the failed attempt.
 * `installed` lists plugins that were there before and must still be.
 */
export async function expectRejected(
  t: PluginTestApp,
  response: ClientResponse,
  status: number,
  code: string,
  installed: readonly string[] = [],
): Promise<void> {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  const error = (response.body as { error?: { code?: string; message?: string } }).error;
  expect(error?.code).toBe(code);
  expect(error?.message?.length ?? 0).toBeGreaterThan(10);

  const tree = (await listTree(t.pluginsDir)).filter(
    (entry) => !installed.some((id) => entry === id || entry.startsWith(`${id}/`)),
  );
  const leftovers = tree.filter(
    (entry) =>
      !['.staging', '.trash', '.runtime'].includes(entry) &&
      !installed.some((id) => entry.startsWith(`.runtime/${id}@`)),
  );
  expect(leftovers).toEqual([]);

  const { db } = t.services;
  const rows = await db.selectFrom('plugins').select('id').execute();
  expect(rows.map((r) => r.id).sort()).toEqual([...installed].sort());
  expect(await db.selectFrom('plugins_locks').selectAll().execute()).toEqual([]);
  if (installed.length === 0) expect(await tablesLike(t, 'plugin_')).toEqual([]);

  const health = await t.anonymous().get('/api/v1/health');
  expect(health.status).toBe(200);

  const failures = await t.services.audit.list({ page: 1, pageSize: 5, outcome: 'failure' });
  expect(failures.entries[0]?.details).toMatchObject({ code });
}
