// Variants (b) to (e): the Polyphony server, wired exactly as `npm start` wires it
// (backend/src/server.ts), with the bench's handlers as core routes under /api/v1/bench.
import { loadConfig } from '@polyphony/backend/config';
import { createLogger } from '@polyphony/backend/logger';
import { startServer } from '@polyphony/backend/server';
import type { Kysely } from 'kysely';
import { createItems, hello, readItem } from '../handlers.ts';

// The bench's table is not in the host's schema types.
/* eslint-disable @typescript-eslint/no-explicit-any */
const config = loadConfig();
const logger = createLogger(config.logLevel);
const server = await startServer({
  config,
  logger,
  apiRoutes(api, services) {
    const db = services.db as unknown as Kysely<any>;
    api.get('/bench/hello', hello);
    api.get(
      '/bench/items/:id',
      readItem(() => db, 'bench_items'),
    );
  },
});
await createItems(server.services.db, 'bench_items');
const stop = () => {
  void server.stop().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
