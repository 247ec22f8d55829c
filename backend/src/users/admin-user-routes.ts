import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { auditContext } from '../http/audit-context.ts';
import { readJson } from '../http/validate.ts';
import type { CoreServices } from '../services.ts';
import { passwordSchema, roleNameSchema, usernameSchema } from './user-rules.ts';

const newUserSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  roles: z.array(roleNameSchema).min(1, 'Give the user at least one role').max(50),
});

const patchSchema = z
  .object({
    roles: z.array(roleNameSchema).max(50).optional(),
    disabled: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .strict()
  .refine(
    (patch) => Object.keys(patch).length > 0,
    'Change at least one of roles, disabled, password',
  );

export function createAdminUserRoutes({ users }: CoreServices) {
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ users: await users.list() }))
    .post('/', async (c) => {
      const input = await readJson(c, newUserSchema);
      return c.json({ user: await users.create(input, auditContext(c)) }, 201);
    })
    .patch('/:id', async (c) => {
      const patch = await readJson(c, patchSchema);
      return c.json({ user: await users.update(c.req.param('id'), patch, auditContext(c)) });
    })
    .delete('/:id', async (c) => {
      await users.remove(c.req.param('id'), auditContext(c));
      return c.body(null, 204);
    });
}
