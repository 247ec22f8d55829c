import type { Kysely } from 'kysely';
import { isAppError } from '../errors/app-error.ts';
import type { Database } from '../db/schema.ts';

export interface Actor {
  /** Null for the operator CLI, or once the user is gone. */
  id: string | null;
  username: string;
}

/** Who acts and from where; passed from the edge (HTTP, CLI) down to the services. */
export interface AuditContext {
  actor: Actor | null;
  ip: string | null;
}

export const CLI_CONTEXT: AuditContext = { actor: { id: null, username: 'cli' }, ip: null };

export interface AuditTarget {
  type: string;
  id?: string | null;
  label?: string | null;
}

export interface AuditRecord {
  action: string;
  target?: AuditTarget | null;
  outcome?: 'success' | 'failure';
  details?: Record<string, unknown> | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: Actor | null;
  action: string;
  target: { type: string; id: string | null; label: string | null } | null;
  outcome: 'success' | 'failure';
  details: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  action?: string | undefined;
  outcome?: 'success' | 'failure' | undefined;
}

export interface AuditPage {
  entries: AuditEntry[];
  page: number;
  pageSize: number;
  total: number;
}

export interface AuditLog {
  /** Pass the transaction of the action itself, so the entry commits or rolls back with it. */
  record(context: AuditContext, record: AuditRecord, executor?: Kysely<Database>): Promise<void>;
  list(query: AuditQuery): Promise<AuditPage>;
  /**
   * Runs an action; when it is refused with a domain error, records the refusal (outside the
   * rolled-back transaction) and rethrows.
   */
  recordingFailures<T>(
    context: AuditContext,
    action: string,
    target: AuditTarget | null,
    run: () => Promise<T>,
  ): Promise<T>;
}

export function createAuditLog(db: Kysely<Database>, now: () => Date): AuditLog {
  const log: AuditLog = {
    async record(context, record, executor = db) {
      await executor
        .insertInto('audit_log')
        .values({
          at: now().toISOString(),
          actor_id: context.actor?.id ?? null,
          actor_username: context.actor?.username ?? null,
          action: record.action,
          target_type: record.target?.type ?? null,
          target_id: record.target?.id ?? null,
          target_label: record.target?.label ?? null,
          outcome: record.outcome ?? 'success',
          details: record.details ? JSON.stringify(record.details) : null,
          ip: context.ip,
        })
        .execute();
    },

    async list({ page, pageSize, action, outcome }) {
      let query = db.selectFrom('audit_log');
      if (action !== undefined) query = query.where('action', '=', action);
      if (outcome !== undefined) query = query.where('outcome', '=', outcome);
      const [rows, count] = await Promise.all([
        query
          .selectAll()
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
        query
          .select((eb) => eb.fn.countAll<number | string>().as('total'))
          .executeTakeFirstOrThrow(),
      ]);
      return {
        entries: rows.map((row) => ({
          id: row.id,
          at: row.at,
          actor:
            row.actor_username === null ? null : { id: row.actor_id, username: row.actor_username },
          action: row.action,
          target:
            row.target_type === null
              ? null
              : { type: row.target_type, id: row.target_id, label: row.target_label },
          outcome: row.outcome,
          details:
            row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
          ip: row.ip,
        })),
        page,
        pageSize,
        total: Number(count.total),
      };
    },

    async recordingFailures(context, action, target, run) {
      try {
        return await run();
      } catch (error) {
        if (isAppError(error)) {
          await log.record(context, {
            action,
            target,
            outcome: 'failure',
            details: { code: error.code, message: error.message },
          });
        }
        throw error;
      }
    },
  };
  return log;
}
