import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface AuthUser {
  id: string;
  username: string;
  roles: string[];
}

export interface ActiveSession {
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: string;
}

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export interface SessionStore {
  create(
    userId: string,
    client: { ip: string | null; userAgent: string | null },
  ): Promise<{ token: string; session: ActiveSession }>;
  /** The live session and its user for a cookie token, or null (unknown, expired, disabled user). */
  resolve(token: string): Promise<{ session: ActiveSession; user: AuthUser } | null>;
  revoke(sessionId: string): Promise<void>;
  revokeAllForUser(
    userId: string,
    options?: { except?: string; executor?: Kysely<Database> },
  ): Promise<void>;
  purgeExpired(): Promise<number>;
}

/** How often a busy session writes its last-seen time; reads stay cheap. */
const TOUCH_INTERVAL_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export async function rolesOf(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_roles')
    .select('role_name')
    .where('user_id', '=', userId)
    .orderBy('role_name')
    .execute();
  return rows.map((row) => row.role_name);
}

export function createSessionStore(
  db: Kysely<Database>,
  policy: SessionPolicy,
  now: () => Date,
): SessionStore {
  const expiryFor = (createdAt: Date, seenAt: Date) =>
    new Date(
      Math.min(seenAt.getTime() + policy.idleMs, createdAt.getTime() + policy.maxMs),
    ).toISOString();

  return {
    async create(userId, client) {
      const token = randomBytes(32).toString('base64url');
      const time = now();
      const session: ActiveSession = {
        id: hashToken(token),
        userId,
        csrfToken: randomBytes(32).toString('base64url'),
        expiresAt: expiryFor(time, time),
      };
      await db
        .insertInto('sessions')
        .values({
          id: session.id,
          user_id: userId,
          csrf_token: session.csrfToken,
          created_at: time.toISOString(),
          last_seen_at: time.toISOString(),
          expires_at: session.expiresAt,
          ip: client.ip,
          user_agent: client.userAgent?.slice(0, 512) ?? null,
        })
        .execute();
      return { token, session };
    },

    async resolve(token) {
      if (token.length === 0 || token.length > 256) return null;
      const time = now();
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.id',
          'sessions.user_id',
          'sessions.csrf_token',
          'sessions.created_at',
          'sessions.last_seen_at',
          'sessions.expires_at',
          'users.username',
          'users.disabled_at',
        ])
        .where('sessions.id', '=', hashToken(token))
        .executeTakeFirst();
      if (!row || row.disabled_at !== null) return null;
      if (row.expires_at <= time.toISOString()) {
        await db.deleteFrom('sessions').where('id', '=', row.id).execute();
        return null;
      }
      let expiresAt = row.expires_at;
      if (time.getTime() - new Date(row.last_seen_at).getTime() >= TOUCH_INTERVAL_MS) {
        expiresAt = expiryFor(new Date(row.created_at), time);
        await db
          .updateTable('sessions')
          .set({ last_seen_at: time.toISOString(), expires_at: expiresAt })
          .where('id', '=', row.id)
          .execute();
      }
      return {
        session: { id: row.id, userId: row.user_id, csrfToken: row.csrf_token, expiresAt },
        user: { id: row.user_id, username: row.username, roles: await rolesOf(db, row.user_id) },
      };
    },

    async revoke(sessionId) {
      await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    },

    async revokeAllForUser(userId, options = {}) {
      let query = (options.executor ?? db).deleteFrom('sessions').where('user_id', '=', userId);
      if (options.except !== undefined) query = query.where('id', '!=', options.except);
      await query.execute();
    },

    async purgeExpired() {
      const result = await db
        .deleteFrom('sessions')
        .where('expires_at', '<=', now().toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
