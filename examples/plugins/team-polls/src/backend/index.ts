import { definePlugin } from '@polyphony/plugin-sdk';
import { commentRoutes } from './comment-routes.ts';
import { pollsMigration } from './migrations/001-polls.ts';
import { commentsMigration } from './migrations/002-comments.ts';
import { pollRoutes } from './poll-routes.ts';
import type { PollsDatabase } from './tables.ts';

/** team-polls 1.1.0: 1.0.0 (versions/1.0.0/src/backend/index.ts) plus comments. */
export default definePlugin<PollsDatabase>({
  migrations: [pollsMigration, commentsMigration],
  routes(router, ctx) {
    pollRoutes(router, ctx);
    commentRoutes(router, ctx);
  },
});
