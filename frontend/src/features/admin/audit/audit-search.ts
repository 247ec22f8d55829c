import type { AuditOutcome } from '../../../lib/api-types.ts';

/** The audit page's filters live in the URL, so a filtered view survives reloads and can be shared. */
export interface AuditSearch {
  page: number;
  outcome: AuditOutcome | null;
  action: string | null;
}

export function parseAuditSearch(params: URLSearchParams): AuditSearch {
  const page = Number(params.get('page'));
  const outcome = params.get('outcome');
  const action = params.get('action')?.trim() ?? '';
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    outcome: outcome === 'success' || outcome === 'failure' ? outcome : null,
    action: action === '' ? null : action,
  };
}

/** Defaults are left out, so the plain page keeps a plain URL. */
export function toAuditSearchParams(search: AuditSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.page > 1) params.set('page', String(search.page));
  if (search.outcome !== null) params.set('outcome', search.outcome);
  if (search.action !== null) params.set('action', search.action);
  return params;
}
