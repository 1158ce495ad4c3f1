import { pino, type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';
import { censorCredentials } from './log-censor.js';
import { GatheredLines, gatheredStdout } from './log-destination.js';

export type { Logger };

/**
 * One JSON line per event on stdout. Credentials are censored here (log-censor.ts) so that no call
 * site can leak one even if it logs a whole header object by mistake.
 *
 * The lines are written asynchronously, a request's lines together once it ends
 * (log-destination.ts): each write to a pipe or a journal costs winrmd a system call and wakes the
 * reader. What is still gathered is written when the process exits, and serve flushes before it
 * returns.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  // A silent logger (benchmarks, tests) writes nothing: it needs no stdout writer nor exit hook.
  const target = destination ?? (level === 'silent' ? DISCARD : gatheredStdout());
  return censorChildBindings(
    pino(
      {
        level,
        base: { name: 'winrmd' },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { log: censorCredentials },
      },
      target,
    ),
  );
}

const DISCARD: DestinationStream = {
  write: () => undefined,
};

/** pino's formatters never see a child logger's bindings: they are censored on the way in. */
function censorChildBindings(root: Logger): Logger {
  // pino types child() as generic over custom levels, which winrmd does not use: the plain form.
  type MakeChild = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;
  // A child inherits from its parent, wrapped child() included: keep pino's own to call.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(logger) below
  const pinoChild = root.child as unknown as MakeChild;
  const wrap = (logger: Logger): Logger => {
    const child = (bindings: Bindings, options?: ChildLoggerOptions): Logger => wrap(pinoChild.call(logger, censorCredentials(bindings), options));
    logger.child = child as unknown as Logger['child'];
    return logger;
  };
  return wrap(root);
}

/** Writes out the lines gathered so far: a request's lines go when it ends (log-destination.ts). */
export function releaseGatheredLines(log: Logger): void {
  // Child loggers share their root's destination.
  const destination: unknown = Reflect.get(log, pino.symbols.streamSym);
  if (destination instanceof GatheredLines) destination.release();
}
