import { definePlugin } from '@polyphony/plugin-sdk';
import { pollsMigration } from '../../../../src/backend/migrations/001-polls.ts';
import { pollRoutes } from '../../../../src/backend/poll-routes.ts';
import type { PollsDatabase } from '../../../../src/backend/tables.ts';

/** team-polls 1.0.0, kept to test the upgrade path: the same modules as 1.1.0, without comments. */
export default definePlugin<PollsDatabase>({
  migrations: [pollsMigration],
  routes(router, ctx) {
    pollRoutes(router, ctx);
  },
});
