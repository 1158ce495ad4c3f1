import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One JSON line per event on stdout. Redaction is declared once here so that no call site can
 * leak a credential even if it logs a whole header object by mistake.
 *
 * The lines are written asynchronously: a synchronous write to a pipe or a journal costs the
 * request that logs it a system call and the wake-up of the reader (measured: about a tenth of a
 * whole Receive on a busy machine), and while one write is under way the lines after it are
 * joined into the next. pino flushes what is left when the process exits, and serve flushes
 * before it returns.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { name: 'winrmd' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['authorization', 'headers.authorization', 'req.headers.authorization', '*.password', 'password'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 1, sync: false }),
  );
}
