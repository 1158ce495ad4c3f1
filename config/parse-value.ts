import { ConfigError } from './config-error.js';
import { CONFIG_KEYS, type Config, type ConfigKey } from './keys.js';
import { checkStringSetting, parseStructuredSetting } from './validators.js';

/** A list or table from a YAML/TOML file: only 'json' settings take one. */
export type StructuredRawValue = readonly unknown[] | { readonly [key: string]: unknown };

export type RawConfigValue = string | number | boolean | StructuredRawValue;

type ScalarRawValue = string | number | boolean;

// Windows stores these settings as DWORDs, so anything larger would not round-trip through a client
// that reads them back.
const MAX_NUMBER = 0xffff_ffff;
const MAX_PORT = 65535;

/** Settings whose values come from a fixed set; matched case-insensitively, stored in canonical case. */
const CHOICES: Partial<Record<ConfigKey, readonly string[]>> = {
  'Service.Auth.CbtHardeningLevel': ['None', 'Relaxed', 'Strict'],
  'Winrmd.LogLevel': ['fatal', 'error', 'warn', 'info', 'debug', 'trace'],
  'Firewall.DefaultProfile': ['Domain', 'Private', 'Public'],
};

const PORT_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>(['Service.DefaultPorts.HTTP', 'Service.DefaultPorts.HTTPS']);

function describe(raw: ScalarRawValue): string {
  return typeof raw === 'string' ? `'${raw}'` : String(raw);
}

function parseBoolean(key: ConfigKey, raw: ScalarRawValue): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    // Windows writes "true"/"false" but reads them in any case.
    const lower = raw.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw new ConfigError(`${key} must be true or false, not ${describe(raw)}`);
}

function parseNumber(key: ConfigKey, raw: ScalarRawValue): number {
  let value: number | undefined;
  if (typeof raw === 'number') value = raw;
  // Only plain digits: Number() would also take '', '0x1f', '1e3' and ' ', none of which Windows accepts.
  else if (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)) value = Number(raw);
  if (value === undefined || !Number.isSafeInteger(value) || value < 0) {
    throw new ConfigError(`${key} must be a non-negative integer, not ${describe(raw)}`);
  }
  const max = PORT_KEYS.has(key) ? MAX_PORT : MAX_NUMBER;
  if (value > max) throw new ConfigError(`${key} must be at most ${max}, not ${describe(raw)}`);
  return value;
}

function parseString(key: ConfigKey, raw: ScalarRawValue): string {
  // A YAML or TOML file may type `ComputerName = 1234` as a number; the user meant the text.
  const value = String(raw);
  const choices = CHOICES[key];
  if (choices === undefined) {
    checkStringSetting(key, value);
    return value;
  }
  const match = choices.find((choice) => choice.toLowerCase() === value.trim().toLowerCase());
  if (match === undefined) throw new ConfigError(`${key} must be one of ${choices.join(', ')}, not ${describe(raw)}`);
  return match;
}

/**
 * Checks and converts one value for `key`, whether it came typed from a YAML/TOML file or as text
 * from `--set` or a flag. Throws ConfigError naming the key and the bad value.
 */
export function parseConfigValue<K extends ConfigKey>(key: K, raw: RawConfigValue): Config[K] {
  const type = CONFIG_KEYS[key].type;
  if (type === 'json') return parseStructuredSetting(key, raw) as Config[K];
  if (typeof raw === 'object') throw new ConfigError(`${key} must be a single value, not ${Array.isArray(raw) ? 'a list' : 'a table'}`);
  // The switch on the spec's type guarantees the value matches Config[K], which TypeScript cannot
  // follow through a generic key.
  switch (type) {
    case 'boolean':
      return parseBoolean(key, raw) as Config[K];
    case 'number':
      return parseNumber(key, raw) as Config[K];
    case 'string':
      return parseString(key, raw) as Config[K];
  }
}
