import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/databases.ts';
import { createTestAppWithAdmin } from '../../test/test-app.ts';

interface AuditBody {
  entries: { id: number; action: string; outcome: string }[];
  page: number;
  pageSize: number;
  total: number;
}

describe.each(dialects)('Admin → Audit log API (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestAppWithAdmin>>;
  beforeEach(async () => {
    t = await createTestAppWithAdmin(dialect);
    for (let i = 0; i < 7; i++) await t.admin.post('/api/v1/admin/roles', { name: `role-${i}` });
    await t.admin.post('/api/v1/admin/roles', { name: 'role-0' }); // refused: ROLE_EXISTS
  });
  afterEach(async () => {
    await t.close();
  });

  it('pages newest first', async () => {
    const first = await t.admin.get<AuditBody>('/api/v1/admin/audit?pageSize=3');
    const second = await t.admin.get<AuditBody>('/api/v1/admin/audit?pageSize=3&page=2');
    // setup.completed + 7 role.created + 1 refused role.created
    expect(first.body.total).toBe(9);
    expect(first.body.entries).toHaveLength(3);
    const ids = [...first.body.entries, ...second.body.entries].map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(first.body.entries[0]).toMatchObject({ action: 'role.created', outcome: 'failure' });
    const last = await t.admin.get<AuditBody>('/api/v1/admin/audit?pageSize=3&page=3');
    expect(last.body.entries.at(-1)!.action).toBe('setup.completed');
  });

  it('filters by action and outcome', async () => {
    const failures = await t.admin.get<AuditBody>('/api/v1/admin/audit?outcome=failure');
    expect(failures.body.total).toBe(1);
    const created = await t.admin.get<AuditBody>(
      '/api/v1/admin/audit?action=role.created&outcome=success',
    );
    expect(created.body.total).toBe(7);
  });

  it('validates the query', async () => {
    const response = await t.admin.get('/api/v1/admin/audit?pageSize=5000');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
