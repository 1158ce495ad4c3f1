import { CONFIG_KEYS, type ConfigKey } from './keys.js';

/** Every key in CONFIG_KEYS order, which is also the order `winrm get winrm/config` prints. */
export const CONFIG_KEY_NAMES: readonly ConfigKey[] = Object.keys(CONFIG_KEYS) as ConfigKey[];

const byLowerCase = new Map<string, ConfigKey>(CONFIG_KEY_NAMES.map((key) => [key.toLowerCase(), key]));

/**
 * The canonical key for a dotted name in any case: Windows treats config names case-insensitively,
 * so `service.auth.basic` must reach `Service.Auth.Basic`.
 */
export function resolveConfigKey(name: string): ConfigKey | undefined {
  return byLowerCase.get(name.trim().toLowerCase());
}

/** Keys winrmd computes itself; Windows refuses to set them too. */
export const READ_ONLY_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>(['Service.CertificateThumbprint']);
