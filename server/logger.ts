import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One JSON line per event on stdout. Redaction is declared once here so that no call site can
 * leak a credential even if it logs a whole header object by mistake.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { name: 'winrmd' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['authorization', 'headers.authorization', 'req.headers.authorization', '*.password', 'password'],
      censor: '[redacted]',
    },
  });
}
