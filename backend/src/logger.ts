import pino, { type Logger } from 'pino';
import type { Config } from './config/config.ts';

/**
 * `fd` 2 sends logs to stderr (the CLI keeps stdout for its own output). Writes are asynchronous:
 * lines logged while a write is under way go out together in the next one, instead of one system
 * call per request line (bench/RESULTS.md); pino flushes what is left when the process exits.
 */
export function createLogger(level: Config['logLevel'], fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { service: 'polyphony' },
      redact: { paths: ['password', '*.password', 'req.headers.cookie'], remove: true },
    },
    pino.destination({ fd, sync: false }),
  );
}
