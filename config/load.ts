import { ConfigError } from './config-error.js';
import { readConfigFile } from './config-file.js';
import { CONFIG_KEYS, type Config, type ConfigKey } from './keys.js';
import { parseConfigValue, type RawConfigValue } from './parse-value.js';
import { CONFIG_KEY_NAMES, READ_ONLY_KEYS, resolveConfigKey } from './resolve-key.js';

export { ConfigError } from './config-error.js';
export { parseConfigValue } from './parse-value.js';
export { resolveConfigKey } from './resolve-key.js';

/** Where settings come from, applied in this order so later ones win. */
export interface ConfigSources {
  /** A .yaml/.yml or .toml file. */
  readonly file?: string;
  /** `Key=Value` strings from `--set`, applied in order. */
  readonly sets?: readonly string[];
  /** From dedicated flags such as --http-port: the most specific thing the user said, so it wins. */
  readonly overrides?: Readonly<Partial<Record<ConfigKey, RawConfigValue>>>;
}

type MutableConfig = { -readonly [K in keyof Config]: Config[K] };

/** `origin` prefixes messages (`--set X=1: ...`); overrides have none because their key says it all. */
function assign(config: MutableConfig, key: ConfigKey, raw: RawConfigValue, origin: string | undefined): void {
  const prefix = origin === undefined ? '' : `${origin}: `;
  if (READ_ONLY_KEYS.has(key)) {
    throw new ConfigError(`${prefix}${key} is read-only; winrmd sets it from the HTTPS certificate in use`);
  }
  try {
    // The generic parse returns Config[K] for the same K, but TypeScript cannot correlate the two
    // sides of an assignment through a union key, hence the widening to a plain record.
    (config as Record<ConfigKey, RawConfigValue>)[key] = parseConfigValue(key, raw);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${prefix}${error.message}`);
    throw error;
  }
}

function requireKey(name: string, origin: string): ConfigKey {
  const key = resolveConfigKey(name);
  if (key === undefined) throw new ConfigError(`${origin}: unknown setting '${name}'`);
  return key;
}

function defaults(): MutableConfig {
  const entries = CONFIG_KEY_NAMES.map((key) => [key, CONFIG_KEYS[key].default] as const);
  // Each default is declared next to its type in CONFIG_KEYS, so it matches Config by construction.
  return Object.fromEntries(entries) as MutableConfig;
}

async function applyFile(config: MutableConfig, file: string): Promise<void> {
  const seen = new Map<ConfigKey, string>();
  for (const { name, value } of await readConfigFile(file)) {
    const key = requireKey(name, file);
    // `Service.Auth.Basic` and `service.auth.basic` are the same setting; saying it twice is a
    // mistake whichever one the user expected to win.
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new ConfigError(`${file}: ${key} is set twice (as '${earlier}' and '${name}')`);
    seen.set(key, name);
    assign(config, key, value, file);
  }
}

function applySet(config: MutableConfig, set: string): void {
  const origin = `--set ${set}`;
  const equals = set.indexOf('=');
  if (equals < 0) throw new ConfigError(`${origin}: expected Key=Value`);
  const name = set.slice(0, equals).trim();
  assign(config, requireKey(name, origin), set.slice(equals + 1), origin);
}

/**
 * The effective configuration: defaults from CONFIG_KEYS, then the file, then each `--set`, then
 * the overrides. Throws ConfigError for an unreadable file, an unknown key or a bad value.
 */
export async function loadConfig(sources: ConfigSources): Promise<Config> {
  const config = defaults();
  if (sources.file !== undefined) await applyFile(config, sources.file);
  for (const set of sources.sets ?? []) applySet(config, set);
  for (const [name, value] of Object.entries(sources.overrides ?? {})) {
    assign(config, requireKey(name, 'override'), value, undefined);
  }
  return config;
}
