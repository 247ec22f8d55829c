import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { auditContext } from '../http/audit-context.ts';
import { readJson } from '../http/validate.ts';
import type { CoreServices } from '../services.ts';
import { roleNameSchema } from '../users/user-rules.ts';

const newRoleSchema = z.object({
  name: roleNameSchema,
  description: z.string().trim().max(200).default(''),
});

export function createAdminRoleRoutes({ roles }: CoreServices) {
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ roles: await roles.list() }))
    .post('/', async (c) => {
      const input = await readJson(c, newRoleSchema);
      return c.json({ role: await roles.create(input, auditContext(c)) }, 201);
    })
    .delete('/:name', async (c) => {
      await roles.remove(c.req.param('name'), auditContext(c));
      return c.body(null, 204);
    });
}
