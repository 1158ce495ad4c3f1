/** Secrets handed over as files (container secrets, Kubernetes secret volumes), read the same way everywhere. */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config-error.js';
import { firstLine, MAX_PASSWORD_BYTES } from './read-password.js';

/**
 * The secret in `path`: the file's first line without its line ending, as `echo secret > file` and
 * Docker/Kubernetes secrets write it. `what` names the source in error messages (never the secret).
 */
export async function readSecretFile(path: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(`${what}: cannot read ${path} (${reason})`);
  }
  if (bytes.length > MAX_PASSWORD_BYTES) throw new ConfigError(`${what}: ${path} is longer than ${MAX_PASSWORD_BYTES} bytes; it should hold one password`);
  const secret = firstLine(bytes).toString('utf8');
  if (secret === '') throw new ConfigError(`${what}: ${path} is empty (the password is its first line)`);
  return secret;
}
