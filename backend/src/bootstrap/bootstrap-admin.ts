import type { Logger } from 'pino';
import { isAppError } from '../errors/app-error.ts';
import type { CoreServices } from '../services.ts';
import { passwordSchema, usernameSchema } from '../users/user-rules.ts';

/**
 * Creates the first admin from POLYPHONY_ADMIN_USERNAME/PASSWORD when no user exists yet, for
 * unattended installs. Once any user exists it does nothing, so the variables can stay set.
 */
export async function bootstrapAdmin(
  services: CoreServices,
  admin: { username: string; password: string } | null,
  logger: Logger,
): Promise<void> {
  if (admin === null || (await services.users.count()) > 0) return;
  const username = usernameSchema.safeParse(admin.username);
  const password = passwordSchema.safeParse(admin.password);
  if (!username.success || !password.success) {
    throw new Error(
      `POLYPHONY_ADMIN_USERNAME/PASSWORD are not valid: ${[
        ...(username.error?.issues ?? []).map((i) => `username: ${i.message}`),
        ...(password.error?.issues ?? []).map((i) => `password: ${i.message}`),
      ].join('; ')}`,
    );
  }
  try {
    await services.users.createFirstAdmin(
      { username: username.data, password: password.data },
      { actor: { id: null, username: 'bootstrap' }, ip: null },
    );
    logger.info({ username: username.data }, 'created the first admin from the environment');
  } catch (error) {
    // Another process won the race to create the first user: that is fine.
    if (isAppError(error) && error.code === 'SETUP_ALREADY_DONE') return;
    throw error;
  }
}
