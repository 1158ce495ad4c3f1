/** Where the first-start Administrator's password comes from: the environment, a secret file, or nowhere. */
import { ConfigError } from '../config/config-error.js';
import { readSecretFile } from './secret-file.js';

export const ADMIN_PASSWORD_VARIABLE = 'WINRMD_ADMIN_PASSWORD';
export const ADMIN_PASSWORD_FILE_VARIABLE = 'WINRMD_ADMIN_PASSWORD_FILE';

export interface ConfiguredPassword {
  readonly password: string;
  /** The variable it came from, for the log (never the password). */
  readonly source: typeof ADMIN_PASSWORD_VARIABLE | typeof ADMIN_PASSWORD_FILE_VARIABLE;
}

/**
 * WINRMD_ADMIN_PASSWORD, or the first line of the file WINRMD_ADMIN_PASSWORD_FILE names (the
 * `_FILE` convention of container images, for secrets that should not sit in the environment);
 * undefined when neither is set (or set empty), so a password is generated. Both at once is a
 * mistake that would silently pick one, so it is refused, as the official database images do.
 */
export async function configuredAdminPassword(env: NodeJS.ProcessEnv = process.env): Promise<ConfiguredPassword | undefined> {
  const direct = nonEmpty(env[ADMIN_PASSWORD_VARIABLE]);
  const file = nonEmpty(env[ADMIN_PASSWORD_FILE_VARIABLE]);
  if (direct !== undefined && file !== undefined) {
    throw new ConfigError(`set ${ADMIN_PASSWORD_VARIABLE} or ${ADMIN_PASSWORD_FILE_VARIABLE}, not both`);
  }
  if (direct !== undefined) return { password: direct, source: ADMIN_PASSWORD_VARIABLE };
  if (file !== undefined) return { password: await readSecretFile(file, ADMIN_PASSWORD_FILE_VARIABLE), source: ADMIN_PASSWORD_FILE_VARIABLE };
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
