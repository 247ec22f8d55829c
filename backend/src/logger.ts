import pino, { type Logger } from 'pino';
import type { Config } from './config/config.ts';

export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    base: { service: 'polyphony' },
    redact: { paths: ['password', '*.password', 'req.headers.cookie'], remove: true },
  });
}
