import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { readQuery } from '../http/validate.ts';
import type { CoreServices } from '../services.ts';

const querySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  action: z.string().min(1).max(100).optional(),
  outcome: z.enum(['success', 'failure']).optional(),
});

export function createAdminAuditRoutes({ audit }: CoreServices) {
  return new Hono<AppEnv>().get('/', async (c) =>
    c.json(await audit.list(readQuery(c, querySchema))),
  );
}
