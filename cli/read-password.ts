import { UsageError } from './usage-error.js';

/**
 * Far beyond any real password: stops `winrmd user add --password-stdin < /dev/zero` from eating
 * memory, and tells a secret file at a wrong path from a password.
 */
export const MAX_PASSWORD_BYTES = 4096;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** The first line of `bytes` without its line ending (LF or CRLF), as `echo secret > file` writes it. */
export function firstLine(bytes: Buffer): Buffer {
  const newline = bytes.indexOf(NEWLINE);
  const line = newline < 0 ? bytes : bytes.subarray(0, newline);
  return line.at(-1) === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
}

/**
 * The first line of `stream` without its line ending (LF or CRLF). Stops at the first newline rather
 * than waiting for end of input, so a person typing at a terminal only has to press Enter.
 */
export function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;

    const cleanup = (): void => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      // Stop reading so an interactive stdin does not keep the process alive.
      stream.pause();
    };
    const finish = (): void => {
      cleanup();
      const line = firstLine(Buffer.concat(chunks));
      if (line.length > MAX_PASSWORD_BYTES) reject(new UsageError(`the password on standard input is longer than ${MAX_PASSWORD_BYTES} bytes`));
      else resolve(line.toString('utf8'));
    };
    function onData(chunk: string | Buffer): void {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      chunks.push(bytes);
      length += bytes.length;
      if (bytes.includes(NEWLINE) || length > MAX_PASSWORD_BYTES) finish();
    }
    function onEnd(): void {
      finish();
    }
    function onError(error: Error): void {
      cleanup();
      reject(error);
    }

    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
