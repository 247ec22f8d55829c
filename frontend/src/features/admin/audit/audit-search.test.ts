import { describe, expect, it } from 'vitest';
import { parseAuditSearch, toAuditSearchParams } from './audit-search.ts';

describe('parseAuditSearch', () => {
  it('reads page, outcome and action', () => {
    expect(
      parseAuditSearch(new URLSearchParams('page=3&outcome=failure&action=user.deleted')),
    ).toEqual({ page: 3, outcome: 'failure', action: 'user.deleted' });
  });

  it('falls back to defaults for missing or nonsensical values', () => {
    expect(parseAuditSearch(new URLSearchParams('page=0&outcome=maybe&action=%20'))).toEqual({
      page: 1,
      outcome: null,
      action: null,
    });
    expect(parseAuditSearch(new URLSearchParams('page=2.5')).page).toBe(1);
  });
});

describe('toAuditSearchParams', () => {
  it('leaves defaults out and round-trips the rest', () => {
    expect(toAuditSearchParams({ page: 1, outcome: null, action: null }).toString()).toBe('');
    const search = { page: 4, outcome: 'success' as const, action: 'role.created' };
    expect(parseAuditSearch(toAuditSearchParams(search))).toEqual(search);
  });
});
