import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The command line itself is wrong (unknown command or flag, missing argument): exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS_');
}

/** util.parseArgs, with its errors turned into UsageError so they print as usage mistakes. */
export function parseArgv<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    if (isParseArgsError(error)) throw new UsageError(error.message);
    throw error;
  }
}
